// 好差评 (国办发〔2019〕51号) at 宁都县: one rating per concluded service, through any channel;
// a bad rating (1-2) opens a rectification task for the unit that handled the case, with its
// own deadline and light; a named bad rating must be called back before the task closes.
#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

// A 食品经营许可 taken in at window 1, reviewed, decided by 市场监管局's 首席代表 and issued.
CaseId issued_food_case(Hall& hall) {
  const CaseId id = food_case_at_review(hall);
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  hall.act(id, Verb::issue, "nd-s001");
  REQUIRE(hall.state(id) == CaseState::issued);
  return id;
}

Rating rating(int score, RatingChannel channel, bool named, std::string comment = {}) {
  Rating r;
  r.score = score;
  r.channel = channel;
  r.named = named;
  r.comment = std::move(comment);
  return r;
}

}  // namespace

TEST_CASE("好差评: a good rating is recorded once and opens no task") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = issued_food_case(hall);
  hall.engine.rate(id, rating(5, RatingChannel::window_device, false));
  const CaseView v = hall.view(id);
  REQUIRE(v.rating.has_value());
  CHECK(v.rating->score == 5);
  CHECK(v.rating->channel == RatingChannel::window_device);
  CHECK_FALSE(v.rectification.has_value());
  CHECK(v.history.back().kind == EventKind::rated);
  CHECK(v.history.back().detail == "score=5; channel=window_device; named=false");
  CHECK(hall.engine.available_actions(id, "nd-s022").empty());

  // One rating per service, and only 1 to 5.
  const Error again = error_of([&] { hall.engine.rate(id, rating(1, RatingChannel::phone, true)); });
  CHECK(again.code() == ErrorCode::invalid_transition);
  CHECK(std::string(again.what()).find("already rated 5") != std::string::npos);
  CHECK(hall.view(id).rating->score == 5);
}

TEST_CASE("好差评: a case still in progress cannot be rated, and scores are 1 to 5") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = food_case_at_review(hall);
  CHECK(error_of([&] { hall.engine.rate(id, rating(4, RatingChannel::online, false)); }).code() ==
        ErrorCode::invalid_transition);
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  hall.act(id, Verb::issue, "nd-s001");
  CHECK(error_of([&] { hall.engine.rate(id, rating(6, RatingChannel::online, false)); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(error_of([&] { hall.engine.rate(id, rating(0, RatingChannel::online, false)); }).code() ==
        ErrorCode::invalid_argument);
  CHECK_FALSE(hall.view(id).rating.has_value());
  CHECK(error_of([&] { hall.engine.rate(999, rating(3, RatingChannel::online, false)); }).code() ==
        ErrorCode::not_found);
}

TEST_CASE("差评整改: a named bad rating is verified, rectified and called back by its unit") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = issued_food_case(hall);
  hall.at("2025-03-05T10:00");
  hall.engine.rate(id, rating(2, RatingChannel::phone, true, "窗口解释不清，跑了两趟"));
  CaseView v = hall.view(id);
  REQUIRE(v.rectification.has_value());
  CHECK(v.rectification->state == RectificationState::verifying);
  CHECK(v.rectification->department == "nd-amr");  // 谁办理谁负责: 市场监管局
  CHECK(v.rectification->opened == day("2025-03-05"));
  CHECK(v.rectification->due == day("2025-03-12"));  // 5 working days: 6,7,10,11,12
  CHECK(v.rectification->light == Light::green);
  CHECK(v.history.back().kind == EventKind::rectification_opened);

  // The hall's window clerk is not the unit that handled it.
  const Error denied = error_of([&] { hall.act(id, Verb::verify, "nd-s001", "已核实"); });
  CHECK(denied.code() == ErrorCode::permission_denied);
  CHECK(hall.view(id).history.back().kind == EventKind::permission_denied);
  // Steps in order: verify first; each step needs what was found or done.
  CHECK(error_of([&] { hall.act(id, Verb::rectify, "nd-s022", "重新培训"); }).code() ==
        ErrorCode::invalid_transition);
  CHECK(error_of([&] { hall.act(id, Verb::verify, "nd-s022"); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(hall.engine.available_actions(id, "nd-s022") == std::vector<Verb>{Verb::verify});

  hall.act(id, Verb::verify, "nd-s022", "属实：一次性告知不完整");
  hall.act(id, Verb::rectify, "nd-s022", "修订告知单，窗口人员培训");
  // Named: no closing before the call-back (回访).
  const Error early = error_of([&] { hall.act(id, Verb::close_rectification, "nd-s024"); });
  CHECK(early.code() == ErrorCode::invalid_transition);
  CHECK(std::string(early.what()).find("call-back") != std::string::npos);
  CHECK(hall.engine.available_actions(id, "nd-s022") == std::vector<Verb>{Verb::call_back});
  hall.at("2025-03-07T15:00");
  // The reviewer is out: B of the reviewer post (AB岗) makes the call.
  CHECK(error_of([&] { hall.act(id, Verb::call_back, "nd-s023", "申请人表示认可"); }).code() ==
        ErrorCode::permission_denied);
  hall.engine.mark_away("nd-s022", AbsenceKind::out, DateTime::parse("2025-03-07T15:00"),
                        DateTime::parse("2025-03-08T00:00"), "nd-s022");
  hall.act(id, Verb::call_back, "nd-s023", "申请人表示认可");
  hall.act(id, Verb::close_rectification, "nd-s024");          // the 首席代表
  v = hall.view(id);
  CHECK(v.rectification->state == RectificationState::closed);
  CHECK(v.rectification->closed == day("2025-03-07"));
  CHECK(v.rectification->resolution == "rectify");
  CHECK(v.rectification->called_back);
  CHECK(v.rectification->light == Light::green);
  CHECK(v.history.back().detail ==
        "task=rectification; state=closed; resolution=rectify; called_back=true; on_time=true");
  CHECK(hall.engine.available_actions(id, "nd-s022").empty());
}

TEST_CASE("差评整改: an anonymous bad rating is called back through its channel; the light turns") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = issued_food_case(hall);
  hall.at("2025-03-05T10:00");
  hall.engine.rate(id, rating(1, RatingChannel::online, false, "恶意刷评"));
  hall.act(id, Verb::verify, "nd-s022", "当日无该申请人到窗记录以外的接触");
  hall.at("2025-03-12T08:00");
  CHECK(hall.view(id).rectification->light == Light::yellow);  // the last day
  hall.at("2025-03-13T08:00");
  CaseView v = hall.view(id);
  CHECK(v.rectification->light == Light::red);
  CHECK(v.history.back().kind == EventKind::light_changed);
  CHECK(v.history.back().detail == "task=rectification; from=yellow; to=red");
  hall.act(id, Verb::appeal, "nd-s024", "评价与事实不符，申请复核");
  // 件件有回访: anonymous is no excuse to close without a call-back.
  CHECK(hall.engine.available_actions(id, "nd-s022") == std::vector<Verb>{Verb::call_back});
  const std::size_t before = hall.view(id).history.size();
  CHECK_THROWS_WITH_AS(hall.act(id, Verb::close_rectification, "nd-s022"),
                       doctest::Contains("call this anonymous one back through the channel it "
                                         "came by (online)"),
                       Error);
  CHECK(hall.view(id).history.size() == before);
  CHECK(hall.view(id).rectification->state == RectificationState::calling_back);
  hall.act(id, Verb::call_back, "nd-s022", "通过网上评价渠道留言回访");
  CHECK(hall.view(id).history.back().detail ==
        "task=rectification; state=called_back; via=online");
  hall.act(id, Verb::close_rectification, "nd-s022");
  v = hall.view(id);
  CHECK(v.rectification->state == RectificationState::closed);
  CHECK(v.rectification->resolution == "appeal");
  CHECK(v.rectification->called_back);
  CHECK(v.history.back().detail.find("on_time=false") != std::string::npos);
  // Frozen once closed: no more light changes.
  const std::size_t events = v.history.size();
  hall.at("2025-04-30T08:00");
  CHECK(hall.view(id).history.size() == events);
}

TEST_CASE("好差评: ratings and open tasks survive a reopened store, with their timers") {
  auto store = test_store();  // reopened below: the same store for both halls
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2025-03-03T09:00", options);
    id = issued_food_case(hall);
    hall.engine.rate(id, rating(2, RatingChannel::window_device, true));
    hall.act(id, Verb::verify, "nd-s022", "属实");
  }
  Hall reopened(ningdu_rules(), "2025-03-13T09:00", options);
  CaseView v = reopened.view(id);
  REQUIRE(v.rating.has_value());
  CHECK(v.rating->score == 2);
  CHECK(v.rating->named);
  CHECK(v.rectification->state == RectificationState::resolving);
  reopened.at("2025-03-13T09:00");  // the yellow and red days passed while it was closed
  CHECK(reopened.view(id).rectification->light == Light::red);
  CHECK(reopened.engine.available_actions(id, "nd-s022") ==
        std::vector<Verb>{Verb::rectify, Verb::explain, Verb::appeal});
}
