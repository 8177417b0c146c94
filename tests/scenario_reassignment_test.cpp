// 改派 (issue 14): a stage's supervisor, or the unit's leader (a post with reassigns), moves
// the stage from one post to another post of the same unit that can handle it: a window
// clerk is overloaded, a reviewer's work goes to the 首席代表. Audited with a reason, a record
// of the case; refused to anyone else, and to a post of another unit or of another kind.
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

Action move(const char* actor, const char* to_post, const char* reason = "窗口积压，改派") {
  Action a;
  a.actor = actor;
  a.to_post = to_post;
  a.reason = reason;
  return a;
}

}  // namespace

TEST_CASE("改派: the duty leader moves an overloaded window's case to another window") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  REQUIRE(hall.view(id).post == "nd-w01");
  CHECK(has(hall.engine.available_actions(id, "nd-s017"), Verb::reassign));
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s001"), Verb::reassign));
  hall.engine.act(id, Verb::reassign, move("nd-s017", "nd-w02"));
  CaseView v = hall.view(id);
  CHECK(v.post == "nd-w02");
  CHECK(v.holder == "nd-s002");
  REQUIRE(v.reassignments.size() == 1);
  const ReassignmentView& r = v.reassignments[0];
  CHECK(r.actor == "nd-s017");
  CHECK(r.actor_post == "nd-hall-duty");
  CHECK(r.department == "nd-hall");
  CHECK(r.from_post == "nd-w01");
  CHECK(r.to_post == "nd-w02");
  CHECK(r.reason == "窗口积压，改派");
  CHECK(r.time == DateTime::parse("2026-12-01T09:00"));
  const Event& e = v.history.back();
  CHECK(e.kind == EventKind::reassign);
  CHECK(e.post == "nd-hall-duty");
  CHECK(e.detail == "from_post=nd-w01; to_post=nd-w02; department=nd-hall");
  // The new window acts; the relieved one no longer may.
  CHECK(error_of([&] { hall.act(id, Verb::accept, "nd-s001"); }).code() ==
        ErrorCode::permission_denied);
  hall.act(id, Verb::accept, "nd-s002");
  hall.act(id, Verb::review_pass, "nd-s002");
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  // The decision returns to the window that now has the case.
  CHECK(hall.view(id).post == "nd-w02");
}

TEST_CASE("改派: a review stage moves within its department, by the supervisor") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  // 首席代表 nd-s024 supervises the 审核岗 and leads 市场监管局 (reassigns).
  CHECK(has(hall.engine.available_actions(id, "nd-s024"), Verb::reassign));
  hall.engine.act(id, Verb::reassign, move("nd-s024", "nd-amr-chief", "审核岗请假积压"));
  CaseView v = hall.view(id);
  CHECK(v.post == "nd-amr-chief");
  CHECK(v.holder == "nd-s024");
  CHECK(v.reassignments[0].actor_post == "nd-amr-chief");
  // ... and back again, as the unit's leader (the chief's post has no supervisor).
  hall.engine.act(id, Verb::reassign, move("nd-s024", "nd-amr-review", "审核岗已返岗"));
  v = hall.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.reassignments.size() == 2);
  hall.act(id, Verb::review_pass, "nd-s022");
  CHECK(hall.view(id).post == "nd-amr-chief");
}

TEST_CASE("改派: to a post whose A is away, B covers it") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  hall.engine.mark_away("nd-s003", AbsenceKind::leave, hall.engine.now(),
                        DateTime::parse("2026-12-04T00:00"), "nd-s017");
  hall.engine.act(id, Verb::reassign, move("nd-s017", "nd-w03"));
  const CaseView v = hall.view(id);
  CHECK(v.post == "nd-w03");
  CHECK(v.holder == "nd-s004");
  CHECK(v.holding == Holding::b_covering);
  CHECK(v.history.back().kind == EventKind::handoff);
}

TEST_CASE("改派: refused to outsiders, audited, and nothing moves") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = food_case_at_review(hall);
  // The reviewer holding the stage, a window clerk, another department's chief, the duty
  // leader of another unit (nd-hall leads the windows, not 市场监管局's back office).
  for (const char* outsider : {"nd-s022", "nd-s001", "nd-s028", "nd-s017"}) {
    const std::size_t before = hall.view(id).history.size();
    const Error e =
        error_of([&] { hall.engine.act(id, Verb::reassign, move(outsider, "nd-amr-chief")); });
    CHECK(e.code() == ErrorCode::permission_denied);
    const CaseView v = hall.view(id);
    CHECK(v.post == "nd-amr-review");
    CHECK(v.reassignments.empty());
    REQUIRE(v.history.size() == before + 1);
    CHECK(v.history.back().kind == EventKind::permission_denied);
    CHECK(v.history.back().detail == "verb=reassign");
    CHECK_FALSE(has(hall.engine.available_actions(id, outsider), Verb::reassign));
  }
}

TEST_CASE("改派: only to a post of the same unit that can handle the stage") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId review = food_case_at_review(hall);
  const CaseId window = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  const std::size_t before = hall.view(review).history.size();
  // Another unit's post (公安局's reviewer): refused, the case stays.
  Error e = error_of([&] { hall.engine.act(review, Verb::reassign, move("nd-s024", "nd-ga-review")); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("belongs to nd-ga, not to nd-amr") != std::string::npos);
  // A post of the unit that cannot handle a back-office stage: its 一窗办 window.
  e = error_of([&] { hall.engine.act(review, Verb::reassign, move("nd-s024", "nd-yc-qykb")); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("cannot handle the stage") != std::string::npos);
  // The window's work cannot go to the 办不成事 window or the policy counter of the hall.
  for (const char* counter : {"nd-unresolved", "nd-policy"}) {
    CHECK(error_of([&] { hall.engine.act(window, Verb::reassign, move("nd-s017", counter)); })
              .code() == ErrorCode::invalid_argument);
  }
  // Where it already is; an unknown post; no reason; the post on another verb.
  CHECK(error_of([&] { hall.engine.act(review, Verb::reassign, move("nd-s024", "nd-amr-review")); })
            .code() == ErrorCode::invalid_argument);
  CHECK(error_of([&] { hall.engine.act(review, Verb::reassign, move("nd-s024", "nd-nowhere")); })
            .code() == ErrorCode::not_found);
  CHECK(error_of([&] { hall.engine.act(review, Verb::reassign, move("nd-s024", "nd-amr-chief", "")); })
            .code() == ErrorCode::invalid_argument);
  Action pass = move("nd-s022", "nd-amr-chief");
  CHECK(error_of([&] { hall.engine.act(review, Verb::review_pass, pass); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(hall.view(review).history.size() == before);
  CHECK(hall.view(review).post == "nd-amr-review");
  CHECK(hall.view(window).post == "nd-w01");
}

TEST_CASE("改派: a concluded case has no stage to move; reassignments survive a reopening") {
  const auto store = test_store();
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-12-01T09:00", options);
    id = food_case_at_review(hall);
    hall.engine.act(id, Verb::reassign, move("nd-s024", "nd-amr-chief", "审核岗积压"));
    hall.act(id, Verb::review_pass, "nd-s024");
    hall.act(id, Verb::approve, "nd-s024");
    hall.act(id, Verb::issue, "nd-s001");
    CHECK(error_of([&] { hall.engine.act(id, Verb::reassign, move("nd-s024", "nd-amr-review")); })
              .code() == ErrorCode::invalid_transition);
  }
  Hall hall(ningdu_rules(), "2026-12-02T09:00", options);
  const CaseView v = hall.view(id);
  REQUIRE(v.reassignments.size() == 1);
  CHECK(v.reassignments[0].from_post == "nd-amr-review");
  CHECK(v.reassignments[0].to_post == "nd-amr-chief");
  CHECK(v.reassignments[0].reason == "审核岗积压");
}
