// Opening a store file safely: every check that must come before a write, then the schema
// (created at version 1, later versions by forward migrations). See docs/storage.md.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace fs = std::filesystem;
namespace {

// Version 1: the event log with its hash chain and head, snapshots, engine state, requests.
// A later version appends {2, "ALTER TABLE ...; ..."}; never edit a published step.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,   -- log position: 1, 2, ... without gaps
  case_id       INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  kind          TEXT    NOT NULL,      -- canonical EventKind name
  time          INTEGER NOT NULL,      -- DateTime seconds (hall-local)
  actor         TEXT    NOT NULL,
  office        TEXT    NOT NULL,
  post          TEXT    NOT NULL,
  reason        TEXT    NOT NULL,
  detail        TEXT    NOT NULL,
  rules_version TEXT    NOT NULL,
  hash          BLOB    NOT NULL,      -- SHA-256 chained to the previous event
  UNIQUE (case_id, seq)
);
CREATE TABLE log_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id   INTEGER NOT NULL,
  hash      BLOB    NOT NULL
);
CREATE TABLE cases (
  id       INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  encoded  BLOB    NOT NULL
);
CREATE TABLE engine (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
CREATE TABLE requests (
  request_id  TEXT PRIMARY KEY,
  fingerprint TEXT    NOT NULL,
  case_id     INTEGER NOT NULL
);
PRAGMA application_id = 1464224855;
)sql"},
    // Version 2: the village agent an event is news for (帮办代办). Hashed only when set,
    // so every version-1 event keeps its hash.
    {2, R"sql(
ALTER TABLE events ADD COLUMN notify TEXT NOT NULL DEFAULT '';
)sql"},
    // Version 3: every rule set the cases have run under, with its files. Installs are
    // also events (case 0) in the hash chain, naming the version: the files are bound to the
    // chain by their hash, which the engine checks when it reads them.
    {3, R"sql(
CREATE TABLE rule_sets (
  position     INTEGER PRIMARY KEY,  -- install order: 1, 2, ...
  version      TEXT    NOT NULL,     -- SHA-256 over the files (RuleSet::version)
  installed_at INTEGER NOT NULL,     -- DateTime seconds (hall-local)
  installed_by TEXT    NOT NULL,
  files        BLOB    NOT NULL      -- per file: name NUL length NUL bytes
);
)sql"},
    // Version 4: snapshots are bound to the hash chain (the last event of each transaction
    // lists the digests of the snapshots it wrote; cases.sealed_by names that event), and
    // the store knows itself: its id (checked against a -wal beside it) and its chain's kind.
    {4, R"sql(
ALTER TABLE events ADD COLUMN snapshots BLOB NOT NULL DEFAULT x'';
ALTER TABLE cases ADD COLUMN sealed_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE log_head ADD COLUMN store_id TEXT NOT NULL DEFAULT '';
CREATE INDEX events_sealing ON events (id) WHERE length(snapshots) > 0;
CREATE INDEX cases_unsealed ON cases (id) WHERE sealed_by = 0;
CREATE TABLE store_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO store_info (key, value) VALUES ('store_id', lower(hex(randomblob(16)))),
                                           ('chain', 'sha256');
)sql"},
    // Version 5: every case row carries its own seal (a MAC of the row under the chain's key,
    // SHA-256 unkeyed), so reopening checks rows without reading events. seal_rows_v5 checks
    // every row against its sealing event once, the old way, before it seals it.
    {5, R"sql(
ALTER TABLE cases ADD COLUMN seal BLOB NOT NULL DEFAULT x'';
)sql", seal_rows_v5},
    // Version 6: no index of the sealing events. Since the row seals of version 5 nothing
    // looks a sealing event up by it (the one reader left asks whether any exists and
    // searches from the end, where a written store has one: kLastSealingEventSql), and it
    // cost every commit a B-tree entry on the serial writer.
    {6, R"sql(
DROP INDEX IF EXISTS events_sealing;
)sql"},
};
static_assert(kMigrations[std::size(kMigrations) - 1].to_version == kSchemaVersion);

[[noreturn]] void fail(const fs::path& file, std::string_view problem) {
  throw Error(ErrorCode::store_error, fmt::format("{} {}", file.string(), problem));
}

// ---- the process-wide registry of store files (see FileGuard) ----
struct Registered {
  int fd = -1;
  int users = 0;
  bool writer = false;
};
std::mutex registry_mutex;
std::map<std::pair<std::uint64_t, std::uint64_t>, Registered> registry;

// The pid holding a flock on the inode, from /proc/locks ("1: FLOCK ADVISORY WRITE pid
// MAJ:MIN:INODE 0 EOF"); 0 if it cannot be told (another kernel, a container's view).
long flock_holder(dev_t dev, ino_t ino) {
  const std::string id = fmt::format("{:02x}:{:02x}:{}", major(dev), minor(dev), ino);
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    std::istringstream in(line);
    std::string n, type, advisory, mode, where;
    long pid = 0;
    if (in >> n >> type >> advisory >> mode >> pid >> where && type == "FLOCK" && where == id) {
      return pid;
    }
  }
  return 0;
}

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
         (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

// The first 100 bytes are SQLite's header (sqlite.org/fileformat.html). Checked by hand
// because SQLite reads lazily: it would accept a text file until the first query, and
// never notices a file cut short at a page boundary.
void check_header(const fs::path& file, int fd, std::uint64_t size) {
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL
  std::array<unsigned char, 100> h{};
  const ssize_t got = ::pread(fd, h.data(), h.size(), 0);
  if (got < 0) fail(file, fmt::format("cannot be read: {}", std::strerror(errno)));
  const bool magic = got >= 16 && std::memcmp(h.data(), kMagic, 16) == 0;
  if (!magic) fail(file, "is not an SQLite database");
  if (got < 100) {
    fail(file, fmt::format("is truncated: {} bytes, shorter than the 100-byte SQLite header", size));
  }
  std::uint32_t page_size = (std::uint32_t{h[16]} << 8) | h[17];
  if (page_size == 1) page_size = 65536;
  if (page_size < 512 || (page_size & (page_size - 1)) != 0) {
    fail(file, fmt::format("is not an SQLite database (page size {} in its header)", page_size));
  }
  // The in-header page count is valid only if the change counter matches version-valid-for;
  // with a non-empty WAL beside it the file may legitimately lag behind.
  const std::uint64_t pages = be32(&h[28]);
  std::error_code ec;
  const auto wal_size = fs::file_size(fs::path(file.string() + "-wal"), ec);
  const bool wal_empty = ec || wal_size == 0;
  if (pages > 0 && be32(&h[24]) == be32(&h[92]) && wal_empty && size < pages * page_size) {
    fail(file, fmt::format("is truncated: {} bytes, the header says {}", size, pages * page_size));
  }
}

std::string uri_of(const fs::path& file) {
  std::string uri = "file:";
  for (const unsigned char c : fs::absolute(file).string()) {
    if (std::isalnum(c) || std::strchr("/-._~", c) != nullptr) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

DbHandle open_db(const fs::path& file, int flags, const std::string& name) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) throw_sqlite(file, db.get(), "cannot be opened");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), 5000);  // a checkpoint or WAL recovery by another reader
  return db;
}

std::int64_t query_int(sqlite3* db, const fs::path& file, std::string_view sql) {
  Statement s(db, file, sql);
  const std::int64_t v = s.step() ? s.int64(0) : 0;
  s.reset();
  return v;
}

struct Probe {
  std::int64_t version = 0;
  bool empty = true;  // no schema yet: a new store
};

// Reads the schema version without writing anything. With no WAL content the file is the
// whole truth, so it is opened immutable=1: no locks, no -wal/-shm files created beside it.
// With WAL content (the last writer did not close cleanly, or is still running) the WAL must
// be this store's, and a writer first checks the file is not damaged.
Probe probe(const fs::path& file, std::uint64_t size, bool writer) {
  if (size == 0) return {};
  std::error_code ec;
  const auto wal_size = fs::file_size(fs::path(file.string() + "-wal"), ec);
  const bool immutable = ec || wal_size == 0;
  const auto file_only = [&] {
    return open_db(file, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, uri_of(file) + "?immutable=1");
  };
  DbHandle db = immutable ? file_only() : open_db(file, SQLITE_OPEN_READONLY, file.string());
  if (!immutable) {
    check_wal_owner(file, file_only().get(), db.get());
    if (writer) quick_check(file, db.get());
  }
  const std::int64_t app = query_int(db.get(), file, "PRAGMA application_id");
  const std::int64_t tables = query_int(
      db.get(), file, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  const std::int64_t version = query_int(db.get(), file, "PRAGMA user_version");
  if (app != kApplicationId && (app != 0 || tables > 0)) {
    fail(file, "is an SQLite database but not a libworkflow case store");
  }
  if (version > kSchemaVersion) {
    fail(file, fmt::format("has schema version {}, newer than this library's {}: upgrade "
                           "libworkflow", version, kSchemaVersion));
  }
  return {version, version == 0 && tables == 0};
}

void exec(sqlite3* db, const fs::path& file, const std::string& sql, std::string_view what) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw_sqlite(file, db, what);
  }
}

// Each step in its own transaction with its user_version, so an interrupted migration
// leaves the file at the last completed version.
void migrate(sqlite3* db, const fs::path& file, std::int64_t from, const HmacSha256* key) {
  for (const Migration& m : kMigrations) {
    if (m.to_version <= from) continue;
    const std::string what = fmt::format("migrating to schema version {}", m.to_version);
    exec(db, file, "BEGIN IMMEDIATE", what);
    try {
      exec(db, file, m.sql, what);
      if (m.code != nullptr) m.code(db, file, key);
      exec(db, file, fmt::format("PRAGMA user_version = {}", m.to_version), what);
      exec(db, file, "COMMIT", what);
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace

std::span<const Migration> schema_migrations() noexcept { return kMigrations; }

void throw_sqlite(const fs::path& file, sqlite3* db, std::string_view what) {
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  throw Error(ErrorCode::store_error, fmt::format("{}: {}: {}", file.string(), what, msg));
}

Statement::Statement(sqlite3* db, const std::filesystem::path& file, std::string_view sql)
    : file_(file) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    throw_sqlite(file, db, fmt::format("cannot prepare \"{}\"", sql.substr(0, 40)));
  }
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    file_ = std::move(other.file_);
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    reset();
    return false;
  }
  check(rc);
  return false;
}

void Statement::check(int rc) {
  if (rc == SQLITE_OK) return;
  sqlite3* db = sqlite3_db_handle(stmt_);
  const Error error(ErrorCode::store_error,
                    fmt::format("{}: {}: {}", file_.string(),
                                sqlite3_stmt_readonly(stmt_) ? "reading failed" : "writing failed",
                                sqlite3_errmsg(db)));
  reset();
  throw error;
}

std::string Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(stmt_, col));
}

std::string Statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(stmt_, col));
}

FileGuard::FileGuard(const fs::path& path, bool writer, bool create) {
  std::lock_guard lock(registry_mutex);
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && (errno != ENOENT || !create)) {
    fail(path, errno == ENOENT ? "does not exist"
                               : fmt::format("cannot be opened: {}", std::strerror(errno)));
  }
  if (exists && !S_ISREG(st.st_mode)) fail(path, "is not a regular file");
  const auto found = exists ? registry.find({st.st_dev, st.st_ino}) : registry.end();
  int fd = found != registry.end() ? found->second.fd : -1;
  const bool opened = fd < 0;
  if (opened) {
    // O_CLOEXEC: a child process must not inherit (and so keep) the writer's lock.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
    if (fd < 0) fail(path, fmt::format("cannot be opened: {}", std::strerror(errno)));
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);  // safe: no store of ours has this inode open
      fail(path, "is not a regular file");
    }
  }
  Registered& entry = registry[{st.st_dev, st.st_ino}];
  if (writer) {
    // Within this process the registry knows the writer; across processes flock(2) does.
    std::string refusal;
    if (entry.writer) {
      refusal = fmt::format("is already open for writing by another engine (pid {}, this "
                            "process)", ::getpid());
    } else if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const long pid = err == EWOULDBLOCK ? flock_holder(st.st_dev, st.st_ino) : 0;
      refusal = err != EWOULDBLOCK ? fmt::format("cannot be locked: {}", std::strerror(err))
                : pid > 0 ? fmt::format("is already open for writing by another engine (pid {})", pid)
                          : "is already open for writing by another engine";
    }
    if (!refusal.empty()) {
      if (opened) {
        ::close(fd);
        registry.erase({st.st_dev, st.st_ino});
      }
      fail(path, refusal);
    }
    entry.writer = true;
  }
  entry.fd = fd;
  ++entry.users;
  fd_ = fd;
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  writer_ = writer;
}

FileGuard::FileGuard(FileGuard&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), dev_(other.dev_), ino_(other.ino_),
      writer_(other.writer_) {}

FileGuard& FileGuard::operator=(FileGuard&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    dev_ = other.dev_;
    ino_ = other.ino_;
    writer_ = other.writer_;
  }
  return *this;
}

FileGuard::~FileGuard() { release(); }

// Callers close their SQLite connections first: the descriptor goes only with the last user.
void FileGuard::release() noexcept {
  if (fd_ < 0) return;
  std::lock_guard lock(registry_mutex);
  const auto it = registry.find({dev_, ino_});
  if (it != registry.end()) {
    if (writer_) {
      ::flock(fd_, LOCK_UN);
      it->second.writer = false;
    }
    if (--it->second.users == 0) {
      ::close(fd_);
      registry.erase(it);
    }
  }
  fd_ = -1;
}

OpenedFile open_store_file(const fs::path& path, const SqliteOptions& options,
                           std::int64_t oldest) {
  const bool writer = !options.read_only;
  OpenedFile out;
  out.guard = FileGuard(path, writer, writer && options.create);
  struct stat st {};
  if (::fstat(out.guard.fd(), &st) != 0) fail(path, "cannot be read");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > 0) check_header(path, out.guard.fd(), size);
  if (writer) check_writable(path, true);
  const Probe found = probe(path, size, writer);
  if (found.empty && (!writer || !options.create)) {
    fail(path, "is empty, not (yet) a libworkflow case store");
  }
  if (!writer) {
    if (found.version < oldest) {
      fail(path, fmt::format("has schema version {}, older than this library's {}: open it "
                             "for writing once to migrate it", found.version, kSchemaVersion));
    }
    out.db = open_read_connection(path);
    return out;
  }
  // Every check passed: from here on the file may be written (WAL mode rewrites the header).
  out.db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, path.string());
  Statement mode(out.db.get(), path, "PRAGMA journal_mode = WAL");
  const std::string journal = mode.step() ? mode.text(0) : "";
  mode.reset();
  if (journal != "wal") fail(path, fmt::format("cannot use WAL mode (got '{}')", journal));
  exec(out.db.get(), path,
       options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
       "setting synchronous");
  std::optional<HmacSha256> key;
  if (found.version < kSchemaVersion && !options.key_file.empty()) {
    key.emplace(read_chain_key(options.key_file));  // version 5 seals rows under it
  }
  migrate(out.db.get(), path, found.version, key ? &*key : nullptr);
  return out;
}

std::string read_chain_key(const fs::path& key_file) {
  if (key_file.empty()) return {};
  std::ifstream in(key_file, std::ios::binary);
  if (!in) {
    throw Error(ErrorCode::store_error,
                fmt::format("{}: the chain's key file cannot be read: {}", key_file.string(),
                            std::strerror(errno)));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string key = bytes.str();
  if (key.size() < 16) {
    throw Error(ErrorCode::store_error,
                fmt::format("{}: the chain's key file holds {} bytes, fewer than 16 (make one "
                            "with: head -c 32 /dev/urandom > FILE)", key_file.string(), key.size()));
  }
  return key;
}

std::string store_info(sqlite3* db, const fs::path& file, std::string_view key) {
  Statement s(db, file, "SELECT value FROM store_info WHERE key = ?");
  s.bind_text(1, key);
  std::string value = s.step() ? s.text(0) : std::string();
  s.reset();
  return value;
}

DbHandle open_read_connection(const fs::path& path) {
  return open_db(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, path.string());
}

}  // namespace workflow::detail
