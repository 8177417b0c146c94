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

// After every commit, on the committing thread, with the WAL's size in pages. Past the limit
// (a checkpoint could not keep up, or a reader held old frames) the committing thread
// checkpoints itself: nothing is appended meanwhile, so the next transaction can start the
// WAL over and it stays bounded.
int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<WalCheckpointer*>(self);
  if (pages >= kWalLimitPages) {
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
    sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    checkpoints_.fetch_add(1, std::memory_order_relaxed);
    lock.lock();
  }
}

}  // namespace workflow::detail
