// Scenarios of the hall's working rules: AB岗 handoff when a clerk is away, the 办不成事
// window when both are, and county→township delegation in its three modes, including a
// delegation that lapses between two applications.
#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "sqlite_files.hpp"
#include "workflow/error.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const char* kFoodLicence = "360730-SCJG-0004";
const std::vector<std::string>& kFoodMaterials = food_licence_materials();

// A hall on an SQLite file, opened again as a hall system restarts (one engine at a time).
struct HallOnFile {
  explicit HallOnFile(std::string rules_dir) : rules(std::move(rules_dir)) {}
  std::unique_ptr<Engine> open() const {
    Options o;
    o.store = open_sqlite_store(db);
    return std::make_unique<Engine>(RuleSet::load(rules), shipped_calendar(), clock, o);
  }
  std::string rules;
  TempDir dir;
  std::filesystem::path db = dir / "hall.db";
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(DateTime::parse("2026-12-01T09:00"));
};

}  // namespace

TEST_CASE("AB岗: the reviewer goes on leave mid-case and B takes the stage over") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  REQUIRE(hall.view(id).holder == "nd-s022");
  // B may not act while A is at work.
  CHECK_THROWS_AS(hall.act(id, Verb::review_pass, "nd-s023"), Error);

  hall.clock->set(DateTime::parse("2025-03-04T09:00"));
  // The duty officer (值班长, nd-s017) puts it on the status board.
  hall.engine.mark_away("nd-s022", AbsenceKind::leave, DateTime::parse("2025-03-04T09:00"),
                        DateTime::parse("2025-03-07T00:00"), "nd-s017", "board-0304-1");
  CaseView v = hall.view(id);
  CHECK(v.history.back().reason.find("as recorded by nd-s017") != std::string::npos);
  // A retried board entry changes nothing; the same id for another entry is a mistake.
  hall.engine.mark_away("nd-s022", AbsenceKind::leave, DateTime::parse("2025-03-04T09:00"),
                        DateTime::parse("2025-03-07T00:00"), "nd-s017", "board-0304-1");
  CHECK(hall.view(id).history.size() == v.history.size());
  CHECK_THROWS_AS(hall.engine.mark_back("nd-s022", "nd-s017", "board-0304-1"), Error);
  CHECK_THROWS_AS(hall.engine.mark_away("nd-s022", AbsenceKind::leave,
                                        DateTime::parse("2025-03-04T09:00"),
                                        DateTime::parse("2025-03-07T00:00"), "ghost"),
                  Error);
  CHECK(v.holder == "nd-s023");
  CHECK(v.holding == Holding::b_covering);
  CHECK(v.history.back().kind == EventKind::handoff);
  CHECK(v.history.back().detail == "post=nd-amr-review; from=nd-s022; to=nd-s023");
  // A new case arriving meanwhile goes to B as well.
  const CaseId second = food_case_at_review(hall);
  CHECK(hall.view(second).holder == "nd-s023");
  // A, away, cannot act; B can.
  CHECK_THROWS_AS(hall.act(id, Verb::review_pass, "nd-s022"), Error);
  hall.act(id, Verb::review_pass, "nd-s023");
  CHECK(hall.view(id).post == "nd-amr-chief");

  // A is back: new work goes to A again; what B took over stays with B.
  hall.at("2025-03-07T09:00");
  const CaseId third = food_case_at_review(hall);
  CHECK(hall.view(third).holder == "nd-s022");
  CHECK(hall.view(third).holding == Holding::a_holder);
  CHECK(hall.view(second).holder == "nd-s023");
}

TEST_CASE("AB岗: an absence announced ahead starts on time; mark_back ends it at once") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  hall.engine.mark_away("nd-s022", AbsenceKind::field_work, DateTime::parse("2025-03-05T08:00"),
                        DateTime::parse("2025-03-06T18:00"), "nd-s022");
  hall.at("2025-03-05T07:59");
  CHECK(hall.view(id).holder == "nd-s022");
  hall.at("2025-03-05T08:00");
  CHECK(hall.view(id).holder == "nd-s023");
  CHECK(hall.view(id).history.back().time == DateTime::parse("2025-03-05T08:00"));
  hall.engine.mark_back("nd-s022", "nd-s022");
  CHECK(hall.view(food_case_at_review(hall)).holder == "nd-s022");
  CHECK_THROWS_AS(hall.engine.mark_away("nd-s022", AbsenceKind::out,
                                        DateTime::parse("2025-03-05T10:00"),
                                        DateTime::parse("2025-03-05T10:00"), "nd-s017"),
                  Error);
  CHECK_THROWS_AS(hall.engine.mark_away("nobody", AbsenceKind::out,
                                        DateTime::parse("2025-03-05T10:00"),
                                        DateTime::parse("2025-03-05T11:00"), "nd-s017"),
                  Error);
}

TEST_CASE("AB岗: with A and B both away the case goes to the 办不成事 window, flagged") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  hall.engine.mark_away("nd-s023", AbsenceKind::vacation, DateTime::parse("2025-03-03T09:00"),
                        DateTime::parse("2025-03-10T00:00"), "nd-s017");
  hall.engine.mark_away("nd-s022", AbsenceKind::leave, DateTime::parse("2025-03-03T09:00"),
                        DateTime::parse("2025-03-10T00:00"), "nd-s017");
  CaseView v = hall.view(id);
  CHECK(v.holding == Holding::unresolved);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.holder == "nd-s018");
  CHECK(v.history.back().kind == EventKind::routed_unresolved);
  CHECK(hall.engine.list({.post = "nd-unresolved"}).size() == 1);
  // The 办不成事 window coordinates; it does not pass the department's review in its place
  // (tests/scenario_unresolved_test.cpp); the reviewers' supervisor may.
  CHECK(error_of([&] { hall.act(id, Verb::review_pass, "nd-s018"); }).code() ==
        ErrorCode::permission_denied);
  hall.act(id, Verb::review_pass, "nd-s024");
  CHECK(hall.view(id).post == "nd-amr-chief");
  CHECK(hall.view(id).holding == Holding::a_holder);
}

TEST_CASE("AB岗: a post with no 办不成事 window above keeps its case with A, and gives it to "
          "whichever of A and B is back first") {
  // The engine test hall: the city's review post (c-review: ca, cb) decides reported-up
  // cases, and neither the city nor any office above it has a 办不成事 window.
  Hall hall(engine_rules(), "2026-12-01T09:00");
  const CaseId id = hall.submit("C-ESCALATED", "county", "w1a", {"申请书"});
  hall.act(id, Verb::accept, "w1a");
  hall.act(id, Verb::review_pass, "w1a");
  hall.act(id, Verb::report_up, "ra");
  REQUIRE(hall.view(id).post == "c-review");
  REQUIRE(hall.view(id).holder == "ca");
  hall.engine.mark_away("cb", AbsenceKind::leave, DateTime::parse("2026-12-01T09:00"),
                        DateTime::parse("2026-12-03T09:00"), "cb");
  hall.engine.mark_away("ca", AbsenceKind::leave, DateTime::parse("2026-12-01T09:00"),
                        DateTime::parse("2026-12-08T09:00"), "ca");
  CaseView v = hall.view(id);
  CHECK(v.post == "c-review");
  CHECK(v.holder == "ca");
  CHECK(v.holding == Holding::unresolved);
  CHECK(v.history.back().kind == EventKind::routed_unresolved);
  // Both keep their rights on it meanwhile, as they would at a window.
  CHECK(!hall.engine.available_actions(id, "cb").empty());
  // cb's leave ends first: the case is cb's to decide, not left with ca, who is still away.
  hall.at("2026-12-03T09:30");
  v = hall.view(id);
  CHECK(v.post == "c-review");
  CHECK(v.holder == "cb");
  CHECK(v.holding == Holding::b_covering);
  CHECK(v.history.back().kind == EventKind::routed);
  CHECK(v.history.back().reason.find("cb is back") == 0);
  hall.act(id, Verb::higher_approve, "cb");
  CHECK(hall.view(id).state == CaseState::decided);
}

TEST_CASE("AB岗: B going away with what B took over gives it back to A, recorded, and the "
          "SQLite store reopens") {
  const HallOnFile hall(engine_rules());
  const auto& clock = hall.clock;
  const auto open = [&] { return hall.open(); };
  CaseId id = 0;
  {
    auto e = open();
    Action a;
    a.actor = "w1a";
    id = e->submit({"C-COMMITTED", "county", "w1a", "甲", {"申请书", "身份证明", "经营场所证明"}});
    e->act(id, Verb::accept, a);
    e->act(id, Verb::review_pass, a);
    REQUIRE(e->view(id).holder == "ra");
    // ra on leave: rb takes the stage; ra back: what rb took over stays with rb.
    e->mark_away("ra", AbsenceKind::leave, DateTime::parse("2026-12-01T09:00"),
                 DateTime::parse("2026-12-03T09:00"), "ra");
    CHECK(e->view(id).holder == "rb");
    clock->set(DateTime::parse("2026-12-02T09:00"));
    e->mark_back("ra", "ra");
    CHECK(e->view(id).holder == "rb");
    // Then rb goes on leave: the stage goes back to ra, at work, with an event saying so.
    clock->set(DateTime::parse("2026-12-14T09:00"));
    e->mark_away("rb", AbsenceKind::leave, DateTime::parse("2026-12-14T09:00"),
                 DateTime::parse("2026-12-16T09:00"), "rb");
    const CaseView v = e->get(id);
    CHECK(v.holder == "ra");
    CHECK(v.holding == Holding::a_holder);
    CHECK(v.history.back().kind == EventKind::handoff);
    CHECK(v.history.back().detail == "post=amr-review; from=rb; to=ra");
  }
  // Every snapshot is sealed by an event of the log: the store opens (it refused to, "the
  // snapshot of case 1 is not sealed by any event of the log", when the move went
  // unrecorded), and the case is where it was.
  auto reopened = open();
  CHECK(reopened->view(id).holder == "ra");
  Action decide;
  decide.actor = "ra";
  reopened->act(id, Verb::review_pass, decide);
  CHECK(reopened->view(id).post == "amr-decide");
}

TEST_CASE("AB岗: a case the 办不成事 window holds for its post still goes home when the window's "
          "own A and B were away meanwhile") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  const auto away = [&](const char* who, const char* until) {
    hall.engine.mark_away(who, AbsenceKind::leave, hall.clock->now(), DateTime::parse(until),
                          "nd-s017");
  };
  away("nd-s023", "2026-12-10T09:00");  // the reviewers' B, then A: to the window
  away("nd-s022", "2026-12-04T09:00");
  REQUIRE(hall.view(id).post == "nd-unresolved");
  REQUIRE(hall.view(id).holder == "nd-s018");
  hall.at("2026-12-02T09:00");
  away("nd-s019", "2026-12-08T09:00");  // the window's B, then A
  away("nd-s018", "2026-12-08T09:00");
  CHECK(hall.view(id).post == "nd-unresolved");
  CHECK(hall.view(id).holding == Holding::unresolved);
  // The reviewer is back first: the case goes home to its post, to nd-s022.
  hall.at("2026-12-04T09:30");
  const CaseView v = hall.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holder == "nd-s022");
  CHECK(v.holding == Holding::a_holder);
}

TEST_CASE("AB岗: the 办不成事 window's clerk back first takes the case its other clerk, away, "
          "was left with") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  const auto away = [&](const char* who) {
    hall.engine.mark_away(who, AbsenceKind::leave, hall.clock->now(),
                          DateTime::parse("2026-12-10T09:00"), "nd-s017");
  };
  away("nd-s023");  // the reviewers' B, then A: to the window, whose A is nd-s018
  away("nd-s022");
  REQUIRE(hall.view(id).holder == "nd-s018");
  hall.at("2026-12-01T10:00");
  away("nd-s018");  // the window's A: its B takes it
  REQUIRE(hall.view(id).holder == "nd-s019");
  hall.at("2026-12-01T11:00");
  away("nd-s019");  // both window clerks away: left flagged with the window's A
  REQUIRE(hall.view(id).holder == "nd-s018");
  // nd-s019 is back first: the case goes to the one at work, still waiting for its post
  // (it stayed with nd-s018, away until the 10th, though nd-s019 was at the window).
  hall.at("2026-12-02T09:00");
  hall.engine.mark_back("nd-s019", "nd-s017");
  const CaseView v = hall.engine.get(id);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.holder == "nd-s019");
  CHECK(v.holding == Holding::unresolved);
  CHECK(v.history.back().kind == EventKind::routed_unresolved);
  // The reviewer back: home, as always.
  hall.at("2026-12-03T09:00");
  hall.engine.mark_back("nd-s022", "nd-s017");
  CHECK(hall.view(id).post == "nd-amr-review");
  CHECK(hall.view(id).holder == "nd-s022");
}

TEST_CASE("AB岗: reopening hands nothing over again, and dates nothing in the past") {
  const HallOnFile hall(ningdu_rules());
  const auto& clock = hall.clock;
  const auto open = [&] { return hall.open(); };
  CaseId id = 0;
  std::size_t events = 0;
  {
    auto e = open();
    Action a;
    a.actor = "nd-s001";
    id = e->submit({kFoodLicence, "nd", "nd-s001", "甲", kFoodMaterials});
    e->act(id, Verb::accept, a);
    e->act(id, Verb::review_pass, a);
    const auto away = [&](const char* who, const char* at) {
      clock->set(DateTime::parse(at));
      e->mark_away(who, AbsenceKind::leave, clock->now(), DateTime::parse("2026-12-10T09:00"),
                   "nd-s017");
    };
    away("nd-s018", "2026-12-01T09:00");  // the window's A, holding nothing yet
    away("nd-s023", "2026-12-01T09:10");  // the reviewers' B, then A: to the window's B
    away("nd-s022", "2026-12-01T09:20");
    REQUIRE(e->view(id).holder == "nd-s019");
    away("nd-s019", "2026-12-01T09:30");  // both window clerks away: flagged with its A
    REQUIRE(e->view(id).holder == "nd-s018");
    events = e->get(id).history.size();
  }
  // Reopened at 10:00: the absences' starts fire again. Fired at their past times they
  // routed by who was away then (at 09:00 the reviewer was at work): the case went to
  // nd-s022 with a handoff dated 09:00, then back to the window, three events recorded
  // after those of 09:20 and 09:30.
  clock->set(DateTime::parse("2026-12-01T10:00"));
  auto e = open();
  e->advance_to(clock->now());
  const CaseView v = e->get(id);
  CHECK(v.holder == "nd-s018");
  CHECK(v.holding == Holding::unresolved);
  CHECK(v.history.size() == events);
  for (std::size_t i = 1; i < v.history.size(); ++i) {
    CHECK_MESSAGE(v.history[i - 1].time <= v.history[i].time, "event ", i + 1, " of case ", id);
  }
}

TEST_CASE("AB岗: the 办不成事 window's own B covering for its A still gives the case back to its "
          "post") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  for (const char* who : {"nd-s023", "nd-s022"}) {
    hall.engine.mark_away(who, AbsenceKind::leave, hall.clock->now(),
                          DateTime::parse("2026-12-04T09:00"), "nd-s017");
  }
  REQUIRE(hall.view(id).holder == "nd-s018");
  hall.at("2026-12-02T09:00");
  hall.engine.mark_away("nd-s018", AbsenceKind::leave, hall.clock->now(),
                        DateTime::parse("2026-12-08T09:00"), "nd-s017");
  CaseView v = hall.view(id);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.holder == "nd-s019");
  CHECK(v.holding == Holding::unresolved);  // still waiting for its post, not the window's
  hall.at("2026-12-04T09:30");
  v = hall.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holder == "nd-s022");
}

TEST_CASE("委托: 赖村's food-licence delegation lapses between two applications") {
  Hall hall(ningdu_rules(), "2025-12-30T09:00");
  const CaseId before = hall.submit(kFoodLicence, "nd-lc", "nd-lc-s01", kFoodMaterials);
  CaseView v = hall.view(before);
  CHECK(v.accepting_office == "nd-lc");
  CHECK(v.delegation == "dlg-2025-lc-spjy");
  CHECK(v.delegation_mode == DelegationMode::partial);
  hall.act(before, Verb::accept, "nd-lc-s01");
  // Partial: the township pre-reviews, the county reviews and decides.
  CHECK(hall.view(before).post == "nd-lc-w-zh");
  CHECK(hall.view(before).promised_deadline == day("2026-01-07"));  // 12-31, 01-04 (调休), 05, 06, 07
  hall.act(before, Verb::review_pass, "nd-lc-s01");
  CHECK(hall.view(before).office == "nd");

  // 2026: the delegation was not renewed for 赖村. The next application goes to the county.
  hall.at("2026-01-05T09:00");
  const CaseId after = hall.submit(kFoodLicence, "nd-lc", "nd-lc-s01", kFoodMaterials);
  v = hall.view(after);
  CHECK(v.accepting_office == "nd");
  CHECK(v.delegation.empty());
  CHECK(v.first_handler == "nd-lc-s01");
  CHECK(v.history[0].reason.find("no delegation") != std::string::npos);

  // The case accepted under the delegation keeps its route: decided at the county, issued
  // at the township window.
  hall.act(before, Verb::review_pass, "nd-s022");
  hall.act(before, Verb::approve, "nd-s024");
  CHECK(hall.view(before).post == "nd-lc-w-zh");
  hall.act(before, Verb::issue, "nd-lc-s01");
  CHECK(hall.state(before) == CaseState::issued);
}

TEST_CASE("委托 window-forward: the township receives and issues, the county does the rest") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-SCJG-0003", "nd-mj", "nd-mj-s01",
                                {"个体工商户登记（备案）申请书", "经营者身份证明", "经营场所使用证明"});
  hall.act(id, Verb::accept, "nd-mj-s01");
  CaseView v = hall.view(id);
  CHECK(v.delegation_mode == DelegationMode::window_forward);
  CHECK(v.office == "nd");  // preliminary review at a county window
  CHECK(v.post == "nd-w01");
  hall.act(id, Verb::review_pass, "nd-s001");
  hall.act(id, Verb::approve, "nd-s022");
  v = hall.view(id);
  CHECK(v.office == "nd-mj");
  CHECK(v.post == "nd-mj-w-zh");
}

TEST_CASE("委托 full: 梅江 decides temporary assistance itself, in the county bureau's name") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-MZ-0001", "nd-mj", "nd-mj-s01",
                                {"临时救助申请书", "居民身份证及户口簿", "遭遇困难的有关证明材料"});
  hall.act(id, Verb::accept, "nd-mj-s01");
  hall.act(id, Verb::review_pass, "nd-mj-s01");
  CaseView v = hall.view(id);
  CHECK(v.delegation_mode == DelegationMode::full);
  CHECK(v.post == "nd-mj-mzb-review");
  CHECK(v.office == "nd-mj");
  hall.act(id, Verb::review_pass, "nd-mj-s10");  // both stages are the township's
  CHECK(hall.view(id).post == "nd-mj-mzb-review");
  hall.act(id, Verb::approve, "nd-mj-s10");
  CHECK(hall.view(id).state == CaseState::decided);
  const auto history = hall.view(id).history;
  const auto approve = std::find_if(history.begin(), history.end(),
                                    [](const Event& e) { return e.kind == EventKind::approve; });
  REQUIRE(approve != history.end());
  CHECK(approve->detail == "in_name_of=nd-mzj");
  CHECK(approve->office == "nd-mj");
  const auto kinds = hall.kinds(id);
  CHECK(std::find(kinds.begin(), kinds.end(), "routed") == kinds.end());  // never left 梅江
}

TEST_CASE("status board: only the person, their unit's leader or the duty officer records an absence") {
  Hall hall(ningdu_rules(), "2026-03-02T09:00");
  const DateTime from = DateTime::parse("2026-03-03T08:00"), until = DateTime::parse("2026-03-04T00:00");
  const auto refused = [&](const char* actor) {
    return error_of([&] { hall.engine.mark_away("nd-s022", AbsenceKind::leave, from, until, actor); });
  };
  // B of the post may not send A away to take A's cases; nor a window clerk, a village agent,
  // nobody named, or the engine's own name.
  CHECK(refused("nd-s023").code() == ErrorCode::permission_denied);
  CHECK(std::string(refused("nd-s023").what()).find("duty officer") != std::string::npos);
  CHECK(refused("nd-s001").code() == ErrorCode::permission_denied);
  CHECK(refused("nd-mj-v1-s1").code() == ErrorCode::permission_denied);
  CHECK(refused("").code() == ErrorCode::permission_denied);
  CHECK(refused("system").code() == ErrorCode::not_found);
  CHECK(error_of([&] { hall.engine.mark_back("nd-s022", "nd-s023"); }).code() ==
        ErrorCode::permission_denied);
  // The person, the leader of the unit (市场监管局首席代表, supervisor of 审核岗) and the county
  // centre's duty officer may; so may a township director for a village agent of the township.
  hall.engine.mark_away("nd-s022", AbsenceKind::leave, from, until, "nd-s022");
  hall.engine.mark_back("nd-s022", "nd-s024");
  hall.engine.mark_away("nd-s022", AbsenceKind::field_work, from, until, "nd-s017");
  hall.engine.mark_away("nd-mj-v1-s1", AbsenceKind::leave, from, until, "nd-mj-s08");
  // ... but not for the county's clerks.
  CHECK(error_of([&] {
          hall.engine.mark_away("nd-s001", AbsenceKind::leave, from, until, "nd-mj-s08");
        }).code() == ErrorCode::permission_denied);
}
