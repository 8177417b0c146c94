// Whole partitions of a PostgreSQL store: list them, drop one, move one onto another name
// (`workflow simulate` builds a hall in a temporary partition and moves it into place, the
// PostgreSQL counterpart of its write-then-rename). Each is one transaction that first takes
// the partitions' writer locks, so a partition an engine has open is never changed under it.
#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace {

using detail::PgParams;
using detail::PgResult;
using detail::PgSession;

// Every table keyed by partition, read from the catalogue so that tables added by later
// schema versions are included without touching this file.
std::vector<std::string> partitioned_tables(PgSession& s) {
  const PgResult r = s.query(
      "SELECT c.table_name::text FROM information_schema.columns c "
      "JOIN information_schema.tables t USING (table_schema, table_name) "
      "WHERE c.table_schema = current_schema() AND c.column_name = 'partition' "
      "AND t.table_type = 'BASE TABLE' AND c.table_name LIKE 'wf\\_%' ORDER BY 1",
      {}, "listing the store's tables");
  std::vector<std::string> out;
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(detail::pg_bytes(r.get(), i, 0));
  return out;
}

// Within a transaction: the partition's writer lock until it ends, or store_error.
void lock_for_change(PgSession& s, const std::string& partition) {
  const PgResult got = s.query("SELECT pg_try_advisory_xact_lock($1)",
                               PgParams().integer(detail::partition_lock_key(partition)),
                               "taking the partition lock");
  if (PQgetvalue(got.get(), 0, 0)[0] == 0) {
    detail::throw_pg(partition, "is open for writing by an engine; close it first");
  }
}

template <typename Body>
void in_transaction(PgSession& s, Body body) {
  s.exec("BEGIN", "changing partitions");
  try {
    body();
    s.exec("COMMIT", "changing partitions");
  } catch (...) {
    PQclear(PQexec(s.get(), "ROLLBACK"));
    throw;
  }
}

bool has_store(PgSession& s) {
  const PgResult r = s.query("SELECT (to_regclass('wf_partitions') IS NOT NULL)", {},
                             "looking for the store");
  return PQgetvalue(r.get(), 0, 0)[0] != 0;
}

void check_name(const std::string& partition) {
  if (partition.empty() || partition.find('\0') != std::string::npos) {
    throw Error(ErrorCode::invalid_argument, "a PostgreSQL partition needs a name (no NUL)");
  }
}

}  // namespace

std::vector<std::string> postgres_partitions(const std::string& conninfo) {
  PgSession s(conninfo, "*", "partitions");
  std::vector<std::string> out;
  if (!has_store(s)) return out;
  const PgResult r = s.query("SELECT partition FROM wf_partitions ORDER BY partition", {},
                             "listing partitions");
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) out.push_back(detail::pg_bytes(r.get(), i, 0));
  return out;
}

void drop_postgres_partition(const std::string& conninfo, const std::string& partition) {
  check_name(partition);
  PgSession s(conninfo, partition, "drop");
  if (!has_store(s)) return;
  in_transaction(s, [&] {
    lock_for_change(s, partition);
    for (const std::string& table : partitioned_tables(s)) {
      s.query(fmt::format("DELETE FROM {} WHERE partition = $1", table),
              PgParams().text(partition), "dropping the partition");
    }
  });
}

void move_postgres_partition(const std::string& conninfo, const std::string& from,
                             const std::string& to) {
  check_name(from);
  check_name(to);
  if (from == to) return;
  PgSession s(conninfo, from, "move");
  if (!has_store(s)) detail::throw_pg(from, "the database holds no libworkflow case store");
  in_transaction(s, [&] {
    lock_for_change(s, from);
    lock_for_change(s, to);
    const PgResult known = s.query("SELECT 1::bigint FROM wf_partitions WHERE partition = $1",
                                   PgParams().text(from), "looking up the partition");
    if (PQntuples(known.get()) == 0) detail::throw_pg(from, "no such partition in this database");
    const std::vector<std::string> tables = partitioned_tables(s);
    for (const std::string& table : tables) {
      s.query(fmt::format("DELETE FROM {} WHERE partition = $1", table), PgParams().text(to),
              "replacing the partition");
    }
    // The hash chain does not include the partition's name: the moved log still verifies.
    for (const std::string& table : tables) {
      s.query(fmt::format("UPDATE {} SET partition = $2 WHERE partition = $1", table),
              PgParams().text(from).text(to), "moving the partition");
    }
  });
}

}  // namespace workflow
