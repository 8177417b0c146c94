// The audit of one partition of a PostgreSQL store, in one REPEATABLE READ snapshot (a writer
// appending meanwhile cannot make the log look inconsistent): the rows are read here, the
// findings are the shared walk's (audit_findings.cpp), the same as verify_sqlite_log's.
#include <fmt/format.h>

#include "store/audit_findings.hpp"
#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow {

AuditResult verify_postgres_log(const std::string& conninfo, const std::string& partition,
                                const AuditOptions& options) {
  using detail::PgParams;
  using detail::PgResult;
  using detail::pg_int;
  using detail::pg_view;
  detail::PgSession s(conninfo, partition, "audit");
  s.exec("SET default_transaction_read_only = on", "opening read-only");
  PostgresOptions reader;
  reader.read_only = true;
  reader.create = false;
  detail::prepare_schema(s, reader);
  s.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "auditing");
  detail::AuditWalk walk(fmt::format("PostgreSQL partition '{}'", partition),
                         detail::postgres_chain_keyed(s), options);
  // Pages of 1000 events in log order; the snapshot keeps the pages consistent.
  std::int64_t next = 1;
  for (bool more = true; more && walk.result().ok;) {
    const PgResult r = s.query(
        "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
        "rules_version, hash, notify, snapshots FROM wf_events WHERE partition = $1 AND "
        "id >= $2 ORDER BY id LIMIT 1000",
        PgParams().text(partition).integer(next), "auditing");
    const PGresult* rows = r.get();
    const int n = PQntuples(rows);
    more = n == 1000;
    for (int i = 0; i < n; ++i) {
      const detail::ChainedEvent e{pg_int(rows, i, 0), pg_int(rows, i, 1), pg_int(rows, i, 2),
                                   pg_view(rows, i, 3), pg_int(rows, i, 4), pg_view(rows, i, 5),
                                   pg_view(rows, i, 6), pg_view(rows, i, 7), pg_view(rows, i, 8),
                                   pg_view(rows, i, 9), pg_view(rows, i, 10),
                                   pg_view(rows, i, 12), pg_view(rows, i, 13)};
      if (!walk.event(e, pg_view(rows, i, 11))) break;
      next = e.id + 1;
    }
  }
  if (!walk.result().ok) return walk.take();

  // The head records the last event written, so deleting events at the end is seen too.
  const PgResult h = s.query("SELECT last_id, hash FROM wf_log_head WHERE partition = $1",
                             PgParams().text(partition), "auditing");
  std::optional<std::pair<std::int64_t, std::string>> head;
  if (PQntuples(h.get()) > 0) head.emplace(pg_int(h.get(), 0, 0), std::string(pg_view(h.get(), 0, 1)));
  walk.head(head, [&](std::int64_t id) {
    const PgResult after = s.query(
        "SELECT case_id, seq FROM wf_events WHERE partition = $1 AND id = $2",
        PgParams().text(partition).integer(id), "auditing");
    std::pair<std::int64_t, std::int64_t> at{0, 0};
    if (PQntuples(after.get()) > 0) at = {pg_int(after.get(), 0, 0), pg_int(after.get(), 0, 1)};
    return at;
  });
  if (!walk.result().ok) return walk.take();

  for (std::int64_t after = 0;;) {
    const PgResult r = s.query(
        "SELECT id, last_seq, encoded FROM wf_cases WHERE partition = $1 AND id > $2 "
        "ORDER BY id LIMIT 1000",
        PgParams().text(partition).integer(after), "auditing");
    const int n = PQntuples(r.get());
    for (int i = 0; i < n; ++i) {
      after = pg_int(r.get(), i, 0);
      walk.snapshot(after, pg_int(r.get(), i, 1), pg_view(r.get(), i, 2));
    }
    if (n < 1000) break;
  }
  walk.snapshots_done();
  s.exec("COMMIT", "auditing");
  return walk.take();
}

}  // namespace workflow
