// 督办 (issue 14): the centre's duty leader (nd-hall-duty, issues_orders) issues a supervision
// order on a late or complained-about case to the unit holding it, with a reason and a reply
// due in working days; the unit replies; the order is closed or escalated. The order is a
// record of the case with its own light, and every refusal changes nothing.
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

Action by(const char* actor, const char* reason = "", int days = 0, std::uint32_t order = 0) {
  Action a;
  a.actor = actor;
  a.reason = reason;
  a.days = days;
  a.order = order;
  return a;
}

// The food case at 市场监管局's review (nd-s022), on Tuesday 1 December 2026.
CaseId reviewed_case(Hall& hall) { return food_case_at_review(hall); }

}  // namespace

TEST_CASE("督办: the duty leader orders the unit holding the case; it replies in time; closed") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  CHECK(has(hall.engine.available_actions(id, "nd-s017"), Verb::order));
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s022"), Verb::order));
  hall.engine.act(id, Verb::order, by("nd-s017", "群众投诉审查拖延"));
  CaseView v = hall.view(id);
  REQUIRE(v.orders.size() == 1);
  const OrderView& o = v.orders[0];
  CHECK(o.number == 1);
  CHECK(o.issued_by == "nd-s017");
  CHECK(o.issuer_post == "nd-hall-duty");
  CHECK(o.department == "nd-amr");
  CHECK(o.reason == "群众投诉审查拖延");
  CHECK(o.issued == day("2026-12-01"));
  CHECK(o.reply_days == 5);  // policy.order_reply_days
  CHECK(o.due == day("2026-12-08"));
  CHECK(o.state == OrderState::open);
  CHECK(o.light == Light::green);
  CHECK(v.history.back().kind == EventKind::order);
  CHECK(v.history.back().post == "nd-hall-duty");
  CHECK(v.history.back().detail == "order=1; department=nd-amr; reply_days=5; due=2026-12-08");
  // The case itself is untouched: still at its review.
  CHECK(v.post == "nd-amr-review");
  CHECK(v.state == CaseState::back_office_review);

  // The unit replies: its reviewer, or its 首席代表 (the reviewer's supervisor).
  CHECK(has(hall.engine.available_actions(id, "nd-s022"), Verb::reply_order));
  CHECK(has(hall.engine.available_actions(id, "nd-s024"), Verb::reply_order));
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s017"), Verb::close_order));
  hall.at("2026-12-03T10:00");
  hall.engine.act(id, Verb::reply_order, by("nd-s022", "已补正审查意见，今日办结"));
  v = hall.view(id);
  CHECK(v.orders[0].state == OrderState::replied);
  CHECK(v.orders[0].replied == day("2026-12-03"));
  CHECK(v.orders[0].replied_by == "nd-s022");
  CHECK(v.orders[0].replied_on_time);
  CHECK(v.history.back().detail == "order=1; due=2026-12-08; on_time=true");
  CHECK(has(hall.engine.available_actions(id, "nd-s017"), Verb::close_order));
  hall.engine.act(id, Verb::close_order, by("nd-s017", "回复属实"));
  v = hall.view(id);
  CHECK(v.orders[0].state == OrderState::closed);
  CHECK(v.orders[0].ended == day("2026-12-03"));
  CHECK(v.orders[0].ended_by == "nd-s017");
  CHECK(v.orders[0].outcome == "回复属实");
  // The light froze at the reply: nothing more happens to it when its days pass.
  hall.at("2026-12-10T09:00");
  v = hall.view(id);
  CHECK(v.orders[0].light == Light::green);
  CHECK(std::none_of(v.history.begin(), v.history.end(), [](const Event& e) {
    return e.detail.starts_with("task=order");
  }));
}

TEST_CASE("督办: the light turns yellow on the last day and red after; a late reply; escalated") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  hall.engine.act(id, Verb::order, by("nd-s017", "超期未办结", 3));
  CHECK(hall.view(id).orders[0].due == day("2026-12-04"));
  hall.at("2026-12-03T23:00");
  CHECK(hall.view(id).orders[0].light == Light::green);
  hall.at("2026-12-04T08:00");
  CaseView v = hall.view(id);
  CHECK(v.orders[0].light == Light::yellow);
  CHECK(v.history.back().kind == EventKind::light_changed);
  CHECK(v.history.back().detail == "task=order; order=1; from=green; to=yellow");
  hall.at("2026-12-05T00:00");
  v = hall.view(id);
  CHECK(v.orders[0].light == Light::red);
  CHECK(v.light == Light::green);  // the case's own light is its own
  hall.at("2026-12-07T09:00");
  hall.engine.act(id, Verb::reply_order, by("nd-s024", "人手不足，已安排专人"));
  v = hall.view(id);
  CHECK_FALSE(v.orders[0].replied_on_time);
  CHECK(v.orders[0].light == Light::red);
  CHECK(v.history.back().detail == "order=1; due=2026-12-04; on_time=false");
  hall.engine.act(id, Verb::escalate_order, by("nd-s017", "逾期回复，提请问责"));
  v = hall.view(id);
  CHECK(v.orders[0].state == OrderState::escalated);
  CHECK(v.history.back().kind == EventKind::escalate_order);
  CHECK(v.history.back().detail == "order=1; replied=true");
  // Escalated is final.
  CHECK(error_of([&] { hall.engine.act(id, Verb::close_order, by("nd-s017", "x", 0, 1)); })
            .code() == ErrorCode::invalid_transition);
}

TEST_CASE("督办: an order nobody answers is escalated without a reply") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  hall.engine.act(id, Verb::order, by("nd-s017", "超期未办结"));
  // Closing needs a reply first.
  const Error e = error_of([&] { hall.engine.act(id, Verb::close_order, by("nd-s017", "x")); });
  CHECK(e.code() == ErrorCode::invalid_transition);
  hall.at("2026-12-10T09:00");
  hall.engine.act(id, Verb::escalate_order, by("nd-s017", "逾期未回复"));
  const CaseView v = hall.view(id);
  CHECK(v.orders[0].state == OrderState::escalated);
  CHECK_FALSE(v.orders[0].replied.has_value());
  CHECK(v.history.back().detail == "order=1; replied=false");
  CHECK(error_of([&] { hall.engine.act(id, Verb::reply_order, by("nd-s022", "迟到的回复")); })
            .code() == ErrorCode::invalid_transition);
}

TEST_CASE("督办: outsiders cannot order, reply, close or escalate; each attempt is audited") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  // An outsider giving an order: the case's own reviewer, a window clerk, another department.
  for (const char* outsider : {"nd-s022", "nd-s001", "nd-s030"}) {
    const std::size_t before = hall.view(id).history.size();
    const Error e = error_of([&] { hall.engine.act(id, Verb::order, by(outsider, "越权督办")); });
    CHECK(e.code() == ErrorCode::permission_denied);
    const CaseView v = hall.view(id);
    CHECK(v.orders.empty());
    REQUIRE(v.history.size() == before + 1);
    CHECK(v.history.back().kind == EventKind::permission_denied);
    CHECK(v.history.back().detail == "verb=order");
  }
  // A township's director has no issues_orders: cannot order the county's case either.
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, by("nd-mj-s08", "x")); }).code() ==
        ErrorCode::permission_denied);
  hall.engine.act(id, Verb::order, by("nd-s017", "超期未办结"));
  // A reply by the wrong unit (税务局's reviewer, the hall's window clerk).
  for (const char* wrong : {"nd-s030", "nd-s001"}) {
    const Error e = error_of([&] { hall.engine.act(id, Verb::reply_order, by(wrong, "代为回复")); });
    CHECK(e.code() == ErrorCode::permission_denied);
    CHECK(std::string(e.what()).find("addressed to nd-amr") != std::string::npos);
  }
  CHECK(hall.view(id).orders[0].state == OrderState::open);
  hall.engine.act(id, Verb::reply_order, by("nd-s022", "已办理"));
  // The unit cannot close or escalate its own order.
  CHECK(error_of([&] { hall.engine.act(id, Verb::close_order, by("nd-s024", "自行销号")); })
            .code() == ErrorCode::permission_denied);
  CHECK(error_of([&] { hall.engine.act(id, Verb::escalate_order, by("nd-s022", "x")); }).code() ==
        ErrorCode::permission_denied);
  CHECK(hall.view(id).orders[0].state == OrderState::replied);
}

TEST_CASE("督办: details are checked before anything changes") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  const std::size_t before = hall.view(id).history.size();
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, by("nd-s017")); }).code() ==
        ErrorCode::invalid_argument);  // no reason
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, by("nd-s017", "x", 31)); }).code() ==
        ErrorCode::invalid_argument);  // a reply limit past 30 working days
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, by("nd-s017", "x", -1)); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(error_of([&] { hall.engine.act(id, Verb::reply_order, by("nd-s022", "x")); }).code() ==
        ErrorCode::invalid_transition);  // no order issued
  CHECK(error_of([&] { hall.engine.act(id, Verb::review_pass, by("nd-s022", "", 0, 1)); })
            .code() == ErrorCode::invalid_argument);  // `order` on a lifecycle verb
  CHECK(hall.view(id).history.size() == before);
  // Two open orders: a reply names the one it answers.
  hall.engine.act(id, Verb::order, by("nd-s017", "第一次督办"));
  hall.engine.act(id, Verb::order, by("nd-s017", "第二次督办", 2));
  CHECK(error_of([&] { hall.engine.act(id, Verb::reply_order, by("nd-s022", "x")); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(error_of([&] { hall.engine.act(id, Verb::reply_order, by("nd-s022", "x", 0, 3)); })
            .code() == ErrorCode::invalid_argument);
  hall.engine.act(id, Verb::reply_order, by("nd-s022", "回复第二次", 0, 2));
  const CaseView v = hall.view(id);
  CHECK(v.orders[0].state == OrderState::open);
  CHECK(v.orders[1].state == OrderState::replied);
  CHECK(v.orders[1].reply_days == 2);
}

TEST_CASE("督办: a request id makes a retried order harmless") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  Action a = by("nd-s017", "超期未办结");
  a.request_id = "duban-1";
  hall.engine.act(id, Verb::order, a);
  hall.engine.act(id, Verb::order, a);
  CHECK(hall.view(id).orders.size() == 1);
  a.reason = "另一事由";
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, a); }).code() ==
        ErrorCode::invalid_argument);
}

TEST_CASE("督办: a concluded case is supervised only while its bad rating's rectification is open") {
  Hall hall(ningdu_rules(), "2026-12-01T09:00");
  const CaseId id = reviewed_case(hall);
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  hall.act(id, Verb::issue, "nd-s001");
  CHECK(error_of([&] { hall.engine.act(id, Verb::order, by("nd-s017", "x")); }).code() ==
        ErrorCode::invalid_transition);
  CHECK_FALSE(has(hall.engine.available_actions(id, "nd-s017"), Verb::order));
  Rating bad;
  bad.score = 1;
  bad.channel = RatingChannel::phone;
  bad.named = true;
  hall.engine.rate(id, bad);
  CHECK(has(hall.engine.available_actions(id, "nd-s017"), Verb::order));
  hall.engine.act(id, Verb::order, by("nd-s017", "差评整改督办"));
  CHECK(hall.view(id).orders[0].department == "nd-amr");  // the unit that rectifies
  hall.engine.act(id, Verb::reply_order, by("nd-s024", "已核实整改"));
  CHECK(hall.view(id).orders[0].state == OrderState::replied);
}

TEST_CASE("督办: orders, replies and lights survive a reopened store") {
  const auto store = test_store();
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-12-01T09:00", options);
    id = reviewed_case(hall);
    hall.engine.act(id, Verb::order, by("nd-s017", "超期未办结", 2));
    hall.engine.act(id, Verb::order, by("nd-s017", "再次督办", 5));
    hall.engine.act(id, Verb::reply_order, by("nd-s022", "已办", 0, 2));
  }
  Hall hall(ningdu_rules(), "2026-12-04T09:00", options);
  CaseView v = hall.view(id);
  REQUIRE(v.orders.size() == 2);
  CHECK(v.orders[0].light == Light::green);
  CHECK(v.orders[1].state == OrderState::replied);
  CHECK(v.orders[1].reply == "已办");
  hall.at("2026-12-04T09:00");  // the days passed while the engine was down
  v = hall.view(id);
  CHECK(v.orders[0].light == Light::red);
  CHECK(v.orders[1].light == Light::green);
}

TEST_CASE("督办: an order given in the last week of 2026 is due in 2027, counted in working days") {
  // 5 working days from Monday 28 December 2026: 29, 30, 31 December, then 元旦 (Friday
  // 1 January 2027) and the weekend are skipped: 4 and 5 January.
  Hall hall(ningdu_rules(), "2026-12-28T09:00");
  const CaseId id = reviewed_case(hall);
  hall.engine.act(id, Verb::order, by("nd-s017", "年底积压件督办"));
  CHECK(hall.view(id).orders[0].due == day("2027-01-05"));
  hall.at("2027-01-04T23:00");
  CHECK(hall.view(id).orders[0].light == Light::green);
  hall.at("2027-01-05T08:00");
  CHECK(hall.view(id).orders[0].light == Light::yellow);
  hall.at("2027-01-06T08:00");
  CHECK(hall.view(id).orders[0].light == Light::red);
  hall.engine.act(id, Verb::reply_order, by("nd-s022", "节后已办结"));
  CHECK_FALSE(hall.view(id).orders[0].replied_on_time);
}
