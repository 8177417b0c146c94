// The SQLite store with synchronous FULL syncs its WAL itself after each COMMIT, on the
// leading client or the notifier thread, and acknowledges a commit only once a sync that
// began after it returned (store/sqlite_wal_sync.hpp, docs/storage.md "synchronous").
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "error_of.hpp"
#include "sqlite_files.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t k20261201 = 1'796'083'200;  // 2026-12-01 00:00

StoreCommit accept(CaseId c, std::uint32_t seq) {
  StoreCommit out;
  out.events.push_back(Event{c, seq, EventKind::accept, DateTime::from_seconds(k20261201 + seq),
                             "w1a", "county", "w1", "", "", "rules-v1"});
  out.cases.push_back({c, seq, "case " + std::to_string(c) + " after " + std::to_string(seq)});
  return out;
}

// Up to 5 s for a callback the notifier thread runs.
void wait_for(const std::atomic<bool>& flag) {
  for (int i = 0; i < 500 && !flag; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace

TEST_CASE("sqlite store, FULL: blocking clients are answered after the store's own WAL sync") {
  for (const bool full : {true, false}) {
    CAPTURE(full);
    TempDir dir;
    const fs::path db = dir / "cases.db";
    constexpr int kThreads = 8, kEach = 60;
    {
      auto store = open_sqlite_store(db, {.synchronous_full = full});
      // One client alone leads: it writes and syncs its own transaction.
      store->wait_durable(store->append(accept(100, 1)));
      CHECK(detail::sqlite_stats(*store).syncs == (full ? 1 : 0));
      std::atomic<int> unsynced_answers{0};
      std::vector<std::thread> clients;
      for (int t = 0; t < kThreads; ++t) {
        clients.emplace_back([&, t] {
          for (std::uint32_t s = 1; s <= kEach; ++s) {
            store->wait_durable(store->append(accept(t + 1, s)));
            if (detail::sqlite_stats(*store).syncs == 0) ++unsynced_answers;
          }
        });
      }
      for (std::thread& c : clients) c.join();
      const detail::SqliteStats stats = detail::sqlite_stats(*store);
      CHECK(stats.commits == kThreads * kEach + 1);
      if (full) {
        CHECK(unsynced_answers == 0);
        CHECK(stats.syncs >= 1);
        CHECK(stats.syncs <= stats.transactions);  // one sync covers every transaction before it
      } else {
        CHECK(stats.syncs == 0);  // NORMAL: SQLite syncs at checkpoints only
      }
      MESSAGE(stats.commits << " commits, " << stats.transactions << " transactions, "
                            << stats.syncs << " syncs");
    }
    auto reopened = open_sqlite_store(db);
    for (int t = 1; t <= kThreads; ++t) CHECK(reopened->history(t).size() == kEach);
  }
}

TEST_CASE("sqlite store, FULL: callbacks run after a sync, in ticket order, and closing syncs") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  constexpr int kCommits = 400;
  std::mutex m;
  std::vector<std::uint64_t> order;
  std::uint64_t unsynced = 0, failed = 0;  // counted here: an assertion thrown on the
                                           // notifier thread would be swallowed there
  {
    auto store = open_sqlite_store(db);  // FULL by default
    for (std::uint32_t s = 1; s <= kCommits; ++s) {
      const std::uint64_t ticket = store->append(accept(7, s));
      store->on_durable(ticket, [&, ticket, s = store.get()](std::exception_ptr e) {
        const std::uint64_t syncs = detail::sqlite_stats(*s).syncs;
        std::lock_guard lock(m);
        if (e != nullptr) ++failed;
        if (syncs == 0) ++unsynced;
        order.push_back(ticket);
      });
    }
    // The last commits may still be written or syncing: closing waits for both.
  }
  REQUIRE(order.size() == kCommits);
  CHECK(failed == 0);
  CHECK(unsynced == 0);
  for (std::size_t i = 1; i < order.size(); ++i) CHECK(order[i - 1] < order[i]);
  CHECK(open_sqlite_store(db)->history(7).size() == kCommits);
}

TEST_CASE("sqlite store, FULL: a WAL that cannot be synced fails the commit, none acknowledged") {
  for (const bool full : {true, false}) {
    CAPTURE(full);
    TempDir dir;
    const fs::path db = dir / "cases.db";
    const fs::path wal = db.string() + "-wal", moved = db.string() + "-wal.moved";
    auto store = open_sqlite_store(db, {.synchronous_full = full});
    // SQLite keeps writing the WAL it has open; the name the store syncs by is gone.
    REQUIRE(fs::exists(wal));
    fs::rename(wal, moved);
    const std::uint64_t ticket = store->append(accept(1, 1));
    std::exception_ptr called_back;
    std::atomic<bool> called{false};
    store->on_durable(ticket, [&](std::exception_ptr e) {
      called_back = e;
      called = true;
    });
    if (!full) {  // NORMAL: the store does not sync, SQLite's COMMIT answers
      store->wait_durable(ticket);
      wait_for(called);
      CHECK(called_back == nullptr);
      fs::rename(moved, wal);
      continue;
    }
    const Error e = error_of([&] { store->wait_durable(ticket); });
    CHECK(e.code() == ErrorCode::store_error);
    const std::string message = e.what();
    CHECK(message.find(wal.string() + ": cannot open the WAL to sync it") == 0);
    CHECK(message.find("not acknowledged") != std::string::npos);
    wait_for(called);
    CHECK(called);
    CHECK(called_back != nullptr);
    // The store failed for good: no later commit is taken.
    CHECK(error_of([&] { store->append(accept(1, 2)); }).code() == ErrorCode::store_error);
    store.reset();
    fs::rename(moved, wal);
  }
}
