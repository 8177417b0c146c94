// 办不成事反映窗口 as a path (issue 14): an application no single window can settle is sent to
// the window with a reason (by a window clerk or a supervisor), the window hands it to a unit
// with a due date in working days, and the window or the unit records the outcome. The
// coordination is a record of its own on the case view; the case's stage stays with its
// post, whose A and B keep their rights, and the unit's own A and B keep theirs on what they
// are asked to settle.
#include <algorithm>

#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

bool has(const std::vector<Verb>& verbs, Verb v) {
  return std::find(verbs.begin(), verbs.end(), v) != verbs.end();
}

const char* const kHistorical = "经营场所为历史遗留建筑，无法提供产权证明，需多部门协调";

// The food case at 市场监管局's review, sent by county window 1's clerk (nd-s001).
CaseId sent_food_case(Hall& hall) {
  const CaseId id = food_case_at_review(hall);
  hall.act(id, Verb::send_unresolved, "nd-s001", kHistorical);
  return id;
}

void hand(Hall& hall, CaseId id, const std::string& actor, const std::string& unit,
          int days = 0, const std::string& request_id = {}) {
  Action a;
  a.actor = actor;
  a.unit = unit;
  a.days = days;
  a.request_id = request_id;
  hall.engine.act(id, Verb::hand_to_unit, a);
}

}  // namespace

TEST_CASE("办不成事 path: a window clerk sends a case there with a reason; the record shows it") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  CHECK(has(hall.engine.available_actions(id, "nd-s001"), Verb::send_unresolved));
  hall.act(id, Verb::send_unresolved, "nd-s001", kHistorical);
  const CaseView v = hall.view(id);
  REQUIRE(v.coordination.has_value());
  CHECK(v.coordination->state == CoordinationState::coordinating);
  CHECK(v.coordination->window == "nd-unresolved");
  CHECK(v.coordination->window_office == "nd");
  CHECK(v.coordination->reason == kHistorical);
  CHECK(v.coordination->sent_by == "nd-s001");
  CHECK(v.coordination->sent_by_post == "nd-w01");
  CHECK(v.coordination->sent == day("2026-12-01"));
  CHECK_FALSE(v.coordination->handed.has_value());
  CHECK(v.history.back().kind == EventKind::send_unresolved);
  CHECK(v.history.back().post == "nd-w01");
  // The stage does not move: the department's post keeps it and its rights.
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holding == Holding::a_holder);
  CHECK(has(hall.engine.available_actions(id, "nd-s022"), Verb::review_pass));
  // The window coordinates: it may hand the case on, not decide in the department's place.
  const auto window = hall.engine.available_actions(id, "nd-s018");
  CHECK(has(window, Verb::hand_to_unit));
  CHECK_FALSE(has(window, Verb::review_pass));
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s001"), Verb::send_unresolved));
}

TEST_CASE("办不成事 path: the duty leader (a supervisor) may send a case there too") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  hall.act(id, Verb::send_unresolved, "nd-s017", "多部门职责交叉，申请人多次往返未办成");
  const CaseView v = hall.view(id);
  REQUIRE(v.coordination.has_value());
  CHECK(v.coordination->sent_by == "nd-s017");
  CHECK(v.coordination->sent_by_post == "nd-hall-duty");
}

TEST_CASE("办不成事 path: an outsider cannot send a case there; the attempt is audited") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  const std::size_t before = hall.view(id).history.size();
  // 税务局's reviewer holds no post that sends cases there.
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s030"), Verb::send_unresolved));
  Error e = error_of([&] { hall.act(id, Verb::send_unresolved, "nd-s030", kHistorical); });
  CHECK(e.code() == ErrorCode::permission_denied);
  CHECK(std::string(e.what()).find("sends_unresolved") != std::string::npos);
  // A township's window clerk does not send a county centre's case.
  e = error_of([&] { hall.act(id, Verb::send_unresolved, "nd-mj-s01", kHistorical); });
  CHECK(e.code() == ErrorCode::permission_denied);
  const CaseView v = hall.view(id);
  CHECK_FALSE(v.coordination.has_value());
  CHECK(v.history.size() == before + 2);
  CHECK(v.history.back().kind == EventKind::permission_denied);
  // A reason is required, whoever sends it.
  CHECK(error_of([&] { hall.act(id, Verb::send_unresolved, "nd-s001"); }).code() ==
        ErrorCode::invalid_argument);
  CHECK_FALSE(hall.view(id).coordination.has_value());
}

TEST_CASE("办不成事 path: sending in the wrong state is refused") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  // Once there, not twice.
  Error e = error_of([&] { hall.act(id, Verb::send_unresolved, "nd-s002", kHistorical); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  CHECK(std::string(e.what()).find("already") != std::string::npos);
  // A decided case is no longer to be settled.
  const CaseId decided = food_case_at_review(hall);
  hall.act(decided, Verb::review_pass, "nd-s022");
  hall.act(decided, Verb::approve, "nd-s024");
  REQUIRE(hall.state(decided) == CaseState::decided);
  CHECK_FALSE(has(hall.engine.available_actions(decided, "nd-s001"), Verb::send_unresolved));
  e = error_of([&] { hall.act(decided, Verb::send_unresolved, "nd-s001", kHistorical); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  CHECK_FALSE(hall.view(decided).coordination.has_value());
}

TEST_CASE("办不成事 path: the window hands the case to a unit with the rules' settle limit") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  hall.at("2026-12-02T10:00");
  hand(hall, id, "nd-s018", "nd-amr");
  const CaseView v = hall.view(id);
  REQUIRE(v.coordination.has_value());
  const CoordinationView& k = *v.coordination;
  CHECK(k.state == CoordinationState::handed);
  CHECK(k.unit == "nd-amr");
  CHECK(k.handed_by == "nd-s018");
  CHECK(k.handed == day("2026-12-02"));
  CHECK(k.settle_days == hall.engine.rules().policy().unresolved_settle_days);
  CHECK(k.settle_days == 10);
  CHECK(k.due == hall.engine.calendar().add_working_days(day("2026-12-02"), 10));
  CHECK(k.due == day("2026-12-16"));
  CHECK(k.light == Light::green);
  CHECK(v.history.back().kind == EventKind::hand_to_unit);
  CHECK(v.history.back().detail == "unit=nd-amr; settle_days=10; due=2026-12-16");
  // The window's B covers while A is away; its supervisor may also hand on (tested below).
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s018"), Verb::hand_to_unit));
  CHECK(has(hall.engine.available_actions(id, "nd-s018"), Verb::settle_unresolved));
}

TEST_CASE("办不成事 path: handing to a unit that does not exist or does not handle the matter") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  Error e = error_of([&] { hand(hall, id, "nd-s018", "nd-nowhere"); });
  CHECK(e.code() == ErrorCode::not_found);
  CHECK(std::string(e.what()) == "unknown unit 'nd-nowhere'");
  // 税务局 has nothing to do with a food licence: the error names who does.
  e = error_of([&] { hand(hall, id, "nd-s018", "nd-tax"); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("the units that do are nd-amr") != std::string::npos);
  CHECK(error_of([&] { hand(hall, id, "nd-s018", ""); }).code() == ErrorCode::invalid_argument);
  CHECK(error_of([&] { hand(hall, id, "nd-s018", "nd-amr", -1); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(hall.view(id).coordination->state == CoordinationState::coordinating);
}

TEST_CASE("办不成事 path: a joint case may go to any of its departments, by the window's supervisor") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = hall.submit("360730-ZJ-0001", "nd", "nd-s001", construction_materials());
  hall.act(id, Verb::send_unresolved, "nd-s001", "用地手续为历史遗留问题，涉及多个部门");
  hand(hall, id, "nd-s017", "nd-zrzy", 15);  // the duty leader supervises the window
  const CaseView v = hall.view(id);
  CHECK(v.coordination->unit == "nd-zrzy");
  CHECK(v.coordination->handed_by == "nd-s017");
  CHECK(v.coordination->settle_days == 15);
  CHECK(v.history.back().post == "nd-hall-duty");
}

TEST_CASE("办不成事 path: only the window hands on, and only what it holds, once") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId never_sent = food_case_at_review(hall);
  Error e = error_of([&] { hand(hall, never_sent, "nd-s018", "nd-amr"); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  CHECK(std::string(e.what()).find("send_unresolved first") != std::string::npos);
  const CaseId id = sent_food_case(hall);
  // The sender is not the window.
  e = error_of([&] { hand(hall, id, "nd-s001", "nd-amr"); });
  CHECK(e.code() == ErrorCode::permission_denied);
  CHECK(hall.view(id).history.back().kind == EventKind::permission_denied);
  hand(hall, id, "nd-s018", "nd-amr");
  e = error_of([&] { hand(hall, id, "nd-s018", "nd-amr", 5); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  CHECK(std::string(e.what()).find("handed to nd-amr") != std::string::npos);
  CHECK(hall.view(id).coordination->settle_days == 10);
}

TEST_CASE("办不成事 path: the unit's A keeps the right to settle while marked away") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  hand(hall, id, "nd-s018", "nd-amr");
  hall.engine.mark_away("nd-s022", AbsenceKind::field_work, hall.engine.now(),
                        DateTime::parse("2026-12-10T00:00"), "nd-s017");
  CHECK(has(hall.engine.available_actions(id, "nd-s022"), Verb::settle_unresolved));
  CHECK(has(hall.engine.available_actions(id, "nd-s023"), Verb::settle_unresolved));  // B
  CHECK(has(hall.engine.available_actions(id, "nd-s024"), Verb::settle_unresolved));  // chief
  hall.at("2026-12-08T15:00");
  hall.act(id, Verb::settle_unresolved, "nd-s022", "经现场核查，出具场所使用证明，可继续审批");
  const CaseView v = hall.view(id);
  const CoordinationView& k = *v.coordination;
  CHECK(k.state == CoordinationState::settled);
  CHECK(k.outcome == "经现场核查，出具场所使用证明，可继续审批");
  CHECK(k.settled_by == "nd-s022");
  CHECK(k.settled == day("2026-12-08"));
  CHECK(k.on_time);
  CHECK(v.history.back().kind == EventKind::settle_unresolved);
  CHECK(v.history.back().detail == "unit=nd-amr; due=2026-12-15; on_time=true; by=unit");
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s018"), Verb::settle_unresolved));
}

TEST_CASE("办不成事 path: the window may record the outcome; others may not") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  // Not before it is handed to a unit.
  Error e = error_of([&] { hall.act(id, Verb::settle_unresolved, "nd-s018", "协调完毕"); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  CHECK(std::string(e.what()).find("hand_to_unit first") != std::string::npos);
  hand(hall, id, "nd-s018", "nd-amr");
  // Another department's reviewer, and the clerk who sent it, may not.
  for (const char* outsider : {"nd-s030", "nd-s001"}) {
    CHECK_FALSE(has(hall.engine.available_actions(id, outsider), Verb::settle_unresolved));
    e = error_of([&] { hall.act(id, Verb::settle_unresolved, outsider, "协调完毕"); });
    CHECK(e.code() == ErrorCode::permission_denied);
    CHECK(std::string(e.what()).find("the unit it was handed to, nd-amr") != std::string::npos);
  }
  CHECK(hall.view(id).coordination->state == CoordinationState::handed);
  CHECK(hall.view(id).history.back().kind == EventKind::permission_denied);
  // The window's supervisor, the duty leader, records what the coordination settled.
  hall.act(id, Verb::settle_unresolved, "nd-s017", "协调市场监管局现场核查后办结");
  CHECK(hall.view(id).coordination->settled_by == "nd-s017");
  CHECK(hall.view(id).history.back().detail.find("by=window") != std::string::npos);
  // Once.
  e = error_of([&] { hall.act(id, Verb::settle_unresolved, "nd-s022", "再次办结"); });
  CHECK(e.code() == ErrorCode::invalid_transition);
}

TEST_CASE("办不成事 path: a light on the due date in working days, red when overdue, late outcome") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = sent_food_case(hall);
  hand(hall, id, "nd-s018", "nd-amr", 3);  // Tue 12-01 + 3 working days: Fri 12-04
  CHECK(hall.view(id).coordination->due == day("2026-12-04"));
  hall.at("2026-12-03T23:00");
  CHECK(hall.view(id).coordination->light == Light::green);
  hall.at("2026-12-04T09:00");  // its last day: yellow (yellow_days_left 1)
  CHECK(hall.view(id).coordination->light == Light::yellow);
  hall.at("2026-12-05T00:00");  // Saturday, the day after: red
  CaseView v = hall.view(id);
  CHECK(v.coordination->light == Light::red);
  CHECK(v.history.back().kind == EventKind::light_changed);
  CHECK(v.history.back().detail ==
        "task=coordination; from=yellow; to=red; unit=nd-amr; due=2026-12-04");
  CHECK(v.light == Light::green);  // the case's own light is its own
  hall.at("2026-12-07T10:00");
  hall.act(id, Verb::settle_unresolved, "nd-s023", "跨部门会商后同意继续办理");
  v = hall.view(id);
  CHECK_FALSE(v.coordination->on_time);
  CHECK(v.coordination->light == Light::red);  // frozen
  CHECK(v.history.back().detail.find("on_time=false") != std::string::npos);
}

TEST_CASE("办不成事 path: a due date in next year's calendar, and the light after reopening") {
  auto store = std::shared_ptr<CaseStore>(make_memory_store());
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-12-28T09:00", options);
    id = sent_food_case(hall);
    hand(hall, id, "nd-s018", "nd-amr", 5);
    const Date due = *hall.view(id).coordination->due;
    CHECK(due == hall.engine.calendar().add_working_days(day("2026-12-28"), 5));
    CHECK(due.year() == 2027);  // past 元旦
  }
  // The engine was down over the due date: the first advance turns the light red.
  Hall reopened(ningdu_rules(), "2027-01-20T09:00", options);
  CaseView v = reopened.view(id);
  REQUIRE(v.coordination.has_value());
  CHECK(v.coordination->state == CoordinationState::handed);
  CHECK(v.coordination->reason == kHistorical);
  CHECK(v.coordination->light == Light::green);
  reopened.at("2027-01-20T09:00");
  v = reopened.view(id);
  CHECK(v.coordination->light == Light::red);
  reopened.act(id, Verb::settle_unresolved, "nd-s024", "逾期办结");
  CHECK_FALSE(reopened.view(id).coordination->on_time);
}

TEST_CASE("办不成事 path: a retried command with its request id is done once") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  Action send;
  send.actor = "nd-s001";
  send.reason = kHistorical;
  send.request_id = "send-1";
  hall.engine.act(id, Verb::send_unresolved, send);
  hall.engine.act(id, Verb::send_unresolved, send);  // the retry: answered, not redone
  hand(hall, id, "nd-s018", "nd-amr", 0, "hand-1");
  hand(hall, id, "nd-s018", "nd-amr", 0, "hand-1");
  const auto kinds = hall.kinds(id);
  CHECK(std::count(kinds.begin(), kinds.end(), "send_unresolved") == 1);
  CHECK(std::count(kinds.begin(), kinds.end(), "hand_to_unit") == 1);
  // The same id with another unit is another command: refused.
  CHECK(error_of([&] { hand(hall, id, "nd-s018", "nd-tax", 0, "hand-1"); }).code() ==
        ErrorCode::invalid_argument);
}
