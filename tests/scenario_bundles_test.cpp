// 一件事一次办 at 宁都县: business opening (企业开办) as one submission, one form and one set of
// materials at one window; a case per matter in each department, in parallel; one notice for
// everything missing; done when every part is done, against the bundle's own 1-day promise.
#include <algorithm>

#include <doctest/doctest.h>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/store.hpp"

using namespace workflow;
using namespace workflow::testing;

namespace {

// Every material of the business-opening bundle, each once, in the order of its parts.
const std::vector<std::string> kOpeningMaterials{
    "公司登记（备案）申请书", "公司章程", "股东主体资格文件或自然人身份证明",
    "法定代表人、董事、监事和高级管理人员的任职文件及身份证明", "住所（经营场所）使用证明",
    "营业执照", "法定代表人身份证明", "经办人身份证明及授权委托书", "经办人身份证件",
    "发票专用章印模", "社会保险登记表", "单位住房公积金缴存登记表"};

std::vector<std::string> without(std::vector<std::string> all, const std::vector<std::string>& gone) {
  std::erase_if(all, [&](const std::string& m) {
    return std::find(gone.begin(), gone.end(), m) != gone.end();
  });
  return all;
}

BundleSubmission opening(std::vector<std::string> materials) {
  BundleSubmission s;
  s.bundle = "business-opening";
  s.office = "nd";
  s.actor = "nd-s001";
  s.applicant = "宁都县赣江食品有限公司（筹）";
  s.materials = std::move(materials);
  return s;
}

Action by(const std::string& actor, std::vector<std::string> materials = {}) {
  Action a;
  a.actor = actor;
  a.materials = std::move(materials);
  return a;
}

}  // namespace

TEST_CASE("企业开办: one notice lists everything the bundle lacks; accepted whole; done in a day") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const BundleId id = hall.engine.submit_bundle(
      opening(without(kOpeningMaterials, {"公司章程", "社会保险登记表"})));
  BundleView b = hall.engine.get_bundle(id);
  REQUIRE(b.parts.size() == 5);
  CHECK(b.bundle == "business-opening");
  CHECK(b.missing_materials == std::vector<std::string>{"公司章程", "社会保险登记表"});
  CHECK_FALSE(b.accepted.has_value());
  // Each part is a case of its own department, handed in at the same window.
  const std::vector<std::string> matters{"360730-SCJG-0001", "360730-GA-0001", "360730-TAX-0001",
                                         "360730-SB-0001", "360730-GJJ-0001"};
  for (std::size_t i = 0; i < b.parts.size(); ++i) {
    const CaseView part = hall.view(b.parts[i]);
    CHECK(part.matter == matters[i]);
    CHECK(part.bundle == id);
    CHECK(part.applicant == b.applicant);
    CHECK(part.history.front().detail.find("bundle_rule=business-opening") != std::string::npos);
  }
  CHECK(hall.engine.list(CaseFilter{.bundle = id}).size() == 5);

  // Accepting is all or nothing: two parts still lack materials.
  const Error blocked = error_of([&] { hall.engine.act_bundle(id, Verb::accept, by("nd-s001")); });
  CHECK(blocked.code() == ErrorCode::invalid_transition);
  CHECK(std::string(blocked.what()).find("360730-SB-0001") != std::string::npos);
  for (CaseId part : b.parts) CHECK(hall.state(part) == CaseState::received);

  // 一次性告知: the two parts that lack something get the notice; it names all of it.
  hall.engine.act_bundle(id, Verb::notify_missing, by("nd-s001"));
  CHECK(hall.state(b.parts[0]) == CaseState::awaiting_materials);
  CHECK(hall.state(b.parts[3]) == CaseState::awaiting_materials);
  CHECK(hall.state(b.parts[1]) == CaseState::received);
  CHECK(hall.view(b.parts[3]).history.back().detail ==
        "missing=社会保险登记表; bundle=1; bundle_missing=公司章程; 社会保险登记表");

  // The applicant brings both; each part takes what it needs.
  hall.at("2025-03-04T09:30");
  hall.engine.act_bundle(id, Verb::supplement, by("nd-s001", {"公司章程", "社会保险登记表"}));
  CHECK(hall.engine.get_bundle(id).missing_materials.empty());
  hall.engine.act_bundle(id, Verb::accept, by("nd-s001"));
  b = hall.engine.get_bundle(id);
  CHECK(b.accepted == day("2025-03-04"));
  CHECK(b.promised_deadline == day("2025-03-05"));  // the bundle's own promise: 1 working day
  CHECK(b.light == Light::green);
  CHECK(hall.state(b.parts[0]) == CaseState::preliminary_review);
  for (std::size_t i = 1; i < 5; ++i) CHECK(hall.state(b.parts[i]) == CaseState::on_the_spot);

  // The parts run in parallel, each in its department.
  for (std::size_t i = 1; i < 5; ++i) hall.act(b.parts[i], Verb::approve, "nd-s001");
  hall.act(b.parts[0], Verb::review_pass, "nd-s001");
  CHECK(hall.view(b.parts[0]).post == "nd-amr-review");
  CHECK_FALSE(hall.engine.get_bundle(id).done);
  hall.at("2025-03-05T11:00");
  hall.act(b.parts[0], Verb::approve, "nd-s022");
  hall.engine.act_bundle(id, Verb::issue, by("nd-s001"));
  b = hall.engine.get_bundle(id);
  CHECK(b.done);
  CHECK(b.finished == day("2025-03-05"));
  CHECK(b.finished <= b.promised_deadline);  // on time
  // The light stays as it stood on the day the bundle finished: its last day, yellow.
  CHECK(b.light == Light::yellow);
  CHECK(b.denied.empty());
  for (CaseId part : b.parts) CHECK(hall.state(part) == CaseState::issued);
}

TEST_CASE("企业开办: a denied part is reported on the bundle; a late bundle turns red") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  const BundleId id = hall.engine.submit_bundle(opening(kOpeningMaterials));
  hall.engine.act_bundle(id, Verb::accept, by("nd-s001"));
  const BundleView b = hall.engine.get_bundle(id);
  CHECK(b.accepted == day("2025-03-03"));
  hall.act(b.parts[1], Verb::deny, "nd-s001", "印章样式不符合规定");
  CHECK(hall.engine.get_bundle(id).denied == std::vector<CaseId>{b.parts[1]});
  hall.at("2025-03-05T09:00");  // past 2025-03-04 with the registration still open
  CHECK(hall.engine.get_bundle(id).light == Light::red);
  CHECK_FALSE(hall.engine.get_bundle(id).done);
}

TEST_CASE("企业开办: bundle commands are checked whole and change nothing when refused") {
  Hall hall(ningdu_rules(), "2025-03-03T09:00");
  CHECK(error_of([&] {
          hall.engine.submit_bundle(opening({"公司章程", "结婚证"}));
        }).code() == ErrorCode::invalid_argument);
  BundleSubmission elsewhere = opening(kOpeningMaterials);
  elsewhere.office = "nd-mj";
  elsewhere.actor = "nd-mj-s01";
  CHECK(error_of([&] { hall.engine.submit_bundle(elsewhere); }).code() ==
        ErrorCode::invalid_argument);
  BundleSubmission unknown = opening(kOpeningMaterials);
  unknown.bundle = "no-such-thing";
  CHECK(error_of([&] { hall.engine.submit_bundle(unknown); }).code() == ErrorCode::not_found);
  CHECK(hall.engine.list().empty());  // no part of a refused bundle was created
  CHECK(hall.engine.list_bundles().empty());

  const BundleId id = hall.engine.submit_bundle(opening(kOpeningMaterials));
  // A back-office reviewer holds no window of the accepting office.
  CHECK(error_of([&] { hall.engine.act_bundle(id, Verb::accept, by("nd-s022")); }).code() ==
        ErrorCode::permission_denied);
  CHECK(error_of([&] { hall.engine.act_bundle(id, Verb::approve, by("nd-s001")); }).code() ==
        ErrorCode::invalid_argument);
  CHECK(error_of([&] { hall.engine.act_bundle(id, Verb::issue, by("nd-s001")); }).code() ==
        ErrorCode::invalid_transition);
  CHECK(error_of([&] { hall.engine.act_bundle(99, Verb::accept, by("nd-s001")); }).code() ==
        ErrorCode::not_found);
  for (CaseId part : hall.engine.get_bundle(id).parts) {
    CHECK(hall.state(part) == CaseState::received);
  }
}

TEST_CASE("企业开办: bundles come back from a reopened store; a retried submission is one bundle") {
  auto store = test_store();  // reopened below: the same store for both halls
  Options options;
  options.store = store;
  BundleSubmission s = opening(kOpeningMaterials);
  s.request_id = "kb-20250303-0001";
  BundleId id = 0;
  {
    Hall hall(ningdu_rules(), "2025-03-03T09:00", options);
    id = hall.engine.submit_bundle(s);
    CHECK(hall.engine.submit_bundle(s) == id);  // the retry
    hall.engine.act_bundle(id, Verb::accept, by("nd-s001"));
  }
  Hall reopened(ningdu_rules(), "2025-03-03T10:00", options);
  const auto bundles = reopened.engine.list_bundles();
  REQUIRE(bundles.size() == 1);
  CHECK(bundles[0].id == id);
  CHECK(bundles[0].parts.size() == 5);
  CHECK(bundles[0].accepted == day("2025-03-03"));
  CHECK(reopened.engine.submit_bundle(s) == id);
  CHECK(reopened.engine.list().size() == 5);
}
