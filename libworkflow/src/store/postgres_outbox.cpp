// Reading the outbox of cross-county handoffs (table wf_outbox, schema version 2): what a
// receiving engine has yet to take in, and what a sender has handed over and whether it was
// taken in. Rows are written and marked by the partitions' writers (postgres_store.cpp), in
// the transactions of the commands that send and take them in.
#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace {

using detail::PgParams;
using detail::PgResult;

std::vector<Handoff> read_handoffs(const std::string& conninfo, const std::string& partition,
                                   const std::string& sql, const PgParams& params) {
  detail::PgSession s(conninfo, partition, "outbox");
  s.exec("SET default_transaction_read_only = on", "opening read-only");
  // The partition need not exist yet (its engine may never have run): handoffs wait for it.
  // A database without the outbox (no store, or one older than version 2) has none.
  const PgResult exists = s.query("SELECT (to_regclass('wf_outbox') IS NOT NULL)", {},
                                  "looking for the outbox");
  if (PQgetvalue(exists.get(), 0, 0)[0] == 0) return {};
  const PgResult r = s.query(sql, params, "reading the outbox");
  std::vector<Handoff> out;
  for (int i = 0, n = PQntuples(r.get()); i < n; ++i) {
    out.push_back(Handoff{detail::pg_bytes(r.get(), i, 0),
                          static_cast<std::uint64_t>(detail::pg_int(r.get(), i, 1)),
                          detail::pg_bytes(r.get(), i, 2), detail::pg_bytes(r.get(), i, 3),
                          static_cast<std::uint64_t>(detail::pg_int(r.get(), i, 4)),
                          static_cast<std::uint64_t>(detail::pg_int(r.get(), i, 5))});
  }
  return out;
}

constexpr const char* kColumns =
    "SELECT partition, seq, partition_to, payload, sent_position, "
    "COALESCE(received_position, 0)::bigint FROM wf_outbox ";

}  // namespace

std::vector<Handoff> postgres_pending_handoffs(const std::string& conninfo,
                                               const std::string& partition, std::size_t limit) {
  return read_handoffs(conninfo, partition,
                       std::string(kColumns) +
                           "WHERE partition_to = $1 AND received_position IS NULL "
                           "ORDER BY partition, seq LIMIT $2",
                       PgParams().text(partition).integer(static_cast<std::int64_t>(limit)));
}

std::vector<Handoff> postgres_sent_handoffs(const std::string& conninfo,
                                            const std::string& partition) {
  return read_handoffs(conninfo, partition,
                       std::string(kColumns) + "WHERE partition = $1 ORDER BY seq",
                       PgParams().text(partition));
}

}  // namespace workflow
