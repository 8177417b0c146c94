// Scenarios along the paths after acceptance (后台分类审批): committed business opening in a
// day, real estate across the National Day holiday, an escalated licence decided by 赣州,
// and the joint construction approval with a department deemed to agree (超时默许).
#include <doctest/doctest.h>

#include "hall_fixture.hpp"
#include "workflow/error.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

// 工程建设项目审批 received at its 一窗办 window, accepted and passed to the seven departments.
CaseId construction_case_in_opinions(Hall& hall) {
  const CaseId id = hall.submit("360730-ZJ-0001", "nd", "nd-s100", construction_materials());
  hall.act(id, Verb::accept, "nd-s100");
  hall.act(id, Verb::review_pass, "nd-s100");
  return id;
}

}  // namespace

TEST_CASE("企业开办: a committed business opening finished within 1 working day") {
  Hall hall(ningdu_rules(), "2025-03-03T15:30");
  const CaseId id = hall.submit(
      "360730-SCJG-0001", "nd", "nd-s098",  // the 企业开办“一窗办” window
      {"公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
       "法定代表人、董事、监事和高级管理人员的任职文件及身份证明", "住所（经营场所）使用证明"},
      "宁都县某某农业发展有限公司");
  hall.act(id, Verb::accept, "nd-s098");
  CaseView v = hall.view(id);
  CHECK(v.accepted == day("2025-03-03"));
  CHECK(v.promised_deadline == day("2025-03-04"));
  CHECK(v.legal_deadline == day("2025-03-06"));
  CHECK(v.light == Light::green);
  hall.act(id, Verb::review_pass, "nd-s098");  // 初审 at the window
  CHECK(hall.view(id).post == "nd-amr-review");
  CHECK(hall.view(id).holder == "nd-s022");

  // Next morning is the deadline day: yellow (1 working day left, counting today).
  hall.at("2025-03-04T08:30");
  CHECK(hall.view(id).light == Light::yellow);
  hall.act(id, Verb::approve, "nd-s022");  // the single stage decides
  v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.post == "nd-yc-qykb");  // back to the window to issue
  Action issue;
  issue.actor = "nd-s098";
  issue.channel = IssueChannel::e_certificate;
  hall.engine.issue(id, issue);
  // Decided within the promise: the light froze at yellow and never turns red.
  hall.at("2025-03-20T09:00");
  v = hall.view(id);
  CHECK(v.state == CaseState::issued);
  CHECK(v.light == Light::yellow);
  CHECK(v.history.back().detail == "channel=e_certificate");
}

TEST_CASE("不动产: accepted 2025-09-30, the deadline crosses National Day to the 调休 Saturday") {
  Hall hall(ningdu_rules(), "2025-09-30T10:00");
  const CaseId id = hall.submit("360730-BDC-0001", "nd", "nd-s102",
                                {"不动产登记申请书", "申请人身份证明", "不动产权属证书",
                                 "存量房买卖合同", "婚姻状况证明"});
  hall.act(id, Verb::accept, "nd-s102");
  CaseView v = hall.view(id);
  // 10-01..10-08 are off; 10-09 (1), 10-10 (2), Saturday 10-11 is a working day (3).
  CHECK(v.promised_deadline == day("2025-10-11"));
  // 30 working days: October has 18 after the holiday (ending 10-31), then 11-03..11-18.
  CHECK(v.legal_deadline == day("2025-11-18"));
  hall.at("2025-10-10T17:00");
  CHECK(hall.view(id).light == Light::green);
  hall.at("2025-10-11T08:00");
  CHECK(hall.view(id).light == Light::yellow);  // the 调休 Saturday is the last day
  hall.at("2025-10-12T00:00");
  CHECK(hall.view(id).light == Light::red);
  hall.at("2025-11-18T23:00");
  CHECK(hall.view(id).light == Light::red);
  hall.at("2025-11-19T00:00");
  CHECK(hall.view(id).light == Light::escalated_red);
  CHECK(hall.engine.list({.light = Light::escalated_red}).size() == 1);
}

TEST_CASE("上报件: the county reviews a fuel-retail licence and 赣州 decides it") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-SWJ-0001", "nd", "nd-s003",
                                {"成品油零售经营资格申请书", "营业执照", "加油站规划选址确认文件",
                                 "建设工程消防验收文件", "安全评价报告", "成品油供油协议"});
  hall.act(id, Verb::accept, "nd-s003");
  hall.act(id, Verb::review_pass, "nd-s003");  // 初审 → the county's own review
  CHECK(hall.view(id).post == "nd-swj-review");
  hall.act(id, Verb::report_up, "nd-s078");
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::escalated);
  CHECK(v.office == "gz");
  CHECK(v.post == "gz-swj-approve");
  // The county reviewer cannot decide for the city.
  CHECK_THROWS_AS(hall.act(id, Verb::higher_approve, "nd-s078"), Error);
  hall.act(id, Verb::higher_approve, "gz-s03");
  v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.office == "nd");  // returned down to the window that accepted it
  CHECK(v.post == "nd-w03");
  hall.act(id, Verb::issue, "nd-s003");
  const auto kinds = hall.kinds(id);
  CHECK(std::count(kinds.begin(), kinds.end(), "routed") == 2);  // up to 赣州 and back
  CHECK(hall.state(id) == CaseState::issued);
}

TEST_CASE("联办件: construction approval in parallel; a silent department is deemed to agree") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = construction_case_in_opinions(hall);
  CaseView v = hall.view(id);
  CHECK(v.state == CaseState::opinions);
  CHECK(v.post == "nd-zjj-review");  // the lead: 住建局, the matter's own department
  CHECK(v.promised_deadline == day("2025-05-29"));

  // Six departments answer; 发改委 (share 10 working days) stays silent.
  for (const char* clerk : {"nd-s054", "nd-s042", "nd-s074", "nd-s062", "nd-s066", "nd-s070"}) {
    CAPTURE(clerk);
    hall.act(id, Verb::opinion_agree, clerk);
  }
  // The lead cannot decide while an opinion is pending.
  CHECK_THROWS_AS(hall.act(id, Verb::approve, "nd-s054"), Error);
  // An opinion is given once: 住建 has answered already.
  CHECK_THROWS_AS(hall.act(id, Verb::opinion_agree, "nd-s054"), Error);
  hall.at("2025-03-17T23:59");  // 10 working days after 03-03 is 03-17
  CHECK(hall.view(id).history.back().kind != EventKind::opinion_deemed);
  hall.at("2025-03-18T00:00");
  v = hall.view(id);
  CHECK(v.history.back().kind == EventKind::opinion_deemed);
  CHECK(v.history.back().detail == "stage=项目审批核准备案意见");
  // Each opinion is recorded at the post of the department that gave it.
  for (const Event& e : v.history) {
    if (e.kind == EventKind::opinion_agree && e.actor == "nd-s042") CHECK(e.post == "nd-zrzy-review");
  }
  hall.act(id, Verb::approve, "nd-s054");
  CHECK(hall.state(id) == CaseState::decided);
  CHECK(hall.view(id).post == "nd-yc-gcjs");
}

TEST_CASE("联办件: one disagreeing department means the lead can only deny") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = construction_case_in_opinions(hall);
  for (const char* clerk : {"nd-s054", "nd-s058", "nd-s042", "nd-s062", "nd-s066", "nd-s070"}) {
    hall.act(id, Verb::opinion_agree, clerk);
  }
  hall.act(id, Verb::opinion_disagree, "nd-s074", "环评文件与选址不符");
  CHECK_THROWS_AS(hall.act(id, Verb::approve, "nd-s054"), Error);
  hall.act(id, Verb::deny, "nd-s054", "生态环境局不同意：环评文件与选址不符");
  CHECK(hall.view(id).decision == Decision::denied);
}

TEST_CASE("上报件: a 梅江 minimum-living-allowance case, reviewed at the township, decided by the county") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  // Handed in by the village agent for the family (帮办代办).
  const CaseId id = hall.submit("360730-MJ-MZ-0002", "nd-mj-v1", "nd-mj-v1-s1",
                                {"最低生活保障申请书", "家庭成员居民身份证及户口簿",
                                 "家庭经济状况核对授权书", "家庭收入和财产状况说明"},
                                "黄某某户");
  CaseView v = hall.view(id);
  REQUIRE(v.post == "nd-mj-w-zh");
  hall.act(id, Verb::accept, "nd-mj-s01");
  v = hall.view(id);
  CHECK(v.promised_deadline == day("2025-03-24"));  // 15 working days
  CHECK(v.legal_deadline == day("2025-04-15"));     // 30, across 清明 (04-04)
  hall.act(id, Verb::review_pass, "nd-mj-s01");
  CHECK(hall.view(id).post == "nd-mj-mzb-review");  // 入户调查及初审 at the township
  hall.act(id, Verb::report_up, "nd-mj-s10");
  v = hall.view(id);
  CHECK(v.state == CaseState::escalated);
  CHECK(v.office == "nd");
  CHECK(v.holder == "nd-s084");  // 民政局首席代表
  hall.act(id, Verb::higher_approve, "nd-s084");
  v = hall.view(id);
  CHECK(v.state == CaseState::decided);
  CHECK(v.office == "nd-mj");  // back down to the township window
  hall.act(id, Verb::issue, "nd-mj-s01");
  CHECK(hall.state(id) == CaseState::issued);
  CHECK(hall.view(id).agent == "nd-mj-v1-s1");
}
