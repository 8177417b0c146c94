// The WAL sync of a store opened with synchronous FULL, made by the store instead of inside
// SQLite's COMMIT. The write connection runs at synchronous = NORMAL, so a COMMIT appends its
// frames to DB-wal and returns without syncing; the store then syncs DB-wal itself and only
// then calls the commit durable. The sync runs on another thread while the writer goes on
// with the next transaction: a COMMIT no longer waits for the disk, and one sync covers every
// transaction written before it began (docs/storage.md, "synchronous").
#pragma once

#include <filesystem>

namespace workflow::detail {

// Not thread-safe: one thread at a time calls sync() (the store's `syncing_` flag).
class WalSync {
 public:
  explicit WalSync(const std::filesystem::path& db_path);
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;
  ~WalSync();

  // Makes every frame written to DB-wal before the call durable (fdatasync). The first call
  // opens DB-wal and syncs its directory once, as SQLite does for a new WAL, so that the
  // file's name survives a power loss too. Throws Error(store_error) naming DB-wal and the
  // system's reason; after a failure nothing may be acknowledged (a failed fsync may have
  // dropped the dirty pages: retrying it could report success for lost data).
  void sync();

 private:
  std::filesystem::path wal_;
  int fd_ = -1;
};

}  // namespace workflow::detail
