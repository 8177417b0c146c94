// 办不成事 (issue 14): a case lands at the 办不成事 window when A and B of its post are both
// away. The window coordinates; it does not decide in the department's place, the
// department's own A and B keep their rights on the case, and the case goes back to its post
// as soon as one of them returns (marked back, or the absence ends), also across a reopening.
#include <algorithm>

#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

// 市场监管局's reviewers nd-s022 (A) and nd-s023 (B) away until `until`, recorded by
// the duty officer; the food case at their review goes to the 办不成事 window (nd-s018).
CaseId stranded_food_case(Hall& hall, const char* until) {
  const CaseId id = food_case_at_review(hall);
  hall.engine.mark_away("nd-s023", AbsenceKind::vacation, hall.engine.now(),
                        DateTime::parse(until), "nd-s017");
  hall.engine.mark_away("nd-s022", AbsenceKind::leave, hall.engine.now(),
                        DateTime::parse(until), "nd-s017");
  const CaseView v = hall.view(id);
  REQUIRE(v.post == "nd-unresolved");
  REQUIRE(v.holding == Holding::unresolved);
  return id;
}

bool has(const std::vector<Verb>& verbs, Verb v) {
  return std::find(verbs.begin(), verbs.end(), v) != verbs.end();
}

}  // namespace

TEST_CASE("办不成事: the window's clerk cannot pass the department's review in its place") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = stranded_food_case(hall, "2026-12-07T00:00");
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s018"), Verb::review_pass));
  const std::size_t before = hall.view(id).history.size();
  const Error e = error_of([&] { hall.act(id, Verb::review_pass, "nd-s018"); });
  CHECK(e.code() == ErrorCode::permission_denied);
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::back_office_review);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.history.size() == before + 1);  // the refused attempt, audited
  CHECK(v.history.back().kind == EventKind::permission_denied);
}

TEST_CASE("办不成事: the department's A and B keep their rights on the case there") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = stranded_food_case(hall, "2026-12-07T00:00");
  // Away on the board, yet reachable: A still may act on the case of their own post.
  CHECK(has(hall.engine.available_actions(id, "nd-s022"), Verb::review_pass));
  CHECK(has(hall.engine.available_actions(id, "nd-s023"), Verb::review_pass));
  CHECK(has(hall.engine.available_actions(id, "nd-s024"), Verb::review_pass));  // supervisor
  CHECK(hall.engine.available_actions(id, "nd-s030").empty());  // another department
  hall.act(id, Verb::review_pass, "nd-s022");
  const CaseView v = hall.view(id);
  CHECK(v.post == "nd-amr-chief");
  CHECK(v.holding == Holding::a_holder);
}

TEST_CASE("办不成事: the case goes back to its post when A is marked back") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = stranded_food_case(hall, "2026-12-07T00:00");
  hall.at("2026-12-01T09:00");
  hall.engine.mark_back("nd-s022", "nd-s017");
  const CaseView v = hall.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holder == "nd-s022");
  CHECK(v.holding == Holding::a_holder);
  CHECK(v.history.back().kind == EventKind::routed);
  CHECK(v.history.back().reason ==
        "nd-s022 is back, as recorded by nd-s017: post nd-amr-review takes its stage back from "
        "the 办不成事 window nd-unresolved");
  CHECK(hall.engine.list({.post = "nd-unresolved"}).empty());
  hall.act(id, Verb::review_pass, "nd-s022");
  CHECK(hall.view(id).post == "nd-amr-chief");
}

TEST_CASE("办不成事: the case goes back to its post when the absence ends, also after reopening") {
  auto store = std::shared_ptr<CaseStore>(make_memory_store());
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-11-30T09:00", options);
    id = stranded_food_case(hall, "2026-12-03T00:00");
    hall.at("2026-12-02T17:00");
    CHECK(hall.view(id).post == "nd-unresolved");  // still both away
  }
  // The engine was down when the absences ended: the first advance gives the case back.
  Hall reopened(ningdu_rules(), "2026-12-03T09:00", options);
  CHECK(reopened.view(id).post == "nd-unresolved");
  reopened.at("2026-12-03T09:00");
  const CaseView v = reopened.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holding == Holding::a_holder);
  CHECK(v.holder == "nd-s022");
}

TEST_CASE("办不成事: while only B is back, B takes the case and A's return leaves it with B") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId id = stranded_food_case(hall, "2026-12-07T00:00");
  hall.engine.mark_back("nd-s023", "nd-s017");
  CaseView v = hall.view(id);
  CHECK(v.post == "nd-amr-review");
  CHECK(v.holding == Holding::b_covering);
  CHECK(v.holder == "nd-s023");
  hall.engine.mark_back("nd-s022", "nd-s017");
  CHECK(hall.view(id).holder == "nd-s023");  // B keeps what B took over
}
