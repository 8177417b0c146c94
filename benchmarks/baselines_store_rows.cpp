// The durable workload's second raw baseline (baselines.hpp, raw_insert_store_rows): the very
// rows the SQLite store writes per command, inserted raw. The first baseline inserts the
// events alone; the store also writes each commit's seal list, the snapshot row of every case
// the commit changed, and the log's head. The ratio of the two raw rates is what the schema
// costs, whatever the code; the store's rate over this one is how close the code comes.
#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

#include "baselines.hpp"
#include "measure.hpp"
#include "raw_sqlite.hpp"

namespace bench {
namespace {

// A seal list entry: the case id and last seq (8-byte big-endian each), then the digest.
constexpr std::size_t kSealBytes = 48;

std::int64_t be64(const std::string& s, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return static_cast<std::int64_t>(v);
}

}  // namespace

StoreRows read_store_rows(const std::filesystem::path& store) {
  raw::Db db(store, SQLITE_OPEN_READONLY);
  StoreRows out;
  {
    // Tables before their indexes; SQLite's own autoindexes have no statement.
    raw::Stmt ddl(db, "SELECT sql FROM sqlite_master WHERE tbl_name IN ('events', 'cases', "
                      "'log_head') AND sql IS NOT NULL ORDER BY type = 'index', rowid");
    while (sqlite3_step(ddl.s) == SQLITE_ROW) out.schema.push_back(ddl.col(0));
  }
  raw::Stmt id(db, "SELECT value FROM store_info WHERE key = 'store_id'");
  if (sqlite3_step(id.s) == SQLITE_ROW) out.store_id = id.col(0);
  raw::Stmt q(db, "SELECT id, last_seq, encoded, sealed_by, seal FROM cases");
  while (sqlite3_step(q.s) == SQLITE_ROW) {
    CaseRow& c = out.cases[sqlite3_column_int64(q.s, 0)];
    c.last_seq = sqlite3_column_int64(q.s, 1);
    c.encoded = q.col(2);
    c.sealed_by = sqlite3_column_int64(q.s, 3);
    c.seal = q.col(4);
  }
  return out;
}

RawRun raw_insert_store_rows(const std::filesystem::path& path, const EventLog& log,
                             const StoreRows& store, const std::vector<std::size_t>& starts,
                             bool synchronous_full) {
  using raw::bind_blob;
  using raw::bind_text;
  const std::vector<EventRow>& rows = log.rows;
  remove_db(path);
  RawRun out;
  {
    raw::Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    for (const std::string& sql : store.schema) db.exec(sql.c_str());
    // The store's own statements (sqlite_store.cpp).
    raw::Stmt event(db, "INSERT INTO events (id, case_id, seq, kind, time, actor, office, post, "
                        "reason, detail, rules_version, hash, notify, snapshots) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    raw::Stmt put_case(db, "INSERT INTO cases (id, last_seq, encoded, sealed_by, seal) VALUES "
                           "(?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET last_seq = "
                           "excluded.last_seq, encoded = excluded.encoded, sealed_by = "
                           "excluded.sealed_by, seal = excluded.seal");
    raw::Stmt head(db, "INSERT INTO log_head (singleton, last_id, hash, store_id) VALUES "
                       "(1, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET last_id = "
                       "excluded.last_id, hash = excluded.hash, store_id = excluded.store_id");
    raw::Stmt begin(db, "BEGIN IMMEDIATE"), commit(db, "COMMIT");
    Stopwatch sw;
    for (std::size_t g = 0; g < starts.size(); ++g) {
      const std::size_t end = g + 1 < starts.size() ? starts[g + 1] : rows.size();
      begin.run(db, "raw begin");
      for (std::size_t i = starts[g]; i < end; ++i) {
        const EventRow& r = rows[i];
        raw::bind_event_row(event.s, r);
        bind_blob(event.s, 14, r.snapshots);
        event.run(db, "raw event insert");
        for (std::size_t at = 0; at + kSealBytes <= r.snapshots.size(); at += kSealBytes) {
          const std::int64_t id = be64(r.snapshots, at);
          const auto c = store.cases.find(id);
          if (c == store.cases.end())
            throw std::runtime_error(fmt::format("raw store rows: case {} has no row", id));
          sqlite3_bind_int64(put_case.s, 1, id);
          sqlite3_bind_int64(put_case.s, 2, be64(r.snapshots, at + 8));
          bind_blob(put_case.s, 3, c->second.encoded);
          sqlite3_bind_int64(put_case.s, 4, r.id);
          bind_blob(put_case.s, 5, c->second.seal);
          put_case.run(db, "raw case upsert");
        }
      }
      sqlite3_bind_int64(head.s, 1, rows[end - 1].id);
      bind_blob(head.s, 2, rows[end - 1].hash);
      bind_text(head.s, 3, store.store_id);
      head.run(db, "raw head");
      commit.run(db, "raw commit");
      ++out.transactions;
    }
    out.seconds = sw.seconds();
    out.rows = rows.size();
    raw::Stmt count(db, "SELECT count(*) FROM cases");
    if (sqlite3_step(count.s) == SQLITE_ROW) out.case_rows = static_cast<std::uint64_t>(sqlite3_column_int64(count.s, 0));
  }
  remove_db(path);
  return out;
}

}  // namespace bench
