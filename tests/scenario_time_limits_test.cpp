// Scenarios of 限时办结 and 电子监察: a §45 expert review that stops the clock, the one §42
// extension, and the lights a supervisor sees as a case runs late.
#include <doctest/doctest.h>

#include "hall_fixture.hpp"
#include "workflow/error.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const char* kFoodLicence = "360730-SCJG-0004";  // promised 5, legal 10 working days
const std::vector<std::string>& kFoodMaterials = food_licence_materials();

}  // namespace

TEST_CASE("§45 expert review: 4 working days suspended move both deadlines by exactly 4") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  CaseView v = hall.view(id);
  REQUIRE(v.promised_deadline == day("2025-03-10"));
  REQUIRE(v.legal_deadline == day("2025-03-17"));

  // Suspending needs the procedure and its expected duration.
  CHECK_THROWS_AS(hall.act(id, Verb::suspend, "nd-s022", "专家评审"), Error);
  hall.at("2025-03-04T10:00");
  Action suspend;
  suspend.actor = "nd-s022";
  suspend.reason = "食品安全专家现场评审";
  suspend.procedure = SpecialProcedure::expert_review;
  suspend.days = 4;
  hall.engine.suspend(id, suspend);
  CHECK(hall.view(id).suspended);
  // While suspended nothing else moves: no decision, no extension, no light.
  CHECK_THROWS_AS(hall.act(id, Verb::review_pass, "nd-s022"), Error);
  hall.at("2025-03-10T08:00");  // the old deadline day: would be yellow
  CHECK(hall.view(id).light == Light::green);
  CHECK(hall.engine.list({.suspended = true}).size() == 1);

  hall.at("2025-03-10T16:00");
  hall.act(id, Verb::resume, "nd-s022", "");
  v = hall.view(id);
  CHECK_FALSE(v.suspended);
  CHECK(v.suspended_working_days == 4);  // 03-05, 06, 07, 10
  CHECK(v.promised_deadline == day("2025-03-14"));
  CHECK(v.legal_deadline == day("2025-03-21"));
  const Calendar& calendar = hall.engine.calendar();
  CHECK(calendar.working_days_between(day("2025-03-10"), *v.promised_deadline) == 4);
  CHECK(calendar.working_days_between(day("2025-03-17"), *v.legal_deadline) == 4);
  CHECK(v.history.back().kind == EventKind::resume);
}

TEST_CASE("§42: one extension, by a post with the authority, moves the legal deadline only") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  Action extend;
  extend.actor = "nd-s022";  // the reviewer has no authority to extend
  extend.reason = "案情复杂，需补充核查";
  extend.days = 10;
  CHECK_THROWS_AS(hall.engine.extend(id, extend), Error);
  extend.actor = "nd-s024";  // 市场监管局首席代表
  extend.days = 11;          // over the policy's 10
  CHECK_THROWS_AS(hall.engine.extend(id, extend), Error);
  extend.days = 10;
  hall.engine.extend(id, extend);
  CaseView v = hall.view(id);
  CHECK(v.extension_days == 10);
  CHECK(v.legal_deadline == day("2025-03-31"));     // 10 + 10 working days from 03-03
  CHECK(v.promised_deadline == day("2025-03-10"));  // a promise is not extended
  extend.days = 2;
  CHECK_THROWS_AS(hall.engine.extend(id, extend), Error);  // only once
}

TEST_CASE("电子监察: green, yellow on the last day, red after it, escalated red after the law's") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  CHECK(hall.view(id).light == Light::green);
  hall.at("2025-03-09T23:59");
  CHECK(hall.view(id).light == Light::green);
  hall.at("2025-03-10T00:00");
  CHECK(hall.view(id).light == Light::yellow);
  hall.at("2025-03-11T00:00");
  CHECK(hall.view(id).light == Light::red);
  hall.at("2025-03-18T00:00");
  CaseView v = hall.view(id);
  CHECK(v.light == Light::escalated_red);
  std::vector<std::string> changes;
  for (const Event& e : v.history) {
    if (e.kind == EventKind::light_changed) changes.push_back(e.detail);
  }
  CHECK(changes == std::vector<std::string>{"from=green; to=yellow", "from=yellow; to=red",
                                            "from=red; to=escalated_red"});
  CHECK(hall.engine.list({.light = Light::escalated_red}).at(0).id == id);
}

TEST_CASE("the clock does not run past the calendar: a clear error, nothing changed") {
  // The shipped calendar ends with the provisional year 2035.
  Hall hall(ningdu_rules(), "2035-12-18T09:00");
  const CaseId id = hall.submit(kFoodLicence, "nd", "nd-s001", kFoodMaterials);
  hall.at("2035-12-21T09:00");  // Friday: the promised deadline 12-28 fits; the legal one (10) does not
  try {
    hall.act(id, Verb::accept, "nd-s001");
    FAIL("accepted with a deadline in 2036, beyond the loaded calendar");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::calendar_no_data);
    CHECK(std::string(e.what()).find("2036") != std::string::npos);
  }
  CHECK(hall.state(id) == CaseState::received);
  CHECK(hall.view(id).history.size() == 1);
}
