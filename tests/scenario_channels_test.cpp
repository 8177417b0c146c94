// 渠道 (issue 14): each application records how it came (window, online, mobile, self-service
// terminal, post, village agent) and whether staff helped (帮办, county or township level),
// so the supervision office can measure the seeds' 一次不跑 (>= 50 %), 网上可办 and 全程网办.
#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/supervision.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const std::vector<std::string> kAllowance{"居民身份证", "户口簿", "社会保障卡或银行账户信息"};

Submission food(SubmissionChannel channel, Assistance assisted = Assistance::none) {
  Submission s{"360730-SCJG-0004", "nd", "nd-s001", "刘某", food_licence_materials()};
  s.channel = channel;
  s.assisted = assisted;
  return s;
}

// Accepts, reviews, approves and issues the case by `how`.
void issue(Hall& hall, CaseId id, IssueChannel how) {
  hall.act(id, Verb::accept, "nd-s001");
  hall.act(id, Verb::review_pass, "nd-s001");
  hall.act(id, Verb::review_pass, "nd-s022");
  hall.act(id, Verb::approve, "nd-s024");
  hall.engine.issue(id, {.actor = "nd-s001", .channel = how});
  REQUIRE(hall.state(id) == CaseState::issued);
}

}  // namespace

TEST_CASE("渠道: an application records its channel and assistance, in the view and the event") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const CaseId online = hall.engine.submit(food(SubmissionChannel::mobile));
  CaseView v = hall.view(online);
  CHECK(v.channel == SubmissionChannel::mobile);
  CHECK(v.assisted == Assistance::none);
  CHECK(v.history.front().detail.find("; channel=mobile") != std::string::npos);

  const CaseId helped = hall.engine.submit(food(SubmissionChannel::window, Assistance::county));
  v = hall.view(helped);
  CHECK(v.channel == SubmissionChannel::window);
  CHECK(v.assisted == Assistance::county);
  CHECK(v.history.front().detail.find("; assisted=county") != std::string::npos);
  CHECK(v.history.front().detail.find("channel=") == std::string::npos);  // the default

  // A village agent's submission came through the agent: the default says so.
  const CaseId proxy = hall.engine.submit(
      Submission{"360730-MJ-MZ-0001", "nd-mj-v1", "nd-mj-v1-s1", "曾老汉", kAllowance});
  CHECK(hall.view(proxy).channel == SubmissionChannel::village_agent);
  CHECK(to_string(SubmissionChannel::self_service) == "self_service");
  CHECK(parse_assistance("township") == Assistance::township);
  CHECK_FALSE(parse_submission_channel("fax").has_value());
}

TEST_CASE("渠道: a channel or assistance that contradicts how the application came is refused") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  // Only a village agent's submission comes through a village agent.
  Error e = error_of([&] { hall.engine.submit(food(SubmissionChannel::village_agent)); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("channel village_agent is for applications a village agent "
                                    "hands in at a village station; nd is not one") !=
        std::string::npos);
  // ... and an agent's submission did not come online.
  Submission by_agent{"360730-MJ-MZ-0001", "nd-mj-v1", "nd-mj-v1-s1", "曾老汉", kAllowance};
  by_agent.channel = SubmissionChannel::online;
  e = error_of([&] { hall.engine.submit(by_agent); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("came through the agent (channel village_agent), not online") !=
        std::string::npos);
  // County-level 帮办 is given at the county, township-level at a township or village.
  e = error_of([&] { hall.engine.submit(food(SubmissionChannel::window, Assistance::township)); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("township-level assistance (帮办) is given at a township") !=
        std::string::npos);
  by_agent.channel = SubmissionChannel::village_agent;
  by_agent.assisted = Assistance::county;
  e = error_of([&] { hall.engine.submit(by_agent); });
  CHECK(std::string(e.what()).find("county-level assistance (帮办) is given at an office of "
                                   "county level or above; nd-mj-v1 is a village") !=
        std::string::npos);
  CHECK(hall.engine.list().empty());  // nothing was received
  by_agent.assisted = Assistance::township;
  CHECK(hall.view(hall.engine.submit(by_agent)).assisted == Assistance::township);
}

TEST_CASE("渠道: the channel survives a reopened store") {
  auto store = std::shared_ptr<CaseStore>(make_memory_store());
  Options options;
  options.store = store;
  CaseId id = 0;
  {
    Hall hall(ningdu_rules(), "2026-11-30T09:00", options);
    id = hall.engine.submit(food(SubmissionChannel::post, Assistance::county));
  }
  Hall reopened(ningdu_rules(), "2026-12-01T09:00", options);
  CHECK(reopened.view(id).channel == SubmissionChannel::post);
  CHECK(reopened.view(id).assisted == Assistance::county);
}

TEST_CASE("渠道: a request id retried with another channel is a different command") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  Submission s = food(SubmissionChannel::online);
  s.request_id = "req-online-1";
  const CaseId id = hall.engine.submit(s);
  CHECK(hall.engine.submit(s) == id);
  s.channel = SubmissionChannel::mobile;
  CHECK(error_of([&] { hall.engine.submit(s); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("一次不跑, 网上可办, 全程网办: each rate's numerator and denominator") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  CHECK_FALSE(supervise(hall.engine).channels.zero_trip_rate.value().has_value());  // no data
  // Online, result as an e-certificate: no trip, fully online.
  issue(hall, hall.engine.submit(food(SubmissionChannel::online)), IssueChannel::e_certificate);
  // On mobile, but picked up at the window: one trip, not fully online.
  issue(hall, hall.engine.submit(food(SubmissionChannel::mobile)), IssueChannel::pickup);
  // By post and back by post: no trip, and not online.
  issue(hall, hall.engine.submit(food(SubmissionChannel::post)), IssueChannel::post);
  // At the window with the county's 帮办, result by post: the applicant came once.
  issue(hall, hall.engine.submit(food(SubmissionChannel::window, Assistance::county)),
        IssueChannel::post);
  // At a self-service terminal, not issued yet: counts for 网上可办's denominator only.
  hall.engine.submit(food(SubmissionChannel::self_service));
  const ChannelFigures c = supervise(hall.engine).channels;
  CHECK(c.by_channel.at("online") == 1);
  CHECK(c.by_channel.at("village_agent") == 0);
  CHECK(c.issued == 4);
  CHECK(c.zero_trips == 2);
  CHECK(c.zero_trip_rate.numerator == 2);
  CHECK(c.zero_trip_rate.denominator == 4);
  CHECK(c.applied_online == 2);
  CHECK(c.online_rate.numerator == 2);
  CHECK(c.online_rate.denominator == 5);
  CHECK(c.issued_online == 2);
  CHECK(c.fully_online == 1);
  CHECK(c.fully_online_rate.denominator == 2);
  CHECK(c.assisted.at("county") == 1);
  CHECK(c.assisted.at("township") == 0);
  CHECK(supervise(hall.engine).targets.zero_trips == 0.5);
}
