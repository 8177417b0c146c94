// The SQLite store's WAL checkpoints, outside the commit (docs/storage.md, "Checkpoints"):
// a WAL at its limit is checkpointed by the committing thread at once, so it stays bounded
// however busy the store is, and nothing written is lost by it.
#include <doctest/doctest.h>

#include <algorithm>
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

StoreCommit one_event(CaseId c, std::uint32_t seq, std::string snapshot) {
  StoreCommit out;
  out.events.push_back(Event{c, seq, EventKind::accept, DateTime::from_seconds(1'795'000'000 + seq),
                             "w1a", "county", "w1", "", "", "rules-v1"});
  out.cases.push_back({c, seq, std::move(snapshot)});
  return out;
}

}  // namespace

TEST_CASE("sqlite store: a WAL at its limit is checkpointed by the commit that filled it") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  // One snapshot larger than the limit: its transaction alone leaves the WAL past it.
  const std::string big(static_cast<std::size_t>(detail::kWalLimitPages) * 4096 + 4096, 'x');
  {
    auto store = open_sqlite_store(db, {.synchronous_full = false});
    store->wait_durable(store->append(one_event(1, 1, "small")));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 0);
    store->wait_durable(store->append(one_event(2, 1, big)));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 1);
    // Everything the WAL held is now in the database file itself.
    CHECK(fs::file_size(db) > big.size());
    store->wait_durable(store->append(one_event(1, 2, "small again")));
    CHECK(detail::sqlite_stats(*store).inline_checkpoints == 1);
    CHECK(store->history(1).size() == 2);
  }
  CHECK(sql_int(db, "SELECT length(encoded) FROM cases WHERE id = 2") ==
        static_cast<std::int64_t>(big.size()));
  CHECK(verify_sqlite_log(db).ok);
}

TEST_CASE("sqlite store: the checkpoint thread copies the WAL into the database, which restarts it") {
  // Each commit leaves the WAL past kCheckpointPages, which wakes the checkpoint thread. Its
  // checkpoint must copy the frames (a connection that has not read the database yet does
  // not know it is in WAL mode: SQLite then checkpoints nothing and says so), so that the
  // next commit starts the WAL over instead of growing it until the committing thread has
  // to checkpoint everything itself, a stall of 40-100 ms in the benchmark.
  TempDir dir;
  const fs::path db = dir / "cases.db";
  const fs::path wal = dir / "cases.db-wal";
  const std::size_t per_commit = static_cast<std::size_t>(detail::kCheckpointPages) * 4096 + 8192;
  auto store = open_sqlite_store(db, {.synchronous_full = false});
  std::uintmax_t largest_wal = 0;
  for (std::uint32_t i = 1; i <= 6; ++i) {
    const std::uint64_t before = detail::sqlite_stats(*store).checkpoints;
    store->wait_durable(store->append(one_event(i, 1, std::string(per_commit, char('a' + i)))));
    largest_wal = std::max(largest_wal, fs::file_size(wal));
    // The thread was woken by this commit: wait (up to 10 s) for its checkpoint.
    for (int waited = 0; detail::sqlite_stats(*store).checkpoints == before && waited < 1000; ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(detail::sqlite_stats(*store).checkpoints > before);
  }
  // Six commits of ~4 MB: a WAL that restarts holds about one of them at a time.
  CHECK(largest_wal < 2 * per_commit + 65536);
  CHECK(detail::sqlite_stats(*store).inline_checkpoints == 0);
  // And what the checkpoints copied is there.
  for (CaseId c = 1; c <= 6; ++c) CHECK(store->history(c).size() == 1);
  store.reset();
  CHECK(sql_int(db, "SELECT count(*) FROM cases") == 6);
  CHECK(verify_sqlite_log(db).ok);
}

TEST_CASE("sqlite store: under a steady stream of commits the WAL stays far below its limit") {
  // 96 MB of snapshots at about 30 MB/s, one commit every 2 ms: the checkpoint thread copies
  // the WAL as it grows, so it starts over long before kWalLimitPages (64 MB). When the
  // thread's checkpoints did nothing, it grew to the limit, and the committing thread then
  // copied all of it (a stall of 40-100 ms in the benchmark).
  TempDir dir;
  const fs::path db = dir / "cases.db";
  const fs::path wal = dir / "cases.db-wal";
  auto store = open_sqlite_store(db, {.synchronous_full = false});
  const std::size_t snapshot = 64 * 1024;
  const std::uint32_t commits = 1536;
  std::uintmax_t largest_wal = 0;
  for (std::uint32_t i = 1; i <= commits; ++i) {
    store->wait_durable(store->append(
        one_event((i - 1) % 8 + 1, (i - 1) / 8 + 1, std::string(snapshot, char('a' + i % 26)))));
    if (i % 16 == 0) largest_wal = std::max(largest_wal, fs::file_size(wal));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const detail::SqliteStats stats = detail::sqlite_stats(*store);
  CAPTURE(largest_wal);
  CAPTURE(stats.checkpoints);
  CAPTURE(stats.inline_checkpoints);
  CHECK(stats.checkpoints > 0);
  // Started over at about kRestartPages (16 MB; 19.7 MB measured); the bound leaves room
  // for a checkpoint thread slowed by a busy machine, and still fails at the limit (64 MB).
  CHECK(largest_wal < static_cast<std::uintmax_t>(detail::kWalLimitPages) * 4096 * 3 / 4);
  store.reset();
  CHECK(sql_int(db, "SELECT count(*) FROM events") == commits);
  CHECK(verify_sqlite_log(db).ok);
}
