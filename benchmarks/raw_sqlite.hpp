// The raw SQLite baselines' few helpers: a connection and a prepared statement that throw
// with SQLite's message, as the baselines have no store to report through.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace bench {
struct EventRow;
}

namespace bench::raw {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::filesystem::path& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("{}: {}", path.string(), sqlite3_errmsg(db)));
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() { sqlite3_close_v2(db); }
  void exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(fmt::format("{}: {}", sql, msg));
    }
  }
};

struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(const Db& db, const char* sql) {
    if (sqlite3_prepare_v2(db.db, sql, -1, &s, nullptr) != SQLITE_OK)
      throw std::runtime_error(fmt::format("prepare {}: {}", sql, sqlite3_errmsg(db.db)));
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s); }
  std::string col(int i) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
  }
  // Runs a statement that returns no row, then resets it.
  void run(const Db& db, const char* what) {
    if (sqlite3_step(s) != SQLITE_DONE)
      throw std::runtime_error(fmt::format("{}: {}", what, sqlite3_errmsg(db.db)));
    sqlite3_reset(s);
  }
};

inline void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
inline void bind_blob(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// Binds an event row's 13 columns of version 2 (id ... notify) as parameters 1-13 of an
// INSERT listing them in that order (baselines.cpp).
void bind_event_row(sqlite3_stmt* s, const EventRow& r);

}  // namespace bench::raw
