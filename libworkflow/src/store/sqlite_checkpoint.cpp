// WAL checkpoints outside the commit: SQLite's automatic checkpoint runs inside the COMMIT
// that pushes the WAL past 1,000 pages, so one client in a thousand waited 4-11 ms for it
// (docs/performance.md). The store turns it off and checkpoints from a thread of its own,
// on its own connection, while the writer goes on committing (docs/storage.md, "Checkpoints").
#include <fmt/format.h>

#include "store/sqlite_store.hpp"

namespace workflow::detail {
namespace fs = std::filesystem;

WalCheckpointer::WalCheckpointer(sqlite3* writer, const fs::path& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  db_.reset(db);
  if (rc != SQLITE_OK) throw_sqlite(path, db, "cannot open a connection for checkpoints");
  // A connection learns that the database is in WAL mode when it first reads it; until then
  // sqlite3_wal_checkpoint_v2 checkpoints nothing and reports a log of -1 frames. Without
  // this read the thread's checkpoints did nothing at all, the WAL grew to kWalLimitPages
  // under any steady load, and the committing thread then checkpointed all of it, a stall
  // of 40-100 ms (docs/performance.md).
  sqlite3_busy_timeout(db, 5000);  // only this read waits: PASSIVE checkpoints never do
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw_sqlite(path, db, "cannot read the database for checkpoints");
  }
  // A checkpoint syncs the WAL before copying it and DB after at any level but OFF; said
  // here rather than left to the library's compiled-in default. Under FULL this is what
  // keeps a transaction the store has not synced yet durable once a checkpoint copied it
  // and the WAL started over (docs/storage.md, "synchronous").
  if (sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw_sqlite(path, db, "cannot set synchronous for checkpoints");
  }
  // Replaces SQLite's auto-checkpoint hook (wal_autocheckpoint no longer applies).
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

// After every commit, on the committing thread, with the WAL's size in pages. SQLite starts
// the WAL over only when a transaction begins with every frame copied, which a checkpoint
// running beside a steady stream of commits never achieves: the committing thread itself
// checkpoints (nothing is appended meanwhile, so the next transaction starts the WAL over)
// - right after the thread's checkpoint of a WAL of kRestartPages or more, when only the
//   frames since are left to copy (a few milliseconds);
// - and past the limit in any case (a checkpoint could not keep up, or a reader held old
//   frames), which bounds the WAL.
int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  // Only the first commit after the thread's checkpoint: later ones find more frames left.
  // (A load first: the flag is rarely set, and every commit passes here.)
  const bool restart = c->restart_due_.load(std::memory_order_relaxed) &&
                       c->restart_due_.exchange(false) && pages >= kRestartPages;
  if (restart || pages >= kWalLimitPages) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    c->inline_checkpoints_.fetch_add(1, std::memory_order_relaxed);
  } else if (pages >= kCheckpointPages) {
    bool wake = false;
    {
      std::lock_guard lock(c->mutex_);
      wake = !c->wanted_;
      c->wanted_ = true;
    }
    if (wake) c->cv_.notify_one();
  }
  return SQLITE_OK;
}

// PASSIVE: copies what no reader still needs and never blocks the writer or the readers.
// A failure is not the commit's: the WAL only grows until the next attempt (or the limit).
void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return wanted_ || stopping_; });
    if (stopping_) return;
    wanted_ = false;
    lock.unlock();
    int log_frames = -1;
    const int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &log_frames, nullptr);
    // Counted only when it ran on the WAL: what the stats report is what was done.
    if (rc == SQLITE_OK && log_frames >= 0) checkpoints_.fetch_add(1, std::memory_order_relaxed);
    if (rc == SQLITE_OK && log_frames >= kRestartPages) restart_due_.store(true);
    lock.lock();
    // At most one checkpoint per pause: a checkpoint copies each page's latest version once
    // and syncs the WAL and the database, so one per transaction under a steady load rewrote
    // the same hot pages and synced twice per transaction (-20% commands/s in the benchmark).
    cv_.wait_for(lock, kCheckpointPause, [&] { return stopping_; });
  }
}

}  // namespace workflow::detail
