// workflow/store.hpp, the SQLite store: durable round trips, group commit, durability
// notifications, read-only opening, refusing bad files without touching them, one writer per
// file, schema migration, and the audit of the hash chain against tampering.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "error_of.hpp"
#include "sqlite_files.hpp"
#include "support/sha256.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

Event event(CaseId c, std::uint32_t seq, EventKind kind = EventKind::accept,
            std::string reason = "") {
  return Event{c, seq, kind, DateTime::from_seconds(1'700'000'000 + seq), "w1a", "county",
               "w1", std::move(reason), "missing=营业执照; 章程", "rules-v1"};
}

StoreCommit commit_of(std::vector<Event> events) {
  StoreCommit c;
  for (const Event& e : events) c.cases.push_back({e.case_id, e.seq, "snap" + std::to_string(e.seq)});
  c.events = std::move(events);
  return c;
}

// A closed store whose log holds `n` events of case 1 (seq 1..n), one commit each.
void make_store(const fs::path& db, int n) {
  auto store = open_sqlite_store(db);
  std::uint64_t t = 0;
  for (int i = 1; i <= n; ++i) {
    t = store->append(commit_of({event(1, i, EventKind::accept, "reason " + std::to_string(i))}));
  }
  store->wait_durable(t);
}

std::string message_of(const std::function<void()>& f) {
  const Error e = error_of(f);
  CHECK(e.code() == ErrorCode::store_error);
  return e.what();
}

bool wait_for(const std::atomic<bool>& flag) {
  for (int i = 0; i < 500 && !flag; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return flag;
}

}  // namespace

TEST_CASE("sqlite store: commits round-trip across close and reopen") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  {
    auto store = open_sqlite_store(db);
    StoreCommit first = commit_of({event(2, 1, EventKind::submitted), event(2, 2)});
    first.engine_state = std::string("roster\0v1", 9);
    first.request = RequestRecord{"req-1", "submit:abc", 2};
    store->append(std::move(first));
    // Snapshots out of id order, over more than one 256-case page of for_each_case.
    StoreCommit many;
    for (CaseId c = 300; c >= 1; --c) many.cases.push_back({c, 1, "case " + std::to_string(c)});
    many.events.push_back(event(1, 1, EventKind::submitted, "新申请"));
    many.engine_state = "roster v2";
    store->wait_durable(store->append(std::move(many)));
  }
  auto store = open_sqlite_store(db);
  const std::vector<Event> h = store->history(2);
  REQUIRE(h.size() == 2);
  CHECK(h[0].seq == 1);
  CHECK(h[0].kind == EventKind::submitted);
  CHECK(h[1].seq == 2);
  CHECK(h[1].kind == EventKind::accept);
  CHECK(h[1].time == DateTime::from_seconds(1'700'000'002));
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
  CHECK_FALSE(store->read_only());
}

TEST_CASE("sqlite store: queued commits are visible to find_request, callbacks wait for durability") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  auto store = open_sqlite_store(db, {.synchronous_full = false});
  store->wait_durable(store->append(commit_of({event(1, 1)})));
  // An outside connection holds the write lock, so the writer thread cannot commit yet.
  sqlite3* blocker = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &blocker) == SQLITE_OK);
  REQUIRE(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  StoreCommit c = commit_of({event(1, 2)});
  c.request = RequestRecord{"req-9", "accept:1", 1};
  const std::uint64_t ticket = store->append(std::move(c));
  std::atomic<bool> called{false}, saw_event{false};
  store->on_durable(ticket, [&](std::exception_ptr e) {
    saw_event = e == nullptr && store->history(1).size() == 2;
    called = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(called);
  REQUIRE(store->find_request("req-9").has_value());  // queued, not durable
  CHECK(store->find_request("req-9")->case_id == 1);
  CHECK(store->history(1).size() == 1);
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  store->wait_durable(ticket);
  CHECK(wait_for(called));
  CHECK(saw_event);
  CHECK(store->find_request("req-9").has_value());  // durable now
  // An already durable ticket calls back at once, on the calling thread.
  bool now = false;
  store->on_durable(ticket, [&](std::exception_ptr e) { now = e == nullptr; });
  CHECK(now);
  store->wait_durable(0);
  CHECK(error_of([&] { store->wait_durable(ticket + 1); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("sqlite store: concurrent appends share transactions (group commit)") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  constexpr int kThreads = 8, kEach = 200;
  {
    auto store = open_sqlite_store(db);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&store, t] {
        for (std::uint32_t s = 1; s <= kEach; ++s) {
          store->wait_durable(store->append(commit_of({event(t + 1, s)})));
        }
      });
    }
    for (std::thread& t : threads) t.join();
    const detail::SqliteStats stats = detail::sqlite_stats(*store);
    CHECK(stats.commits == kThreads * kEach);
    CHECK(stats.transactions < stats.commits);
    MESSAGE(stats.commits << " commits in " << stats.transactions << " transactions");
    for (int t = 1; t <= kThreads; ++t) {
      const std::vector<Event> h = store->history(t);
      REQUIRE(h.size() == kEach);
      for (std::uint32_t s = 0; s < kEach; ++s) CHECK(h[s].seq == s + 1);
    }
  }
  CHECK(sql_int(db, "SELECT count(*) FROM events") == kThreads * kEach);
  CHECK(sql_int(db, "SELECT count(DISTINCT case_id || '/' || seq) FROM events") == kThreads * kEach);
  const AuditResult audit = verify_sqlite_log(db);
  CHECK(audit.ok);
  CHECK(audit.events_checked == kThreads * kEach);
}

TEST_CASE("sqlite store: closing flushes what was queued; synchronous NORMAL and FULL") {
  for (const bool full : {true, false}) {
    TempDir dir;
    const fs::path db = dir / "cases.db";
    {
      auto store = open_sqlite_store(db, {.synchronous_full = full});
      for (std::uint32_t s = 1; s <= 50; ++s) store->append(commit_of({event(7, s)}));
    }  // no wait: the destructor writes the queue before it returns
    CHECK(open_sqlite_store(db)->history(7).size() == 50);
    std::ifstream in(db, std::ios::binary);
    char header[20] = {};
    in.read(header, sizeof header);
    CHECK(header[18] == 2);  // file format 2: WAL
  }
}

TEST_CASE("sqlite store: what a killed writer made durable survives, and its lock goes with it") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      auto store = open_sqlite_store(db);
      std::uint64_t t = 0;
      for (std::uint32_t s = 1; s <= 20; ++s) t = store->append(commit_of({event(1, s)}));
      store->wait_durable(t);
      ::kill(::getpid(), SIGKILL);  // no destructor, no checkpoint: the commits are in the WAL
    } catch (...) {
    }
    ::_exit(3);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(fs::file_size(db.string() + "-wal") > 0);
  CHECK(verify_sqlite_log(db).events_checked == 20);
  auto store = open_sqlite_store(db);
  CHECK(store->history(1).size() == 20);
  store->wait_durable(store->append(commit_of({event(1, 21)})));
  store.reset();
  CHECK(verify_sqlite_log(db).events_checked == 21);
}

TEST_CASE("sqlite store: a failed write fails its waiters and every later append") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  {
    auto store = open_sqlite_store(db);
    store->wait_durable(store->append(commit_of({event(1, 1)})));
    // Case 1 seq 1 again: the UNIQUE(case_id, seq) constraint fails the transaction.
    const std::uint64_t bad = store->append(commit_of({event(3, 1), event(1, 1)}));
    const std::string message = message_of([&] { store->wait_durable(bad); });
    CHECK(message.find(db.string()) == 0);
    CHECK(message.find("UNIQUE constraint failed") != std::string::npos);
    std::exception_ptr seen;
    store->on_durable(bad, [&](std::exception_ptr e) { seen = e; });
    CHECK(seen != nullptr);
    CHECK(message_of([&] { store->append(commit_of({event(4, 1)})); }).find("UNIQUE") !=
          std::string::npos);
  }
  auto store = open_sqlite_store(db);
  CHECK(store->history(1).size() == 1);
  CHECK(store->history(3).empty());  // rolled back with the rest of its commit
  CHECK(verify_sqlite_log(db).ok);
}

TEST_CASE("sqlite store: read-only opening sees data, refuses appends, writes nothing") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  CHECK(message_of([&] { open_sqlite_store(db, {.read_only = true}); }) ==
        db.string() + " does not exist");
  CHECK_FALSE(fs::exists(db));
  CHECK(message_of([&] { open_sqlite_store(db, {.create = false}); }) ==
        db.string() + " does not exist");
  CHECK_FALSE(fs::exists(db));
  make_store(db, 3);
  {
    auto reader = open_sqlite_store(db, {.read_only = true});
    CHECK(reader->read_only());
    CHECK(reader->history(1).size() == 3);
    CHECK(message_of([&] { reader->append(commit_of({event(1, 4)})); }) ==
          db.string() + " is open read-only");
    // A writer may work meanwhile; the reader sees its commits.
    auto writer = open_sqlite_store(db);
    writer->wait_durable(writer->append(commit_of({event(1, 4)})));
    CHECK(reader->history(1).size() == 4);
  }
  // The database and its WAL, byte for byte, before and after a read-only open.
  const auto bytes = [&] { return file_hash(db) + file_hash(db.string() + "-wal"); };
  const std::string before = bytes();
  auto reader = open_sqlite_store(db, {.read_only = true});
  CHECK(reader->history(1).size() == 4);
  reader.reset();
  CHECK(bytes() == before);
}

TEST_CASE("sqlite store: bad files are refused with a clear error and left untouched") {
  TempDir dir;
  const auto refused = [](const fs::path& p, const std::string& problem) {
    const std::string before = file_hash(p);
    for (const bool ro : {false, true}) {
      CHECK(message_of([&] { open_sqlite_store(p, {.read_only = ro}); }) == p.string() + problem);
    }
    CHECK(message_of([&] { verify_sqlite_log(p); }) == p.string() + problem);
    CHECK(file_hash(p) == before);
    CHECK_FALSE(fs::exists(p.string() + "-wal"));
    CHECK_FALSE(fs::exists(p.string() + "-shm"));
  };
  const fs::path text = dir / "notes.db";
  std::ofstream(text) << "这不是数据库 / not a database, just some text that is long enough\n";
  refused(text, " is not an SQLite database");

  const fs::path store = dir / "cases.db";
  make_store(store, 300);
  const auto size = fs::file_size(store);
  REQUIRE(size > 8192);

  const fs::path newer = dir / "newer.db";
  fs::copy_file(store, newer);
  sql(newer, "PRAGMA user_version = 7");
  refused(newer, " has schema version 7, newer than this library's 6: upgrade libworkflow");

  const fs::path truncated = dir / "truncated.db";
  fs::copy_file(store, truncated);
  fs::resize_file(truncated, 4096);
  refused(truncated, " is truncated: 4096 bytes, the header says " + std::to_string(size));
  fs::resize_file(truncated, 50);
  refused(truncated, " is truncated: 50 bytes, shorter than the 100-byte SQLite header");

  const fs::path foreign = dir / "foreign.db";
  sql(foreign, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)");
  refused(foreign, " is an SQLite database but not a libworkflow case store");

  const fs::path empty = dir / "empty.db";
  std::ofstream{empty};
  CHECK(message_of([&] { open_sqlite_store(empty, {.read_only = true}); }) ==
        empty.string() + " is empty, not (yet) a libworkflow case store");
  CHECK(fs::file_size(empty) == 0);
  CHECK(message_of([&] { open_sqlite_store(dir.path); }) == dir.path.string() +
                                                                 " is not a regular file");
}

TEST_CASE("sqlite store: schema migrations create the schema from an empty or version-0 file") {
  const auto steps = detail::schema_migrations();
  REQUIRE(!steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) CHECK(steps[i].to_version == int(i) + 1);
  CHECK(steps.back().to_version == detail::kSchemaVersion);
  // docs/storage.md shows every version's SQL exactly as the library runs it.
  std::ifstream doc(WORKFLOW_SOURCE_DIR "/docs/storage.md");
  std::ostringstream text;
  text << doc.rdbuf();
  for (const auto& step : steps) {
    const std::string sql_text = std::string(step.sql).substr(1);  // the leading newline
    CHECK_MESSAGE(text.str().find("```sql\n" + sql_text + "```") != std::string::npos,
                  "version ", step.to_version);
  }

  TempDir dir;
  const fs::path empty = dir / "empty.db";
  std::ofstream{empty};  // zero bytes: SQLite's empty database
  const fs::path v0 = dir / "v0.db";
  sql(v0, "PRAGMA application_id = " + std::to_string(detail::kApplicationId));  // no schema
  REQUIRE(sql_int(v0, "PRAGMA user_version") == 0);
  for (const fs::path& p : {empty, v0}) {
    open_sqlite_store(p)->wait_durable(0);
    CHECK(sql_int(p, "PRAGMA user_version") == detail::kSchemaVersion);
    CHECK(sql_int(p, "PRAGMA application_id") == detail::kApplicationId);
    CHECK(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE name IN "
                     "('events', 'log_head', 'cases', 'engine', 'requests')") == 5);
  }
}

TEST_CASE("sqlite store: a version-1 store is migrated in place and its log still verifies") {
  TempDir dir;
  const fs::path v1 = dir / "v1.db";
  sql(v1, std::string(detail::schema_migrations()[0].sql) + "PRAGMA user_version = 1;");
  // A version-1 event, hashed as version 1 did (no notify column).
  const detail::ChainedEvent e{1, 1, 1, "submitted", 1'700'000'000, "w1a", "county", "w1",
                               "", "matter=M1", "v"};
  const auto h = detail::chain_hash({}, e);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(v1.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "INSERT INTO events VALUES (1, 1, 1, 'submitted', 1700000000, 'w1a', "
                             "'county', 'w1', '', 'matter=M1', 'v', ?)",
                             -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_blob(st, 1, h.data(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
  REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO log_head VALUES (1, 1, ?)", -1, &st, nullptr) ==
          SQLITE_OK);
  sqlite3_bind_blob(st, 1, h.data(), static_cast<int>(h.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);

  // Read-only opening needs the current schema; a writer migrates it.
  CHECK(message_of([&] { open_sqlite_store(v1, {.read_only = true}); }) ==
        v1.string() + " has schema version 1, older than this library's 6: open it for writing "
                      "once to migrate it");
  {
    auto store = open_sqlite_store(v1);
    const auto history = store->history(1);
    REQUIRE(history.size() == 1);
    CHECK(history[0].notify.empty());
    Event next = history[0];
    next.seq = 2;
    next.kind = EventKind::accept;
    next.notify = "agent-1";
    StoreCommit c;
    c.events = {next};
    store->wait_durable(store->append(std::move(c)));
  }
  CHECK(sql_int(v1, "PRAGMA user_version") == detail::kSchemaVersion);
  const AuditResult audit = verify_sqlite_log(v1);
  CHECK(audit.ok);
  CHECK(audit.events_checked == 2);
  // The notice recipient is part of the chain: changing it is seen.
  sql(v1, "UPDATE events SET notify = 'someone-else' WHERE id = 2");
  CHECK_FALSE(verify_sqlite_log(v1).ok);
}

TEST_CASE("sqlite store: one writer per file") {
  TempDir dir;
  const fs::path db = dir / "cases.db";
  const std::string lock_cmd = "flock -n '" + db.string() + "' true";
  {
    auto first = open_sqlite_store(db);
    const std::string before = file_hash(db);
    CHECK(message_of([&] { open_sqlite_store(db); }) ==
          db.string() + " is already open for writing by another engine (pid " +
              std::to_string(::getpid()) + ", this process)");
    CHECK(open_sqlite_store(db, {.read_only = true})->history(1).empty());
    // The lock is flock(2) on the database itself: other processes see it too.
    CHECK(std::system(lock_cmd.c_str()) != 0);
    CHECK(file_hash(db) == before);
    first->wait_durable(first->append(commit_of({event(1, 1)})));
  }
  CHECK(std::system(lock_cmd.c_str()) == 0);
  // Another process holding the lock: this one is refused and told which process it is.
  int ready[2], release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int fd = ::open(db.c_str(), O_RDONLY);
    const char ok = (fd >= 0 && ::flock(fd, LOCK_EX) == 0) ? 'y' : 'n';
    char go = 0;
    if (::write(ready[1], &ok, 1) != 1 || ::read(release[0], &go, 1) != 1) ::_exit(1);
    ::_exit(0);
  }
  char ok = 0;
  REQUIRE(::read(ready[0], &ok, 1) == 1);
  CHECK(ok == 'y');
  CHECK(message_of([&] { open_sqlite_store(db); }) ==
        db.string() + " is already open for writing by another engine (pid " +
            std::to_string(child) + ")");
  CHECK(::write(release[1], "x", 1) == 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  for (const int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
  CHECK(open_sqlite_store(db)->history(1).size() == 1);  // free again
}

TEST_CASE("sqlite audit: the documented canonical encoding") {
  // hash_1 = SHA-256(32 zero bytes || u64 id || u64 case || u64 seq || str kind || i64 time ||
  // str actor, office, post, reason, detail, rules_version), str = u32 length || bytes, BE.
  const auto u64 = [](std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 7; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
    return s;
  };
  const auto str = [&](const std::string& v) { return u64(v.size()).substr(4) + v; };
  const std::string bytes = std::string(32, '\0') + u64(1) + u64(5) + u64(2) + str("accept") +
                            u64(1'700'000'002) + str("w1a") + str("county") + str("w1") +
                            str("") + str("d") + str("r");
  const auto h = detail::chain_hash({}, {1, 5, 2, "accept", 1'700'000'002, "w1a", "county", "w1",
                                         "", "d", "r"});
  CHECK(detail::to_hex(h) == detail::sha256_hex(bytes));
}

TEST_CASE("sqlite audit: verify finds the first edited, deleted or reordered event") {
  TempDir dir;
  const fs::path clean = dir / "clean.db";
  make_store(clean, 6);
  AuditResult r = verify_sqlite_log(clean);
  CHECK(r.ok);
  CHECK(r.events_checked == 6);
  const auto tampered = [&](const char* name, const std::string& edit) {
    const fs::path p = dir / name;
    fs::copy_file(clean, p);
    sql(p, edit);
    return verify_sqlite_log(p);
  };
  r = tampered("edited.db", "UPDATE events SET reason = 'forged' WHERE id = 3");
  CHECK_FALSE(r.ok);
  CHECK(r.first_bad_event == 3);
  CHECK(r.first_bad_case == 1);
  CHECK(r.first_bad_seq == 3);
  CHECK(r.problem == "hash does not match its contents and its predecessor's hash");
  CHECK(r.events_checked == 2);

  r = tampered("deleted.db", "DELETE FROM events WHERE id = 3");
  CHECK(r.first_bad_event == 4);
  CHECK(r.first_bad_seq == 4);
  CHECK(r.problem == "event 3 is missing before it");

  // Two events trade places: every column but the log position moves.
  r = tampered("swapped.db",
               "CREATE TEMP TABLE t AS SELECT * FROM events WHERE id IN (2, 5);"
               "DELETE FROM events WHERE id IN (2, 5);"
               "INSERT INTO events SELECT 7 - id, case_id, seq, kind, time, actor, office, post,"
               " reason, detail, rules_version, hash, notify, snapshots FROM t;");
  CHECK(r.first_bad_event == 2);
  CHECK(r.first_bad_seq == 5);

  r = tampered("tail.db", "DELETE FROM events WHERE id = 6");
  CHECK(r.first_bad_event == 6);
  CHECK(r.problem == "missing: the log ends at event 5 but its head records event 6");

  // A writer reopening a tampered log continues from the head: the gap stays visible.
  const fs::path reopened = dir / "tail.db";
  open_sqlite_store(reopened)->append(commit_of({event(2, 1)}));
  r = verify_sqlite_log(reopened);
  CHECK(r.first_bad_event == 7);
  CHECK(r.problem == "event 6 is missing before it");
  CHECK(verify_sqlite_log(clean).ok);
}

TEST_CASE("sqlite store: a read-only store's cases are one state, while an engine writes") {
  // Reading the cases takes several pages; a writer commits between them. Every page must
  // come from the moment the reading began, or a reader counts a case twice in different
  // states (a supervision figure read beside a live hall was off by one that way).
  TempDir dir;
  const fs::path db = dir / "cases.db";
  auto writer = open_sqlite_store(db);
  std::uint64_t t = 0;
  for (CaseId c = 1; c <= 600; ++c) t = writer->append(commit_of({event(c, 1)}));
  writer->wait_durable(t);
  auto reader = open_sqlite_store(db, {.read_only = true});
  std::vector<CaseSnapshot> seen;
  reader->for_each_case([&](const CaseSnapshot& s) {
    if (seen.empty()) {
      // After the first page is read: a new case, and a later case moves on.
      std::uint64_t u = writer->append(commit_of({event(601, 1)}));
      u = writer->append(commit_of({event(500, 2)}));
      writer->wait_durable(u);
    }
    seen.push_back(s);
  });
  REQUIRE(seen.size() == 600);
  CHECK(seen.back().id == 600);
  CHECK(seen[499].last_seq == 1);
  // A reading begun afterwards sees both.
  std::size_t count = 0;
  std::uint32_t seq500 = 0;
  reader->for_each_case([&](const CaseSnapshot& s) {
    ++count;
    if (s.id == 500) seq500 = s.last_seq;
  });
  CHECK(count == 601);
  CHECK(seq500 == 2);
}
