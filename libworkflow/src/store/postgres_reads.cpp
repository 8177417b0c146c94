// The PostgreSQL store's reads of the event log (postgres_store.cpp calls them under its
// read lock): a case's history and the change feed with its chain head.
#include <algorithm>

#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

// One event from a row whose columns from `first` on are case_id, seq, kind, time, actor,
// office, post, reason, detail, rules_version, notify (history and the change feed).
Event postgres_read_event(const PGresult* rows, int i, int first, const std::string& partition) {
  Event e;
  e.case_id = static_cast<CaseId>(pg_int(rows, i, first));
  e.seq = static_cast<std::uint32_t>(pg_int(rows, i, first + 1));
  const std::string kind = pg_bytes(rows, i, first + 2);
  const auto parsed = parse_event_kind(kind);
  if (!parsed) {
    throw_pg(partition, fmt::format("has an event of unknown kind '{}' (case {} seq {})", kind,
                                     e.case_id, e.seq));
  }
  e.kind = *parsed;
  e.time = DateTime::from_seconds(pg_int(rows, i, first + 3));
  e.actor = pg_bytes(rows, i, first + 4);
  e.office = pg_bytes(rows, i, first + 5);
  e.post = pg_bytes(rows, i, first + 6);
  e.reason = pg_bytes(rows, i, first + 7);
  e.detail = pg_bytes(rows, i, first + 8);
  e.rules_version = pg_bytes(rows, i, first + 9);
  e.notify = pg_bytes(rows, i, first + 10);
  return e;
}

// The change feed: events in log order with their positions and the chain head (see
// store.hpp). The last position is read first and bounds the batch, so the head and the
// events agree even while the writer appends.
LogBatch postgres_events_after(PgSession& reader, std::uint64_t position, std::size_t limit) {
  const std::string& partition = reader.partition();
  LogBatch batch;
  {
    const PgResult r = reader.run("last_position", PgParams().text(partition),
                                    "reading the log's last position");
    batch.last_position = static_cast<std::uint64_t>(pg_int(r.get(), 0, 0));
  }
  if (position > batch.last_position) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("PostgreSQL partition '{}': log position {} is beyond the last one "
                            "({})", partition, position, batch.last_position));
  }
  batch.head_position = position;
  std::string head(32, '\0');
  if (position > 0) {
    const PgResult r = reader.run(
        "hash_at", PgParams().text(partition).integer(static_cast<std::int64_t>(position)),
        "reading the chain head");
    if (PQntuples(r.get()) == 1) head = pg_bytes(r.get(), 0, 0);
  }
  const std::int64_t bound = static_cast<std::int64_t>(
      std::min<std::uint64_t>(limit, batch.last_position - position));
  const PgResult r = reader.run(
      "events_after",
      PgParams().text(partition).integer(static_cast<std::int64_t>(position)).integer(bound),
      "reading the change feed");
  const PGresult* rows = r.get();
  for (int i = 0, n = PQntuples(rows); i < n; ++i) {
    const auto p = static_cast<std::uint64_t>(pg_int(rows, i, 0));
    batch.events.push_back({p, postgres_read_event(rows, i, 1, partition), pg_bytes(rows, i, 13)});
    head = pg_bytes(rows, i, 12);
    batch.head_position = p;
  }
  Sha256::Digest digest{};
  std::copy_n(head.begin(), std::min(head.size(), digest.size()), digest.begin());
  batch.head_hash = to_hex(digest);
  return batch;
}

std::vector<Event> postgres_history(PgSession& reader, CaseId id) {
  const std::string& partition = reader.partition();
  const PgResult r = reader.run(
      "history", PgParams().text(partition).integer(static_cast<std::int64_t>(id)),
      "reading a case's history");
  const PGresult* rows = r.get();
  std::vector<Event> events;
  for (int i = 0, n = PQntuples(rows); i < n; ++i) events.push_back(postgres_read_event(rows, i, 0, partition));
  return events;
}

}  // namespace workflow::detail
