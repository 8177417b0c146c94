// The PostgreSQL store's libpq pipeline (store/postgres_store.hpp, PgPipeline), which sends a
// group commit's statements in one round trip, and the store's write path on it: results come
// back in order, a failed statement is named and the rest of its transaction is rolled back,
// and the log-head guard still keeps a second writer's commit out. Against a real PostgreSQL
// (WORKFLOW_PG_CONNINFO; ctest's postgres.store); without one each test says so and passes.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "error_of.hpp"
#include "postgres_fixture.hpp"
#include "sqlite_files.hpp"
#include "store/postgres_store.hpp"
#include "workflow/postgres_store.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

std::int64_t count_rows(detail::PgSession& s, const std::string& table) {
  const detail::PgResult r = s.query(fmt::format("SELECT count(*) FROM {}", table), {}, "test SQL");
  return detail::pg_int(r.get(), 0, 0);
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

Event event(CaseId c, std::uint32_t seq) {
  return Event{c, seq, EventKind::accept, DateTime::from_seconds(1'796'112'000 + seq), "w1a",
               "county", "w1", "", "", "rules-v1"};
}

StoreCommit commit_of(Event e) {
  StoreCommit c;
  c.cases.push_back({e.case_id, e.seq, "snap"});
  c.events.push_back(std::move(e));
  return c;
}

}  // namespace

TEST_CASE("postgres pipeline: one sync reads every statement's result, in order") {
  REQUIRE_POSTGRES();
  detail::PgSession s(conninfo(), "pipeline", "test");
  s.prepare("twice", "SELECT ($1::bigint * 2)::bigint");
  {
    detail::PgPipeline p(s);
    for (int i = 1; i <= 3; ++i) p.send("twice", detail::PgParams().integer(i), "doubling");
    const std::vector<detail::PgResult> results = p.sync();
    REQUIRE(results.size() == 3);
    for (int i = 0; i < 3; ++i) CHECK(detail::pg_int(results[i].get(), 0, 0) == 2 * (i + 1));
    CHECK(p.sync().empty());  // nothing queued since
  }
  // Out of pipeline mode again: the session's ordinary calls work.
  s.exec("SELECT 1", "after the pipeline");
}

TEST_CASE("postgres pipeline: a failed statement is named, its transaction's rest is not applied") {
  REQUIRE_POSTGRES();
  const std::string table = fmt::format("pipeline_{}", ::getpid());
  detail::PgSession s(conninfo(), "pipeline", "test");
  s.exec(fmt::format("DROP TABLE IF EXISTS {0}; CREATE TABLE {0} (k int PRIMARY KEY)", table),
         "test SQL");
  s.prepare("put", fmt::format("INSERT INTO {} (k) VALUES ($1)", table));
  const Error e = error_of([&] {
    detail::PgPipeline p(s);
    p.send_sql("BEGIN", "beginning");
    p.send("put", detail::PgParams().integer(1), "first row");
    p.send("put", detail::PgParams().integer(1), "the duplicate row");
    p.send("put", detail::PgParams().integer(2), "third row");
    p.sync();
  });
  CHECK(e.code() == ErrorCode::store_error);
  CHECK(contains(e.what(), "the duplicate row: "));
  CHECK(contains(e.what(), "duplicate key"));
  s.exec("ROLLBACK", "rolling back");
  CHECK(count_rows(s, table) == 0);
  {
    // Queued but never synced (an exception left the sender): the destructor reads the
    // results and leaves pipeline mode, so the session can roll back.
    try {
      detail::PgPipeline p(s);
      p.send_sql("BEGIN", "beginning");
      p.send("put", detail::PgParams().integer(3), "a row");
      throw std::runtime_error("the sender failed");
    } catch (const std::runtime_error&) {
    }
    s.exec("ROLLBACK", "rolling back");
    CHECK(count_rows(s, table) == 0);
  }
  s.exec(fmt::format("DROP TABLE {}", table), "test SQL");
}

TEST_CASE("postgres store: a commit whose log head another writer moved is not committed") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("head");
  auto store = open_postgres_store(conninfo(), p);
  store->wait_durable(store->append(commit_of(event(1, 1))));
  {
    // What a second writer that slipped past the partition lock would leave behind.
    detail::PgSession admin(conninfo(), "admin", "test");
    admin.query("UPDATE wf_log_head SET last_id = last_id + 1 WHERE partition = $1",
                detail::PgParams().text(p), "test SQL");
  }
  const std::uint64_t t = store->append(commit_of(event(2, 1)));
  const Error e = error_of([&] { store->wait_durable(t); });
  CHECK(e.code() == ErrorCode::store_error);
  CHECK(contains(e.what(), "the log head moved under this writer"));
  store.reset();
  detail::PgSession check(conninfo(), "admin", "test");
  const detail::PgResult r = check.query(
      "SELECT count(*) FROM wf_events WHERE partition = $1", detail::PgParams().text(p), "test SQL");
  CHECK(detail::pg_int(r.get(), 0, 0) == 1);  // case 2's event was rolled back
}

TEST_CASE("postgres store: a group's rows go as arrays and come back byte for byte") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("arrays");
  // What an array literal must escape or could misread: quotes, backslashes, braces, commas,
  // NULL spelled out, the empty string, white space at the ends, new lines, CJK.
  const std::vector<std::string> awkward = {
      "say \"yes\"", "C:\\dir\\", "{a,b}", "NULL", "", "  padded  ", "line 1\nline 2",
      "缺 营业执照, 章程", "\\x00ff"};
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  {
    auto store = open_postgres_store(conninfo(), p);
    StoreCommit c;
    for (std::size_t i = 0; i < awkward.size(); ++i) {
      Event e = event(1, static_cast<std::uint32_t>(i + 1));
      e.reason = awkward[i];
      e.detail = awkward[awkward.size() - 1 - i];
      e.notify = awkward[i];
      c.events.push_back(std::move(e));
    }
    // The same case twice in one commit: the last snapshot is the one kept.
    c.cases.push_back({1, 1, "an older snapshot"});
    c.cases.push_back({1, static_cast<std::uint32_t>(awkward.size()), every_byte});
    store->wait_durable(store->append(std::move(c)));
  }
  auto store = open_postgres_store(conninfo(), p);
  const std::vector<Event> h = store->history(1);
  REQUIRE(h.size() == awkward.size());
  for (std::size_t i = 0; i < awkward.size(); ++i) {
    CHECK(h[i].seq == i + 1);
    CHECK(h[i].reason == awkward[i]);
    CHECK(h[i].detail == awkward[awkward.size() - 1 - i]);
    CHECK(h[i].notify == awkward[i]);
  }
  int cases = 0;
  store->for_each_case([&](const CaseSnapshot& s) {
    ++cases;
    CHECK(s.last_seq == awkward.size());
    CHECK(s.encoded == every_byte);
  });
  CHECK(cases == 1);
  CHECK(verify_postgres_log(conninfo(), p).ok);  // the hashes were stored as computed
}

// A group's seals, without a server: per commit as the SQLite store writes them, whatever
// the grouping (docs/storage.md, "Snapshots in the chain"); a case written twice keeps its
// last snapshot, sealed_by the event whose seal lists those very bytes.
TEST_CASE("postgres store: a group seals each commit's snapshots as SQLite does, the last kept") {
  const std::vector<CaseSnapshot> first = {{1, 1, "case 1 accepted"}, {2, 1, "case 2 accepted"}};
  const std::vector<CaseSnapshot> quiet = {{1, 2, "case 1 noted, no event"}};
  const std::vector<CaseSnapshot> last = {{2, 2, "case 2 reviewed"}};
  detail::PgGroupSnapshots group;
  group.stored_unsealed(3, 4, "case 3 from schema 2");
  // The first commit with an event also seals what was stored unsealed before the group.
  CHECK(group.commit(first, 2) == detail::commit_seals(first, [](const detail::UnsealedVisitor& v) {
          v(3, 4, "case 3 from schema 2");
        }));
  CHECK(group.stored_sealed_by() == 2);
  CHECK_FALSE(group.unsealed());
  CHECK(group.commit(quiet, 0).empty());
  CHECK(group.unsealed());
  // The next commit with an event lists case 1's later snapshot, the one stored.
  CHECK(group.commit(last, 3) == detail::commit_seals(last, [](const detail::UnsealedVisitor& v) {
          v(1, 2, "case 1 noted, no event");
        }));
  CHECK_FALSE(group.unsealed());
  const detail::PgParams params = group.params("p");
  const std::vector<const char*> v = params.values();
  REQUIRE(v.size() == 5);
  CHECK(std::string(v[1]) == "{1,2}");
  CHECK(std::string(v[2]) == "{2,2}");
  CHECK(std::string(v[4]) == "{3,3}");  // case 1 sealed by event 3, not by event 2
}

// The same commands through one PostgreSQL group and an SQLite file give the same chain,
// and the partition reopens (every snapshot matches its seal) with each case's last one.
TEST_CASE("postgres store: a case written twice in a group is sealed as stored, the chain as SQLite's") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("regrouped");
  TempDir dir;
  std::vector<StoreCommit> commits;
  std::uint32_t seq[4] = {0, 0, 0, 0};
  for (int i = 0; i < 60; ++i) {
    const CaseId c = static_cast<CaseId>(i % 3 + 1);
    StoreCommit commit;
    if (i % 7 != 6) commit.events.push_back(event(c, ++seq[c]));
    commit.cases.push_back({c, seq[c], fmt::format("case {} after command {}", c, i)});
    commits.push_back(std::move(commit));
  }
  auto sqlite = open_sqlite_store(dir.path / "hall.db");
  auto store = open_postgres_store(conninfo(), p);
  std::uint64_t durable = 0, written = 0;
  for (const StoreCommit& c : commits) {
    written = sqlite->append(StoreCommit(c));
    durable = store->append(StoreCommit(c));
  }
  store->wait_durable(durable);
  sqlite->wait_durable(written);
  REQUIRE(detail::postgres_stats(*store).transactions < detail::postgres_stats(*store).commits);
  const LogBatch pg = store->events_after(0, 1000);
  const LogBatch file = sqlite->events_after(0, 1000);
  CHECK(pg.head_position == file.head_position);
  CHECK(pg.head_hash == file.head_hash);
  store.reset();
  auto reopened = open_postgres_store(conninfo(), p);
  int cases = 0;
  reopened->for_each_case([&](const CaseSnapshot& s) {
    ++cases;
    CHECK(s.encoded == fmt::format("case {} after command {}", s.id, 57 + (s.id - 1)));
  });
  CHECK(cases == 3);
  CHECK(verify_postgres_log(conninfo(), p).ok);
}
