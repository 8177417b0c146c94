// fdatasync of DB-wal on a descriptor of the store's own (sqlite_wal_sync.hpp).
//
// Why a descriptor of our own is the same file as SQLite's: the write connection keeps
// DB-wal open for the store's whole life, and SQLite removes DB-wal only when its last
// connection closes, so the name points at the one inode the connection writes. Opening and
// closing it drops no lock: SQLite locks DB and DB-shm, never DB-wal (docs/storage.md,
// "Locking: one writer", on why closing a descriptor matters for DB itself).
#include "store/sqlite_wal_sync.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& file, std::string_view what, int error) {
  throw Error(ErrorCode::store_error,
              fmt::format("{}: {}: {}; the commits since the last sync are not acknowledged, "
                          "reopen the store to continue",
                          file.string(), what, std::strerror(error)));
}

int sync_fd(int fd, bool data_only) {
  for (;;) {
    const int rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
    if (rc == 0) return 0;
    if (errno != EINTR) return errno;
  }
}

}  // namespace

WalSync::WalSync(const fs::path& db_path) : wal_(db_path.string() + "-wal") {}

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

void WalSync::sync() {
  if (fd_ < 0) {
    const int fd = ::open(wal_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(wal_, "cannot open the WAL to sync it", errno);
    // The directory entry of a WAL created since the directory was last synced.
    const fs::path parent = wal_.has_parent_path() ? wal_.parent_path() : fs::path(".");
    const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int dir_error = dir < 0 ? errno : sync_fd(dir, false);
    if (dir >= 0) ::close(dir);
    if (dir_error != 0) {
      ::close(fd);
      fail(parent, "cannot sync the directory of the WAL", dir_error);
    }
    fd_ = fd;
  }
  if (const int error = sync_fd(fd_, true); error != 0) fail(wal_, "cannot sync the WAL", error);
}

}  // namespace workflow::detail
