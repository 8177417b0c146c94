// 帮办代办 and 跨域通办 at 宁都县: a village agent hands in and follows a case for a resident
// (and B follows while A is away); a case accepted at one township is handled by another,
// or by the county, and its result is issued where the applicant asked.
#include <algorithm>

#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

const std::vector<std::string> kAllowance{"居民身份证", "户口簿", "社会保障卡或银行账户信息"};

}  // namespace

TEST_CASE("帮办代办: the agent follows the resident's case and gets its notices, A or B") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  std::vector<Event> seen;
  hall.engine.subscribe([&](const Event& e) { seen.push_back(e); });
  // 梅江镇水东村's agent 1 hands in a 高龄津贴 application for a resident, one paper short.
  const CaseId id = hall.submit("360730-MJ-MZ-0001", "nd-mj-v1", "nd-mj-v1-s1",
                                {"居民身份证", "户口簿"}, "曾老汉");
  CaseView v = hall.view(id);
  CHECK(v.applicant == "曾老汉");        // the resident
  CHECK(v.agent == "nd-mj-v1-s1");       // and the agent who handed it in
  CHECK(v.agent_post == "nd-mj-v1-agent1");
  CHECK(v.following_agent == "nd-mj-v1-s1");
  CHECK(hall.engine.list(CaseFilter{.agent = "nd-mj-v1-s1"}).size() == 1);
  CHECK(hall.engine.list(CaseFilter{.agent = "nd-mj-v1-s2"}).empty());

  // The township window gives the one complete notice: the agent is told.
  hall.act(id, Verb::notify_missing, "nd-mj-s01");
  CHECK(seen.back().kind == EventKind::notify_missing);
  CHECK(seen.back().notify == "nd-mj-v1-s1");

  // Agent 1 goes on leave: agent 2, B of the post, follows the case from now on.
  hall.engine.mark_away("nd-mj-v1-s1", AbsenceKind::leave, DateTime::parse("2025-03-04T00:00"),
                        DateTime::parse("2025-03-08T00:00"), "nd-mj-s08");
  hall.at("2025-03-04T10:00");
  CHECK(hall.view(id).following_agent == "nd-mj-v1-s2");
  CHECK(hall.engine.list(CaseFilter{.agent = "nd-mj-v1-s2"}).size() == 1);
  CHECK(hall.engine.list(CaseFilter{.agent = "nd-mj-v1-s1"}).empty());
  // B brings the missing paper for the resident; a stranger may not.
  Action brought;
  brought.actor = "nd-zz-v1-s1";
  brought.materials = {"社会保障卡或银行账户信息"};
  CHECK(error_of([&] { hall.engine.supplement(id, brought); }).code() ==
        ErrorCode::permission_denied);
  brought.actor = "nd-mj-v1-s2";
  hall.engine.supplement(id, brought);
  hall.act(id, Verb::accept, "nd-mj-s01");
  CHECK(seen.back().kind == EventKind::accept);
  CHECK(seen.back().notify == "nd-mj-v1-s2");
  // Internal steps are not news for the applicant.
  hall.act(id, Verb::review_pass, "nd-mj-s01");
  CHECK(seen.back().notify.empty());

  // Back from leave: agent 1 follows again and hears of the decision.
  hall.at("2025-03-10T09:00");
  hall.act(id, Verb::review_pass, "nd-mj-s10");
  hall.act(id, Verb::approve, "nd-mj-s14");
  CHECK(seen.back().kind == EventKind::approve);
  CHECK(seen.back().notify == "nd-mj-v1-s1");
  v = hall.view(id);
  for (const Event& e : v.history) {
    if (e.kind == EventKind::approve) CHECK(e.notify == "nd-mj-v1-s1");  // stored, too
  }
}

TEST_CASE("跨域通办: 竹笮乡's allowance taken in at 梅江镇, decided at 竹笮乡, issued at 梅江镇") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const CaseId id = hall.submit("360730-ZZ-MZ-0001", "nd-mj", "nd-mj-s01", kAllowance, "钟奶奶");
  CaseView v = hall.view(id);
  CHECK(v.cross_region);
  CHECK(v.accepting_office == "nd-mj");
  CHECK(v.handling_office == "nd-zz");
  CHECK(v.issuing_office == "nd-mj");
  CHECK(v.history.front().detail.find("cross_region=true; handled_by=nd-zz") != std::string::npos);
  hall.act(id, Verb::accept, "nd-mj-s01");  // 代收: the accepting window checks and accepts
  v = hall.view(id);
  CHECK(v.state == CaseState::preliminary_review);
  CHECK(v.office == "nd-zz");  // pre-reviewed by the handling township's window
  hall.act(id, Verb::review_pass, v.holder);
  CHECK(hall.view(id).post == "nd-zz-mzb-review");
  hall.act(id, Verb::review_pass, "nd-zz-s08");
  hall.act(id, Verb::approve, "nd-zz-s12");
  v = hall.view(id);
  CHECK(v.office == "nd-mj");  // the result goes back where the applicant is
  CHECK(error_of([&] { hall.act(id, Verb::issue, "nd-zz-s01"); }).code() ==
        ErrorCode::permission_denied);
  hall.act(id, Verb::issue, v.holder);
  v = hall.view(id);
  CHECK(v.state == CaseState::issued);
  CHECK(v.history.back().office == "nd-mj");
  // Both offices find it in their lists.
  CHECK(hall.engine.list(CaseFilter{.office = "nd-zz"}).size() == 1);
  CHECK(hall.engine.list(CaseFilter{.office = "nd-mj"}).size() == 1);
}

TEST_CASE("跨域通办: a county matter taken in at a township, issued where the applicant asks") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  Submission s;
  s.matter = "360730-RSJ-0001";
  s.office = "nd-mj";
  s.actor = "nd-mj-s01";
  s.applicant = "赖师傅";
  const Matter& m = *std::find_if(hall.engine.rules().matters().begin(),
                                  hall.engine.rules().matters().end(),
                                  [](const Matter& x) { return x.code == "360730-RSJ-0001"; });
  for (const Material& mat : m.materials) s.materials.push_back(mat.name);
  s.issue_office = "nd-zz";
  const CaseId id = hall.engine.submit(s);
  CaseView v = hall.view(id);
  CHECK(v.cross_region);
  CHECK(v.accepting_office == "nd-mj");
  CHECK(v.handling_office == "nd");
  CHECK(v.issuing_office == "nd-zz");

  // A matter that is not cross-region is issued where it is accepted.
  Submission plain;
  plain.matter = "360730-MJ-MZ-0001";
  plain.office = "nd-mj";
  plain.actor = "nd-mj-s01";
  plain.materials = kAllowance;
  plain.issue_office = "nd-zz";
  const Error e = error_of([&] { hall.engine.submit(plain); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()).find("not a cross-region matter") != std::string::npos);
  plain.issue_office = "nowhere";
  CHECK(error_of([&] { hall.engine.submit(plain); }).code() == ErrorCode::not_found);
  CHECK(hall.engine.list().size() == 1);
}
