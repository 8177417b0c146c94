// The good path of RuleSet::load on tests/data/rules/good/: a small county (宁都) with two
// townships, every matter kind, three delegations and two bundles; plus the SHA-256 behind the
// version.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>  // getpid: scratch directories of parallel test runs must not collide

#include "workflow/rules.hpp"
// Private, but the version hash and the future event-log chain both rest on it.
#include "support/sha256.hpp"

namespace fs = std::filesystem;
using namespace workflow;

namespace {

const fs::path k_good = fs::path(WORKFLOW_TEST_DATA_DIR) / "rules" / "good";

const RuleSet& good() {
  static const RuleSet set = RuleSet::load(k_good);
  return set;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A scratch copy of a directory, removed at the end of the test.
struct ScratchCopy {
  fs::path dir;
  explicit ScratchCopy(const fs::path& from, const std::string& tag) {
    dir = fs::temp_directory_path() /
          ("workflow-rules-test-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::copy(from, dir, fs::copy_options::recursive);
  }
  ~ScratchCopy() { fs::remove_all(dir); }
};

Date day(const char* iso) { return Date::parse(iso); }

}  // namespace

TEST_CASE("rules: the good set loads with every table and no unexpected warnings") {
  const RuleSet& rules = good();
  CHECK(rules.offices().size() == 5);
  CHECK(rules.departments().size() == 6);
  CHECK(rules.staff().size() == 12);
  CHECK(rules.posts().size() == 8);
  CHECK(rules.matters().size() == 5);
  CHECK(rules.delegations().size() == 3);
  CHECK(rules.bundles().size() == 2);
  REQUIRE(rules.warnings().size() == 1);
  const Diagnostic& gap = rules.warnings()[0];
  CHECK(gap.severity == Diagnostic::Severity::warning);
  CHECK(gap.to_string() ==
        (k_good / "delegations.yaml").string() +
            ":17:17: warning: delegations[1].valid_from: 59 days without delegation "
            "after 'dlg-2025-mj-amr' ended on 2025-12-31");
}

TEST_CASE("rules: references resolve to the entries they name") {
  const RuleSet& rules = good();
  const auto mj = rules.find_office("nd-mj");
  REQUIRE(mj);
  const Office& township = rules.office(*mj);
  CHECK(township.name == "梅江镇综合便民服务中心");
  CHECK(township.level == Level::township);
  REQUIRE(township.parent);
  CHECK(rules.office(*township.parent).id == "nd");
  CHECK_FALSE(rules.office(*rules.find_office("gz")).parent);

  CHECK(rules.office(rules.department(*rules.find_department("nd-amr")).office).id == "nd");
  CHECK(rules.office(rules.staff(*rules.find_staff("s9")).office).id == "nd-mj");

  const Post& review = rules.post(*rules.find_post("nd-amr-review"));
  CHECK(review.role == PostRole::back_office);
  CHECK(rules.office(review.office).id == "nd");
  CHECK(rules.department(review.department).id == "nd-amr");
  CHECK(rules.staff(review.a).name == "黄伟");
  CHECK(rules.staff(review.b).name == "曾丽");
  CHECK(review.approves_extensions);
  const Post& civil = rules.post(*rules.find_post("nd-civil-review"));
  REQUIRE(civil.supervisor);
  CHECK(rules.post(*civil.supervisor).id == "nd-amr-review");

  const Matter& joint = rules.matter(*rules.find_matter("360730-JNT-0001"));
  CHECK(joint.kind == MatterKind::joint);
  REQUIRE(joint.stages.size() == 2);
  CHECK(rules.post(joint.stages[0].post).id == "nd-civil-review");
  CHECK(rules.post(joint.stages[1].post).id == "nd-amr-review");
  const Matter& escalated = rules.matter(*rules.find_matter("360730-AMR-0002"));
  REQUIRE(escalated.escalate_to);
  CHECK(rules.post(*escalated.escalate_to).id == "gz-amr-decide");

  const Delegation& by_department = rules.delegation(*rules.find_delegation("dlg-2025-mj-amr"));
  CHECK(rules.matter(by_department.matter).code == "360730-AMR-0001");
  REQUIRE(by_department.from_department);
  CHECK(rules.department(*by_department.from_department).id == "nd-amr");
  CHECK(rules.office(by_department.from_office).id == "nd");  // the department's office
  CHECK(rules.office(by_department.township).id == "nd-mj");
  CHECK(by_department.mode == DelegationMode::window_forward);
  CHECK(by_department.document == "宁府字〔2025〕1号");
  const Delegation& by_office = rules.delegation(*rules.find_delegation("dlg-2025-hw-amr"));
  CHECK_FALSE(by_office.from_department);
  CHECK(rules.office(by_office.from_office).id == "nd");
  CHECK(by_office.mode == DelegationMode::full);
  REQUIRE(by_office.post);
  CHECK(rules.post(*by_office.post).id == "nd-hw-w01");
}

TEST_CASE("rules: defaults apply where a field is absent") {
  const RuleSet& rules = good();
  const Post& window = rules.post(*rules.find_post("nd-w01"));
  CHECK(window.role == PostRole::window);
  CHECK_FALSE(window.supervisor);
  CHECK_FALSE(window.approves_extensions);

  const Matter& instant = rules.matter(*rules.find_matter("360730-CIV-0001"));
  CHECK(instant.kind == MatterKind::instant);
  CHECK(instant.legal_limit == 0);
  CHECK(instant.promised_limit == 0);
  CHECK(instant.stages.empty());
  CHECK(instant.materials.empty());
  CHECK(instant.fee_fen == 0);
  CHECK_FALSE(instant.escalate_to);
  CHECK_FALSE(instant.deemed_approval);
  CHECK_FALSE(instant.promise_approval);
  CHECK_FALSE(instant.village_proxy);
  CHECK_FALSE(instant.cross_region);

  const Matter& joint = rules.matter(*rules.find_matter("360730-JNT-0001"));
  CHECK(joint.stages[0].share_days == 5);
  CHECK(joint.stages[1].share_days == 0);  // the whole promised limit
  CHECK(joint.deemed_approval);
  CHECK(joint.promise_approval);

  CHECK(rules.delegation(*rules.find_delegation("dlg-2026-mj-amr")).document.empty());
  CHECK_FALSE(rules.delegation(*rules.find_delegation("dlg-2026-mj-amr")).post);
}

TEST_CASE("rules: materials, limits and fees are read exactly") {
  const RuleSet& rules = good();
  const Matter& opening = rules.matter(*rules.find_matter("360730-AMR-0001"));
  CHECK(opening.name == "企业开办（设立登记）");
  CHECK(opening.basis == "《中华人民共和国市场主体登记管理条例》第十九条");
  CHECK(rules.department(opening.department).id == "nd-amr");
  CHECK(opening.level == Level::county);
  CHECK(opening.legal_limit == 3);
  CHECK(opening.promised_limit == 1);
  REQUIRE(opening.materials.size() == 2);
  CHECK(opening.materials[0].name == "设立登记申请书");
  CHECK_FALSE(opening.materials[0].tolerable);
  CHECK(opening.materials[1].name == "住所使用证明");
  CHECK(opening.materials[1].tolerable);
  CHECK(opening.village_proxy);
  // 12.5 yuan and 0.29 yuan: decimal text to fen with no floating-point rounding.
  CHECK(rules.matter(*rules.find_matter("360730-JNT-0001")).fee_fen == 1250);
  CHECK(rules.matter(*rules.find_matter("360730-AMR-0002")).fee_fen == 29);
  CHECK(rules.matter(*rules.find_matter("360730-MJS-0001")).level == Level::township);
}

TEST_CASE("rules: cross_region is read where given and false elsewhere") {
  const RuleSet& rules = good();
  CHECK(rules.matter(*rules.find_matter("360730-AMR-0001")).cross_region);
  CHECK(rules.matter(*rules.find_matter("360730-JNT-0001")).cross_region);
  CHECK_FALSE(rules.matter(*rules.find_matter("360730-AMR-0002")).cross_region);
  CHECK_FALSE(rules.matter(*rules.find_matter("360730-MJS-0001")).cross_region);
  int cross_region = 0;
  for (const Matter& m : rules.matters()) cross_region += m.cross_region ? 1 : 0;
  CHECK(cross_region == 2);
}

TEST_CASE("rules: bundles name their office, their parts in rule order and their promise") {
  const RuleSet& rules = good();
  const auto ref = rules.find_bundle("elderly-home-opening");
  REQUIRE(ref);
  CHECK(&rules.bundle(*ref) == &rules.bundles()[0]);
  const Bundle& elderly = rules.bundle(*ref);
  CHECK(elderly.id == "elderly-home-opening");
  CHECK(elderly.name == "开办养老机构一件事");
  // At a township window, though both parts are the county's: they are cross_region.
  CHECK(rules.office(elderly.office).id == "nd-mj");
  REQUIRE(elderly.matters.size() == 2);
  CHECK(rules.matter(elderly.matters[0]).code == "360730-JNT-0001");
  CHECK(rules.matter(elderly.matters[1]).code == "360730-AMR-0001");
  CHECK(elderly.promised_limit == 12);

  const Bundle& food = rules.bundle(*rules.find_bundle("food-factory-opening"));
  CHECK(food.name == "开办食品生产企业一件事");
  CHECK(rules.office(food.office).id == "nd");
  REQUIRE(food.matters.size() == 2);
  CHECK(food.matters[0] == *rules.find_matter("360730-AMR-0001"));
  CHECK(food.matters[1] == *rules.find_matter("360730-AMR-0002"));
  CHECK(food.promised_limit == 10);
  // The parts at the county are handled by departments that sit there.
  for (const MatterRef part : food.matters) {
    CHECK(rules.department(rules.matter(part).department).office == food.office);
  }
}

TEST_CASE("rules: a set without bundles has none") {
  ScratchCopy copy(k_good, "no-bundles");
  fs::remove(copy.dir / "bundles.yaml");
  const RuleSet rules = RuleSet::load(copy.dir);
  CHECK(rules.bundles().empty());
  CHECK_FALSE(rules.find_bundle("elderly-home-opening"));
  CHECK(rules.version() != good().version());
}

TEST_CASE("rules: policy overrides what the set gives and defaults the rest") {
  const Policy& policy = good().policy();
  CHECK(policy.promised_ratio_cap == doctest::Approx(0.6));
  CHECK(policy.yellow_days_left == 2);
  CHECK(policy.matter_code_length == 15);
  const Policy defaults;
  CHECK(policy.notify_missing_days == defaults.notify_missing_days);
  CHECK(policy.yellow_used_fraction == defaults.yellow_used_fraction);
  CHECK(policy.tolerance_supplement_days == 5);
  CHECK(policy.rectification_days == 5);
  CHECK(policy.extension_max_days == 10);
  CHECK(policy.escalation_review_days == 20);
  CHECK(policy.issue_days == 10);                // §44
  CHECK(policy.promise_verification_days == 20);  // 告知承诺: a local choice
}

TEST_CASE("rules: a set without a policy section has the default policy") {
  ScratchCopy copy(k_good, "no-policy");
  // Only the cap the joint matter needs (12 of 20 days); everything else by default.
  std::ofstream(copy.dir / "00-policy.yaml", std::ios::trunc)
      << "policy: {promised_ratio_cap: 0.6}\n";
  const RuleSet rules = RuleSet::load(copy.dir);
  CHECK(rules.policy().promised_ratio_cap == doctest::Approx(0.6));
  CHECK(rules.policy().yellow_days_left == 1);
  CHECK(rules.policy().matter_code_length == 0);

  // With no policy at all the default cap of 0.5 applies, and 12 of 20 days is too many.
  fs::remove(copy.dir / "00-policy.yaml");
  try {
    (void)RuleSet::load(copy.dir);
    FAIL("expected rules_invalid");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::rules_invalid);
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].to_string() == (copy.dir / "matters.yaml").string() +
                                                ":33:21: matters[2].promised_limit: 12 working "
                                                "days exceeds 0.5 of the legal limit of 20 "
                                                "(policy promised_ratio_cap)");
  }
}

TEST_CASE("rules: the version is the documented hash, stable across loads") {
  const RuleSet again = RuleSet::load(k_good);
  CHECK(again.version() == good().version());
  CHECK(good().version().size() == 64);
  CHECK(good().version().find_first_not_of("0123456789abcdef") == std::string::npos);

  // Per file in name order: name, NUL, decimal byte length, NUL, bytes (README.txt is no rule
  // file).
  std::string hashed;
  for (const char* name : {"00-policy.yaml", "bundles.yaml", "delegations.yaml", "matters.yaml",
                           "offices.yaml", "people.yml", "posts.yaml"}) {
    const std::string bytes = read_bytes(k_good / name);
    hashed += std::string(name) + '\0' + std::to_string(bytes.size()) + '\0' + bytes;
  }
  CHECK(good().version() == detail::sha256_hex(hashed));

  // Where the directory is does not matter, only what is in it.
  ScratchCopy copy(k_good, "version-same");
  CHECK(RuleSet::load(copy.dir).version() == good().version());
}

TEST_CASE("rules: changing one byte of one file changes the version") {
  ScratchCopy copy(k_good, "version-byte");
  std::string bytes = read_bytes(copy.dir / "posts.yaml");
  const std::size_t at = bytes.find("综合受理窗口1");
  REQUIRE(at != std::string::npos);
  bytes[at + std::string("综合受理窗口").size()] = '2';  // 窗口1 -> 窗口2
  std::ofstream(copy.dir / "posts.yaml", std::ios::binary | std::ios::trunc) << bytes;
  const RuleSet changed = RuleSet::load(copy.dir);
  CHECK(changed.post(*changed.find_post("nd-w01")).name == "综合受理窗口2");
  CHECK(changed.version() != good().version());

  // Renaming a file changes it too: the name is part of what is hashed.
  ScratchCopy renamed(k_good, "version-name");
  fs::rename(renamed.dir / "people.yml", renamed.dir / "people.yaml");
  CHECK(RuleSet::load(renamed.dir).version() != good().version());
}

TEST_CASE("rules: delegation_in_force honours both ends of the term, inclusive") {
  const RuleSet& rules = good();
  const MatterRef opening = *rules.find_matter("360730-AMR-0001");
  const OfficeRef mj = *rules.find_office("nd-mj");
  const OfficeRef hw = *rules.find_office("nd-hw");
  const auto in_force = [&](OfficeRef township, const char* iso) -> std::string {
    const auto ref = rules.delegation_in_force(opening, township, day(iso));
    return ref ? rules.delegation(*ref).id : "none";
  };
  CHECK(in_force(mj, "2024-12-31") == "none");
  CHECK(in_force(mj, "2025-01-01") == "dlg-2025-mj-amr");  // valid_from is in force
  CHECK(in_force(mj, "2025-06-15") == "dlg-2025-mj-amr");
  CHECK(in_force(mj, "2025-12-31") == "dlg-2025-mj-amr");  // valid_until is in force
  CHECK(in_force(mj, "2026-01-01") == "none");             // the gap the warning names
  CHECK(in_force(mj, "2026-02-28") == "none");
  CHECK(in_force(mj, "2026-03-01") == "dlg-2026-mj-amr");
  CHECK(in_force(mj, "2026-12-31") == "dlg-2026-mj-amr");
  CHECK(in_force(mj, "2027-01-01") == "none");
  CHECK(in_force(hw, "2025-06-30") == "none");
  CHECK(in_force(hw, "2025-07-01") == "dlg-2025-hw-amr");
  CHECK(in_force(hw, "2026-06-30") == "dlg-2025-hw-amr");
  CHECK(in_force(hw, "2026-07-01") == "none");

  // Another matter, or an office with no delegation, has none.
  CHECK_FALSE(
      rules.delegation_in_force(*rules.find_matter("360730-JNT-0001"), mj, day("2025-06-15")));
  CHECK_FALSE(rules.delegation_in_force(opening, *rules.find_office("nd"), day("2025-06-15")));
}

TEST_CASE("rules: find_* return nothing for unknown ids") {
  const RuleSet& rules = good();
  CHECK_FALSE(rules.find_office("nd-xx"));
  CHECK_FALSE(rules.find_department("nd-tax"));
  CHECK_FALSE(rules.find_staff("s99"));
  CHECK_FALSE(rules.find_post("nd-w99"));
  CHECK_FALSE(rules.find_matter("360730-AMR-9999"));
  CHECK_FALSE(rules.find_delegation("dlg-none"));
  CHECK_FALSE(rules.find_bundle("business-opening"));
  CHECK_FALSE(rules.find_office(""));
  // Ids live in their own section: a post id is not an office, a name is not an id.
  CHECK_FALSE(rules.find_office("nd-w01"));
  CHECK_FALSE(rules.find_post("综合受理窗口1"));
  CHECK_FALSE(rules.find_matter("360730-amr-0001"));  // codes are compared exactly
}

TEST_CASE("rules: copies share one immutable table") {
  const RuleSet copy = good();  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(&copy.version() == &good().version());
  CHECK(copy.posts().data() == good().posts().data());
}

TEST_CASE("rules: a directory that cannot be read is an io_error") {
  const fs::path missing = k_good / "no-such-directory";
  try {
    (void)RuleSet::load(missing);
    FAIL("expected an io_error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::io_error);
    CHECK(e.diagnostics().empty());
  }
  // A file is not a directory.
  CHECK_THROWS_WITH_AS((void)RuleSet::load(k_good / "offices.yaml"),
                       doctest::Contains("not a readable directory"), Error);
}
