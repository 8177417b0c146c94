// A county's partition as the supervision office audits it, on PostgreSQL as on SQLite
// (store_integrity_test.cpp): snapshots sealed in the partition's chain (an edited one is
// refused on reopening and named by the audit), the keyed chain, anchors, and a schema-2
// database migrated with nothing lost. Needs WORKFLOW_PG_CONNINFO (ctest's postgres.store).
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "postgres_fixture.hpp"
#include "snapshot_bytes.hpp"
#include "store/postgres_store.hpp"
#include "workflow/engine.hpp"
#include "workflow/postgres_store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

void sql_on(const std::string& db, const std::string& statement) {
  detail::PgSession s(db, "admin", "test");
  s.exec(statement, "test SQL");
}

Options on_partition(const std::string& p, const fs::path& key = {}) {
  Options o;
  PostgresOptions pg;
  pg.key_file = key;
  o.store = open_postgres_store(conninfo(), p, pg);
  return o;
}

// Two food-licence cases: case 1 issued, case 2 at review.
void issued_hall(const std::string& p, const fs::path& key = {}) {
  Hall hall(ningdu_rules(), "2026-12-01T09:00", on_partition(p, key));
  const CaseId issued = food_case_at_review(hall);
  hall.act(issued, Verb::review_pass, "nd-s022");
  hall.act(issued, Verb::approve, "nd-s024");
  hall.act(issued, Verb::issue, "nd-s001");
  food_case_at_review(hall);
}

std::string what(const std::function<void()>& f) {
  const Error e = error_of(f);
  CHECK(e.code() == ErrorCode::store_error);
  return e.what();
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("postgres integrity: an issued case's snapshot edited is refused on reopening and named by the audit") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("seal");
  issued_hall(p);
  const AuditResult before = verify_postgres_log(conninfo(), p);
  REQUIRE(before.ok);
  CHECK(before.snapshots_checked == 2);
  // The phase byte: issued (8) becomes decided (7), as in the SQLite test.
  std::string encoded;
  open_postgres_store(conninfo(), p, PostgresOptions{.read_only = true, .create = false})
      ->for_each_case([&](const CaseSnapshot& c) {
        if (c.id == 1) encoded = c.encoded;
      });
  const std::size_t phase = phase_offset(encoded, 1);
  REQUIRE(encoded[phase] == 8);
  sql_on(conninfo(), "UPDATE wf_cases SET encoded = overlay(encoded placing '\\x07'::bytea from " +
                         std::to_string(phase + 1) + " for 1) WHERE partition = '" + p + "' AND id = 1");
  const std::string message =
      what([&] { Hall again(ningdu_rules(), "2026-12-01T10:00", on_partition(p)); });
  CHECK_MESSAGE(contains(message, "PostgreSQL partition '" + p + "': cannot be opened: the "
                                  "snapshot of case 1 does not match"), message);
  CHECK_MESSAGE(contains(message, "workflow audit verify"), message);
  const AuditResult r = verify_postgres_log(conninfo(), p);
  CHECK_FALSE(r.ok);
  REQUIRE(r.bad_snapshots == std::vector<CaseId>{1});
  CHECK(r.snapshot_problems[0] == "its snapshot does not match the digest the log records for it");

  // A seal cleared is refused too.
  const std::string q = fresh_partition("cleared");
  issued_hall(q);
  sql_on(conninfo(), "UPDATE wf_cases SET sealed_by = 0 WHERE partition = '" + q + "' AND id = 2");
  CHECK(contains(what([&] { Hall again(ningdu_rules(), "2026-12-01T10:00", on_partition(q)); }),
                 "the snapshot of case 2 is not sealed"));
}

TEST_CASE("postgres integrity: a keyed partition needs its key, and catches a rewritten log; anchors catch a cut one") {
  REQUIRE_POSTGRES();
  char dir_template[] = "/tmp/wf-pg-key-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const fs::path dir = dir_template, key = dir / "hall.key", other = dir / "other.key";
  std::ofstream(key, std::ios::binary) << std::string(32, 'k');
  std::ofstream(other, std::ios::binary) << std::string(32, 'o');
  const std::string keyed = fresh_partition("keyed"), plain = fresh_partition("plain");
  issued_hall(keyed, key);
  issued_hall(plain);

  AuditOptions with_key;
  with_key.key_file = key;
  const AuditResult ok = verify_postgres_log(conninfo(), keyed, with_key);
  CHECK(ok.ok);
  CHECK(ok.keyed);
  CHECK(contains(what([&] { verify_postgres_log(conninfo(), keyed); }), "has a keyed chain"));
  CHECK(contains(what([&] { open_postgres_store(conninfo(), keyed); }), "give its key file"));
  PostgresOptions wrong;
  wrong.key_file = other;
  CHECK(contains(what([&] { open_postgres_store(conninfo(), keyed, wrong); }), "not this partition's key"));
  PostgresOptions late;
  late.key_file = key;
  CHECK(contains(what([&] { open_postgres_store(conninfo(), plain, late); }),
                 "a key can be given only to a new partition"));
  // A plain partition audited with a key is a finding: its chain may have been replaced.
  CHECK_FALSE(verify_postgres_log(conninfo(), plain, with_key).ok);

  // An event edited (hash left alone) fails the keyed audit at that event.
  sql_on(conninfo(), "UPDATE wf_events SET reason = 'forged' WHERE partition = '" + keyed + "' AND id = 2");
  const AuditResult forged = verify_postgres_log(conninfo(), keyed, with_key);
  CHECK_FALSE(forged.ok);
  CHECK(forged.first_bad_event == 2);

  // The head as `workflow audit head` reads it, then the last two events cut and the head
  // moved back: the plain chain verifies, the anchor does not.
  const auto reader = open_postgres_store(conninfo(), plain, PostgresOptions{.read_only = true, .create = false});
  const std::uint64_t last = reader->events_after(0, 0).last_position;
  const LogBatch at = reader->events_after(last, 0);
  const std::string where = "WHERE partition = '" + plain + "'";
  sql_on(conninfo(), "DELETE FROM wf_events " + where + " AND id > " + std::to_string(last - 2) +
                         "; UPDATE wf_log_head SET last_id = " + std::to_string(last - 2) +
                         ", hash = (SELECT hash FROM wf_events " + where + " AND id = " +
                         std::to_string(last - 2) + ") " + where);
  AuditOptions anchored;
  anchored.expect = {at.head_position, at.head_hash};
  const AuditResult cut = verify_postgres_log(conninfo(), plain, anchored);
  CHECK_FALSE(cut.ok);
  CHECK(cut.first_bad_event == last);
  CHECK(contains(cut.problem, "the anchor recorded event"));
  fs::remove_all(dir);
}

TEST_CASE("postgres integrity: a schema-2 database migrates to 3 with nothing lost, and its next write seals every snapshot") {
  REQUIRE_POSTGRES();
  // A database of its own, taken back to version 2 as a library before sealing wrote it.
  const std::string name = "wf_v2_" + std::to_string(::getpid());
  sql_on(conninfo(), "DROP DATABASE IF EXISTS " + name);
  sql_on(conninfo(), "CREATE DATABASE " + name);
  const std::string db = std::string(conninfo()) + " dbname=" + name;
  open_postgres_store(db, "360730");  // the schema at the current version
  sql_on(db, "DROP INDEX wf_events_sealing; DROP INDEX wf_cases_unsealed; "
             "ALTER TABLE wf_events DROP COLUMN snapshots; ALTER TABLE wf_cases DROP COLUMN "
             "sealed_by; ALTER TABLE wf_partitions DROP COLUMN chain; UPDATE wf_schema SET version = 2");
  {
    // Version 2's rows: events chained without seals, snapshots without seal columns.
    detail::PgSession s(db, "360730", "test");
    detail::Sha256::Digest head{};
    for (std::int64_t id = 1; id <= 3; ++id) {
      const std::string detail = "n=" + std::to_string(id);
      head = detail::chain_hash(head, {id, id, 1, "submitted", 1'796'083'200 + id, "w1a", "county",
                                       "w1", "", detail, "rules-v1"});
      s.query("INSERT INTO wf_events (partition, id, case_id, seq, kind, time, actor, office, "
              "post, reason, detail, rules_version, hash) VALUES ('360730', $1, $1, 1, "
              "'submitted', $2, 'w1a', 'county', 'w1', '', $3, 'rules-v1', $4)",
              detail::PgParams().integer(id).integer(1'796'083'200 + id).text(detail)
                  .bytes(detail::digest_bytes(head)),
              "test SQL");
      s.query("INSERT INTO wf_cases (partition, id, last_seq, encoded) VALUES ('360730', $1, 1, $2)",
              detail::PgParams().integer(id).bytes("snapshot " + std::to_string(id)), "test SQL");
    }
    s.query("INSERT INTO wf_log_head (partition, last_id, hash) VALUES ('360730', 3, $1)",
            detail::PgParams().bytes(detail::digest_bytes(head)), "test SQL");
  }
  // A reader cannot migrate; a writer does, and reads every old snapshot back.
  CHECK(contains(what([&] { open_postgres_store(db, "360730", PostgresOptions{.read_only = true, .create = false}); }),
                 "older than this library's"));
  {
    auto store = open_postgres_store(db, "360730");
    std::vector<std::string> seen;
    store->for_each_case([&](const CaseSnapshot& c) { seen.push_back(c.encoded); });
    CHECK(seen == std::vector<std::string>{"snapshot 1", "snapshot 2", "snapshot 3"});
    CHECK(store->history(2).size() == 1);
    const AuditResult migrated = verify_postgres_log(db, "360730");
    CHECK(migrated.ok);
    CHECK(migrated.events_checked == 3);
    CHECK(migrated.snapshots_unsealed == 3);
    // The next write seals the three old snapshots with its own.
    StoreCommit next;
    next.events.push_back(Event{2, 2, EventKind::accept, DateTime::from_seconds(1'796'083'300),
                                "w1a", "county", "w1", "", "", "rules-v1"});
    next.cases.push_back({2, 2, "snapshot 2 accepted"});
    store->wait_durable(store->append(std::move(next)));
  }
  const AuditResult sealed = verify_postgres_log(db, "360730");
  CHECK(sealed.ok);
  CHECK(sealed.snapshots_checked == 3);
  CHECK(sealed.snapshots_unsealed == 0);
  auto again = open_postgres_store(db, "360730");
  std::size_t n = 0;
  again->for_each_case([&](const CaseSnapshot&) { ++n; });
  CHECK(n == 3);
  CHECK(detail::postgres_stats(*again).sealing_events_read == 1);
  again.reset();
  sql_on(conninfo(), "DROP DATABASE " + name);
}
