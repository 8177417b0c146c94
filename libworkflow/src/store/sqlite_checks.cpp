// Checks on opening a store file that SQLite itself does not make (docs/storage.md,
// "Opening"): write access before a writer opens, a write-ahead log that belongs to another
// store, and a damaged file after an unclean shutdown.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& file, std::string_view problem) {
  throw Error(ErrorCode::store_error, fmt::format("{} {}", file.string(), problem));
}

std::string single_text(sqlite3* db, const fs::path& file, std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return {};  // the table is not there (an older schema): nothing to compare
  }
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    out.assign(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
               static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
  }
  sqlite3_finalize(s);
  (void)file;
  return out;
}

}  // namespace

// access(2) answers for this process as the kernel will enforce it: for root it allows a
// mode-0444 file (root's writes succeed there too), and it refuses a read-only file system
// for everyone. So a writer is refused exactly when its first write would fail.
void check_writable(const fs::path& file, bool exists) {
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (exists && ::access(file.c_str(), W_OK) != 0) {
    fail(file, fmt::format("cannot be opened for writing: {} (open it read-only, or give the "
                           "engine's account write access to it)", std::strerror(errno)));
  }
  // SQLite creates DB-wal and DB-shm beside the file.
  if (::access(dir.c_str(), W_OK) != 0) {
    fail(file, fmt::format("cannot be opened for writing: its directory {} is not writable: {} "
                           "(SQLite keeps DB-wal and DB-shm there)", dir.string(),
                           std::strerror(errno)));
  }
}

// The file alone (immutable: the WAL ignored) names the store in store_info; every write
// transaction with events puts that id into log_head. Read through the WAL, a log_head with
// another id means the WAL's frames are another store's pages.
void check_wal_owner(const fs::path& file, sqlite3* file_only, sqlite3* with_wal) {
  const std::string own = single_text(file_only, file,
                                      "SELECT value FROM store_info WHERE key = 'store_id'");
  const std::string seen = single_text(with_wal, file, "SELECT store_id FROM log_head");
  if (!own.empty() && !seen.empty() && own != seen) {
    fail(file, fmt::format("has a write-ahead log beside it ({}-wal) that belongs to another "
                           "store (store id {}, this store is {}): move {}-wal and {}-shm away "
                           "and open it again", file.string(), seen, own, file.string(),
                           file.string()));
  }
}

void quick_check(const fs::path& file, sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, nullptr) != SQLITE_OK) {
    throw_sqlite(file, db, "cannot check the file (PRAGMA quick_check)");
  }
  std::string problems;
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const auto* line = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    const std::string text = line != nullptr ? line : "";
    if (text == "ok") continue;
    if (!problems.empty()) problems += "; ";
    problems += text;
    if (problems.size() > 300) break;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) problems = sqlite3_errmsg(db);
  if (!problems.empty()) {
    fail(file, fmt::format("is damaged (PRAGMA quick_check: {}): nothing was written; restore "
                           "it from a backup (the audit of a copy shows what is left)",
                           problems));
  }
}

}  // namespace workflow::detail
