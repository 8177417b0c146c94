// The SQLite store's group commit writes each case's snapshot once per transaction (the
// last one) and leaves the stored rows, seal lists and hash chain exactly as writing every
// commit on its own would (docs/storage.md, "Durability and group commit").
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <string>
#include <thread>

#include "sqlite_files.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t k20261201 = 1'796'083'200;  // 2026-12-01 00:00

StoreCommit one_event(CaseId c, std::uint32_t seq, std::string snapshot) {
  StoreCommit out;
  out.events.push_back(Event{c, seq, EventKind::accept, DateTime::from_seconds(k20261201 + seq),
                             "w1a", "county", "w1", "", "", "rules-v1"});
  out.cases.push_back({c, seq, std::move(snapshot)});
  return out;
}

// A snapshot without an event (it stays unsealed until the next commit with events).
StoreCommit bare_snapshot(CaseId c, std::string snapshot) {
  StoreCommit out;
  out.cases.push_back({c, 0, std::move(snapshot)});
  return out;
}

// The commits of the test, case 5 twice (first beside case 9, its snapshot listed before 9's:
// the one skipped must not shift 9's seal) and case 7 first without an event.
std::vector<StoreCommit> commits() {
  std::vector<StoreCommit> out;
  out.push_back(one_event(5, 2, "case 5 after seq 2"));
  StoreCommit nine = one_event(9, 1, "case 9 after seq 1");
  out.back().events.push_back(nine.events.front());
  out.back().cases.push_back(nine.cases.front());
  out.push_back(bare_snapshot(7, "case 7 before its first event"));
  out.push_back(one_event(5, 3, "case 5 after seq 3"));
  out.push_back(one_event(7, 1, "case 7 after seq 1"));
  out.push_back(one_event(8, 1, "case 8 after seq 1"));
  return out;
}

}  // namespace

TEST_CASE("sqlite store: a transaction writes each case's last snapshot only, same rows and chain") {
  TempDir dir;
  const fs::path grouped = dir / "grouped.db", single = dir / "single.db";
  {
    // Every commit its own transaction.
    auto store = open_sqlite_store(single);
    store->wait_durable(store->append(one_event(5, 1, "case 5 after seq 1")));
    for (StoreCommit& c : commits()) store->wait_durable(store->append(std::move(c)));
    CHECK(detail::sqlite_stats(*store).snapshots_superseded == 0);
  }
  {
    auto store = open_sqlite_store(grouped);
    store->wait_durable(store->append(one_event(5, 1, "case 5 after seq 1")));
    // An outside connection holds the write lock while the commits queue up, so the
    // store writes them all in one transaction once it is released.
    sqlite3* blocker = nullptr;
    REQUIRE(sqlite3_open(grouped.c_str(), &blocker) == SQLITE_OK);
    REQUIRE(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    std::uint64_t last = 0;
    for (StoreCommit& c : commits()) last = store->append(std::move(c));
    std::thread release([blocker] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(blocker);
    });
    store->wait_durable(last);
    release.join();
    const detail::SqliteStats stats = detail::sqlite_stats(*store);
    REQUIRE(stats.transactions == 2);  // the first commit, then the five queued ones
    // Case 5's seq-2 snapshot is rewritten by seq 3 in the same transaction. Case 7's bare
    // snapshot is written: the next sealing commit lists the unsealed rows it seals.
    CHECK(stats.snapshots_superseded == 1);
  }
  CHECK(sql_int(grouped, "SELECT count(*) FROM cases") == 4);
  CHECK(sql_int(grouped, "SELECT last_seq FROM cases WHERE id = 5") == 3);
  // The same events, hashes and seal lists, the same snapshots sealed by the same events.
  CHECK(sql_int(grouped,
                "SELECT count(*) FROM events a JOIN other.events b USING (id) WHERE "
                "a.hash = b.hash AND a.snapshots = b.snapshots",
                single) == 6);
  CHECK(sql_int(grouped,
                "SELECT count(*) FROM cases a JOIN other.cases b USING (id) WHERE "
                "a.last_seq = b.last_seq AND a.encoded = b.encoded AND a.sealed_by = b.sealed_by",
                single) == 4);
  // The row seals (schema 5) too: each names its own snapshot's digest.
  const AuditResult audit = verify_sqlite_log(grouped);
  CHECK(audit.ok);
  CHECK(audit.bad_snapshots.empty());
  CHECK(open_sqlite_store(grouped)->history(5).size() == 3);
}
