// The audit of one partition of a PostgreSQL store: recomputes its hash chain
// (store/hash_chain.cpp) in one REPEATABLE READ snapshot, so a writer appending meanwhile
// cannot make the log look inconsistent. Same findings as verify_sqlite_log.
#include <fmt/format.h>

#include "store/hash_chain.hpp"
#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow {

AuditResult verify_postgres_log(const std::string& conninfo, const std::string& partition) {
  using detail::PgParams;
  using detail::PgResult;
  using detail::pg_bytes;
  using detail::pg_int;
  detail::PgSession s(conninfo, partition, "audit");
  s.exec("SET default_transaction_read_only = on", "opening read-only");
  PostgresOptions reader;
  reader.read_only = true;
  reader.create = false;
  detail::prepare_schema(s, reader);
  AuditResult result;
  const auto bad = [&](std::int64_t id, std::int64_t case_id, std::int64_t seq,
                       std::string problem) {
    result.ok = false;
    result.first_bad_event = static_cast<std::uint64_t>(id);
    result.first_bad_case = static_cast<CaseId>(case_id);
    result.first_bad_seq = static_cast<std::uint32_t>(seq);
    result.problem = std::move(problem);
  };
  s.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "auditing");
  detail::Sha256::Digest head{};  // hash_0: 32 zero bytes
  std::int64_t expected = 1, last_case = 0, last_seq = 0;
  // Pages of 1000 events in log order; the snapshot keeps the pages consistent.
  for (bool more = true; more && result.ok;) {
    const PgResult r = s.query(
        "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
        "rules_version, hash, notify FROM wf_events WHERE partition = $1 AND id >= $2 "
        "ORDER BY id LIMIT 1000",
        PgParams().text(partition).integer(expected), "auditing");
    const PGresult* rows = r.get();
    const int n = PQntuples(rows);
    more = n == 1000;
    for (int i = 0; i < n; ++i) {
      const std::int64_t id = pg_int(rows, i, 0);
      const std::int64_t case_id = pg_int(rows, i, 1);
      const std::int64_t seq = pg_int(rows, i, 2);
      if (id != expected) {
        bad(id, case_id, seq,
            id == expected + 1 ? fmt::format("event {} is missing before it", expected)
                               : fmt::format("events {} to {} are missing before it", expected,
                                             id - 1));
        break;
      }
      const std::string kind = pg_bytes(rows, i, 3), actor = pg_bytes(rows, i, 5),
                        office = pg_bytes(rows, i, 6), post = pg_bytes(rows, i, 7),
                        reason = pg_bytes(rows, i, 8), detail = pg_bytes(rows, i, 9),
                        rules_version = pg_bytes(rows, i, 10), notify = pg_bytes(rows, i, 12);
      const auto computed = detail::chain_hash(
          head, {id, case_id, seq, kind, pg_int(rows, i, 4), actor, office, post, reason, detail,
                 rules_version, notify});
      if (pg_bytes(rows, i, 11) != detail::digest_bytes(computed)) {
        bad(id, case_id, seq, "hash does not match its contents and its predecessor's hash");
        break;
      }
      head = computed;
      last_case = case_id;
      last_seq = seq;
      ++result.events_checked;
      ++expected;
    }
  }
  if (!result.ok) return result;

  // The head records the last event written, so deleting events at the end is seen too.
  const auto last = static_cast<std::int64_t>(result.events_checked);
  const PgResult h = s.query("SELECT last_id, hash FROM wf_log_head WHERE partition = $1",
                             PgParams().text(partition), "auditing");
  if (PQntuples(h.get()) == 0) {
    if (last > 0) bad(last, last_case, last_seq, "the log head (table wf_log_head) is missing");
    return result;
  }
  const std::int64_t head_id = pg_int(h.get(), 0, 0);
  if (head_id > last) {
    bad(last + 1, 0, 0,
        fmt::format("missing: the log ends at event {} but its head records event {}", last,
                    head_id));
  } else if (head_id < last) {
    const PgResult after = s.query(
        "SELECT case_id, seq FROM wf_events WHERE partition = $1 AND id = $2",
        PgParams().text(partition).integer(head_id + 1), "auditing");
    bad(head_id + 1, pg_int(after.get(), 0, 0), pg_int(after.get(), 0, 1),
        fmt::format("beyond the log head, which records event {}", head_id));
  } else if (pg_bytes(h.get(), 0, 1) != detail::digest_bytes(head)) {
    bad(last, last_case, last_seq, "the log head's hash does not match this event's");
  }
  s.exec("COMMIT", "auditing");
  return result;
}

}  // namespace workflow
