// workflow/engine.hpp: the facade's contract — commands, refusals that change nothing,
// permissions and their audit, observers, lists and available actions. The hall's own
// stories (paths, time limits, AB posts, delegation) are in the scenario_*_test.cpp files.
#include "workflow/engine.hpp"

#include <doctest/doctest.h>

#include <algorithm>

#include "error_of.hpp"
#include "forwarding_store.hpp"
#include "hall_fixture.hpp"
#include "sqlite_files.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using workflow::testing::engine_rules;
using workflow::testing::error_of;
using workflow::testing::ForwardingStore;
using workflow::testing::Hall;
using workflow::testing::TempDir;

namespace {

const std::vector<std::string> kFoodPermitMaterials{"申请书", "身份证明", "经营场所证明"};

ErrorCode code_of(const std::function<void()>& f) { return error_of(f).code(); }

bool has(const std::vector<Verb>& verbs, Verb v) {
  return std::find(verbs.begin(), verbs.end(), v) != verbs.end();
}

}  // namespace

TEST_CASE("an engine needs a clock") {
  CHECK(code_of([] {
          Engine e(RuleSet::load(engine_rules()), workflow::testing::shipped_calendar(), nullptr);
        }) == ErrorCode::invalid_argument);
}

TEST_CASE("submit receives an application at the clerk's window and numbers cases from 1") {
  Hall hall(engine_rules());
  const CaseId first = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials, "李四");
  const CaseId second = hall.submit("C-COMMITTED", "county", "w2a", kFoodPermitMaterials);
  CHECK(first == 1);
  CHECK(second == 2);
  const CaseView v = hall.view(first);
  CHECK(v.state == CaseState::received);
  CHECK(v.kind == MatterKind::committed);
  CHECK(v.post == "w1");
  CHECK(v.holder == "w1a");
  CHECK(v.first_handler == "w1a");
  CHECK(v.applicant == "李四");
  CHECK(v.light == Light::none);
  CHECK_FALSE(v.accepted.has_value());
  CHECK(v.rules_version.size() == 64);
  REQUIRE(v.history.size() == 1);
  CHECK(v.history[0].kind == EventKind::submitted);
  CHECK(v.history[0].actor == "w1a");
  CHECK(v.history[0].office == "county");
  CHECK(v.history[0].seq == 1);
  CHECK(hall.view(second).post == "w2");
}

TEST_CASE("submit refuses unknown ids, strangers and unknown materials, and creates nothing") {
  Hall hall(engine_rules());
  CHECK(code_of([&] { hall.submit("NO-SUCH", "county", "w1a", {}); }) == ErrorCode::not_found);
  CHECK(code_of([&] { hall.submit("C-COMMITTED", "mars", "w1a", {}); }) == ErrorCode::not_found);
  CHECK(code_of([&] { hall.submit("C-COMMITTED", "county", "nobody", {}); }) ==
        ErrorCode::not_found);
  // A back-office reviewer holds no window: cannot receive applications.
  CHECK(code_of([&] { hall.submit("C-COMMITTED", "county", "ra", {}); }) ==
        ErrorCode::permission_denied);
  try {
    hall.submit("C-COMMITTED", "county", "w1a", {"申请书", "营业执照"});
    FAIL("accepted an unknown material");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::invalid_argument);
    CHECK(std::string(e.what()).find("营业执照") != std::string::npos);
    CHECK(std::string(e.what()).find("经营场所证明") != std::string::npos);  // lists the known
  }
  // A county matter not open to proxy submission cannot come in at a village station.
  CHECK(code_of([&] { hall.submit("C-COMMITTED", "village", "ag1", {}); }) ==
        ErrorCode::invalid_argument);
  CHECK(hall.engine.list().empty());
  CHECK(hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials) == 1);
}

TEST_CASE("a refused command leaves the case and its history exactly as they were") {
  Hall hall(engine_rules());
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  hall.act(id, Verb::accept, "w1a");
  hall.act(id, Verb::review_pass, "w1a");  // to stage 1 of 2 (审查)
  const CaseView before = hall.view(id);

  // Wrong state for the verb: approving before the last stage.
  try {
    hall.act(id, Verb::approve, "ra");
    FAIL("approved at the first of two stages");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::invalid_transition);
    CHECK(std::string(e.what()).find("review_pass") != std::string::npos);
  }
  // A required detail missing.
  CHECK(code_of([&] { hall.act(id, Verb::deny, "ra"); }) == ErrorCode::invalid_argument);
  // Unknown case and unknown actor.
  CHECK(code_of([&] { hall.act(99, Verb::approve, "ra"); }) == ErrorCode::not_found);
  CHECK(code_of([&] { hall.act(id, Verb::review_pass, "ghost"); }) == ErrorCode::not_found);

  const CaseView after = hall.view(id);
  CHECK(after.state == before.state);
  CHECK(after.post == before.post);
  CHECK(after.holder == before.holder);
  CHECK(after.history.size() == before.history.size());
}

TEST_CASE("only the stage's holder or its supervisor may act; an attempt is audited") {
  Hall hall(engine_rules());
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  hall.act(id, Verb::accept, "w1a");
  hall.act(id, Verb::review_pass, "w1a");
  REQUIRE(hall.view(id).holder == "ra");
  const std::size_t events = hall.view(id).history.size();

  // B may not act while A is present; nor may a clerk of another post.
  for (const char* stranger : {"rb", "da", "w2a"}) {
    CAPTURE(stranger);
    CHECK(code_of([&] { hall.act(id, Verb::review_pass, stranger); }) ==
          ErrorCode::permission_denied);
  }
  const CaseView v = hall.view(id);
  CHECK(v.state == CaseState::back_office_review);
  CHECK(v.holder == "ra");
  REQUIRE(v.history.size() == events + 3);
  CHECK(v.history.back().kind == EventKind::permission_denied);
  CHECK(v.history.back().actor == "w2a");
  CHECK(v.history.back().detail == "verb=review_pass");

  // The supervisor post (分管领导) may act on the reviewer's stage.
  hall.act(id, Verb::review_pass, "boss");
  CHECK(hall.view(id).post == "amr-decide");
}

TEST_CASE("denied attempts are not recorded when the options say so") {
  Options options;
  options.record_denied_attempts = false;
  Hall hall(engine_rules(), "2025-03-03T09:00", options);
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  CHECK(code_of([&] { hall.act(id, Verb::accept, "w2a"); }) == ErrorCode::permission_denied);
  CHECK(hall.view(id).history.size() == 1);
}

TEST_CASE("available_actions lists exactly what that actor may do now") {
  Hall hall(engine_rules());
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", {"申请书", "身份证明"});
  const auto window = hall.engine.available_actions(id, "w1a");
  CHECK(has(window, Verb::accept));  // 容缺: only a tolerable material is missing
  CHECK(has(window, Verb::notify_missing));
  CHECK(has(window, Verb::refuse));
  CHECK(has(window, Verb::withdraw));
  CHECK_FALSE(has(window, Verb::approve));
  CHECK_FALSE(has(window, Verb::suspend));  // the clock has not started
  CHECK(hall.engine.available_actions(id, "ra").empty());
  CHECK(hall.engine.available_actions(id, "nobody").empty());

  Action tolerate;
  tolerate.actor = "w1a";
  tolerate.tolerate_missing = true;
  hall.engine.accept(id, tolerate);
  hall.act(id, Verb::review_pass, "w1a");
  hall.act(id, Verb::review_pass, "ra");
  const auto decider = hall.engine.available_actions(id, "da");
  CHECK(has(decider, Verb::approve));
  CHECK(has(decider, Verb::deny));
  CHECK(has(decider, Verb::review_return));
  CHECK(has(decider, Verb::suspend));
  CHECK_FALSE(has(decider, Verb::extend));  // no authority for extensions
  CHECK_FALSE(has(decider, Verb::review_pass));  // last stage decides
  CHECK(has(hall.engine.available_actions(id, "boss"), Verb::extend));
}

TEST_CASE("observers see every committed event in order, after the commit") {
  Hall hall(engine_rules());
  std::vector<std::string> seen;
  std::size_t history_at_notice = 0;
  const auto sub = hall.engine.subscribe([&](const Event& e) {
    seen.emplace_back(to_string(e.kind));
    // Called outside the lock, after the commit: the engine can be read from here.
    history_at_notice = hall.engine.get(e.case_id).history.size();
  });
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  hall.act(id, Verb::accept, "w1a");
  CHECK(seen == std::vector<std::string>{"submitted", "accept"});
  CHECK(history_at_notice == 2);
  // A refused attempt that is audited is also observed.
  CHECK(code_of([&] { hall.act(id, Verb::review_pass, "da"); }) == ErrorCode::permission_denied);
  CHECK(seen.back() == "permission_denied");
  hall.engine.unsubscribe(sub);
  hall.act(id, Verb::review_pass, "w1a");
  CHECK(seen.size() == 3);
  CHECK(code_of([&] { hall.engine.subscribe(Observer{}); }) == ErrorCode::invalid_argument);
}

TEST_CASE("list filters by state, office, post, light and matter") {
  Hall hall(engine_rules());
  const CaseId a = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  const CaseId b = hall.submit("C-INSTANT", "county", "w2a", {"申报表", "身份证明"});
  const CaseId c = hall.submit("T-INSTANT", "town", "tw1", {"身份证明"});
  hall.act(a, Verb::accept, "w1a");
  CHECK(hall.engine.list().size() == 3);
  CHECK(hall.engine.list({.state = CaseState::received}).size() == 2);
  CHECK(hall.engine.list({.state = CaseState::preliminary_review}).at(0).id == a);
  CHECK(hall.engine.list({.office = "town"}).at(0).id == c);
  CHECK(hall.engine.list({.post = "w2"}).at(0).id == b);
  CHECK(hall.engine.list({.light = Light::green}).at(0).id == a);
  CHECK(hall.engine.list({.matter = "C-INSTANT"}).size() == 1);
  CHECK(hall.engine.list({.office = "nowhere"}).empty());
  CHECK(hall.engine.list({.state = CaseState::preliminary_review}).at(0).history.empty());
}

TEST_CASE("a concluded case takes no more commands") {
  Hall hall(engine_rules());
  const CaseId id = hall.submit("C-INSTANT", "county", "w1a", {"申报表", "身份证明"});
  hall.act(id, Verb::refuse, "w1a", "不属于本机关职权范围");
  CHECK(hall.state(id) == CaseState::refused);
  CHECK(code_of([&] { hall.act(id, Verb::accept, "w1a"); }) == ErrorCode::invalid_transition);
  CHECK(hall.engine.available_actions(id, "w1a").empty());
}

TEST_CASE("the same inputs give the same history") {
  const auto run = [] {
    Hall hall(engine_rules());
    const CaseId id = hall.submit("C-JOINT", "county", "w1a", {"申请书"});
    hall.act(id, Verb::accept, "w1a");
    hall.act(id, Verb::review_pass, "w1a");
    hall.at("2025-03-20T09:00");
    std::vector<std::string> out;
    for (const Event& e : hall.view(id).history) {
      out.push_back(std::string(to_string(e.kind)) + "@" + e.time.to_string() + " " + e.detail);
    }
    return out;
  };
  CHECK(run() == run());
}

TEST_CASE("view and holder answer without the history; an unknown case is not_found") {
  Hall hall(workflow::testing::ningdu_rules());
  const CaseId id = workflow::testing::food_case_at_review(hall);
  const CaseView full = hall.engine.get(id);
  const CaseView cheap = hall.engine.view(id);
  CHECK(full.history.size() == 3);
  CHECK(cheap.history.empty());
  CHECK(cheap.state == full.state);
  CHECK(cheap.holder == full.holder);
  CHECK(cheap.post == full.post);
  CHECK(cheap.light == full.light);
  CHECK(cheap.promised_deadline == full.promised_deadline);
  CHECK(hall.engine.holder(id) == full.holder);
  CHECK(hall.engine.holder(id) != "nd-s001");  // the back office has it after 初审
  CHECK(code_of([&] { (void)hall.engine.view(id + 1); }) == ErrorCode::not_found);
  CHECK(code_of([&] { (void)hall.engine.holder(0); }) == ErrorCode::not_found);
}

TEST_CASE("a long midnight fires in slices: a command in between fires its own case's timers "
          "first, and every timer fires once") {
  Hall hall(workflow::testing::ningdu_rules(), "2025-03-03T09:00");
  // More light timers due at one midnight than one slice fires under the lock (2,048).
  constexpr CaseId kCases = 2200;
  for (CaseId i = 0; i < kCases; ++i) workflow::testing::food_case_at_review(hall);
  const std::string clerk = hall.engine.holder(kCases);
  bool asked = false;
  Light own = Light::none, other = Light::none;
  hall.engine.subscribe([&](const Event&) {
    if (asked) return;
    asked = true;  // between two slices: the engine's lock is free
    // The last case's light fires last in the midnight's order: the command fires it first.
    (void)code_of([&] { hall.act(kCases, Verb::issue, clerk); });
    own = hall.engine.view(kCases).light;
    other = hall.engine.view(kCases - 1).light;
  });
  hall.at("2025-03-10T00:00");
  REQUIRE(asked);
  CHECK(own == Light::yellow);
  CHECK(other == Light::green);  // not fired yet: the window docs/engine.md describes
  for (const CaseId id : {CaseId{1}, kCases - 1, kCases}) {
    CHECK(hall.view(id).light == Light::yellow);
    const std::vector<Event> h = hall.view(id).history;
    CHECK(std::count_if(h.begin(), h.end(), [](const Event& e) {
            return e.kind == EventKind::light_changed;
          }) == 1);
  }
}

namespace {

// A store written before StoreCommit::rules_version: it keeps the events it is given as they
// are (here in an SQLite store behind it, which would fill an empty version in) and does not
// override takes_commit_rules_version.
class OldContractStore final : public ForwardingStore {
 public:
  explicit OldContractStore(std::unique_ptr<CaseStore> inner) : ForwardingStore(std::move(inner)) {}
  std::uint64_t append(StoreCommit c) override {
    for (const Event& e : c.events) given_.push_back(e);
    c.rules_version.reset();  // it knows nothing of the field
    return inner().append(std::move(c));
  }
  std::vector<Event> given_;
};

// The same commands on `store`: a case submitted, accepted, then refused an act it may not do
// (an audited attempt). Returns what the observers saw.
std::vector<Event> run_commands(const std::shared_ptr<CaseStore>& store) {
  Hall hall(engine_rules(), "2026-12-01T09:00", Options{.store = store});
  std::vector<Event> seen;
  hall.engine.subscribe([&](const Event& e) { seen.push_back(e); });
  const CaseId id = hall.submit("C-COMMITTED", "county", "w1a", kFoodPermitMaterials);
  hall.act(id, Verb::accept, "w1a");
  CHECK(code_of([&] { hall.act(id, Verb::review_pass, "da"); }) == ErrorCode::permission_denied);
  hall.at("2027-01-04T09:00");
  return seen;
}

}  // namespace

TEST_CASE("engine: every event names its rule set, on every store and to every observer") {
  const std::string version = RuleSet::load(engine_rules()).version();
  TempDir dir;
  std::shared_ptr<CaseStore> sqlite = open_sqlite_store(dir / "shared.db");
  auto old = std::make_shared<OldContractStore>(open_sqlite_store(dir / "old.db"));
  std::shared_ptr<CaseStore> memory = make_memory_store();
  for (const auto& store : {sqlite, std::shared_ptr<CaseStore>(old), memory}) {
    const std::vector<Event> seen = run_commands(store);
    REQUIRE(seen.size() >= 3);
    for (const Event& e : seen) CHECK(e.rules_version == version);
    const std::vector<Event> history = store->history(1);
    REQUIRE(history.size() >= 3);
    for (const Event& e : history) CHECK(e.rules_version == version);
    for (const LoggedEvent& e : store->events_after(0, 100).events) {
      CHECK(e.event.rules_version == version);
    }
  }
  // A store of the old contract is given every event complete...
  REQUIRE_FALSE(old->given_.empty());
  for (const Event& e : old->given_) CHECK(e.rules_version == version);
  // ...and the chain it keeps is the one the shared version gives: same commands, same head.
  const LogBatch a = sqlite->events_after(0, 100), b = old->events_after(0, 100);
  CHECK(a.head_position == b.head_position);
  CHECK(a.head_hash == b.head_hash);
}
