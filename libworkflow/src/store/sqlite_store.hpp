// Private parts of the SQLite case store (sqlite_store.cpp, sqlite_schema.cpp,
// sqlite_audit.cpp), and what its tests look into. See docs/storage.md.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include <sqlite3.h>

#include "store/hash_chain.hpp"
#include "store/seal_check.hpp"
#include "support/sha256.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// The schema version this library writes (PRAGMA user_version), and the PRAGMA
// application_id that marks a file as ours ("WFLW"), so a foreign database is refused.
inline constexpr int kSchemaVersion = 6;
// The oldest version a read-only opener reads as it is: version 6 only dropped an index, so
// a report or a replica on a version-5 file needs no writer to migrate it first.
inline constexpr int kOldestReadableSchema = 5;
inline constexpr std::int32_t kApplicationId = 0x57464C57;

// One forward migration: run `sql` on a database at version to_version - 1.
struct Migration {
  int to_version;
  const char* sql;
  // Run after `sql`, in the same transaction, for a step SQL alone cannot do (version 5:
  // writing the row seals); `key` is the chain's key if one was given. Null: none.
  void (*code)(sqlite3* db, const std::filesystem::path& file, const HmacSha256* key) = nullptr;
};
// Every migration, in version order (to_version 1, 2, ...). Tests check it is contiguous.
std::span<const Migration> schema_migrations() noexcept;

// Throws Error(store_error) "FILE: WHAT: <sqlite3_errmsg>".
[[noreturn]] void throw_sqlite(const std::filesystem::path& file, sqlite3* db,
                               std::string_view what);

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

// A prepared statement, prepared once and reused (reset after every use).
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, const std::filesystem::path& file, std::string_view sql);
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), file_(std::move(other.file_)) {}
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
  // Text and blobs are bound SQLITE_TRANSIENT: SQLite copies them, callers keep nothing alive.
  void bind_text(int i, std::string_view s) {
    check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
  }
  void bind_blob(int i, std::string_view s) {
    check(sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
  }
  // The same without the copy, for the writer's hot path: the bytes must stay alive and
  // unchanged until the statement is reset (step() resets it when done, or on an error).
  // A copy per string was a malloc, a memcpy and a free on the serial writer thread.
  void bind_text_static(int i, std::string_view s) {
    check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
  }
  void bind_blob_static(int i, std::string_view s) {
    check(sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
  }
  // True while there is a row; throws on an error. Resets the statement when done.
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  void reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  // Column text or blob bytes, exactly as stored (embedded NULs kept).
  std::string text(int col) const;
  std::string blob(int col) const;
  // The same bytes without a copy: valid until the next step or reset.
  std::string_view view(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p == nullptr ? std::string_view() : std::string_view(p, sqlite3_column_bytes(stmt_, col));
  }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  void check(int rc);
  sqlite3_stmt* stmt_ = nullptr;
  std::filesystem::path file_;
};

// Resets a statement on scope exit, so an exception mid-step leaves it reusable.
struct ResetOnExit {
  Statement& s;
  ~ResetOnExit() { s.reset(); }
};

// A read transaction on a connection for the scope (BEGIN, then COMMIT on exit): the reads in
// it see one committed state.
// Inside a transaction already open on the connection (a read-only store's for_each_case
// holds one across its pages) it joins that one instead of beginning another.
class ReadTransaction {
 public:
  ReadTransaction(sqlite3* db, const std::filesystem::path& file)
      : db_(db), owns_(sqlite3_get_autocommit(db) != 0) {
    if (owns_ && sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
      throw_sqlite(file, db_, "cannot begin a read transaction");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction() {
    if (owns_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool owns_;
};

// The process-wide hold on a store file. Closing any descriptor of a file drops every POSIX
// lock this process holds on it (SQLite's too), so descriptors of open stores are shared
// per inode and closed only when the last store on the file is gone. A writer also takes
// flock(LOCK_EX|LOCK_NB) on it: one writer per file, across processes.
class FileGuard {
 public:
  FileGuard() = default;
  // Opens (creating an empty file if `create`) and registers `path`; `writer` takes the lock
  // and throws "FILE is already open for writing by another engine (pid P)" if it is taken.
  FileGuard(const std::filesystem::path& path, bool writer, bool create);
  FileGuard(FileGuard&& other) noexcept;
  FileGuard& operator=(FileGuard&& other) noexcept;
  ~FileGuard();
  int fd() const noexcept { return fd_; }

 private:
  void release() noexcept;
  int fd_ = -1;
  std::uint64_t dev_ = 0;
  std::uint64_t ino_ = 0;
  bool writer_ = false;
};

// A store file opened after every check that must come before a write (docs/storage.md,
// "Opening"): the header, the schema version and application id, the writer lock. For a
// writer the schema is created or migrated; `db` is read-write, else read-only.
struct OpenedFile {
  FileGuard guard;
  DbHandle db;
};
// A reader accepts versions from `oldest` on: the audit reads a version-4 store too (a
// store whose migration to 5 was refused must still be auditable).
OpenedFile open_store_file(const std::filesystem::path& path, const SqliteOptions& options,
                           std::int64_t oldest = kOldestReadableSchema);
// sqlite_checks.cpp. Each throws Error(store_error) beginning with the path, with advice.
// A writer's file (if it exists) and its directory must be writable by this process.
void check_writable(const std::filesystem::path& file, bool exists);
// A -wal beside the file must be this store's: compares store_info (read from `file_only`,
// a connection that ignores the WAL) with log_head.store_id read through the WAL.
void check_wal_owner(const std::filesystem::path& file, sqlite3* file_only, sqlite3* with_wal);
// PRAGMA quick_check must say ok.
void quick_check(const std::filesystem::path& file, sqlite3* db);

// store_info's value for `key`, or empty.
std::string store_info(sqlite3* db, const std::filesystem::path& file, std::string_view key);
// Another read-only connection on a file open_store_file accepted.
DbHandle open_read_connection(const std::filesystem::path& path);

// sqlite_seals.cpp. The reopening check (store/seal_check.hpp) reading the sealing events
// through its own statements on `reader`; used under the store's read lock.
SealCheck sqlite_seal_check(sqlite3* reader, const std::filesystem::path& path, bool keyed,
                            const HmacSha256* key);
// A keyed store needs its key (the right one: its last event must hash under it); an
// unkeyed store takes a key only while its log is empty, and is then marked keyed.
void check_chain_key(sqlite3* writer, const std::filesystem::path& path, std::int64_t last_id,
                     bool& keyed, const HmacSha256* key);

// One page of `cases` rows after id `after`, in id order, read by `rows`: a statement
// "SELECT id, last_seq, encoded, sealed_by[, seal] FROM cases WHERE id > ? ORDER BY id
// LIMIT n" (with the seal column if `with_seals`). Reopening and the migration to schema 5
// read the table this way. Empty past the last row.
struct CaseRows {
  std::vector<CaseSnapshot> snapshots;
  std::vector<std::int64_t> sealed_by;
  std::vector<std::string> seals;  // empty unless with_seals
};
CaseRows read_case_rows(Statement& rows, std::int64_t after, bool with_seals);

// SQL for the last sealing event (a row if the log has any): searched from the end, where
// every store written since version 4 has one a few events back. No index names them since
// version 6; a store never written since its migration from version 3 or older has none
// and this reads its whole log once, when a reopening meets an unsealed row.
inline constexpr const char* kLastSealingEventSql =
    "SELECT id FROM events WHERE length(snapshots) > 0 ORDER BY id DESC LIMIT 1";

// SQL for the last log position: the head's, or the last event's if that is further on (as a
// writer continues after a crash between the two).
inline constexpr const char* kLastLogPositionSql =
    "SELECT max(COALESCE((SELECT last_id FROM log_head), 0), "
    "(SELECT COALESCE(MAX(id), 0) FROM events))";

// Schema 5: the reopening check of each case row on its own (docs/storage.md, "Row seals"):
// the row's seal must be the one row_seal() computes from the row, the store id and the key,
// and the event it names must not lie beyond the end of the log. A row with sealed_by 0
// passes only while no event of the log has sealed anything (a store migrated from schema 3
// and not written since). No event is read. Refuses with Error(store_error) in SealCheck's
// words. Not thread-safe: the store uses it under its read lock.
class RowSealCheck {
 public:
  RowSealCheck(sqlite3* reader, const std::filesystem::path& path, std::string store_id,
               const HmacSha256* key);
  // One page of rows in id order: snapshot, sealed_by and seal of each.
  void check(std::span<const CaseSnapshot> page, std::span<const std::int64_t> sealed_by,
             std::span<const std::string> seals);

 private:
  [[noreturn]] void refuse(const CaseSnapshot& s, std::string_view why) const;
  std::filesystem::path path_;
  std::string store_id_;
  const HmacSha256* key_;
  Statement last_id_, any_sealed_;
  int any_sealed_known_ = -1;  // -1: not asked yet
};

// Migration 4 -> 5, inside its transaction on the writer's connection: every row checked
// once the old way (SealCheck against its sealing event), then its row seal written; a row
// that fails is refused and nothing is migrated. Needs the key of a keyed store.
void seal_rows_v5(sqlite3* writer, const std::filesystem::path& path, const HmacSha256* key);

// sqlite_checkpoint.cpp. A writer's WAL checkpoints, outside its commits: a thread with its
// own connection checkpoints (PASSIVE) once a commit leaves the WAL at kCheckpointPages or
// more, at most once per kCheckpointPause; after it checkpointed a WAL of kRestartPages or
// more, the next commit checkpoints the few frames left, so that the WAL starts over; at
// kWalLimitPages the committing thread checkpoints whatever is left, which bounds the WAL.
// Must be destroyed before the writer connection it hooks. Thread-safe: the hook may run on
// any thread that commits on `writer` (one at a time, as SQLite requires).
inline constexpr int kCheckpointPages = 1000;   // SQLite's own default (4 MB of 4 KiB pages)
inline constexpr int kRestartPages = 4000;      // 16 MB: the committing thread restarts it
inline constexpr int kWalLimitPages = 16000;    // 64 MB of 4 KiB pages
inline constexpr std::chrono::milliseconds kCheckpointPause{100};  // between two checkpoints
class WalCheckpointer {
 public:
  WalCheckpointer(sqlite3* writer, const std::filesystem::path& path);
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  ~WalCheckpointer();
  std::uint64_t checkpoints() const noexcept { return checkpoints_.load(); }
  std::uint64_t inline_checkpoints() const noexcept { return inline_checkpoints_.load(); }

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();
  DbHandle db_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool wanted_ = false, stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0}, inline_checkpoints_{0};
  std::atomic<bool> restart_due_{false};  // the thread just checkpointed a long WAL
  std::thread thread_;
};

// What tests measure: commits written and the transactions that wrote them.
struct SqliteStats {
  std::uint64_t commits = 0;
  std::uint64_t transactions = 0;
  std::uint64_t sealing_events_read = 0;  // by reopening checks (SealCheck::events_read)
  std::uint64_t checkpoints = 0;         // by the checkpoint thread
  // By a committing thread: to start a long WAL over right after the thread's checkpoint,
  // or with the WAL at its limit.
  std::uint64_t inline_checkpoints = 0;
  // Snapshots not written because a later commit of the same transaction rewrote the case.
  std::uint64_t snapshots_superseded = 0;
  // Syncs of the WAL by the store (synchronous FULL; 0 with NORMAL): each covers every
  // transaction written before it began, so there are at most as many as transactions.
  std::uint64_t syncs = 0;
};
// Throws Error(invalid_argument) if `store` is not an SQLite store.
SqliteStats sqlite_stats(const CaseStore& store);

}  // namespace workflow::detail
