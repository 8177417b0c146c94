// Where a command's case store is: an SQLite file, or a partition of a PostgreSQL database
// (a conninfo, "postgresql://..." or "host=... dbname=...", with --partition). simulate,
// report, export and audit verify take either wherever they take a database.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "workflow/store.hpp"

namespace workflow::cli {

// True for a libpq connection string: a URI (postgresql:// or postgres://) or keyword=value
// pairs ("host=/run/postgresql dbname=hall"). Anything else is an SQLite file path (a path
// whose first word looks like keyword=value can be written ./name).
bool is_postgres_conninfo(std::string_view db);

struct StoreTarget {
  std::string db;         // the file, or the conninfo
  std::string partition;  // --partition, for PostgreSQL only

  bool postgres() const { return is_postgres_conninfo(db); }
  // How messages name it: the file, or "PostgreSQL partition 'P'" (a conninfo may hold a
  // password, so it is never printed).
  std::string label() const;
  // Throws Error(invalid_argument) for --partition with a file, a conninfo without one, or a
  // conninfo in a build without the PostgreSQL store.
  void check() const;
  // Opens it for reading only (never creating or migrating anything); a missing file is
  // Error(io_error) "FILE: no such database file".
  std::unique_ptr<CaseStore> open_read_only() const;
  // Audits it (key file and anchor: SQLite only for now; on PostgreSQL they are
  // Error(invalid_argument) naming the option).
  AuditResult verify(const AuditOptions& options = {}) const;
};

}  // namespace workflow::cli
