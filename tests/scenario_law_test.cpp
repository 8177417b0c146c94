// Scenarios named after the rule of 《中华人民共和国行政许可法》 they check (issue 13): who may
// decide at which stage (§38, 前台受理、后台审批), materials brought before or after the one
// complete notice (§32), and the errors a UI can act on.
#include <doctest/doctest.h>

#include <algorithm>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

std::vector<std::string> materials_of(const Hall& hall, const std::string& code) {
  std::vector<std::string> out;
  const RuleSet& rules = hall.engine.rules();
  for (const Material& m : rules.matter(*rules.find_matter(code)).materials) out.push_back(m.name);
  return out;
}

bool mentions(const Error& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("§38: the window's 初审 decides nothing; the refusal names who decides") {
  Hall hall(ningdu_rules(), "2026-03-02T09:00");
  const CaseId food = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  hall.act(food, Verb::accept, "nd-s001");
  REQUIRE(hall.state(food) == CaseState::preliminary_review);
  const Error deny = error_of([&] { hall.act(food, Verb::deny, "nd-s001", "材料不实"); });
  CHECK(deny.code() == ErrorCode::invalid_transition);
  CHECK(mentions(deny, "初审 at the window decides nothing"));
  CHECK(mentions(deny, "post nd-amr-chief"));
  CHECK(hall.state(food) == CaseState::preliminary_review);
  const auto actions = hall.engine.available_actions(food, "nd-s001");
  CHECK(std::find(actions.begin(), actions.end(), Verb::deny) == actions.end());

  // 上报件: the county window cannot deny what only the city decides (§43), and its last
  // stage reports up rather than deciding.
  const std::string fuel = "360730-SWJ-0001";
  const CaseId up = hall.submit(fuel, "nd", "nd-s001", materials_of(hall, fuel));
  hall.act(up, Verb::accept, "nd-s001");
  const Error county = error_of([&] { hall.act(up, Verb::deny, "nd-s001", "不符合规划"); });
  CHECK(county.code() == ErrorCode::invalid_transition);
  CHECK(mentions(county, "post gz-swj-approve of the higher level"));
  hall.act(up, Verb::review_pass, "nd-s001");
  const Error last = error_of([&] { hall.act(up, Verb::approve, "nd-s078"); });
  CHECK(mentions(last, "the last stage reports up (report_up)"));
  hall.act(up, Verb::report_up, "nd-s078");
  hall.act(up, Verb::higher_deny, "gz-s03", "不符合规划");
  CHECK(hall.state(up) == CaseState::decided);
}

TEST_CASE("§32: a material handed over before any notice is taken at the window") {
  Hall hall(ningdu_rules(), "2026-03-02T09:00");
  const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_required());
  CHECK_FALSE(hall.view(id).missing_materials.empty());
  Action brought;
  brought.actor = "nd-s001";
  brought.materials = {food_licence_materials().back()};
  hall.engine.act(id, Verb::supplement, brought);  // the same day, no notice given
  CHECK(hall.view(id).missing_materials.empty());
  CHECK(hall.state(id) == CaseState::received);
  hall.act(id, Verb::accept, "nd-s001");
  CHECK(hall.state(id) == CaseState::preliminary_review);
  // Nothing missing: nothing to supplement.
  const CaseId complete = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  CHECK(error_of([&] { hall.engine.act(complete, Verb::supplement, brought); }).code() ==
        ErrorCode::invalid_transition);
}

TEST_CASE("§32: a notice answered in full is accepted within 5 working days, or deemed accepted") {
  auto store = test_store();  // reopened below: the same store for both halls
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-03-02T09:00", options);  // Monday
    const auto& all = food_licence_materials();
    id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", {all.begin(), all.begin() + 2});
    hall.act(id, Verb::notify_missing, "nd-s001");
    CHECK(hall.state(id) == CaseState::awaiting_materials);
    hall.at("2026-03-04T10:00");  // Wednesday: everything comes in
    Action brought;
    brought.actor = "nd-s001";
    brought.materials.assign(food_licence_materials().begin() + 2, food_licence_materials().end());
    hall.engine.act(id, Verb::supplement, brought);
    CHECK(hall.state(id) == CaseState::received);
    CHECK(hall.engine.next_due() == DateTime::parse("2026-03-12T00:00"));
  }
  // Reopened (the timer comes back), and nobody accepts or refuses: 5 working days after
  // Wednesday 03-04 is Wednesday 03-11; from Thursday 00:00 the case counts as accepted on
  // 03-04, the day the last material arrived.
  Hall hall(ningdu_rules(), "2026-03-05T09:00", options);
  hall.at("2026-03-11T18:00");
  CHECK(hall.state(id) == CaseState::received);
  hall.at("2026-03-12T00:00");
  const CaseView v = hall.view(id);
  CHECK(v.state == CaseState::preliminary_review);
  CHECK(v.accepted == day("2026-03-04"));
  CHECK(v.history.back().kind != EventKind::submitted);
  const auto deemed = std::find_if(v.history.begin(), v.history.end(), [](const Event& e) {
    return e.kind == EventKind::deemed_accepted;
  });
  REQUIRE(deemed != v.history.end());
  CHECK(deemed->detail == "after_notice=true");
  CHECK(deemed->time == DateTime::parse("2026-03-12T00:00"));
}

TEST_CASE("errors a UI can use: impossible now is invalid_transition, whoever asks") {
  Hall hall(ningdu_rules(), "2026-03-02T09:00");
  const CaseId id = food_case_at_review(hall);  // at 材料审查及现场核查, held by nd-s022
  // Approving at the first stage is impossible for anyone: the state is named, not the actor.
  const Error outsider = error_of([&] { hall.act(id, Verb::approve, "nd-s030"); });
  CHECK(outsider.code() == ErrorCode::invalid_transition);
  CHECK(mentions(outsider, "pass it to the next stage first"));
  // Passing it on is possible now, but not for someone who does not hold the stage.
  const Error denied = error_of([&] { hall.act(id, Verb::review_pass, "nd-s030"); });
  CHECK(denied.code() == ErrorCode::permission_denied);
  CHECK(mentions(denied, "nd-amr-review"));
}

TEST_CASE("next_due names only a time at which something happens, the same after reopening") {
  auto store = test_store();  // reopened below: the same store for both halls
  Options options;
  options.store = store;
  std::optional<DateTime> before;
  {
    Hall hall(ningdu_rules(), "2026-03-02T09:00", options);
    const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
    // Received: the §32 window (5 working days: 03-09, so 03-10 00:00) is what comes next.
    CHECK(hall.engine.next_due() == DateTime::parse("2026-03-10T00:00"));
    hall.act(id, Verb::accept, "nd-s001");
    // Accepted: the §32 timer is stale; next is the yellow light of the 5-day promise
    // (due 03-09, yellow on its last day).
    before = hall.engine.next_due();
    CHECK(before == DateTime::parse("2026-03-09T00:00"));
  }
  Hall hall(ningdu_rules(), "2026-03-02T10:00", options);
  CHECK(hall.engine.next_due() == before);
}

TEST_CASE("§42: the head of the deciding organ extends, by at most the matter's days") {
  Hall hall(ningdu_rules(), "2026-03-02T09:00");
  const CaseId id = food_case_at_review(hall);  // 市场监管局's food licence
  const auto extend = [&](const std::string& actor, int days) {
    Action a;
    a.actor = actor;
    a.reason = "需现场核查的经营场所较多";
    a.days = days;
    hall.engine.act(id, Verb::extend, a);
  };
  // 商务局's chief holds approves_extensions, but not for another organ's licence.
  const Error other = error_of([&] { extend("nd-s080", 5); });
  CHECK(other.code() == ErrorCode::permission_denied);
  // More than §42 ¶1's 10 working days is refused for a single organ.
  const Error longer = error_of([&] { extend("nd-s024", 11); });
  CHECK(longer.code() == ErrorCode::invalid_argument);
  CHECK(mentions(longer, "at most 10 working days"));
  CHECK(hall.view(id).legal_deadline == day("2026-03-16"));
  extend("nd-s024", 10);  // 市场监管局首席代表
  CHECK(hall.view(id).extension_days == 10);
  CHECK(hall.view(id).legal_deadline == day("2026-03-30"));
  CHECK(hall.engine.rules().matter(*hall.engine.rules().find_matter("360730-ZJ-0001"))
            .extension_days == 15);  // joint handling (§42 ¶2)
}
