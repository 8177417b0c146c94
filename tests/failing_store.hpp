// The random hall's store (scenario_random_hall_test.cpp): failures on demand.
#pragma once

#include <doctest/doctest.h>

#include <stdexcept>

#include "forwarding_store.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow::testing {

// A store that fails the next commit when armed, before the store behind it sees any of it,
// and then stays failed, as the store contract has it (workflow/store.hpp), until the hall
// "reopens" it: recover() stands for opening the same file again.
class FailingStore final : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  std::uint64_t append(StoreCommit c) override {
    fail_if_armed(c);
    return inner().append(std::move(c));
  }
  std::uint64_t append_reusing(StoreCommit& c) override {
    fail_if_armed(c);
    return inner().append_reusing(c);
  }
  bool takes_commit_rules_version() const noexcept override {
    return inner().takes_commit_rules_version();
  }

  void recover() { broken_ = false; }

  bool armed = false;
  int failed = 0;  // commits failed so far

 private:
  void fail_if_armed(const StoreCommit& c) {
    // Every commit that writes a snapshot carries an event: an SQLite store seals the
    // snapshots with the commit's last event, and one left unsealed when the store closes
    // makes it refuse to open (docs/storage.md, "Snapshots in the chain").
    if (!c.cases.empty()) {
      CHECK_MESSAGE(!c.events.empty(),
                    "a snapshot of case " << c.cases.front().id << " and no event");
    }
    if (broken_) throw Error(ErrorCode::store_error, "the store has failed (injected)");
    if (!armed) return;
    armed = false;
    broken_ = true;
    ++failed;
    throw std::runtime_error("the disk is full (injected)");
  }
  bool broken_ = false;
};

}  // namespace workflow::testing
