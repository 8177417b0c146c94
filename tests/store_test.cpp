// The in-memory store (store.hpp's make_memory_store): the engine's default. The SQLite
// store has its own file, sqlite_store_test.cpp.
#include <doctest/doctest.h>

#include "error_of.hpp"
#include "workflow/store.hpp"

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

}  // namespace

TEST_CASE("memory store: events and snapshots by case, visited in id order") {
  auto store = make_memory_store();
  store->wait_durable(store->append(commit({{2, 1}, {1, 1}})));
  store->wait_durable(store->append(commit({{1, 2}})));
  CHECK(store->history(1).size() == 2);
  CHECK(store->history(2).size() == 1);
  CHECK(store->history(3).empty());
  std::vector<CaseId> seen;
  store->for_each_case([&](const CaseSnapshot& s) { seen.push_back(s.id); });
  CHECK(seen == std::vector<CaseId>{1, 2});
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
