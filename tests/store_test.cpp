// The in-memory store (store.hpp's make_memory_store): the engine's default. What every
// store must do is checked on every kind: memory, SQLite, and PostgreSQL when
// WORKFLOW_PG_CONNINFO names a database. The SQLite and PostgreSQL stores have their own
// files too (sqlite_store_test.cpp, postgres_store_test.cpp).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>

#include <fmt/format.h>

#include "error_of.hpp"
#include "sqlite_files.hpp"
#include "workflow/store.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

using namespace workflow;
using namespace workflow::testing;

namespace {

StoreCommit commit(std::initializer_list<std::pair<CaseId, std::uint32_t>> events) {
  StoreCommit c;
  for (const auto& [id, seq] : events) {
    Event e;
    e.case_id = id;
    e.seq = seq;
    e.actor = "w1a";
    c.events.push_back(e);
    c.cases.push_back(CaseSnapshot{id, seq, "snapshot"});
  }
  return c;
}

// Every kind of store this build and environment can open, each fresh, by name.
struct StoreKind {
  const char* name;
  std::function<std::unique_ptr<CaseStore>()> open;
};
std::vector<StoreKind> store_kinds(const TempDir& dir) {
  std::vector<StoreKind> kinds;
  kinds.push_back({"memory", [] { return make_memory_store(); }});
  kinds.push_back({"sqlite", [&dir] { return open_sqlite_store(dir / "cases.db"); }});
#ifdef WORKFLOW_HAS_POSTGRES
  if (const char* conninfo = std::getenv("WORKFLOW_PG_CONNINFO"); conninfo && *conninfo) {
    const std::string partition =
        "store-test-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    kinds.push_back({"postgres", [conninfo, partition] {
                       return open_postgres_store(conninfo, partition);
                     }});
  }
#endif
  return kinds;
}

}  // namespace

TEST_CASE("every store: events and snapshots by case, visited in id order") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    store->wait_durable(store->append(commit({{2, 1}, {1, 1}})));
    store->wait_durable(store->append(commit({{1, 2}})));
    CHECK(store->history(1).size() == 2);
    CHECK(store->history(2).size() == 1);
    CHECK(store->history(3).empty());
    std::vector<CaseId> seen;
    store->for_each_case([&](const CaseSnapshot& s) { seen.push_back(s.id); });
    CHECK(seen == std::vector<CaseId>{1, 2});
    CHECK(store->engine_state().empty());
    CHECK(store->rule_sets().empty());
    CHECK_FALSE(store->read_only());
  }
}

TEST_CASE("memory store: a case id far past the others is refused and nothing is kept") {
  auto store = make_memory_store();
  store->append(commit({{1, 1}}));
  const Error e = error_of([&] { store->append(commit({{1, 2}, {5'000'000'000, 1}})); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("case 5000000000") != std::string::npos);
  CHECK(store->history(1).size() == 1);  // the good half of the commit was not kept either
  CHECK(error_of([&] { store->append(commit({{0, 1}})); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("memory and SQLite stores: a commit with a handoff is refused, the store left as it was") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    if (std::string(kind.name) == "postgres") continue;  // it has the outbox
    CAPTURE(kind.name);
    auto store = kind.open();
    StoreCommit out = commit({{1, 1}});
    out.handoffs = {HandoffOut{"360731", "application"}};
    Error e = error_of([&] { store->append(out); });
    CHECK(e.code() == ErrorCode::store_error);
    CHECK(std::string(e.what()).find("cross-county handoffs need the PostgreSQL store") !=
          std::string::npos);
    StoreCommit in = commit({{1, 1}});
    in.receipt = HandoffReceipt{"360731", 1};
    CHECK(error_of([&] { store->append(in); }).code() == ErrorCode::store_error);
    CHECK(store->history(1).empty());
    // Still usable: the refusal happened before anything was queued.
    store->wait_durable(store->append(commit({{1, 1}})));
    CHECK(store->history(1).size() == 1);
  }
}

namespace {

// Every field of an event, for comparing what a store returns with what it was given.
std::string fields(const Event& e) {
  return std::to_string(e.case_id) + "|" + std::to_string(e.seq) + "|" +
         std::string(to_string(e.kind)) + "|" + std::to_string(e.time.seconds()) + "|" + e.actor +
         "|" + e.office + "|" + e.post + "|" + e.reason + "|" + e.detail + "|" + e.rules_version +
         "|" + e.notify;
}

// Two commits whose events share most of their texts (the memory store keeps each distinct
// text once) and differ in a few: an empty reason, an empty detail, reason and detail that
// would read as each other's if their border moved, a rule install of case 0 under another
// version, an agent to notify.
std::vector<StoreCommit> commits_with_texts() {
  auto event = [](CaseId id, std::uint32_t seq, EventKind kind, std::string reason,
                  std::string detail, std::string version = std::string(64, 'a')) {
    Event e;
    e.case_id = id;
    e.seq = seq;
    e.kind = kind;
    e.time = DateTime::parse("2026-12-01T09:00").plus_seconds(seq);
    e.actor = "sd-s07";
    e.office = "ly-sd";
    e.post = id == 2 ? "" : "sd-window";
    e.reason = std::move(reason);
    e.detail = std::move(detail);
    e.rules_version = std::move(version);
    e.notify = id == 2 ? "cun-agent" : "";
    return e;
  };
  std::vector<StoreCommit> out(2);
  out[0].events = {event(1, 1, EventKind::submitted, "", "materials=2"),
                   event(2, 1, EventKind::submitted, "代办", "")};
  out[0].cases = {CaseSnapshot{1, 1, "one"}, CaseSnapshot{2, 1, "two"}};
  out[1].events = {event(1, 2, EventKind::accept, "材料齐全", "deadline=2027-01-05"),
                   event(0, 1, EventKind::rules_installed, "rule set installed", "",
                         std::string(64, 'b'))};
  out[1].cases = {CaseSnapshot{1, 2, "one, accepted"}};
  return out;
}

}  // namespace

TEST_CASE("every store: history and the change feed return every field of every event as given") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    const std::vector<StoreCommit> commits = commits_with_texts();
    std::vector<Event> given;
    for (const StoreCommit& c : commits) {
      given.insert(given.end(), c.events.begin(), c.events.end());
      store->wait_durable(store->append(c));
    }
    const std::vector<Event> one = store->history(1), two = store->history(2),
                             engine = store->history(0);
    REQUIRE(one.size() == 2);
    REQUIRE(two.size() == 1);
    REQUIRE(engine.size() == 1);
    CHECK(fields(one[0]) == fields(given[0]));
    CHECK(fields(one[1]) == fields(given[2]));
    CHECK(fields(two[0]) == fields(given[1]));
    CHECK(fields(engine[0]) == fields(given[3]));
    const LogBatch feed = store->events_after(0, 10);
    REQUIRE(feed.events.size() == given.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
      CHECK(fields(feed.events[i].event) == fields(given[i]));
    }
    CHECK(store->events_after(1, 2).events.at(1).event.detail == "deadline=2027-01-05");
  }
}

TEST_CASE("every store: events leaving the rules version to their commit read and chain as if they carried it") {
  TempDir shared_dir, complete_dir;
  const std::vector<StoreKind> shared_kinds = store_kinds(shared_dir);
  const std::vector<StoreKind> complete_kinds = store_kinds(complete_dir);
  REQUIRE(shared_kinds.size() == complete_kinds.size());
  for (std::size_t k = 0; k < shared_kinds.size(); ++k) {
    CAPTURE(shared_kinds[k].name);
    auto shared = shared_kinds[k].open();
    auto complete = complete_kinds[k].open();
    CHECK(shared->takes_commit_rules_version());
    // As the engine sends them: the version once per commit, but for the rule install's
    // event, which names the version it installs.
    std::vector<StoreCommit> commits = commits_with_texts();
    for (StoreCommit& c : commits) {
      complete->wait_durable(complete->append(c));
      c.rules_version = std::make_shared<const std::string>(64, 'a');
      for (Event& e : c.events) {
        if (e.rules_version == std::string(64, 'a')) e.rules_version.clear();
      }
      shared->wait_durable(shared->append(std::move(c)));
    }
    for (CaseId id : {0, 1, 2}) {
      const std::vector<Event> got = shared->history(id), want = complete->history(id);
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < got.size(); ++i) CHECK(fields(got[i]) == fields(want[i]));
    }
    CHECK(shared->history(1).at(1).rules_version == std::string(64, 'a'));
    CHECK(shared->history(0).at(0).rules_version == std::string(64, 'b'));
    // The change feed: the same events and the same chain heads (the version is hashed).
    const LogBatch got = shared->events_after(0, 10), want = complete->events_after(0, 10);
    REQUIRE(got.events.size() == 4);
    REQUIRE(want.events.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(fields(got.events[i].event) == fields(want.events[i].event));
    }
    CHECK(got.events[2].event.rules_version == std::string(64, 'a'));
    CHECK(got.head_hash == want.head_hash);
    CHECK(shared->events_after(1, 2).head_hash == complete->events_after(1, 2).head_hash);
  }
}

TEST_CASE("every store: each commit's shared rules version is read as its own text, one after another") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    // Versions as an engine shares them across commits: the same string several commits in a
    // row, then another; a string freed and a new one made (the allocator may hand out the
    // same address again) must not be taken for the one before.
    std::uint32_t seq = 0;
    auto commit = [&](std::shared_ptr<const std::string> version) {
      StoreCommit c;
      Event e;
      e.case_id = 1;
      e.seq = ++seq;
      e.kind = seq == 1 ? EventKind::submitted : EventKind::light_changed;
      e.time = DateTime::parse("2027-01-04T09:00").plus_seconds(seq);
      e.actor = "sd-s07";
      e.office = "ly-sd";
      c.events = {e};
      c.cases = {CaseSnapshot{1, seq, "snapshot " + std::to_string(seq)}};
      c.rules_version = std::move(version);
      store->wait_durable(store->append(std::move(c)));
    };
    std::vector<std::string> want;
    auto a = std::make_shared<const std::string>(64, 'a');
    for (int i = 0; i < 2; ++i, want.push_back(*a)) commit(a);
    auto b = std::make_shared<const std::string>(64, 'b');
    commit(b);
    want.push_back(*b);
    for (char ch : {'c', 'd', 'e'}) {
      b.reset();
      b = std::make_shared<const std::string>(64, ch);
      commit(b);
      want.push_back(*b);
    }
    commit(a);
    want.push_back(*a);
    const std::vector<Event> got = store->history(1);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].rules_version == want[i]);
  }
}

TEST_CASE("every store: many distinct ids of every length read back as given") {
  // Ids of 1 to 20 bytes (the memory store keeps those up to 16 bytes in a table of their
  // own, grown as it fills), ids that differ only by one byte at either end or by a trailing
  // NUL (but in PostgreSQL, whose text holds no NUL), and the empty id.
  std::vector<std::string> common = {"", std::string("ab"), std::string(16, 'x'),
                                     std::string(17, 'x'), std::string(15, 'x') + "y",
                                     "y" + std::string(15, 'x')};
  for (int i = 0; i < 1500; ++i) {
    common.push_back(fmt::format("nd-s{:0{}}", i, 1 + i % 16));  // 5 to 20 bytes
  }
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    std::vector<std::string> ids = common;
    if (std::string(kind.name) != "postgres") ids.insert(ids.begin() + 2, std::string("ab\0", 3));
    auto store = kind.open();
    StoreCommit c;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Event e;
      e.case_id = 1;
      e.seq = static_cast<std::uint32_t>(i + 1);
      e.kind = i == 0 ? EventKind::submitted : EventKind::light_changed;
      e.time = DateTime::parse("2027-01-04T09:00").plus_seconds(static_cast<std::int64_t>(i));
      e.actor = ids[i];
      e.post = ids[ids.size() - 1 - i];
      e.office = ids[i % 7];
      e.rules_version = std::string(64, 'a');
      c.events.push_back(e);
    }
    c.cases = {CaseSnapshot{1, static_cast<std::uint32_t>(ids.size()), "one"}};
    store->wait_durable(store->append(std::move(c)));
    const std::vector<Event> got = store->history(1);
    REQUIRE(got.size() == ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i].actor == ids[i]);
      CHECK(got[i].post == ids[ids.size() - 1 - i]);
      CHECK(got[i].office == ids[i % 7]);
    }
  }
}

TEST_CASE("every store: one StoreCommit reused through append_reusing keeps each commit as given") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    // As the engine does: one object, every field set anew before each append, whatever the
    // store left in it. Texts long enough to live on the heap, snapshots of changing length,
    // so a store that kept a pointer into the commit would read the next commit's bytes.
    StoreCommit c;
    std::vector<std::string> reasons;
    std::string last_snapshot[3];
    std::uint32_t seq[3] = {0, 0, 0};
    std::uint64_t ticket = 0;
    for (int i = 0; i < 6; ++i) {
      const CaseId id = 1 + i % 2;
      c.events.resize(1 + i % 2);
      for (Event& e : c.events) {
        e = Event{};
        e.case_id = id;
        e.seq = ++seq[id];
        e.kind = e.seq == 1 ? EventKind::submitted : EventKind::light_changed;
        e.time = DateTime::parse("2026-12-01T09:00").plus_seconds(i);
        e.actor = "sd-s07";
        e.reason = fmt::format("commit {} of the reused object, event {}, long enough for the heap",
                               i, e.seq);
        reasons.push_back(e.reason);
      }
      c.rules_version.reset();
      c.cases.resize(1);
      last_snapshot[id] = std::string(i % 3 == 0 ? 300 : 20, static_cast<char>('a' + i));
      c.cases[0] = CaseSnapshot{id, seq[id], last_snapshot[id]};
      if (i == 0) {
        c.engine_state = "the roster at the first commit";
      } else {
        c.engine_state.reset();
      }
      c.request.reset();
      c.rules.reset();
      ticket = store->append_reusing(c);
    }
    store->wait_durable(ticket);
    std::vector<std::string> got;
    for (CaseId id : {CaseId{1}, CaseId{2}}) {
      for (const Event& e : store->history(id)) got.push_back(e.reason);
    }
    std::vector<std::string> want;
    for (const char* prefix : {"commit 0 ", "commit 2 ", "commit 4 ", "commit 1 ", "commit 3 ",
                               "commit 5 "}) {
      for (const std::string& r : reasons) {
        if (r.rfind(prefix, 0) == 0) want.push_back(r);
      }
    }
    CHECK(got == want);
    std::vector<std::string> snapshots;
    store->for_each_case([&](const CaseSnapshot& s) { snapshots.push_back(s.encoded); });
    CHECK(snapshots == std::vector<std::string>{last_snapshot[1], last_snapshot[2]});
    CHECK(store->engine_state() == "the roster at the first commit");
  }
}

TEST_CASE("every store: a commit of a rule set and the engine state alone, then an install") {
  TempDir dir;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    // What an engine sends when a rule set is installed on a store that has had no commit:
    // the set it opened with, with no event, then the install's commit with its event.
    StoreCommit opening;
    opening.engine_state = "roster under v1";
    opening.rules = StoredRuleSet{"v1", {{"a.yaml", "offices: []\n"}},
                                  DateTime::parse("2026-12-01T08:30"), "system"};
    const std::uint64_t first = store->append(std::move(opening));
    StoreCommit install = commit({{1, 1}});
    install.engine_state = "roster under v2";
    install.rules = StoredRuleSet{"v2", {{"a.yaml", "offices: [x]\n"}},
                                  DateTime::parse("2026-12-01T08:30"), "nd-s017"};
    const std::uint64_t second = store->append(std::move(install));
    CHECK(second > first);
    store->wait_durable(second);
    const std::vector<StoredRuleSet> sets = store->rule_sets();
    REQUIRE(sets.size() == 2);
    CHECK(sets[0].version == "v1");
    CHECK(sets[1].version == "v2");
    CHECK(store->engine_state() == "roster under v2");
    const LogBatch feed = store->events_after(0, 10);
    REQUIRE(feed.events.size() == 1);  // the set alone wrote no event
    CHECK(feed.events[0].position == 1);
  }
}

TEST_CASE("every store: reasons and details, repeated and distinct, and many contexts read and chain alike") {
  // The memory store shares the bytes of a pair it kept recently and numbers each set of
  // five texts once (memory_store_texts.hpp). 6,000 events, with templated pairs that repeat
  // between other ones, pairs whose bytes differ only by where reason ends, free text longer
  // than the pairs it remembers, and actors, posts and agents in many combinations.
  StoreCommit c;
  for (std::uint32_t i = 0; i < 6000; ++i) {
    Event e;
    e.case_id = 1 + i % 40;
    e.seq = 1 + i / 40;
    e.kind = EventKind::light_changed;
    e.time = DateTime::parse("2026-12-02T09:00").plus_seconds(i);
    e.actor = fmt::format("nd-s{:03}", i % 37);
    e.office = i % 2 ? "nd-mj" : "nd-lc";
    e.post = fmt::format("nd-p{}", i % 11);
    e.notify = i % 13 == 0 ? "cun-agent" : "";
    e.rules_version = std::string(64, i < 3000 ? 'a' : 'b');
    switch (i % 5) {
      case 0: e.reason = "decided: back to the window to issue"; e.detail = "from=nd"; break;
      case 1: e.reason = "decided: back to the window to issuefrom=nd"; break;
      case 2: e.detail = fmt::format("matter=360730-MJ-SB-{:04}; materials=1/1", i % 300); break;
      case 3: e.reason = std::string(260 + i % 7, 'o'); break;
      default: break;  // neither
    }
    c.events.push_back(e);
  }
  for (CaseId id = 1; id <= 40; ++id) c.cases.push_back(CaseSnapshot{id, 150, "open"});
  TempDir dir;
  std::string memory_head;
  for (const StoreKind& kind : store_kinds(dir)) {
    CAPTURE(kind.name);
    auto store = kind.open();
    store->wait_durable(store->append(c));
    for (CaseId id : {1, 2, 39}) {
      const std::vector<Event> got = store->history(id);
      REQUIRE(got.size() == 150);
      for (std::size_t s = 0; s < got.size(); ++s) {
        CHECK(fields(got[s]) == fields(c.events[(id - 1) + 40 * s]));
      }
    }
    const LogBatch feed = store->events_after(0, c.events.size());
    REQUIRE(feed.events.size() == c.events.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < c.events.size(); ++i) {
      differ += fields(feed.events[i].event) != fields(c.events[i]);
    }
    CHECK(differ == 0);
    // The chain up to the commit's last event, which alone carries the durable stores' seals
    // of the snapshots (hash_chain.hpp): every store hashes the same texts.
    const std::string head = store->events_after(0, c.events.size() - 1).head_hash;
    if (memory_head.empty()) memory_head = head;  // the memory store comes first
    CHECK(head == memory_head);
  }
}
