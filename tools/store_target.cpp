// Opening the case store a command names: an SQLite file or a PostgreSQL partition.
#include "store_target.hpp"

#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "workflow/error.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::cli {

bool is_postgres_conninfo(std::string_view db) {
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) return true;
  // keyword=value: a keyword is lower-case letters and underscores (libpq's), then '='.
  std::size_t i = 0;
  while (i < db.size() && std::isspace(static_cast<unsigned char>(db[i]))) ++i;
  const std::size_t start = i;
  while (i < db.size() && (std::islower(static_cast<unsigned char>(db[i])) || db[i] == '_')) ++i;
  if (i == start) return false;
  while (i < db.size() && std::isspace(static_cast<unsigned char>(db[i]))) ++i;
  return i < db.size() && db[i] == '=';
}

std::string StoreTarget::label() const {
  return postgres() ? fmt::format("PostgreSQL partition '{}'", partition) : db;
}

void StoreTarget::check() const {
  if (!postgres()) {
    if (!partition.empty()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("--partition {}: {} is an SQLite file, which has no partitions "
                              "(a PostgreSQL database is named by a conninfo, "
                              "postgresql://... or \"host=... dbname=...\")",
                              partition, db));
    }
    return;
  }
#ifndef WORKFLOW_HAS_POSTGRES
  throw Error(ErrorCode::invalid_argument,
              "this build has no PostgreSQL store (configure with -DWORKFLOW_POSTGRES=ON)");
#endif
  if (partition.empty()) {
    throw Error(ErrorCode::invalid_argument,
                "a PostgreSQL database needs --partition (the hall's partition, e.g. 360730)");
  }
}

std::unique_ptr<CaseStore> StoreTarget::open_read_only() const {
  check();
#ifdef WORKFLOW_HAS_POSTGRES
  if (postgres()) {
    return open_postgres_store(db, partition, PostgresOptions{.read_only = true, .create = false});
  }
#endif
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db, ec)) {
    throw Error(ErrorCode::io_error, fmt::format("{}: no such database file", db));
  }
  return open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false});
}

AuditResult StoreTarget::verify(const AuditOptions& options) const {
  check();
#ifdef WORKFLOW_HAS_POSTGRES
  if (postgres()) return verify_postgres_log(db, partition, options);
#endif
  return verify_sqlite_log(db, options);
}

}  // namespace workflow::cli
