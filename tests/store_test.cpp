// The in-memory store (store.hpp's make_memory_store): the engine's default. What every
// store must do is checked on every kind: memory, SQLite, and PostgreSQL when
// WORKFLOW_PG_CONNINFO names a database. The SQLite and PostgreSQL stores have their own
// files too (sqlite_store_test.cpp, postgres_store_test.cpp).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <functional>

#include "error_of.hpp"
#include "sqlite_files.hpp"
#include "workflow/store.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

using namespace workflow;
using namespace workflow::testing;

namespace {

StoreCommit commit(std::initializer_list<std::pair<CaseId, std::uint32_t>> events) {
  StoreCommit c;
  for (const auto& [id, seq] : events) {
    Event e;
    e.case_id = id;
    e.seq = seq;
    e.actor = "w1a";
    c.events.push_back(e);
    c.cases.push_back(CaseSnapshot{id, seq, "snapshot"});
  }
  return c;
}

// Every kind of store this build and environment can open, each fresh, by name.
struct StoreKind {
  const char* name;
  std::function<std::unique_ptr<CaseStore>()> open;
};
std::vector<StoreKind> store_kinds(const TempDir& dir) {
  std::vector<StoreKind> kinds;
  kinds.push_back({"memory", [] { return make_memory_store(); }});
  kinds.push_back({"sqlite", [&dir] { return open_sqlite_store(dir / "cases.db"); }});
#ifdef WORKFLOW_HAS_POSTGRES
  if (const char* conninfo = std::getenv("WORKFLOW_PG_CONNINFO"); conninfo && *conninfo) {
    const std::string partition =
        "store-test-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    kinds.push_back({"postgres", [conninfo, partition] {
                       return open_postgres_store(conninfo, partition);
                     }});
  }
#endif
  return kinds;
}

}  // namespace

TEST_CASE("every store: events and snapshots by case, visited in id order") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    store->wait_durable(store->append(commit({{2, 1}, {1, 1}})));
    store->wait_durable(store->append(commit({{1, 2}})));
    CHECK(store->history(1).size() == 2);
    CHECK(store->history(2).size() == 1);
    CHECK(store->history(3).empty());
    std::vector<CaseId> seen;
    store->for_each_case([&](const CaseSnapshot& s) { seen.push_back(s.id); });
    CHECK(seen == std::vector<CaseId>{1, 2});
    CHECK(store->engine_state().empty());
    CHECK(store->rule_sets().empty());
    CHECK_FALSE(store->read_only());
  }
}

TEST_CASE("memory store: a case id far past the others is refused and nothing is kept") {
  auto store = make_memory_store();
  store->append(commit({{1, 1}}));
  const Error e = error_of([&] { store->append(commit({{1, 2}, {5'000'000'000, 1}})); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("case 5000000000") != std::string::npos);
  CHECK(store->history(1).size() == 1);  // the good half of the commit was not kept either
  CHECK(error_of([&] { store->append(commit({{0, 1}})); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("memory and SQLite stores: a commit with a handoff is refused, the store left as it was") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    if (std::string(kind.name) == "postgres") continue;  // it has the outbox
    CAPTURE(kind.name);
    auto store = kind.open();
    StoreCommit out = commit({{1, 1}});
    out.handoffs = {HandoffOut{"360731", "application"}};
    Error e = error_of([&] { store->append(out); });
    CHECK(e.code() == ErrorCode::store_error);
    CHECK(std::string(e.what()).find("cross-county handoffs need the PostgreSQL store") !=
          std::string::npos);
    StoreCommit in = commit({{1, 1}});
    in.receipt = HandoffReceipt{"360731", 1};
    CHECK(error_of([&] { store->append(in); }).code() == ErrorCode::store_error);
    CHECK(store->history(1).empty());
    // Still usable: the refusal happened before anything was queued.
    store->wait_durable(store->append(commit({{1, 1}})));
    CHECK(store->history(1).size() == 1);
  }
}
