// Private parts of the PostgreSQL case store (postgres_store.cpp, postgres_schema.cpp), and
// what its tests look into. See docs/storage.md ("PostgreSQL") and docs/deployment.md.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/hash_chain.hpp"
#include "store/seal_check.hpp"
#include "workflow/postgres_store.hpp"

namespace workflow::detail {

// The schema version this library writes (table wf_schema); shared by every partition.
inline constexpr int kPgSchemaVersion = 3;

struct PgMigration {
  int to_version;
  const char* sql;
};
// Every migration, in version order (to_version 1, 2, ...).
std::span<const PgMigration> postgres_migrations() noexcept;

// Throws Error(store_error) "PostgreSQL partition 'P': PROBLEM".
[[noreturn]] void throw_pg(std::string_view partition, std::string_view problem);

struct PgResultFree {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

// Query parameters: integers and text in text format, bytea in binary format.
class PgParams {
 public:
  PgParams& integer(std::int64_t v);
  PgParams& text(std::string_view s);
  PgParams& bytes(std::string_view s);
  int size() const noexcept { return static_cast<int>(values_.size()); }
  std::vector<const char*> values() const;
  std::vector<int> lengths() const;
  const int* formats() const noexcept { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<int> formats_;
};

// Results come back in binary format: integers (int4/int8) big-endian, text and bytea raw.
std::int64_t pg_int(const PGresult* r, int row, int col);
std::string pg_bytes(const PGresult* r, int row, int col);
// The same bytes without a copy, valid while the result lives.
inline std::string_view pg_view(const PGresult* r, int row, int col) {
  return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
}

// One libpq connection, named in pg_stat_activity "libworkflow PARTITION ROLE" unless the
// conninfo names its own application_name.
class PgSession {
 public:
  PgSession(const std::string& conninfo, const std::string& partition, std::string_view role);
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;
  ~PgSession() { PQfinish(conn_); }

  // Runs SQL without parameters (may be several statements); throws on an error.
  void exec(const std::string& sql, std::string_view what);
  // Runs one statement with parameters; rows in binary format.
  PgResult query(const std::string& sql, const PgParams& params, std::string_view what);
  // Prepared statements, prepared once per session.
  void prepare(const std::string& name, const std::string& sql);
  PgResult run(const std::string& name, const PgParams& params, std::string_view what);

  const std::string& partition() const noexcept { return partition_; }
  PGconn* get() const noexcept { return conn_; }
  [[noreturn]] void fail(std::string_view what) const;

 private:
  PgResult check(PGresult* r, std::string_view what) const;
  PGconn* conn_ = nullptr;
  std::string partition_;
};

// A one-dimensional array parameter in PostgreSQL's text form ({1,2} / {"a","b"}), sent as a
// text parameter: a whole group commit's rows of one table in one statement (unnest).
class PgArray {
 public:
  PgArray& integer(std::int64_t v);
  // Refused (store_error) if it holds a NUL byte, as PgParams::text.
  PgArray& text(std::string_view s);
  PgArray& bytes(std::string_view s);  // as \x and hex digits
  std::size_t size() const noexcept { return size_; }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  void next();
  std::string body_;
  std::size_t size_ = 0;
};

// A group commit's events as one array per column, for the writer's one insert_events
// statement (postgres_statements.cpp) instead of one INSERT per event.
class PgEventRows {
 public:
  // One event, `hash` its chain hash (32 bytes).
  void add(const ChainedEvent& c, std::string_view hash);
  std::size_t size() const noexcept { return id_.size(); }
  // insert_events' parameters: the partition, then the 14 columns in the table's order
  // (the last, snapshots, is the event's seal list, c.snapshots).
  PgParams params(std::string_view partition) const;

 private:
  PgArray id_, case_id_, seq_, kind_, time_, actor_, office_, post_, reason_, detail_,
      rules_version_, hash_, notify_, snapshots_;
};

// A group commit's case snapshots for the writer's one put_cases statement, sealed per
// commit exactly as the SQLite store seals them (docs/storage.md, "Snapshots in the chain"),
// so the chain does not depend on the grouping: each commit's last event lists its own
// snapshots and those left unsealed before it; a case written twice in the group keeps only
// its last snapshot, with sealed_by the event whose seal lists those very bytes.
class PgGroupSnapshots {
 public:
  // A snapshot stored with sealed_by 0 before the group (the writer reads them first).
  void stored_unsealed(std::int64_t case_id, std::int64_t last_seq, std::string encoded);
  // One commit's snapshots, in order; `sealing` is the id of its last event (0: it has none,
  // and its snapshots wait for the next commit with an event). Returns that event's seals.
  // The snapshots must outlive this object.
  std::string commit(std::span<const CaseSnapshot> cases, std::int64_t sealing);
  // The event that sealed the snapshots stored unsealed before the group (0: none did); the
  // writer's seal_rest sets it on those rows before put_cases writes the group's own.
  std::int64_t stored_sealed_by() const noexcept { return stored_sealed_by_; }
  // Whether some snapshot is left with sealed_by 0 after the group.
  bool unsealed() const noexcept { return !unsealed_.empty(); }
  bool empty() const noexcept { return last_.empty(); }
  // put_cases' parameters: the partition, then ids, last seqs, bytes and sealed_by.
  PgParams params(std::string_view partition) const;

 private:
  struct Unsealed {
    std::int64_t last_seq = 0;
    std::string_view encoded;
  };
  struct Written {
    const CaseSnapshot* snapshot = nullptr;
    std::int64_t sealed_by = 0;
  };
  std::deque<std::string> stored_;             // the bytes of stored unsealed snapshots
  std::map<std::int64_t, Unsealed> unsealed_;  // not sealed yet, in case id order
  std::map<std::int64_t, Written> last_;       // the group's last snapshot of each case
  bool stored_pending_ = false;                // stored ones still wait for a seal
  std::int64_t stored_sealed_by_ = 0;
};

// A libpq pipeline on one session (postgres_pipeline.cpp; libpq 14 or later): statements are
// sent without waiting for their results, and sync() sends one Sync and reads every result
// in order, so a group of statements costs one round trip instead of one each. The session
// is in pipeline mode for the object's life: its exec/query/run must not be used meanwhile.
class PgPipeline {
 public:
  explicit PgPipeline(PgSession& session);
  PgPipeline(const PgPipeline&) = delete;
  PgPipeline& operator=(const PgPipeline&) = delete;
  // Reads whatever is still unread (ignoring errors: an exception is on its way), then
  // leaves pipeline mode.
  ~PgPipeline();

  // Queues the prepared statement `name` (see PgSession::prepare); rows in binary format.
  void send(const std::string& name, const PgParams& params, std::string_view what);
  // Queues SQL without parameters (one statement: BEGIN, COMMIT ...).
  void send_sql(const char* sql, std::string_view what);
  // Sends a Sync and reads the result of every statement queued since the last sync, in
  // order. Throws (store_error naming the first failed statement's `what`) after reading all.
  std::vector<PgResult> sync();

 private:
  PgSession& session_;
  std::vector<std::string> pending_;  // the `what` of each statement not read yet
};

// Opening (postgres_schema.cpp). A writer creates or migrates the schema and registers the
// partition (if options.create), a reader only checks them.
void prepare_schema(PgSession& session, const PostgresOptions& options);
// The advisory lock key of a partition: the first 8 bytes of SHA-256("libworkflow
// partition" NUL name), big-endian, as a signed 64-bit integer.
std::int64_t partition_lock_key(std::string_view partition);
// Takes the partition's session-level advisory lock on `session`, for the session's life:
// refused with the holder named, or (wait) blocks until it is free.
void lock_partition(PgSession& session, bool wait);

// Prepares the store's statements (postgres_statements.cpp): the reads on the read
// connection, the writes (events, snapshots, engine state, requests, rule sets, outbox, head)
// on the writer's.
void prepare_store_reads(PgSession& reader);
void prepare_store_writes(PgSession& writer);

// postgres_seals.cpp. Whether the partition's chain is keyed (wf_partitions.chain).
bool postgres_chain_keyed(PgSession& session);
// The reopening check (store/seal_check.hpp) reading a page's sealing events in one query on
// `reader` (prepared by prepare_store_reads); used under the store's read lock.
SealCheck postgres_seal_check(PgSession& reader, bool keyed, const HmacSha256* key);
// A keyed partition needs its key (the right one: its last event must hash under it); an
// unkeyed one takes a key only while its log is empty, and is then marked keyed.
void check_postgres_chain_key(PgSession& writer, std::int64_t last_id, bool& keyed,
                              const HmacSha256* key);

// postgres_reads.cpp, on the read connection. One event from a row whose columns from
// `first` on are case_id, seq, kind, time, actor, office, post, reason, detail,
// rules_version, notify; a case's history; the change feed (CaseStore::events_after).
Event postgres_read_event(const PGresult* rows, int row, int first, const std::string& partition);
std::vector<Event> postgres_history(PgSession& reader, CaseId id);
LogBatch postgres_events_after(PgSession& reader, std::uint64_t position, std::size_t limit);

// What tests measure: commits written and the transactions that wrote them.
struct PostgresStats {
  std::uint64_t commits = 0;
  std::uint64_t transactions = 0;
  std::uint64_t sealing_events_read = 0;  // by reopening checks (SealCheck::events_read)
};
// Throws Error(invalid_argument) if `store` is not a PostgreSQL store.
PostgresStats postgres_stats(const CaseStore& store);

}  // namespace workflow::detail
