// Scenarios named after the time limits of the law beyond a case's own deadlines (issue 13):
// §43 (the lower level's review of a 上报件), §44 (issuing an approval), the stages' own
// times (环节时限) and the follow-up of an approval on commitment (告知承诺,
// 国办发〔2020〕42号), with 容缺 and 告知承诺 on one acceptance.
#include <doctest/doctest.h>

#include <algorithm>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const std::string kFuel = "360730-SWJ-0001";      // 上报件: the county reviews, the city decides
const std::string kCompany = "360730-SCJG-0001";  // 企业设立登记: 告知承诺 allowed
const std::string kFood = "360730-SCJG-0004";     // 食品经营许可: stages with their own times

std::vector<std::string> materials_of(const Hall& hall, const std::string& code) {
  std::vector<std::string> out;
  const RuleSet& rules = hall.engine.rules();
  for (const Material& m : rules.matter(*rules.find_matter(code)).materials) out.push_back(m.name);
  return out;
}

std::vector<std::string> without(std::vector<std::string> all, const std::string& name) {
  all.erase(std::remove(all.begin(), all.end(), name), all.end());
  return all;
}

int count_of(const Hall& hall, CaseId id, const char* kind) {
  const auto kinds = hall.kinds(id);
  return static_cast<int>(std::count(kinds.begin(), kinds.end(), kind));
}

const Event* last_of(const CaseView& v, EventKind kind) {
  const Event* found = nullptr;
  for (const Event& e : v.history) {
    if (e.kind == kind) found = &e;
  }
  return found;
}

Date add(const Hall& hall, const char* from, int days) {
  return hall.engine.calendar().add_working_days(day(from), days);
}

void at_day(Hall& hall, Date d, const char* time = "T09:00") {
  hall.engine.advance_to(DateTime::parse((d.to_string() + time).c_str()));
}

void accept_on(Hall& hall, CaseId id, const std::string& actor, bool promise, bool tolerate) {
  Action a;
  a.actor = actor;
  a.on_promise = promise;
  a.tolerate_missing = tolerate;
  hall.engine.act(id, Verb::accept, a);
}

}  // namespace

TEST_CASE("§43: the county reviews a 上报件 and reports up within 20 working days") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId late = hall.submit(kFuel, "nd", "nd-s001", materials_of(hall, kFuel));
  const CaseId prompt = hall.submit(kFuel, "nd", "nd-s001", materials_of(hall, kFuel));
  for (const CaseId id : {late, prompt}) {
    hall.act(id, Verb::accept, "nd-s001");
    hall.act(id, Verb::review_pass, "nd-s001");
  }
  const Date due = add(hall, "2026-11-30", 20);  // into the next year
  CHECK(hall.view(late).escalation_review_deadline == due);
  CHECK(hall.view(late).escalation_review_light == Light::green);

  hall.act(prompt, Verb::report_up, "nd-s078");
  at_day(hall, due);
  CHECK(hall.view(late).escalation_review_light == Light::yellow);
  CHECK(count_of(hall, late, "escalation_review_overdue") == 0);
  at_day(hall, due + 1, "T00:00");
  const CaseView v = hall.view(late);
  CHECK(v.escalation_review_light == Light::red);
  REQUIRE(count_of(hall, late, "escalation_review_overdue") == 1);
  const Event* overdue = last_of(v, EventKind::escalation_review_overdue);
  CHECK(overdue->reason.find("§43") != std::string::npos);
  CHECK(overdue->detail.find("due=" + due.to_string()) != std::string::npos);
  CHECK(overdue->detail.find("post=nd-swj-review") != std::string::npos);

  // Reported up late: the light stays red, the event is not repeated.
  hall.act(late, Verb::report_up, "nd-s078");
  at_day(hall, due + 10);
  CHECK(hall.view(late).escalation_review_light == Light::red);
  CHECK(count_of(hall, late, "escalation_review_overdue") == 1);
  // Reported up in time: green, frozen, nothing recorded.
  CHECK(hall.view(prompt).escalation_review_light == Light::green);
  CHECK(count_of(hall, prompt, "escalation_review_overdue") == 0);
  // The city's own decision has no §43 timer.
  CHECK(hall.view(prompt).state == CaseState::escalated);
}

TEST_CASE("§44: an approval is issued within 10 working days of the decision") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId slow = food_case_at_review(hall);
  const CaseId quick = food_case_at_review(hall);
  for (const CaseId id : {slow, quick}) {
    hall.act(id, Verb::review_pass, "nd-s022");
    hall.act(id, Verb::approve, "nd-s024");
  }
  const Date due = add(hall, "2026-11-30", 10);
  CHECK(hall.view(slow).issue_deadline == due);
  CHECK(hall.view(slow).issue_light == Light::green);
  hall.act(quick, Verb::issue, "nd-s001");

  at_day(hall, due + 1, "T00:00");
  const CaseView v = hall.view(slow);
  CHECK(v.issue_light == Light::red);
  REQUIRE(count_of(hall, slow, "issue_overdue") == 1);
  CHECK(last_of(v, EventKind::issue_overdue)->reason.find("§44") != std::string::npos);
  hall.act(slow, Verb::issue, "nd-s001");
  CHECK(hall.view(slow).issue_light == Light::red);  // frozen: it was late
  CHECK(hall.view(quick).issue_light == Light::green);
  CHECK(count_of(hall, quick, "issue_overdue") == 0);

  // A denial issues no licence: no §44 deadline.
  const CaseId denied = food_case_at_review(hall);
  hall.act(denied, Verb::review_pass, "nd-s022");
  hall.act(denied, Verb::deny, "nd-s024", "场所不符合要求");
  CHECK_FALSE(hall.view(denied).issue_deadline.has_value());
  CHECK(hall.view(denied).issue_light == Light::none);
}

TEST_CASE("环节超时: a stage that overruns its share_days shows which unit holds the case up") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = food_case_at_review(hall);  // 材料审查及现场核查: 3 working days
  CaseView v = hall.view(id);
  CHECK(v.stage == "材料审查及现场核查");
  const Date due = add(hall, "2026-11-30", 3);
  CHECK(v.stage_deadline == due);
  CHECK(v.stage_light == Light::green);
  CHECK(v.overdue_stages.empty());

  at_day(hall, due + 1, "T00:00");
  v = hall.view(id);
  CHECK(v.stage_light == Light::red);
  REQUIRE(count_of(hall, id, "stage_overdue") == 1);
  const Event* overdue = last_of(v, EventKind::stage_overdue);
  CHECK(overdue->detail == "stage=材料审查及现场核查; unit=nd-amr; post=nd-amr-review; due=" +
                               due.to_string());
  CHECK(v.overdue_stages == std::vector<std::string>{"材料审查及现场核查"});
  // The case's own light is still green: the promise (5 days) is not over yet.
  CHECK(v.light != Light::red);

  // The next stage has its own time (许可决定: 2 days) from the day it gets the case.
  const Date today = hall.engine.now().date();
  hall.act(id, Verb::review_pass, "nd-s022");
  v = hall.view(id);
  CHECK(v.stage == "许可决定");
  CHECK(v.stage_deadline == hall.engine.calendar().add_working_days(today, 2));
  CHECK(v.stage_light == Light::green);
  CHECK(v.overdue_stages == std::vector<std::string>{"材料审查及现场核查"});
}

TEST_CASE("环节超时: a joint department silent past its share is recorded without deeming") {
  // 企业开办“一件事”: five departments, one working day each, no deemed approval.
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const std::string code = "360730-SCJG-0002";
  const CaseId id = hall.submit(code, "nd", "nd-s098", materials_of(hall, code));
  hall.act(id, Verb::accept, "nd-s098");
  hall.act(id, Verb::review_pass, "nd-s098");
  REQUIRE(hall.state(id) == CaseState::opinions);
  hall.act(id, Verb::opinion_agree, "nd-s022");  // 设立登记 answers at once
  at_day(hall, add(hall, "2026-11-30", 1) + 1, "T00:00");
  const CaseView v = hall.view(id);
  CHECK(count_of(hall, id, "stage_overdue") == 4);
  CHECK(count_of(hall, id, "opinion_deemed") == 0);
  CHECK(v.overdue_stages.size() == 4);
  CHECK(std::find(v.overdue_stages.begin(), v.overdue_stages.end(), "设立登记") ==
        v.overdue_stages.end());
  CHECK(v.state == CaseState::opinions);  // still waiting: silence is not consent here
}

TEST_CASE("告知承诺: the commitment is verified in time, or the approval is revoked") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const std::string premises = "住所（经营场所）使用证明";
  const auto on_commitment = [&] {
    const CaseId id =
        hall.submit(kCompany, "nd", "nd-s001", without(materials_of(hall, kCompany), premises));
    accept_on(hall, id, "nd-s001", true, false);
    return id;
  };
  const CaseId honest = on_commitment(), false_one = on_commitment(), forgotten = on_commitment();
  const CaseId ordinary = food_case_at_review(hall);
  CaseView v = hall.view(honest);
  CHECK(v.state == CaseState::decided);
  CHECK(v.on_promise);
  // The proof the commitment stands in for is excused, not missing.
  CHECK(v.missing_materials.empty());
  CHECK(v.excused_materials == std::vector<std::string>{premises});
  CHECK(v.verification == Verification::pending);
  // The matter's own verification days (10), not the policy's 20.
  const Date due = add(hall, "2026-11-30", 10);
  CHECK(v.verification_deadline == due);
  CHECK(v.verification_light == Light::green);
  CHECK(hall.view(ordinary).verification == Verification::none);

  // The lists a supervisor asks for.
  CaseFilter promised;
  promised.on_promise = true;
  CHECK(hall.engine.list(promised).size() == 3);
  CaseFilter to_verify;
  to_verify.verification_due = true;
  CHECK(hall.engine.list(to_verify).size() == 3);

  for (const CaseId id : {honest, false_one, forgotten}) hall.act(id, Verb::issue, "nd-s001");
  // Verification is the deciding organ's: the window may not record it.
  const Error window = error_of([&] { hall.act(honest, Verb::confirm_promise, "nd-s001"); });
  CHECK(window.code() == ErrorCode::permission_denied);
  hall.act(honest, Verb::confirm_promise, "nd-s022", "现场核查属实");
  CHECK(hall.view(honest).verification == Verification::confirmed);
  CHECK(error_of([&] { hall.act(honest, Verb::revoke, "nd-s024", "x"); }).code() ==
        ErrorCode::invalid_transition);  // nothing false was found

  hall.act(false_one, Verb::false_promise, "nd-s022", "住所为虚假地址");
  // 撤销 is the organ head's: the reviewer may not revoke.
  CHECK(error_of([&] { hall.act(false_one, Verb::revoke, "nd-s022", "虚假承诺"); }).code() ==
        ErrorCode::permission_denied);
  CHECK(error_of([&] { hall.act(false_one, Verb::revoke, "nd-s024"); }).code() ==
        ErrorCode::invalid_argument);  // a reason is required
  const auto actions = hall.engine.available_actions(false_one, "nd-s024");
  CHECK(std::find(actions.begin(), actions.end(), Verb::revoke) != actions.end());
  hall.act(false_one, Verb::revoke, "nd-s024", "申请人作出虚假承诺，撤销登记");
  v = hall.view(false_one);
  CHECK(v.state == CaseState::revoked);
  const Event* revoked = last_of(v, EventKind::revoke);
  REQUIRE(revoked != nullptr);
  CHECK(revoked->reason == "申请人作出虚假承诺，撤销登记");
  CHECK(revoked->detail.find("was=issued") != std::string::npos);
  CHECK(hall.engine.list(to_verify).size() == 1);  // only the forgotten one

  at_day(hall, due + 1, "T00:00");
  v = hall.view(forgotten);
  CHECK(v.verification_light == Light::red);
  CHECK(count_of(hall, forgotten, "verification_overdue") == 1);
  CHECK(hall.view(honest).verification_light == Light::green);
  CHECK(count_of(hall, honest, "verification_overdue") == 0);
  // Still verifiable late; the event says so.
  hall.act(forgotten, Verb::confirm_promise, "nd-s022");
  CHECK(last_of(hall.view(forgotten), EventKind::confirm_promise)->detail.find("on_time=false") !=
        std::string::npos);
}

TEST_CASE("容缺 + 告知承诺: one acceptance combines them where the matter allows both") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const std::string premises = "住所（经营场所）使用证明", charter = "公司章程";
  const CaseId id = hall.submit(
      kCompany, "nd", "nd-s001", without(without(materials_of(hall, kCompany), premises), charter));
  accept_on(hall, id, "nd-s001", true, true);
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.on_promise);
  // The 容缺 material is owed by a day; the commitment excuses the rest.
  CHECK(v.missing_materials == std::vector<std::string>{premises});
  CHECK(v.excused_materials == std::vector<std::string>{charter});
  CHECK(v.supplement_deadline == add(hall, "2026-11-30", 5));
  CHECK(error_of([&] { hall.act(id, Verb::issue, "nd-s001"); }).code() ==
        ErrorCode::invalid_transition);
  Action brought;
  brought.actor = "nd-s001";
  brought.materials = {premises};
  hall.engine.act(id, Verb::supplement, brought);
  hall.act(id, Verb::issue, "nd-s001");
  CHECK(hall.state(id) == CaseState::issued);

  // Not where the matter does not allow 告知承诺 (食品经营许可: a food-safety matter).
  const CaseId food = hall.submit(kFood, "nd", "nd-s001", food_licence_required());
  const Error no_promise = error_of([&] { accept_on(hall, food, "nd-s001", true, true); });
  CHECK(no_promise.code() == ErrorCode::invalid_argument);
  CHECK(std::string(no_promise.what()).find("does not allow approval on commitment") !=
        std::string::npos);
  // Nor when nothing 容缺-eligible is missing.
  const CaseId complete_but_charter =
      hall.submit(kCompany, "nd", "nd-s001", without(materials_of(hall, kCompany), charter));
  const Error nothing_owed =
      error_of([&] { accept_on(hall, complete_but_charter, "nd-s001", true, true); });
  CHECK(nothing_owed.code() == ErrorCode::invalid_argument);
  CHECK(std::string(nothing_owed.what()).find("no 容缺-eligible material") != std::string::npos);
  CHECK(hall.state(complete_but_charter) == CaseState::received);
}

TEST_CASE("§43 message: the county's last stage of a 上报件 reports up, it does not decide") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = hall.submit(kFuel, "nd", "nd-s001", materials_of(hall, kFuel));
  hall.act(id, Verb::accept, "nd-s001");
  // The reviewer's A is away: the handoff says what the stage is for.
  hall.engine.mark_away("nd-s078", AbsenceKind::leave, DateTime::parse("2026-11-30T09:00"),
                        DateTime::parse("2026-12-03T00:00"), "nd-s078");
  hall.act(id, Verb::review_pass, "nd-s001");
  const CaseView view = hall.view(id);  // last_of points into the view's history
  const Event* handoff = last_of(view, EventKind::handoff);
  REQUIRE(handoff != nullptr);
  CHECK(handoff->reason.find("初审及现场核查 (reports up to post gz-swj-approve, §43)") !=
        std::string::npos);
  const auto actions = hall.engine.available_actions(id, "nd-s079");
  CHECK(std::find(actions.begin(), actions.end(), Verb::report_up) != actions.end());
  CHECK(std::find(actions.begin(), actions.end(), Verb::approve) == actions.end());
}

TEST_CASE("告知承诺 and 跨域通办: an approval on commitment goes to the window the applicant chose") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  Submission s{kCompany, "nd", "nd-s001", "某公司", materials_of(hall, kCompany)};
  s.issue_office = "nd-mj";
  const CaseId id = hall.engine.submit(s);
  accept_on(hall, id, "nd-s001", true, false);
  const CaseView v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.issuing_office == "nd-mj");
  CHECK(v.office == "nd-mj");  // the result waits at that window, as after any decision
  const std::string clerk = v.holder;
  hall.act(id, Verb::issue, clerk);
  CHECK(hall.view(id).history.back().office == "nd-mj");
}
