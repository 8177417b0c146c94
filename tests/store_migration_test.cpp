// A store written by an earlier libworkflow (tests/data/stores/README.md) opens, migrates and
// goes on with nothing lost: every event stays byte for byte, every case reads back, the log
// verifies, and the first commit records the rule set its cases were recorded under.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "hall_state.hpp"
#include "sqlite_files.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

const char* kV2Store = WORKFLOW_TEST_DATA_DIR "/stores/ningdu-schema2.db";
const char* kV2Rules = WORKFLOW_TEST_DATA_DIR "/stores/ningdu-schema2-rules";
const char* kV4Store = WORKFLOW_TEST_DATA_DIR "/stores/ningdu-schema4.db";

// Every case row's id, last seq, snapshot and seal, as one checksum computed by SQLite.
std::int64_t cases_checksum(const fs::path& db) {
  return sql_int(db, "SELECT sum(length(id || last_seq || hex(encoded) || sealed_by) * id) FROM cases");
}

// Every event row, every column, as one count and one checksum computed by SQLite.
std::int64_t events_checksum(const fs::path& db) {
  return sql_int(db,
                 "SELECT sum(length(id || case_id || seq || kind || time || actor || office || "
                 "post || reason || detail || rules_version || hex(hash) || notify) * id) "
                 "FROM events");
}

std::unique_ptr<Engine> open_on(const fs::path& db, const RuleSet& rules, const char* now) {
  Options o;
  o.store = open_sqlite_store(db);
  return std::make_unique<Engine>(rules, shipped_calendar(),
                                  std::make_shared<ManualClock>(DateTime::parse(now)), o);
}

}  // namespace

TEST_CASE("store migration: a schema-2 store of the previous release opens with nothing lost") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV2Store, db);
  REQUIRE(sql_int(db, "PRAGMA user_version") == 2);
  const std::int64_t events = sql_int(db, "SELECT count(*) FROM events");
  const std::int64_t cases = sql_int(db, "SELECT count(*) FROM cases");
  const std::int64_t checksum = events_checksum(db);
  REQUIRE(cases == 492);

  const RuleSet rules = RuleSet::load(kV2Rules);
  {
    auto e = open_on(db, rules, "2026-03-05T08:00");
    CHECK(sql_int(db, "PRAGMA user_version") == detail::kSchemaVersion);
    const auto all = e->list();
    CHECK(all.size() == 492);
    std::set<CaseState> states;
    std::size_t history = 0;
    for (const CaseView& c : all) {
      states.insert(c.state);
      CHECK(c.rules_version == rules.version());
      history += e->get(c.id).history.size();
    }
    CHECK(history == static_cast<std::size_t>(events));
    CHECK(states.size() >= 6);  // open and concluded cases of many states
    CHECK(sql_int(db, "SELECT count(*) FROM rule_sets") == 0);  // nothing written yet
    // Schema 4 binds snapshots to the chain; the old ones wait for the first write's seal.
    const AuditResult unsealed = verify_sqlite_log(db);
    CHECK(unsealed.ok);
    CHECK(unsealed.snapshots_unsealed == 492);
    CHECK(unsealed.snapshots_checked == 0);
    // The first write records the rule set the store's cases were recorded under.
    e->submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
  }
  CHECK(sql_int(db, "SELECT count(*) FROM rule_sets") == 1);
  CHECK(sql_int(db, "SELECT count(*) FROM events WHERE id <= " + std::to_string(events)) == events);
  CHECK(sql_int(db, "SELECT sum(length(id || case_id || seq || kind || time || actor || office || "
                    "post || reason || detail || rules_version || hex(hash) || notify) * id) "
                    "FROM events WHERE id <= " + std::to_string(events)) == checksum);
  const AuditResult sealed = verify_sqlite_log(db);
  CHECK(sealed.ok);
  CHECK(sealed.snapshots_checked == 493);  // the first write sealed every old snapshot too
  CHECK(sealed.snapshots_unsealed == 0);
  {
    auto e = open_on(db, rules, "2026-03-05T09:00");
    CHECK(e->list().size() == 493);
    REQUIRE(e->installed_rules().size() == 1);
    CHECK(e->installed_rules()[0].version == rules.version());
  }
}

TEST_CASE("store migration: a schema-2 store opened with other rules says what to do") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV2Store, db);
  const Error e = error_of([&] { open_on(db, RuleSet::load(sandu_rules()), "2026-03-05T08:00"); });
  CHECK(e.code() == ErrorCode::store_error);
  CHECK(std::string(e.what()).find("written before stores kept their rule sets") !=
        std::string::npos);
  CHECK(sql_int(db, "SELECT count(*) FROM rule_sets") == 0);
  CHECK(sql_int(db, "SELECT count(*) FROM cases") == 492);
}

TEST_CASE("store migration: a schema-4 store gets its row seals with nothing lost") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV4Store, db);
  REQUIRE(sql_int(db, "PRAGMA user_version") == 4);
  const std::int64_t events = sql_int(db, "SELECT count(*) FROM events");
  const std::int64_t cases = sql_int(db, "SELECT count(*) FROM cases");
  const std::int64_t checksum = events_checksum(db), rows = cases_checksum(db);
  REQUIRE(cases == 322);
  REQUIRE(sql_int(db, "SELECT count(*) FROM cases WHERE sealed_by = 0") == 0);

  REQUIRE(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'events_sealing'") == 1);
  open_sqlite_store(db)->wait_durable(0);  // a writer migrates, and writes nothing else
  CHECK(sql_int(db, "PRAGMA user_version") == 6);
  // Version 6 dropped the sealing events' index: nothing reads it since the row seals.
  CHECK(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'events_sealing'") == 0);
  CHECK(sql_int(db, "SELECT count(*) FROM events") == events);
  CHECK(events_checksum(db) == checksum);
  CHECK(cases_checksum(db) == rows);
  CHECK(sql_int(db, "SELECT count(*) FROM cases WHERE length(seal) = 32") == cases);
  const AuditResult audit = verify_sqlite_log(db);
  CHECK(audit.ok);
  CHECK(audit.snapshots_checked == static_cast<std::uint64_t>(cases));

  // Reopening now checks the rows by their own seals: no sealing event is read.
  auto store = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false, .key_file = {}});
  std::int64_t seen = 0;
  store->for_each_case([&](const CaseSnapshot&) { ++seen; });
  CHECK(seen == cases);
  CHECK(detail::sqlite_stats(*store).sealing_events_read == 0);
}

TEST_CASE("store migration: a schema-5 store is read as it is, and a writer drops the index") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV4Store, db);
  open_sqlite_store(db)->wait_durable(0);
  // Version 5 is version 6 with the sealing events' index.
  sql(db, "CREATE INDEX events_sealing ON events (id) WHERE length(snapshots) > 0; "
          "PRAGMA user_version = 5");
  const std::int64_t checksum = events_checksum(db), rows = cases_checksum(db);
  {
    auto reader = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false, .key_file = {}});
    std::int64_t seen = 0;
    reader->for_each_case([&](const CaseSnapshot&) { ++seen; });
    CHECK(seen == 322);
  }
  CHECK(sql_int(db, "PRAGMA user_version") == 5);  // the reader changed nothing
  CHECK(verify_sqlite_log(db).ok);
  open_sqlite_store(db)->wait_durable(0);
  CHECK(sql_int(db, "PRAGMA user_version") == 6);
  CHECK(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'events_sealing'") == 0);
  CHECK(events_checksum(db) == checksum);
  CHECK(cases_checksum(db) == rows);
  CHECK(verify_sqlite_log(db).ok);
}

TEST_CASE("store migration: a tampered schema-4 snapshot is refused, not sealed anew") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV4Store, db);
  const std::int64_t victim = sql_int(db, "SELECT max(id) FROM cases");
  sql(db, "UPDATE cases SET encoded = encoded || x'00' WHERE id = " + std::to_string(victim));
  const std::string before = file_hash(db);

  const Error e = error_of([&] { open_sqlite_store(db); });
  CHECK(e.code() == ErrorCode::store_error);
  const std::string message = e.what();
  CHECK_MESSAGE(message.find("the snapshot of case " + std::to_string(victim) +
                             " does not match the digest event") != std::string::npos, message);
  // The migration's transaction is rolled back: still version 4, no seals, nothing changed.
  CHECK(sql_int(db, "PRAGMA user_version") == 4);
  CHECK(sql_int(db, "SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'seal'") == 0);
  CHECK(file_hash(db) == before);
  // The audit it advises reads a version-4 store and names the case.
  const AuditResult r = verify_sqlite_log(db);
  CHECK_FALSE(r.ok);
  CHECK(r.bad_snapshots == std::vector<CaseId>{static_cast<CaseId>(victim)});
}

// No keyed schema-4 file is kept: a keyed store of today is taken back to version 4 (its row
// seals dropped), which is exactly what a keyed version-4 store held.
TEST_CASE("store migration: a keyed schema-4 store needs its key to get its row seals") {
  TempDir dir;
  const fs::path db = dir / "hall.db", key = dir / "hall.key";
  std::ofstream(key, std::ios::binary) << std::string(32, 'k');
  {
    auto store = open_sqlite_store(db, SqliteOptions{.read_only = false, .create = true, .key_file = key});
    StoreCommit c;
    c.events.push_back(Event{1, 1, EventKind::submitted, DateTime::parse("2026-12-01T09:00"), "w1a",
                             "county", "w1", "", "", "rules-v1"});
    c.cases.push_back({1, 1, "case one, submitted"});
    store->wait_durable(store->append(std::move(c)));
  }
  sql(db, "ALTER TABLE cases DROP COLUMN seal; "
          "CREATE INDEX events_sealing ON events (id) WHERE length(snapshots) > 0; "
          "PRAGMA user_version = 4;");

  const std::string refused = error_of([&] { open_sqlite_store(db); }).what();
  CHECK_MESSAGE(refused.find("has a keyed chain (HMAC-SHA-256): give its key file") != std::string::npos,
                refused);
  CHECK(sql_int(db, "PRAGMA user_version") == 4);

  open_sqlite_store(db, SqliteOptions{.read_only = false, .create = false, .key_file = key})->wait_durable(0);
  CHECK(sql_int(db, "PRAGMA user_version") == detail::kSchemaVersion);
  // The seal is an HMAC under the key: a plain SHA-256 of the row is not it.
  const std::string store_id = [&] {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, "SELECT value FROM store_info WHERE key = 'store_id'", -1, &s,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    std::string v(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
  }();
  const auto digest = detail::snapshot_digest("case one, submitted");
  const detail::HmacSha256 hmac(std::string(32, 'k'));
  const std::string keyed_seal = detail::to_hex(detail::row_seal(store_id, 1, 1, 1, digest, &hmac));
  const std::string plain_seal = detail::to_hex(detail::row_seal(store_id, 1, 1, 1, digest, nullptr));
  CHECK(sql_int(db, "SELECT hex(seal) = upper('" + keyed_seal + "') FROM cases WHERE id = 1") == 1);
  CHECK(sql_int(db, "SELECT hex(seal) = upper('" + plain_seal + "') FROM cases WHERE id = 1") == 0);
  auto reader = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false, .key_file = key});
  std::size_t seen = 0;
  reader->for_each_case([&](const CaseSnapshot&) { ++seen; });
  CHECK(seen == 1);
  CHECK(verify_sqlite_log(db, AuditOptions{.key_file = key, .expect = {}}).ok);
}

TEST_CASE("store migration: the schema-4 store's cases, in snapshot format 7, open and go on packed") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  fs::copy_file(kV4Store, db);
  const auto count_format = [&](const char* hex) {
    return sql_int(db, std::string("SELECT count(*) FROM cases WHERE hex(substr(encoded, 1, 1)) = '") +
                           hex + "'");
  };
  REQUIRE(count_format("07") == 322);
  const std::int64_t format7_bytes = sql_int(db, "SELECT sum(length(encoded)) FROM cases");
  const RuleSet rules = RuleSet::load(ningdu_rules());
  std::string on_the_day, a_week_later;
  {
    auto engine = open_on(db, rules, "2026-12-03T09:00");
    on_the_day = everything(*engine);
    // A week of midnights turns lights: the cases they change are written again, packed.
    engine->advance_to(DateTime::parse("2026-12-10T09:00"));
    a_week_later = everything(*engine);
  }
  const std::int64_t packed = count_format("08");
  MESSAGE(packed, " of 322 cases written again; ",
          sql_int(db, "SELECT sum(length(encoded)) FROM cases"), " bytes of snapshots, ",
          format7_bytes, " before");
  CHECK(packed > 0);
  CHECK(count_format("07") == 322 - packed);
  CHECK(sql_int(db, "SELECT sum(length(encoded)) FROM cases") < format7_bytes);
  CHECK(verify_sqlite_log(db).ok);
  // Reopened, the cases of both formats read back as they were.
  auto again = open_on(db, rules, "2026-12-10T09:00");
  CHECK(everything(*again) == a_week_later);
  CHECK(on_the_day != a_week_later);
}
