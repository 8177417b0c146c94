// workflow/postgres_store.hpp against a real PostgreSQL (never a mock): round trips, group
// commit, durability notifications, partitions with separate chains, one writer per partition
// enforced by an advisory lock, a standby taking over from a SIGKILLed writer, read-only
// opening, the audit, and an engine reopened on the store. The database comes from
// WORKFLOW_PG_CONNINFO; ctest's postgres.store starts a throwaway cluster for it
// (tests/postgres/with_cluster.sh). Without it every test here says so and passes.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include <fmt/format.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "postgres_fixture.hpp"
#include "store/postgres_store.hpp"
#include "workflow/engine.hpp"
#include "workflow/postgres_store.hpp"

using namespace workflow;
using namespace workflow::testing;
using namespace std::chrono_literals;

namespace {

// Raw SQL as an administrator would run it in psql.
void sql(const std::string& statement) {
  detail::PgSession s(conninfo(), "admin", "test");
  s.exec(statement, "test SQL");
}
std::int64_t sql_int(const std::string& query) {
  detail::PgSession s(conninfo(), "admin", "test");
  const detail::PgResult r = s.query(query, {}, "test SQL");
  return PQntuples(r.get()) > 0 ? detail::pg_int(r.get(), 0, 0) : -1;
}
std::string quoted(const std::string& s) { return "'" + s + "'"; }

Event event(CaseId c, std::uint32_t seq, EventKind kind = EventKind::accept,
            std::string reason = "") {
  return Event{c, seq, kind, DateTime::from_seconds(1'772'409'600 + seq), "w1a", "county",
               "w1", std::move(reason), "missing=营业执照; 章程", "rules-v1"};
}

StoreCommit commit_of(std::vector<Event> events) {
  StoreCommit c;
  for (const Event& e : events) c.cases.push_back({e.case_id, e.seq, "snap" + std::to_string(e.seq)});
  c.events = std::move(events);
  return c;
}

std::unique_ptr<CaseStore> open_pg(const std::string& partition, PostgresOptions options = {}) {
  return open_postgres_store(conninfo(), partition, std::move(options));
}

std::string message_of(const std::function<void()>& f) {
  const Error e = error_of(f);
  CHECK(e.code() == ErrorCode::store_error);
  return e.what();
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("postgres store: commits round-trip across close and reopen") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("roundtrip");
  const std::vector<RuleFile> files{{"a.yaml", "matters: []\n"}, {"b.yaml", std::string("x\0y", 3)}};
  {
    auto store = open_pg(p);
    StoreCommit first = commit_of({event(2, 1, EventKind::submitted), event(2, 2)});
    first.engine_state = std::string("roster\0v1", 9);
    first.request = RequestRecord{"req-1", "submit:abc", 2};
    first.rules = StoredRuleSet{"v1", files, DateTime::parse("2026-03-02T09:00"), "system"};
    store->append(std::move(first));
    StoreCommit many;  // snapshots out of id order, over more than one page of for_each_case
    for (CaseId c = 300; c >= 1; --c) many.cases.push_back({c, 1, "case " + std::to_string(c)});
    many.events.push_back(event(1, 1, EventKind::submitted, "新申请"));
    many.engine_state = "roster v2";
    many.rules = StoredRuleSet{"v2", {files[0]}, DateTime::parse("2026-03-03T09:00"), "nd-s017"};
    store->wait_durable(store->append(std::move(many)));
  }
  auto store = open_pg(p);
  const std::vector<Event> h = store->history(2);
  REQUIRE(h.size() == 2);
  CHECK(h[0].seq == 1);
  CHECK(h[0].kind == EventKind::submitted);
  CHECK(h[1].kind == EventKind::accept);
  CHECK(h[1].time == DateTime::from_seconds(1'772'409'602));
  CHECK(h[1].actor == "w1a");
  CHECK(h[1].office == "county");
  CHECK(h[1].post == "w1");
  CHECK(h[1].detail == "missing=营业执照; 章程");
  CHECK(h[1].rules_version == "rules-v1");
  CHECK(store->history(1).at(0).reason == "新申请");
  CHECK(store->history(99).empty());
  std::vector<CaseId> ids;
  store->for_each_case([&](const CaseSnapshot& s) {
    ids.push_back(s.id);
    if (s.id == 2) CHECK(s.encoded == "case 2");  // the later commit's snapshot won
  });
  REQUIRE(ids.size() == 300);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(store->engine_state() == "roster v2");
  const auto r = store->find_request("req-1");
  REQUIRE(r.has_value());
  CHECK(r->fingerprint == "submit:abc");
  CHECK(r->case_id == 2);
  CHECK_FALSE(store->find_request("req-2").has_value());
  const std::vector<StoredRuleSet> sets = store->rule_sets();
  REQUIRE(sets.size() == 2);
  CHECK(sets[0].version == "v1");
  REQUIRE(sets[0].files.size() == 2);
  CHECK(sets[0].files[1].name == "b.yaml");
  CHECK(sets[0].files[1].text == files[1].text);  // bytes exactly, embedded NUL included
  CHECK(sets[0].installed_at == DateTime::parse("2026-03-02T09:00"));
  CHECK(sets[1].version == "v2");
  CHECK(sets[1].installed_by == "nd-s017");
  CHECK_FALSE(store->read_only());
  store.reset();
  const AuditResult audit = verify_postgres_log(conninfo(), p);
  CHECK(audit.ok);
  CHECK(audit.events_checked == 3);
}

TEST_CASE("postgres store: queued commits are visible to find_request, callbacks wait for durability") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("queued");
  auto store = open_pg(p);
  store->wait_durable(store->append(commit_of({event(1, 1)})));
  // Another session locks the events table, so the writer thread cannot commit yet.
  detail::PgSession blocker(conninfo(), "admin", "blocker");
  blocker.exec("BEGIN; LOCK TABLE wf_events IN EXCLUSIVE MODE", "blocking");
  StoreCommit c = commit_of({event(1, 2)});
  c.request = RequestRecord{"req-9", "accept:1", 1};
  const std::uint64_t ticket = store->append(std::move(c));
  std::atomic<bool> called{false}, saw_event{false};
  store->on_durable(ticket, [&](std::exception_ptr e) {
    saw_event = e == nullptr && store->history(1).size() == 2;
    called = true;
  });
  std::this_thread::sleep_for(200ms);
  CHECK_FALSE(called);
  REQUIRE(store->find_request("req-9").has_value());  // queued, not durable
  CHECK(store->history(1).size() == 1);
  blocker.exec("ROLLBACK", "unblocking");
  store->wait_durable(ticket);
  for (int i = 0; i < 500 && !called; ++i) std::this_thread::sleep_for(10ms);
  CHECK(called);
  CHECK(saw_event);
  CHECK(store->find_request("req-9").has_value());  // durable now
  CHECK(error_of([&] { store->wait_durable(ticket + 5); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("postgres store: concurrent appends share transactions (group commit), the chain verifies") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("group");
  constexpr int kThreads = 8, kEach = 100;
  {
    auto store = open_pg(p);
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&store, t] {
        for (std::uint32_t s = 1; s <= kEach; ++s) {
          store->wait_durable(store->append(commit_of({event(t + 1, s)})));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const detail::PostgresStats stats = detail::postgres_stats(*store);
    CHECK(stats.commits == kThreads * kEach);
    CHECK(stats.transactions < stats.commits);
    MESSAGE(stats.commits << " commits from " << kThreads << " threads in " << stats.transactions
                          << " transactions, " << static_cast<int>(stats.commits / seconds)
                          << " commits/s");
    for (int t = 1; t <= kThreads; ++t) {
      const std::vector<Event> h = store->history(t);
      REQUIRE(h.size() == kEach);
      for (std::uint32_t s = 0; s < kEach; ++s) CHECK(h[s].seq == s + 1);
    }
  }
  CHECK(sql_int("SELECT count(*) FROM wf_events WHERE partition = " + quoted(p)) == kThreads * kEach);
  const AuditResult audit = verify_postgres_log(conninfo(), p);
  CHECK(audit.ok);
  CHECK(audit.events_checked == kThreads * kEach);
}

TEST_CASE("postgres store: closing flushes what was queued, under the session's synchronous_commit") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("flush");
  {
    PostgresOptions o;
    o.synchronous_commit = "off";
    auto store = open_pg(p, o);
    for (std::uint32_t s = 1; s <= 50; ++s) store->append(commit_of({event(7, s)}));
  }  // no wait: the destructor writes the queue before it returns
  CHECK(open_pg(p)->history(7).size() == 50);
  PostgresOptions bad;
  bad.synchronous_commit = "sometimes";
  CHECK(contains(message_of([&] { open_pg(p, bad); }), "synchronous_commit"));
}

TEST_CASE("postgres store: partitions in one database keep separate data and chains") {
  REQUIRE_POSTGRES();
  const std::string a = fresh_partition("county-a"), b = fresh_partition("county-b");
  {
    auto sa = open_pg(a);
    auto sb = open_pg(b);  // both writers at once: one lock each
    std::uint64_t ta = 0, tb = 0;
    for (std::uint32_t s = 1; s <= 5; ++s) {
      StoreCommit ca = commit_of({event(1, s, EventKind::accept, "a")});
      ca.engine_state = "roster a";
      ca.request = RequestRecord{"same-id", "a", 1};
      ta = sa->append(std::move(ca));
      StoreCommit cb = commit_of({event(1, s, EventKind::accept, "b"), event(2, s)});
      cb.engine_state = "roster b";
      cb.request = RequestRecord{"same-id", "b", 2};
      tb = sb->append(std::move(cb));
    }
    sa->wait_durable(ta);
    sb->wait_durable(tb);
    CHECK(sa->history(1).size() == 5);
    CHECK(sa->history(1).at(0).reason == "a");
    CHECK(sa->history(2).empty());
    CHECK(sb->history(1).at(4).reason == "b");
    CHECK(sa->engine_state() == "roster a");
    CHECK(sb->engine_state() == "roster b");
    CHECK(sa->find_request("same-id")->fingerprint == "a");
    CHECK(sb->find_request("same-id")->case_id == 2);
  }
  const AuditResult ra = verify_postgres_log(conninfo(), a);
  const AuditResult rb = verify_postgres_log(conninfo(), b);
  CHECK(ra.ok);
  CHECK(ra.events_checked == 5);  // each chain starts at position 1 of its own partition
  CHECK(rb.ok);
  CHECK(rb.events_checked == 10);
  // Tampering with one partition leaves the other's verdict alone.
  sql("UPDATE wf_events SET reason = 'forged' WHERE partition = " + quoted(a) + " AND id = 3");
  const AuditResult forged = verify_postgres_log(conninfo(), a);
  CHECK_FALSE(forged.ok);
  CHECK(forged.first_bad_event == 3);
  CHECK(forged.first_bad_seq == 3);
  CHECK(forged.problem == "hash does not match its contents and its predecessor's hash");
  CHECK(verify_postgres_log(conninfo(), b).ok);
  sql("DELETE FROM wf_events WHERE partition = " + quoted(b) + " AND id = 10");
  const AuditResult tail = verify_postgres_log(conninfo(), b);
  CHECK(tail.problem == "missing: the log ends at event 9 but its head records event 10");
}

TEST_CASE("postgres store: a second writer on a partition is refused, naming the holder") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("one-writer");
  auto first = open_pg(p);
  first->wait_durable(first->append(commit_of({event(1, 1)})));
  const std::string refused = message_of([&] { open_pg(p); });
  CHECK(contains(refused, "PostgreSQL partition '" + p + "'"));
  CHECK(contains(refused, "already open for writing by another engine"));
  CHECK(contains(refused, "server pid "));
  CHECK(contains(refused, "application_name 'libworkflow " + p.substr(0, 20)));
  CHECK(contains(refused, "client local socket"));
  MESSAGE(refused);
  // Another partition and a reader are not held up.
  CHECK_NOTHROW(open_pg(fresh_partition("other")));
  PostgresOptions ro;
  ro.read_only = true;
  CHECK(open_pg(p, ro)->history(1).size() == 1);
  first.reset();  // closing releases the lock
  auto second = open_pg(p);
  second->wait_durable(second->append(commit_of({event(1, 2)})));
  CHECK(second->history(1).size() == 2);
}

TEST_CASE("postgres store: a standby waiting on the lock takes over from a SIGKILLed writer") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("standby");
  const auto start = DateTime::parse("2026-03-02T09:00");
  int acks[2];
  REQUIRE(::pipe(acks) == 0);
  // The writer: an engine in a child process, reporting each case id once submit returned
  // (the case is durable), submitting until it is killed.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(acks[0]);
    try {
      Options o;
      o.store = open_pg(p);
      Engine hall(RuleSet::load(ningdu_rules()), shipped_calendar(),
                  std::make_shared<ManualClock>(start), std::move(o));
      for (int i = 0; i < 100000; ++i) {
        const CaseId id = hall.submit({"360730-SCJG-0004", "nd", "nd-s001",
                                       "申请人" + std::to_string(i), food_licence_materials()});
        if (::write(acks[1], &id, sizeof id) != sizeof id) break;
      }
    } catch (...) {
    }
    ::_exit(3);
  }
  ::close(acks[1]);
  struct Reaper {  // the child dies with the test, whatever happens
    pid_t pid;
    ~Reaper() {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{child};
  std::vector<CaseId> acknowledged;
  CaseId id = 0;
  while (acknowledged.size() < 20 && ::read(acks[0], &id, sizeof id) == sizeof id) {
    acknowledged.push_back(id);
  }
  REQUIRE(acknowledged.size() == 20);

  PostgresOptions standby;
  standby.wait_for_lock = true;
  auto taking_over = std::async(std::launch::async, [&] { return open_pg(p, standby); });
  CHECK(taking_over.wait_for(500ms) == std::future_status::timeout);  // the writer lives
  ::kill(child, SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  // Whatever the child acknowledged before it died is in the pipe.
  while (::read(acks[0], &id, sizeof id) == sizeof id) acknowledged.push_back(id);
  ::close(acks[0]);
  REQUIRE(taking_over.wait_for(20s) == std::future_status::ready);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
  MESSAGE("the standby took over " << took << " s after the SIGKILL, "
                                   << acknowledged.size() << " cases acknowledged");
  CHECK(took < 10);
  Options o;
  o.store = taking_over.get();
  Engine hall(RuleSet::load(ningdu_rules()), shipped_calendar(),
              std::make_shared<ManualClock>(start), std::move(o));
  for (const CaseId c : acknowledged) {
    CHECK(hall.get(c).state == CaseState::received);
    CHECK(hall.get(c).applicant == "申请人" + std::to_string(c - 1));
  }
  CHECK(hall.list().size() >= acknowledged.size());
  // And it writes on: the next case follows the last one the dead writer committed.
  const CaseId next = hall.submit({"360730-SCJG-0004", "nd", "nd-s001", "接管后", food_licence_materials()});
  CHECK(next == hall.list().size());
  CHECK(verify_postgres_log(conninfo(), p).ok);
}

TEST_CASE("postgres store: read-only opening sees data and refuses appends, missing partitions are refused") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("readonly");
  PostgresOptions ro;
  ro.read_only = true;
  CHECK(contains(message_of([&] { open_pg(p, ro); }), "no such partition"));
  PostgresOptions no_create;
  no_create.create = false;
  CHECK(contains(message_of([&] { open_pg(p, no_create); }), "no such partition"));
  {
    auto store = open_pg(p);
    StoreCommit c = commit_of({event(1, 1)});
    c.engine_state = "roster";
    store->wait_durable(store->append(std::move(c)));
  }
  auto reader = open_pg(p, ro);
  CHECK(reader->read_only());
  CHECK(reader->history(1).size() == 1);
  CHECK(reader->engine_state() == "roster");
  CHECK(contains(message_of([&] { reader->append(commit_of({event(1, 2)})); }), "read-only"));
  CHECK_NOTHROW(open_pg(p, no_create));  // the partition exists now
}

TEST_CASE("postgres store: a failed write fails its waiters and every later append") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("failed");
  {
    auto store = open_pg(p);
    store->wait_durable(store->append(commit_of({event(1, 1)})));
    const std::uint64_t bad = store->append(commit_of({event(3, 1), event(1, 1)}));
    const std::string message = message_of([&] { store->wait_durable(bad); });
    CHECK(contains(message, "PostgreSQL partition '" + p + "'"));
    CHECK(contains(message, "duplicate key"));
    std::exception_ptr seen;
    store->on_durable(bad, [&](std::exception_ptr e) { seen = e; });
    CHECK(seen != nullptr);
    CHECK(contains(message_of([&] { store->append(commit_of({event(4, 1)})); }), "duplicate key"));
  }
  {
    // Text PostgreSQL cannot hold fails the commit instead of being stored truncated.
    const std::string q = fresh_partition("nul");
    auto store = open_pg(q);
    const std::uint64_t bad =
        store->append(commit_of({event(1, 1, EventKind::accept, std::string("a\0b", 3))}));
    const std::string message = message_of([&] { store->wait_durable(bad); });
    CHECK(contains(message, "PostgreSQL partition '" + q + "': a text value contains a NUL byte"));
  }
  auto store = open_pg(p);
  CHECK(store->history(1).size() == 1);
  CHECK(store->history(3).empty());  // rolled back with the rest of its commit
  CHECK(verify_postgres_log(conninfo(), p).ok);
}

TEST_CASE("postgres store: the schema is versioned, a newer one or a bad server is refused") {
  REQUIRE_POSTGRES();
  open_pg(fresh_partition("schema"));  // the schema exists, even when this test runs alone
  const auto migrations = detail::postgres_migrations();
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    CHECK(migrations[i].to_version == static_cast<int>(i + 1));
  }
  CHECK(sql_int("SELECT version::bigint FROM wf_schema") == detail::kPgSchemaVersion);
  // A database of its own, so no other test sees the edited version.
  const std::string db = "wf_newer_" + std::to_string(::getpid());
  sql("DROP DATABASE IF EXISTS " + db);
  sql("CREATE DATABASE " + db);
  const std::string other = std::string(conninfo()) + " dbname=" + db;
  PostgresOptions no_create;
  no_create.create = false;
  CHECK(contains(message_of([&] { open_postgres_store(other, "x", no_create); }),
                 "holds no libworkflow case store"));
  open_postgres_store(other, "x");  // creates the schema
  {
    detail::PgSession admin(other, "admin", "test");
    admin.exec("UPDATE wf_schema SET version = 99", "test SQL");
  }
  CHECK(contains(message_of([&] { open_postgres_store(other, "x"); }),
                 "schema version 99, newer than this library's"));
  sql("DROP DATABASE " + db);
  CHECK(contains(message_of([&] { open_postgres_store("host=/nonexistent-dir dbname=x", "p"); }),
                 "PostgreSQL partition 'p': cannot connect"));
  CHECK(error_of([&] { open_pg(""); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("postgres store: an engine runs a hall on it and reopens it exactly") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("360730");
  auto clock = std::make_shared<ManualClock>(DateTime::parse("2026-03-02T09:00"));
  const auto open = [&] {
    Options o;
    o.store = open_pg(p);
    return std::make_unique<Engine>(RuleSet::load(ningdu_rules()), shipped_calendar(), clock,
                                    std::move(o));
  };
  std::string before;
  CaseId food = 0, incomplete = 0;
  {
    auto hall = open();
    food = hall->submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
    Action a;
    a.actor = "nd-s001";
    hall->act(food, Verb::accept, a);
    hall->act(food, Verb::review_pass, a);
    incomplete = hall->submit({"360730-SCJG-0004", "nd", "nd-s003", "乙", food_licence_required()});
    clock->set(DateTime::parse("2026-03-03T10:00"));
    const CaseView v = hall->get(food);
    REQUIRE(v.promised_deadline.has_value());
    CHECK(v.promised_deadline->to_string().substr(0, 4) == "2026");
    before = fmt::format("{} {} {} {}", to_string(v.state), v.history.size(),
                         v.promised_deadline->to_string(), to_string(hall->get(incomplete).state));
  }
  auto hall = open();
  const CaseView v = hall->get(food);
  CHECK(fmt::format("{} {} {} {}", to_string(v.state), v.history.size(),
                    v.promised_deadline->to_string(), to_string(hall->get(incomplete).state)) ==
        before);
  for (std::size_t i = 0; i < v.history.size(); ++i) CHECK(v.history[i].seq == i + 1);
  CHECK(hall->list().size() == 2);
  // Time goes on after the reopening: timers recovered from the store still fire.
  hall->advance_to(DateTime::parse("2026-04-30T09:00"));
  CHECK(hall->get(incomplete).state != CaseState::received);
  CHECK(verify_postgres_log(conninfo(), p).ok);
}

TEST_CASE("postgres store: commands from several engine threads share its transactions") {
  REQUIRE_POSTGRES();
  const std::string p = fresh_partition("throughput");
  Options o;
  std::shared_ptr<CaseStore> store = open_pg(p);
  o.store = store;
  Engine hall(RuleSet::load(ningdu_rules()), shipped_calendar(),
              std::make_shared<ManualClock>(DateTime::parse("2026-03-02T09:00")), std::move(o));
  constexpr int kThreads = 4, kEach = 100;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> clerks;
  for (int t = 0; t < kThreads; ++t) {
    clerks.emplace_back([&hall, t] {
      for (int i = 0; i < kEach; ++i) {
        const CaseId id = hall.submit({"360730-SCJG-0004", "nd", "nd-s001",
                                       fmt::format("申请人{}-{}", t, i), food_licence_materials()});
        Action a;
        a.actor = "nd-s001";
        hall.act(id, Verb::accept, a);
      }
    });
  }
  for (std::thread& t : clerks) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const detail::PostgresStats stats = detail::postgres_stats(*store);
  CHECK(hall.list().size() == kThreads * kEach);
  CHECK(stats.transactions <= stats.commits);
  MESSAGE(fmt::format("{} engine commands (submit, accept) from {} threads in {:.2f} s: {:.0f} "
                      "commands/s, {} commits in {} transactions",
                      2 * kThreads * kEach, kThreads, seconds, 2 * kThreads * kEach / seconds,
                      stats.commits, stats.transactions));
  CHECK(verify_postgres_log(conninfo(), p).ok);
}
