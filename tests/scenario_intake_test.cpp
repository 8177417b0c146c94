// Scenarios at the window (收件): one complete notice, the §32 notice deadline, 容缺受理,
// 告知承诺, an instant case at 三都镇, and a village agent handing in for a resident.
#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/error.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const char* kFoodLicence = "360730-SCJG-0004";
const std::vector<std::string> kFoodRequired = food_licence_required();
const std::string kFoodTolerable = food_licence_materials().back();

// Acceptance under 容缺 by the window clerk `actor`.
Action tolerating(const char* actor) {
  Action a;
  a.actor = actor;
  a.tolerate_missing = true;
  return a;
}

}  // namespace

TEST_CASE("三都镇: an instant pension enrolment is decided and issued at once") {
  Hall hall(sandu_rules(), "2025-03-03T09:10");
  const CaseId id = hall.submit("430481-SD-SHSW-0001", "ly-sd", "sd-s07",
                                {"居民身份证或户口簿", "城乡居民基本养老保险参保登记表"}, "刘桂英");
  hall.act(id, Verb::accept, "sd-s07");
  CHECK(hall.state(id) == CaseState::on_the_spot);
  hall.act(id, Verb::approve, "sd-s07");
  hall.act(id, Verb::issue, "sd-s07");
  const CaseView v = hall.view(id);
  CHECK(v.state == CaseState::issued);
  CHECK(v.decision == Decision::approved);
  CHECK(v.kind == MatterKind::instant);
  CHECK(v.accepted == day("2025-03-03"));
  CHECK(v.promised_deadline == day("2025-03-03"));  // decided the same day
  CHECK(v.light == Light::green);  // an on-the-spot case is never warned about
  CHECK(v.office == "ly-sd");
  CHECK(hall.kinds(id) == std::vector<std::string>{"submitted", "accept", "approve", "issue"});
  for (const Event& e : v.history) CHECK(e.actor == "sd-s07");
}

TEST_CASE("one complete notice lists every missing material; the clock waits for them") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit(kFoodLicence, "nd", "nd-s001", {kFoodRequired[0]});
  hall.act(id, Verb::notify_missing, "nd-s001");
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::awaiting_materials);
  CHECK(v.missing_materials.size() == 4);
  CHECK(v.history.back().detail ==
        "missing=" + kFoodRequired[1] + "; " + kFoodRequired[2] + "; " + kFoodRequired[3] +
            "; " + kFoodTolerable);
  CHECK_FALSE(v.accepted.has_value());

  // Notified in time, so no deemed acceptance: the applicant comes back a week later.
  hall.at("2025-03-12T10:00");
  CHECK(hall.state(id) == CaseState::awaiting_materials);
  Action brought;
  brought.actor = "nd-s001";
  brought.materials = {kFoodRequired[1], kFoodRequired[2], kFoodRequired[3], kFoodTolerable};
  hall.engine.supplement(id, brought);
  CHECK(hall.state(id) == CaseState::received);
  hall.act(id, Verb::accept, "nd-s001");
  v = hall.view(id);
  CHECK(v.accepted == day("2025-03-12"));           // the clock starts now
  CHECK(v.promised_deadline == day("2025-03-19"));  // 13,14,17,18,19
}

TEST_CASE("§32: no notice within 5 working days means accepted on the day received") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);  // 1 missing
  hall.at("2025-03-10T23:59");  // the 5th working day after receipt is 2025-03-10
  CHECK(hall.state(id) == CaseState::received);
  hall.at("2025-03-11T00:00");
  const CaseView v = hall.view(id);
  CHECK(v.state == CaseState::preliminary_review);
  CHECK(v.accepted == day("2025-03-03"));
  CHECK(v.promised_deadline == day("2025-03-10"));
  CHECK(v.light == Light::red);  // the promised limit ran out while nobody looked
  const auto kinds = hall.kinds(id);
  CHECK(std::find(kinds.begin(), kinds.end(), "deemed_accepted") != kinds.end());
  CHECK(v.history[1].actor == "system");
  CHECK(v.history[1].time == DateTime::parse("2025-03-11T00:00"));
}

TEST_CASE("容缺受理: the tolerable material must come within 5 working days") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const Action tolerate = tolerating("nd-s001");

  // Not with a required material missing.
  const CaseId incomplete = hall.submit(kFoodLicence, "nd", "nd-s001", {kFoodRequired[0]});
  CHECK_THROWS_AS(hall.engine.accept(incomplete, tolerate), Error);

  const CaseId late = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);
  const CaseId prompt = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);
  hall.engine.accept(late, tolerate);
  hall.engine.accept(prompt, tolerate);
  CHECK(hall.view(late).supplement_deadline == day("2025-03-10"));
  CHECK(hall.view(late).history.back().detail == "tolerate_missing=" + kFoodTolerable);

  hall.at("2025-03-07T15:00");
  Action brought;
  brought.actor = "nd-s002";  // any window of the accepting office may take them
  brought.materials = {kFoodTolerable};
  hall.engine.supplement(prompt, brought);
  CHECK_FALSE(hall.view(prompt).supplement_deadline.has_value());

  hall.at("2025-03-11T00:00");
  CHECK(hall.state(late) == CaseState::terminated);
  CHECK(hall.view(late).history.back().kind == EventKind::supplement_overdue);
  CHECK(hall.state(prompt) == CaseState::preliminary_review);
}

TEST_CASE("容缺受理: a §45 inspection moves the supplement day by the working days it took") {
  // Today, 2026-12-01 (Tuesday): accepted under 容缺, the material owed by 12-08. The next
  // day the window sends an inspector; supplements are refused while the inspection runs.
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const Action tolerate = tolerating("nd-s001");
  const CaseId id = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);
  hall.engine.accept(id, tolerate);
  REQUIRE(hall.view(id).supplement_deadline == day("2026-12-08"));
  hall.at("2026-12-02T09:00");
  Action inspect;
  inspect.actor = "nd-s001";
  inspect.procedure = SpecialProcedure::inspection;
  inspect.reason = "现场核查";
  inspect.days = 3;
  hall.engine.suspend(id, inspect);
  // The 8th passes during the inspection: nothing ends (nor could the applicant bring it).
  hall.at("2026-12-10T09:00");
  CHECK(hall.state(id) == CaseState::preliminary_review);
  Action resume;
  resume.actor = "nd-s001";
  hall.engine.resume(id, resume);
  // Six working days (2, 3, 4, 7, 8, 9 December) not counted: owed by the 16th now.
  CHECK(hall.view(id).supplement_deadline == day("2026-12-16"));
  hall.at("2026-12-16T17:00");
  CHECK(hall.state(id) == CaseState::preliminary_review);
  // Not brought: the case ends the next morning (it went on without the material before).
  hall.at("2026-12-17T00:00");
  CHECK(hall.state(id) == CaseState::terminated);
  CHECK(hall.view(id).history.back().kind == EventKind::supplement_overdue);
}

TEST_CASE("容缺受理: the approval may come first, the licence waits for the owed material") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const Action tolerate = tolerating("nd-s001");
  const CaseId owed = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);
  const CaseId denied = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodRequired);
  for (const CaseId id : {owed, denied}) {
    hall.engine.accept(id, tolerate);
    hall.act(id, Verb::review_pass, "nd-s001");
    hall.act(id, Verb::review_pass, "nd-s022");
  }
  hall.act(owed, Verb::approve, "nd-s024");
  const Error waiting = error_of([&] { hall.act(owed, Verb::issue, "nd-s001"); });
  CHECK(waiting.code() == ErrorCode::invalid_transition);
  CHECK(std::string(waiting.what()).find("容缺 materials are still owed (" + kFoodTolerable +
                                         "), due by 2025-03-10") != std::string::npos);
  CHECK(hall.engine.available_actions(owed, "nd-s001") == std::vector<Verb>{Verb::supplement});
  Action brought;
  brought.actor = "nd-s001";
  brought.materials = {kFoodTolerable};
  hall.engine.supplement(owed, brought);
  hall.act(owed, Verb::issue, "nd-s001");
  CHECK(hall.state(owed) == CaseState::issued);

  // Nothing is owed for a denial: it is issued at once, and no timer ends it later.
  hall.act(denied, Verb::deny, "nd-s024", "现场核查不符合要求");
  hall.act(denied, Verb::issue, "nd-s001");
  hall.at("2025-03-12T00:00");
  CHECK(hall.state(denied) == CaseState::issued);
  CHECK_FALSE(hall.view(denied).supplement_deadline.has_value());
}

TEST_CASE("告知承诺制: business opening approved on the applicant's written promise") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-SCJG-0001", "nd", "nd-s098",
                                {"公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
                                 "法定代表人、董事、监事和高级管理人员的任职文件及身份证明"});
  Action promise;
  promise.actor = "nd-s098";
  promise.on_promise = true;
  hall.engine.accept(id, promise);
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.decision == Decision::approved);
  CHECK(v.on_promise);
  hall.act(id, Verb::issue, "nd-s098");
  CHECK(hall.state(id) == CaseState::issued);

  // 食品经营许可 concerns food safety: no approval on promise.
  const CaseId food = hall.submit(kFoodLicence, "nd", "nd-s001", food_licence_materials());
  promise.actor = "nd-s001";
  try {
    hall.engine.accept(food, promise);
    FAIL("food licence approved on promise");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::invalid_transition);
    CHECK(std::string(e.what()).find("告知承诺") != std::string::npos);
  }
  CHECK(hall.state(food) == CaseState::received);
}

TEST_CASE("帮办代办: a village agent hands in a pension enrolment for a resident") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-MJ-SB-0001", "nd-mj-v1", "nd-mj-v1-s1",
                                {"居民身份证或户口簿", "城乡居民基本养老保险参保登记表"}, "曾老汉");
  CaseView v = hall.view(id);
  CHECK(v.agent == "nd-mj-v1-s1");
  CHECK(v.first_handler == "nd-mj-v1-s1");
  CHECK(v.applicant == "曾老汉");
  CHECK(v.accepting_office == "nd-mj");  // the township above the village station
  CHECK(v.office == "nd-mj");
  CHECK(v.history[0].office == "nd-mj-v1");
  // A county licence is not open to proxy submission at the village.
  CHECK_THROWS_AS(hall.submit(kFoodLicence, "nd-mj-v1", "nd-mj-v1-s1", kFoodRequired), Error);
}
