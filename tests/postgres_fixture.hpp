// What the PostgreSQL store's tests share: the throwaway cluster's conninfo (set by
// tests/postgres/with_cluster.sh) and partitions no other test uses.
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>
#include <fmt/format.h>

namespace workflow::testing {

inline const char* conninfo() {
  const char* c = std::getenv("WORKFLOW_PG_CONNINFO");
  return c != nullptr && *c != 0 ? c : nullptr;
}

#define REQUIRE_POSTGRES()                                                                   \
  if (::workflow::testing::conninfo() == nullptr) {                                          \
    MESSAGE("skipped: WORKFLOW_PG_CONNINFO is not set (ctest's postgres.store sets it)");    \
    return;                                                                                  \
  }

// A partition no other test (or earlier run on the same database) uses.
inline std::string fresh_partition(const char* label) {
  static std::atomic<int> n{0};
  return fmt::format("{}-{}-{}-{}", label, ::getpid(),
                     std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000, n++);
}

}  // namespace workflow::testing
