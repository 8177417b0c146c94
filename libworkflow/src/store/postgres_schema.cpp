// The PostgreSQL store's connections, schema and partition lock: libpq helpers, the schema
// (created at version 1, later versions by forward migrations, serialized between openers by
// a transaction-level advisory lock) and the one-writer-per-partition session lock.
#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "support/sha256.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// Version 1: per partition, the event log with its hash chain and head, snapshots, engine
// state, requests and rule sets: the SQLite store's schema version 3 with a partition
// column in every key. A later version appends {2, "ALTER TABLE ...; ..."}; never edit a
// published step.
constexpr PgMigration kMigrations[] = {
    {1, R"sql(
CREATE TABLE wf_partitions (
  partition  text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE wf_events (
  partition     text   NOT NULL,
  id            bigint NOT NULL,   -- log position within the partition: 1, 2, ... without gaps
  case_id       bigint NOT NULL,
  seq           bigint NOT NULL,
  kind          text   NOT NULL,   -- canonical EventKind name
  time          bigint NOT NULL,   -- DateTime seconds (hall-local)
  actor         text   NOT NULL,
  office        text   NOT NULL,
  post          text   NOT NULL,
  reason        text   NOT NULL,
  detail        text   NOT NULL,
  rules_version text   NOT NULL,
  notify        text   NOT NULL DEFAULT '',
  hash          bytea  NOT NULL,   -- SHA-256 chained to the partition's previous event
  PRIMARY KEY (partition, id),
  UNIQUE (partition, case_id, seq)
);
CREATE TABLE wf_log_head (
  partition text   PRIMARY KEY,
  last_id   bigint NOT NULL,
  hash      bytea  NOT NULL
);
CREATE TABLE wf_cases (
  partition text   NOT NULL,
  id        bigint NOT NULL,
  last_seq  bigint NOT NULL,
  encoded   bytea  NOT NULL,
  PRIMARY KEY (partition, id)
);
CREATE TABLE wf_engine (
  partition text  NOT NULL,
  key       text  NOT NULL,
  value     bytea NOT NULL,
  PRIMARY KEY (partition, key)
);
CREATE TABLE wf_requests (
  partition   text   NOT NULL,
  request_id  text   NOT NULL,
  fingerprint text   NOT NULL,
  case_id     bigint NOT NULL,
  PRIMARY KEY (partition, request_id)
);
CREATE TABLE wf_rule_sets (
  partition    text   NOT NULL,
  position     bigint NOT NULL,  -- install order within the partition: 1, 2, ...
  version      text   NOT NULL,
  installed_at bigint NOT NULL,
  installed_by text   NOT NULL,
  files        bytea  NOT NULL,  -- per file: name NUL length NUL bytes
  PRIMARY KEY (partition, position)
);
)sql"},
    // Version 2, additive: the transactional outbox of cross-county handoffs
    // (postgres_outbox.cpp, docs/deployment.md). A row is written by the sender's writer in
    // the transaction of the command that hands the case over, and marked received by the
    // receiver's writer in the transaction of the command that takes it in.
    {2, R"sql(
CREATE TABLE wf_outbox (
  partition         text   NOT NULL,  -- the sender
  seq               bigint NOT NULL,  -- 1, 2, ... per sender
  partition_to      text   NOT NULL,
  payload           bytea  NOT NULL,
  sent_position     bigint NOT NULL,  -- the sender's log position of the command's last event
  received_position bigint,           -- the receiver's, once taken in; NULL until then
  PRIMARY KEY (partition, seq)
);
CREATE INDEX wf_outbox_pending ON wf_outbox (partition_to, partition, seq)
  WHERE received_position IS NULL;
)sql"},
    // Version 3, additive: snapshots sealed in the chain, as the SQLite store's version 4
    // (docs/storage.md, "Snapshots in the chain"), and the partition's chain kind ("Keyed
    // chain"). Old events keep their hashes (an empty seal list is not hashed); old snapshots
    // stay at sealed_by 0 until the partition's next write seals them.
    {3, R"sql(
ALTER TABLE wf_events ADD COLUMN snapshots bytea NOT NULL DEFAULT '';
ALTER TABLE wf_cases ADD COLUMN sealed_by bigint NOT NULL DEFAULT 0;
ALTER TABLE wf_partitions ADD COLUMN chain text NOT NULL DEFAULT 'sha256';
CREATE INDEX wf_events_sealing ON wf_events (partition, id) WHERE length(snapshots) > 0;
CREATE INDEX wf_cases_unsealed ON wf_cases (partition, id) WHERE sealed_by = 0;
)sql"},
};
static_assert(kMigrations[std::size(kMigrations) - 1].to_version == kPgSchemaVersion);

// The transaction-level advisory lock that serializes schema creation and migration.
constexpr std::int64_t kSchemaLockKey = 0x57464C57'00000001;  // "WFLW", 1

}  // namespace

std::span<const PgMigration> postgres_migrations() noexcept { return kMigrations; }

void throw_pg(std::string_view partition, std::string_view problem) {
  throw Error(ErrorCode::store_error, fmt::format("PostgreSQL partition '{}': {}", partition, problem));
}

PgParams& PgParams::integer(std::int64_t v) {
  values_.push_back(std::to_string(v));
  formats_.push_back(0);
  return *this;
}
// Text parameters go as C strings and PostgreSQL text cannot hold NUL: refuse rather than
// store a truncated value whose hash would no longer match.
PgParams& PgParams::text(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) {
    throw Error(ErrorCode::store_error,
                "a text value contains a NUL byte, which PostgreSQL text cannot hold");
  }
  values_.emplace_back(s);
  formats_.push_back(0);
  return *this;
}
PgParams& PgParams::bytes(std::string_view s) {
  values_.emplace_back(s);
  formats_.push_back(1);
  return *this;
}
std::vector<const char*> PgParams::values() const {
  std::vector<const char*> out;
  for (const std::string& v : values_) out.push_back(v.c_str());
  return out;
}
std::vector<int> PgParams::lengths() const {
  std::vector<int> out;
  for (const std::string& v : values_) out.push_back(static_cast<int>(v.size()));
  return out;
}

std::int64_t pg_int(const PGresult* r, int row, int col) {
  const char* p = PQgetvalue(r, row, col);
  const int n = PQgetlength(r, row, col);
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  if (n == 2) return static_cast<std::int16_t>(static_cast<std::uint16_t>(v));
  return static_cast<std::int64_t>(v);
}

std::string pg_bytes(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

PgSession::PgSession(const std::string& conninfo, const std::string& partition,
                     std::string_view role)
    : partition_(partition) {
  // application_name first: a conninfo naming its own overrides it (expand_dbname).
  const std::string app = fmt::format("libworkflow {} {}", partition, role).substr(0, 63);
  const char* keys[] = {"application_name", "dbname", nullptr};
  const char* values[] = {app.c_str(), conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (conn_ == nullptr) throw_pg(partition_, "cannot connect: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    // The destructor does not run for a constructor that throws: free the connection here.
    std::string msg = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw_pg(partition_, fmt::format("cannot connect: {}", msg));
  }
  // Notices ("relation ... already exists, skipping") are not the library's to print.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

void PgSession::fail(std::string_view what) const {
  std::string msg = conn_ != nullptr ? PQerrorMessage(conn_) : "";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  throw_pg(partition_, msg.empty() ? std::string(what) : fmt::format("{}: {}", what, msg));
}

PgResult PgSession::check(PGresult* raw, std::string_view what) const {
  PgResult r(raw);
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  std::string msg = r ? PQresultErrorMessage(r.get()) : "";
  if (msg.empty()) msg = PQerrorMessage(conn_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  throw_pg(partition_, fmt::format("{}: {}", what, msg));
}

void PgSession::exec(const std::string& sql, std::string_view what) {
  check(PQexec(conn_, sql.c_str()), what);
}

PgResult PgSession::query(const std::string& sql, const PgParams& params, std::string_view what) {
  const auto values = params.values();
  const auto lengths = params.lengths();
  return check(PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(),
                            lengths.data(), params.formats(), 1),
               what);
}

void PgSession::prepare(const std::string& name, const std::string& sql) {
  check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr),
        fmt::format("cannot prepare \"{}\"", sql.substr(0, 40)));
}

PgResult PgSession::run(const std::string& name, const PgParams& params, std::string_view what) {
  const auto values = params.values();
  const auto lengths = params.lengths();
  return check(PQexecPrepared(conn_, name.c_str(), params.size(), values.data(), lengths.data(),
                              params.formats(), 1),
               what);
}

namespace {

// The schema version, or 0 if there is no wf_schema table yet.
std::int64_t schema_version(PgSession& s) {
  const PgResult exists =
      s.query("SELECT (to_regclass('wf_schema') IS NOT NULL)", {}, "reading the schema version");
  if (PQgetvalue(exists.get(), 0, 0)[0] == 0) return 0;
  const PgResult r = s.query("SELECT version::bigint FROM wf_schema", {}, "reading the schema version");
  return PQntuples(r.get()) > 0 ? pg_int(r.get(), 0, 0) : 0;
}

void check_not_newer(const PgSession& s, std::int64_t version) {
  if (version > kPgSchemaVersion) {
    throw_pg(s.partition(), fmt::format("the database has schema version {}, newer than this "
                                        "library's {}: upgrade libworkflow",
                                        version, kPgSchemaVersion));
  }
}

bool partition_exists(PgSession& s) {
  const PgResult r = s.query("SELECT 1::bigint FROM wf_partitions WHERE partition = $1",
                             PgParams().text(s.partition()), "looking up the partition");
  return PQntuples(r.get()) > 0;
}

}  // namespace

void prepare_schema(PgSession& s, const PostgresOptions& options) {
  if (options.read_only || !options.create) {
    const std::int64_t version = schema_version(s);
    if (version == 0) throw_pg(s.partition(), "the database holds no libworkflow case store");
    check_not_newer(s, version);
    if (version < kPgSchemaVersion) {
      throw_pg(s.partition(), fmt::format("the database has schema version {}, older than this "
                                          "library's {}: open it for writing once to migrate it",
                                          version, kPgSchemaVersion));
    }
    if (!partition_exists(s)) throw_pg(s.partition(), "no such partition in this database");
    return;
  }
  // Each step in its own transaction, under the schema lock, re-reading the version inside:
  // two engines opening an empty database at once create it once.
  const std::string lock = fmt::format("SELECT pg_advisory_xact_lock({})", kSchemaLockKey);
  for (const PgMigration& m : kMigrations) {
    const std::string what = fmt::format("migrating to schema version {}", m.to_version);
    s.exec("BEGIN", what);
    try {
      s.exec(lock, what);
      s.exec("CREATE TABLE IF NOT EXISTS wf_schema (singleton int PRIMARY KEY CHECK "
             "(singleton = 1), version int NOT NULL)",
             what);
      const std::int64_t version = schema_version(s);
      check_not_newer(s, version);
      if (version < m.to_version) {
        s.exec(m.sql, what);
        s.query("INSERT INTO wf_schema (singleton, version) VALUES (1, $1) ON CONFLICT "
                "(singleton) DO UPDATE SET version = excluded.version",
                PgParams().integer(m.to_version), what);
      }
      s.exec("COMMIT", what);
    } catch (...) {
      PQclear(PQexec(s.get(), "ROLLBACK"));
      throw;
    }
  }
  s.query("INSERT INTO wf_partitions (partition) VALUES ($1) ON CONFLICT DO NOTHING",
          PgParams().text(s.partition()), "registering the partition");
}

std::int64_t partition_lock_key(std::string_view partition) {
  Sha256 h;
  h.update(std::string_view("libworkflow partition\0", 22));
  h.update(partition);
  const Sha256::Digest d = h.finish();
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | d[static_cast<std::size_t>(i)];
  return static_cast<std::int64_t>(v);
}

void lock_partition(PgSession& s, bool wait) {
  const std::int64_t key = partition_lock_key(s.partition());
  if (wait) {
    // No statement_timeout for this one: a standby waits as long as the writer lives.
    s.exec("SET statement_timeout = 0", "waiting for the partition lock");
    s.query("SELECT pg_advisory_lock($1)", PgParams().integer(key), "waiting for the partition lock");
    return;
  }
  const PgResult got = s.query("SELECT pg_try_advisory_lock($1)", PgParams().integer(key),
                               "taking the partition lock");
  if (PQgetvalue(got.get(), 0, 0)[0] != 0) return;
  // pg_locks shows a bigint advisory key as classid (high half), objid (low half), objsubid 1.
  const auto u = static_cast<std::uint64_t>(key);
  const PgResult holder = s.query(
      "SELECT a.pid::bigint, coalesce(a.application_name, ''), "
      "coalesce(host(a.client_addr), 'local socket') FROM pg_locks l "
      "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
      "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1",
      PgParams().text(std::to_string(u >> 32)).text(std::to_string(u & 0xffffffffu)),
      "looking up the partition's writer");
  if (PQntuples(holder.get()) == 0) {
    throw_pg(s.partition(), "is already open for writing by another engine");
  }
  throw_pg(s.partition(),
           fmt::format("is already open for writing by another engine (server pid {}, "
                       "application_name '{}', client {})",
                       pg_int(holder.get(), 0, 0), pg_bytes(holder.get(), 0, 1),
                       pg_bytes(holder.get(), 0, 2)));
}

}  // namespace workflow::detail
