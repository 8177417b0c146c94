// Bad rule sets and the exact diagnostics they produce.
//
// Each case is a directory tests/data/rules/bad/<NN-name>/ holding one or two small YAML
// files that are laid over the valid base in bad/_base/ (offices.yaml, posts.yaml,
// matters.yaml; a case file of the same name would replace one). problems_of() copies base
// and case into a scratch directory, loads it, checks that every diagnostic's file is that
// directory joined with the file name, and returns the diagnostics one a line with the
// directory removed, so the expected text below reads like `workflow validate` output.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <sys/stat.h>  // mkfifo
#include <unistd.h>    // getpid: scratch directories of parallel test runs must not collide

#include "workflow/rules.hpp"

namespace fs = std::filesystem;
using namespace workflow;

namespace {

const fs::path k_rules = fs::path(WORKFLOW_TEST_DATA_DIR) / "rules";

struct Scratch {
  fs::path dir;
  explicit Scratch(const std::string& name)
      : dir(fs::temp_directory_path() /
            ("workflow-bad-rules-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove_all(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
};

// Loads `dir`, which must fail with rules_invalid; its diagnostics, one a line, with the
// "<dir>/" prefix every one of them must have removed.
std::string problems_loading(const fs::path& dir) {
  std::optional<RuleSet> loaded;
  try {
    loaded = RuleSet::load(dir);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::rules_invalid);
    const std::string prefix = dir.string() + "/";
    std::string out;
    for (const Diagnostic& d : e.diagnostics()) {
      std::string line = d.to_string();
      CHECK_MESSAGE(line.rfind(prefix, 0) == 0, line);
      if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
      out += line + "\n";
    }
    return out;
  }
  FAIL("the rule set loaded, though it is bad");
  return {};
}

std::string problems_of(const char* name) {
  Scratch scratch(name);
  fs::copy(k_rules / "bad" / "_base", scratch.dir);
  fs::copy(k_rules / "bad" / name, scratch.dir,
           fs::copy_options::overwrite_existing | fs::copy_options::recursive);
  return problems_loading(scratch.dir);
}

}  // namespace

TEST_CASE("rules bad files: the base the cases build on is valid") {
  Scratch scratch("base");
  fs::copy(k_rules / "bad" / "_base", scratch.dir);
  const RuleSet rules = RuleSet::load(scratch.dir);
  CHECK(rules.matters().size() == 1);
  CHECK(rules.warnings().empty());
}

TEST_CASE("rules bad files: 01-yaml-syntax-error") {
  // A flow mapping left open: yaml-cpp notices at the next entry.
  CHECK(problems_of("01-yaml-syntax-error") ==
        "case.yaml:3:5: invalid YAML: end of map flow not found\n");
}

TEST_CASE("rules bad files: 02-unknown-section") {
  // A misspelt section name.
  CHECK(problems_of("02-unknown-section") == "case.yaml:1:1: unknown section 'mattres'\n");
}

TEST_CASE("rules bad files: 03-unknown-field") {
  // A field the format does not have; reported at its key.
  CHECK(problems_of("03-unknown-field") == "case.yaml:8:5: posts[0]: unknown field 'colour'\n");
}

TEST_CASE("rules bad files: 04-missing-required-field") {
  // A missing field is reported at the entry's mapping.
  CHECK(problems_of("04-missing-required-field") ==
        "case.yaml:3:5: staff[1]: missing required field 'name'\n");
}

TEST_CASE("rules bad files: 05-string-where-int") {
  // A word where a number of days belongs; not also reported as missing.
  CHECK(problems_of("05-string-where-int") ==
        "case.yaml:8:18: matters[0].legal_limit: expected a whole number, found 'twenty'\n");
}

TEST_CASE("rules bad files: 06-bad-enum-value") {
  // A matter kind the format does not have.
  CHECK(problems_of("06-bad-enum-value") ==
        "case.yaml:7:11: matters[0].kind: unknown kind 'urgent', expected instant, committed, "
        "escalated or joint\n");
}

TEST_CASE("rules bad files: 07-unknown-post") {
  // A stage names a post that does not exist.
  CHECK(problems_of("07-unknown-post") ==
        "case.yaml:12:26: matters[0].stages[1].post: unknown post 'nd-amr-reveiw'\n");
}

TEST_CASE("rules bad files: 08-unknown-department") {
  CHECK(problems_of("08-unknown-department") ==
        "case.yaml:5:17: matters[0].department: unknown department 'nd-tax'\n");
}

TEST_CASE("rules bad files: 09-unknown-office") {
  CHECK(problems_of("09-unknown-office") ==
        "case.yaml:2:32: staff[0].office: unknown office 'nd-hw'\n");
}

TEST_CASE("rules bad files: 10-unknown-staff") {
  CHECK(problems_of("10-unknown-staff") == "case.yaml:2:76: posts[0].b: unknown staff 'nd-s099'\n");
}

TEST_CASE("rules bad files: 11-unknown-matter") {
  CHECK(problems_of("11-unknown-matter") ==
        "case.yaml:3:13: delegations[0].matter: unknown matter 'ND-AMR-0099'\n");
}

TEST_CASE("rules bad files: 12-promised-over-legal") {
  // With the cap at 1, only the legal limit is in the way.
  CHECK(problems_of("12-promised-over-legal") ==
        "case.yaml:11:21: matters[0].promised_limit: 25 working days exceeds the legal limit of "
        "20\n");
}

TEST_CASE("rules bad files: 13-promised-over-ratio") {
  // The default promised_ratio_cap of 0.5 allows 10 of 20 days.
  CHECK(problems_of("13-promised-over-ratio") ==
        "case.yaml:10:21: matters[0].promised_limit: 11 working days exceeds 0.5 of the legal "
        "limit of 20 (policy promised_ratio_cap)\n");
}

TEST_CASE("rules bad files: 14-duplicate-matter-code") {
  // The second occurrence in file-name order is the duplicate; it names the first.
  CHECK(problems_of("14-duplicate-matter-code") ==
        "z-more-matters.yaml:2:11: matters[0].code: duplicate matter code 'ND-AMR-0001', first "
        "defined at matters.yaml:2:11\n");
}

TEST_CASE("rules bad files: 15-duplicate-office-id") {
  CHECK(problems_of("15-duplicate-office-id") ==
        "z-offices.yaml:2:10: offices[0].id: duplicate office id 'nd-mj', first defined at "
        "offices.yaml:5:10\n");
}

TEST_CASE("rules bad files: 16-duplicate-post-id") {
  CHECK(
      problems_of("16-duplicate-post-id") ==
      "case.yaml:3:10: posts[1].id: duplicate post id 'nd-w02', first defined at case.yaml:2:10\n");
}

TEST_CASE("rules bad files: 17-delegation-to-non-township") {
  CHECK(problems_of("17-delegation-to-non-township") ==
        "case.yaml:5:15: delegations[0].township: office 'nd-mj-v1' is a village office, not a "
        "township\n");
}

TEST_CASE("rules bad files: 18-delegation-until-before-from") {
  CHECK(problems_of("18-delegation-until-before-from") ==
        "case.yaml:8:18: delegations[0].valid_until: 2024-12-31 is before valid_from 2025-01-01\n");
}

TEST_CASE("rules bad files: 19-full-delegation-without-post") {
  CHECK(problems_of("19-full-delegation-without-post") ==
        "case.yaml:2:5: delegations[0]: missing required field 'post' for a full delegation\n");
}

TEST_CASE("rules bad files: 20-delegation-township-elsewhere") {
  // The township is under another county than the delegating bureau's.
  CHECK(problems_of("20-delegation-township-elsewhere") ==
        "case.yaml:6:15: delegations[0].township: township 'rj-xz' is not under the delegating "
        "office 'nd'\n");
}

TEST_CASE("rules bad files: 21-post-a-equals-b") {
  // AB post rule: the backup must be another person.
  CHECK(problems_of("21-post-a-equals-b") ==
        "case.yaml:2:76: posts[0].b: staff 's3' cannot hold both A and B of the post\n");
}

TEST_CASE("rules bad files: 22-committed-without-stages") {
  // An empty list and an absent one.
  CHECK(problems_of("22-committed-without-stages") ==
        "case.yaml:10:13: matters[0].stages: a committed matter needs at least one stage\n"
        "case.yaml:11:5: matters[1]: missing required field 'stages' for a committed matter\n");
}

TEST_CASE("rules bad files: 23-joint-needs-two-departments") {
  // One stage, then two stages of the same department.
  CHECK(problems_of("23-joint-needs-two-departments") ==
        "case.yaml:11:7: matters[0].stages: a joint matter needs at least two stages, found 1\n"
        "case.yaml:21:7: matters[1].stages: a joint matter needs stages in at least two "
        "departments, all are in 'nd-amr'\n");
}

TEST_CASE("rules bad files: 24-escalated-without-target") {
  CHECK(
      problems_of("24-escalated-without-target") ==
      "case.yaml:2:5: matters[0]: missing required field 'escalate_to' for an escalated matter\n");
}

TEST_CASE("rules bad files: 25-escalate-to-not-above") {
  // The deciding post sits at the matter's own (county) level.
  CHECK(problems_of("25-escalate-to-not-above") ==
        "case.yaml:10:18: matters[0].escalate_to: post 'nd-amr-review' is at a county office, "
        "not above the matter's county level\n");
}

TEST_CASE("rules bad files: 26-office-parent-wrong-level") {
  // A township directly under a city.
  CHECK(problems_of("26-office-parent-wrong-level") ==
        "case.yaml:2:61: offices[0].parent: office 'sz' is a city office, the parent of a "
        "township office must be a county office\n");
}

TEST_CASE("rules bad files: 27-office-parent-cycle") {
  // Reported once, at the loop's first office; no level complaints on top.
  CHECK(problems_of("27-office-parent-cycle") ==
        "case.yaml:2:48: offices[0].parent: the parent chain loops: aa -> bb -> cc -> aa\n");
}

TEST_CASE("rules bad files: 28-matter-level-not-department-level") {
  CHECK(problems_of("28-matter-level-not-department-level") ==
        "case.yaml:6:12: matters[0].level: the matter is at township level but department "
        "'nd-amr' sits at a county office\n");
}

TEST_CASE("rules bad files: 29-matter-code-length") {
  CHECK(problems_of("29-matter-code-length") ==
        "case.yaml:4:11: matters[0].code: code 'ND-AMR-02' has 9 characters, policy "
        "matter_code_length is 11\n");
}

TEST_CASE("rules bad files: 30-policy-out-of-range") {
  CHECK(problems_of("30-policy-out-of-range") ==
        "case.yaml:2:23: policy.promised_ratio_cap: must be greater than 0 and at most 1, found "
        "1.5\n"
        "case.yaml:3:25: policy.yellow_used_fraction: must be at least 0 and less than 1, found 1\n"
        "case.yaml:4:24: policy.notify_missing_days: must be at least 1, found 0\n"
        "case.yaml:5:21: policy.yellow_days_left: must be at least 0, found -1\n"
        "case.yaml:6:23: policy.matter_code_length: must be at least 0, found -3\n");
}

TEST_CASE("rules bad files: 31-bad-date") {
  // Not a calendar date, and not in ISO form.
  CHECK(problems_of("31-bad-date") ==
        "case.yaml:7:17: delegations[0].valid_from: '2025-02-29' is not a calendar date\n"
        "case.yaml:8:18: delegations[0].valid_until: '2025/12/31' is not a date in the form "
        "YYYY-MM-DD\n");
}

TEST_CASE("rules bad files: 32-fee-three-decimals") {
  // Fen are the smallest unit; negative amounts are not amounts.
  CHECK(problems_of("32-fee-three-decimals") ==
        "case.yaml:8:10: matters[0].fee: 12.345 yuan has more than two decimals\n"
        "case.yaml:15:10: matters[1].fee: expected an amount in yuan such as 12.50, found '-5'\n");
}

TEST_CASE("rules bad files: 33-two-policy-sections") {
  CHECK(problems_of("33-two-policy-sections") ==
        "b-policy.yaml:1:1: policy: a second policy section, the first is at a-policy.yaml:1:1\n");
}

TEST_CASE("rules bad files: 34-file-not-a-mapping") {
  // A bare list of staff, without the section key.
  CHECK(problems_of("34-file-not-a-mapping") ==
        "case.yaml:1:1: expected a mapping of sections, found a list\n");
}

TEST_CASE("rules bad files: 36-wrong-shapes") {
  // A section that is not a list, an entry that is not a mapping, a policy that is a list.
  CHECK(problems_of("36-wrong-shapes") ==
        "case.yaml:1:14: departments: expected a list, found a mapping\n"
        "case.yaml:3:5: staff[0]: expected a mapping, found a scalar\n"
        "case.yaml:4:9: policy: expected a mapping of settings, found a list\n");
}

TEST_CASE("rules bad files: 37-instant-with-stages") {
  CHECK(problems_of("37-instant-with-stages") ==
        "case.yaml:9:7: matters[0].stages: an instant matter has no stages\n");
}

TEST_CASE("rules bad files: 38-delegation-terms-overlap") {
  // valid_until is inclusive, so a term ending the day the next starts overlaps it.
  CHECK(
      problems_of("38-delegation-terms-overlap") ==
      "case.yaml:14:17: delegations[1].valid_from: term 2025-12-31 to 2026-12-31 overlaps "
      "delegation 'dlg-2025' (2025-01-01 to 2025-12-31) of the same matter to the same township\n");
}

TEST_CASE("rules bad files: 39-two-unresolved-posts") {
  // An office has at most one 办不成事 window.
  CHECK(problems_of("39-two-unresolved-posts") ==
        "case.yaml:3:49: posts[1].office: office 'nd' already has an unresolved post "
        "'nd-unresolved'\n");
}

TEST_CASE("rules bad files: 40-duplicate-field") {
  // YAML forbids it; yaml-cpp would silently keep one of them.
  CHECK(problems_of("40-duplicate-field") == "case.yaml:5:5: staff[0]: duplicate field 'name'\n");
}

TEST_CASE("rules bad files: 41-delegation-from-wrong") {
  // Both office and department; a department that does not implement the matter; neither.
  CHECK(problems_of("41-delegation-from-wrong") ==
        "case.yaml:4:11: delegations[0].from: give either office or department, not both\n"
        "case.yaml:11:24: delegations[1].from.department: matter 'ND-AMR-0001' belongs to "
        "department 'nd-amr', not 'nd-civil'\n"
        "case.yaml:18:11: delegations[2].from: expected {office: ID} or {department: ID}\n");
}

TEST_CASE("rules bad files: 42-share-days-over-promised") {
  CHECK(problems_of("42-share-days-over-promised") ==
        "case.yaml:11:57: matters[0].stages[0].share_days: 12 working days exceeds the promised "
        "limit of 10\n"
        "case.yaml:12:57: matters[0].stages[1].share_days: must be at least 0, found -1\n");
}

TEST_CASE("rules bad files: 43-delegation-post-not-at-township") {
  // A full delegation's post must be the township's.
  CHECK(problems_of("43-delegation-post-not-at-township") ==
        "case.yaml:9:11: delegations[0].post: post 'nd-amr-review' is not at township 'nd-mj'\n");
}

TEST_CASE("rules bad files: 44-two-yaml-documents") {
  CHECK(problems_of("44-two-yaml-documents") ==
        "case.yaml:3:1: a rule file holds one YAML document; a second one starts here\n");
}

TEST_CASE("rules bad files: 45-wrong-value-types") {
  CHECK(problems_of("45-wrong-value-types") ==
        "case.yaml:2:24: posts[0].name: expected a string, found a list\n"
        "case.yaml:3:27: posts[0].approves_extensions: expected true or false, found 'maybe'\n"
        "case.yaml:13:16: matters[0].materials: expected a list, found a scalar\n"
        "case.yaml:15:57: matters[0].stages[0].share_days: expected a whole number, found '2.5'\n");
}

TEST_CASE("rules bad files: 46-escalate-to-on-committed") {
  CHECK(problems_of("46-escalate-to-on-committed") ==
        "case.yaml:12:18: matters[0].escalate_to: only an escalated matter has escalate_to, this "
        "one is committed\n");
}

TEST_CASE("rules bad files: 47-post-supervises-itself") {
  CHECK(problems_of("47-post-supervises-itself") ==
        "case.yaml:2:92: posts[0].supervisor: a post cannot supervise itself\n");
}

TEST_CASE("rules bad files: 48-limits-zero-negative-missing") {
  // A committed matter needs a day at least; a negative limit is not also "missing".
  CHECK(problems_of("48-limits-zero-negative-missing") ==
        "case.yaml:2:5: matters[0]: missing required field 'promised_limit' for a committed "
        "matter\n"
        "case.yaml:8:18: matters[0].legal_limit: a committed matter needs at least 1 working "
        "day, found 0\n"
        "case.yaml:18:21: matters[1].promised_limit: must be at least 0, found -2\n");
}

TEST_CASE("rules bad files: 49-bundle-duplicate-id") {
  CHECK(problems_of("49-bundle-duplicate-id") ==
        "case.yaml:10:10: bundles[1].id: duplicate bundle id 'opening', first defined at "
        "case.yaml:9:10\n");
}

TEST_CASE("rules bad files: 50-bundle-unknown-office") {
  // A department's id where the office belongs.
  CHECK(problems_of("50-bundle-unknown-office") ==
        "case.yaml:11:13: bundles[0].office: unknown office 'nd-hall'\n");
}

TEST_CASE("rules bad files: 51-bundle-unknown-matter") {
  CHECK(problems_of("51-bundle-unknown-matter") ==
        "case.yaml:7:9: bundles[0].matters[1]: unknown matter 'ND-GA-0001'\n");
}

TEST_CASE("rules bad files: 52-bundle-fewer-than-two-matters") {
  CHECK(problems_of("52-bundle-fewer-than-two-matters") ==
        "case.yaml:6:14: bundles[0].matters: a bundle needs at least two matters, found 1\n"
        "case.yaml:11:14: bundles[1].matters: a bundle needs at least two matters, found 0\n");
}

TEST_CASE("rules bad files: 53-bundle-matter-listed-twice") {
  CHECK(problems_of("53-bundle-matter-listed-twice") ==
        "case.yaml:15:9: bundles[0].matters[2]: duplicate matter 'ND-AMR-0001' in the bundle, "
        "first listed at case.yaml:13:9\n");
}

TEST_CASE("rules bad files: 54-bundle-promised-limit-not-positive") {
  // A bundle promises at least one working day, in whole days.
  CHECK(problems_of("54-bundle-promised-limit-not-positive") ==
        "case.yaml:9:99: bundles[0].promised_limit: must be at least 1, found 0\n"
        "case.yaml:10:97: bundles[1].promised_limit: expected a whole number, found '0.5'\n");
}

TEST_CASE("rules bad files: 55-bundle-part-not-accepted-at-office") {
  // The township's own matter and a cross_region county matter pass; the third does not.
  CHECK(problems_of("55-bundle-part-not-accepted-at-office") ==
        "case.yaml:29:40: bundles[0].matters[2]: matter 'ND-AMR-0001' is implemented at office "
        "'nd' and is not cross_region, so office 'nd-mj' cannot accept it\n");
}

TEST_CASE("rules bad files: 56-bundle-office-without-window") {
  // A back-office post takes nothing in.
  CHECK(problems_of("56-bundle-office-without-window") ==
        "case.yaml:18:13: bundles[0].office: office 'sz' has no window post to accept the "
        "bundle\n");
}

TEST_CASE("rules bad files: 57-instant-cross-region") {
  CHECK(problems_of("57-instant-cross-region") ==
        "case.yaml:8:19: matters[0].cross_region: an instant matter is decided on the spot by "
        "the accepting window, so it cannot be handled elsewhere\n"
        "case.yaml:19:19: matters[1].cross_region: expected true or false, found 'maybe'\n");
}

TEST_CASE("rules bad files: 58-bundle-wrong-shapes") {
  CHECK(problems_of("58-bundle-wrong-shapes") ==
        "case.yaml:3:48: bundles[0].matters: expected a list, found a scalar\n"
        "case.yaml:4:62: bundles[1].matters[1]: expected a matter code, found a mapping\n"
        "case.yaml:5:5: bundles[2]: missing required field 'matters'\n"
        "case.yaml:5:5: bundles[2]: missing required field 'promised_limit'\n"
        "case.yaml:5:41: bundles[2]: unknown field 'deadline'\n");
}

TEST_CASE("rules bad files: 35-no-rule-files") {
  // A directory with no *.yaml or *.yml file is an error, not an empty rule set.
  const fs::path dir = k_rules / "bad" / "35-no-rule-files";
  try {
    (void)RuleSet::load(dir);
    FAIL("an empty rule set loaded");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::rules_invalid);
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].to_string() ==
          dir.string() + ": no *.yaml or *.yml rule files in the directory");
  }
}

TEST_CASE("rules bad files: one load reports every problem of every file, in file order") {
  const fs::path dir = k_rules / "many-problems";
  CHECK(
      problems_loading(dir) ==
      "delegations.yaml:2:5: delegations[0]: missing required field 'post' for a full delegation\n"
      "delegations.yaml:5:15: delegations[0].township: office 'nd-v1' is a village office, "
      "not a township\n"
      "delegations.yaml:8:18: delegations[0].valid_until: 2025-05-31 is before valid_from "
      "2025-06-01\n"
      "matters.yaml:9:21: matters[0].promised_limit: 5 working days exceeds the legal limit of 3\n"
      "matters.yaml:17:11: matters[1].kind: unknown kind 'urgent', expected instant, committed, "
      "escalated or joint\n"
      "matters.yaml:18:10: matters[1].fee: 1.234 yuan has more than two decimals\n"
      "matters.yaml:19:5: matters[1]: unknown field 'colour'\n"
      "matters.yaml:29:7: matters[2].stages: a joint matter needs at least two stages, found 1\n"
      "offices.yaml:3:43: offices[1].level: unknown level 'town', expected village, township, "
      "county, city or province\n"
      "offices.yaml:4:10: offices[2].id: duplicate office id 'nd', first defined at "
      "offices.yaml:2:10\n"
      "offices.yaml:5:56: offices[3].parent: office 'nd' is a county office, the parent of a "
      "village office must be a township office\n"
      "people.yaml:3:5: departments[1]: missing required field 'name'\n"
      "people.yaml:6:32: staff[1].office: unknown office 'nd-hw'\n"
      "policy.yaml:3:23: policy.promised_ratio_cap: must be greater than 0 and at most 1, "
      "found 2\n"
      "posts.yaml:2:57: posts[0].department: unknown department 'nd-hall'\n"
      "posts.yaml:2:76: posts[0].b: staff 's1' cannot hold both A and B of the post\n"
      "posts.yaml:3:97: posts[1].b: unknown staff 's9'\n");
}

TEST_CASE("rules bad files: a file with a YAML syntax error does not stop the others") {
  const fs::path dir = k_rules / "unparsable-file";
  CHECK(problems_loading(dir) ==
        "offices.yaml:4:59: offices[2].parent: office 'nd' is a county office, the parent of a "
        "village office must be a township office\n"
        "people.yaml:5:1: invalid YAML: end of map flow not found\n"
        "posts.yaml:6:79: posts[1].b: staff 's2' cannot hold both A and B of the post\n");
}

TEST_CASE("rules bad files: a failed load throws rules_invalid and returns no set") {
  const fs::path dir = k_rules / "many-problems";
  std::optional<RuleSet> loaded;
  try {
    loaded = RuleSet::load(dir);
    FAIL("a bad rule set loaded");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::rules_invalid);
    CHECK(e.diagnostics().size() == 17);
    // what() is the summary, then every diagnostic, one a line.
    std::string expected = "rule set " + dir.string() + " has 17 problems";
    for (const Diagnostic& d : e.diagnostics()) {
      CHECK(d.severity == Diagnostic::Severity::error);
      expected += "\n" + d.to_string();
    }
    CHECK(std::string(e.what()) == expected);
  }
  CHECK_FALSE(loaded.has_value());
}

TEST_CASE("rules bad files: 59-staff-named-system") {
  CHECK(problems_of("59-staff-named-system") ==
        "case.yaml:2:10: staff[0].id: 'system' is the engine's own actor name (timers, deemed "
        "approvals): give the staff member another id\n");
}

TEST_CASE("rules bad files: 60-hostile-yaml") {
  // A lone "," once made yaml-cpp's LoadAll allocate gigabytes; a second document was
  // rejected only after parsing it. Both are found before yaml-cpp sees the file.
  CHECK(problems_of("60-hostile-yaml") ==
        "comma.yaml:1:1: expected a mapping of sections, found nothing YAML reads as data\n"
        "two-documents.yaml:2:1: a rule file holds one YAML document; a second one starts "
        "here\n");
}

TEST_CASE("rules bad files: 61-invalid-utf8") {
  CHECK(problems_of("61-invalid-utf8") ==
        "case.yaml:2:21: invalid UTF-8 (byte 0xFF): rule files are UTF-8 text\n");
}

TEST_CASE("rules bad files: entries that are not regular files are refused, by name") {
  Scratch scratch("not-regular");
  fs::copy(k_rules / "bad" / "_base", scratch.dir);
  fs::create_symlink(scratch.dir / "gone.yaml", scratch.dir / "dangling.yaml");
  fs::create_directory(scratch.dir / "folder.yaml");
  REQUIRE(::mkfifo((scratch.dir / "pipe.yaml").c_str(), 0600) == 0);
  fs::create_symlink("/dev/zero", scratch.dir / "zero.yaml");
  CHECK(problems_loading(scratch.dir) ==
        "dangling.yaml: a symbolic link to nothing (dangling, or a loop)\n"
        "folder.yaml: not a regular file (a directory, FIFO, socket or device)\n"
        "pipe.yaml: not a regular file (a directory, FIFO, socket or device)\n"
        "zero.yaml: not a regular file (a directory, FIFO, socket or device)\n");
}

TEST_CASE("rules bad files: 62-extension-rules") {
  // §42: the head of the deciding organ approves the one extension, of at most 10 working
  // days for a single organ (15 for joint handling); an instant matter has none.
  CHECK(problems_of("62-extension-rules") ==
        "case.yaml:6:5: matters[0]: no post of department 'nd-tax' has approves_extensions, so "
        "nobody could approve this matter's §42 extension; give its head's post "
        "approves_extensions: true, or set extension_days: 0\n"
        "case.yaml:24:21: matters[1].extension_days: §42 ¶1 allows a single organ at most 10 "
        "working days (15 is for joint handling), found 15\n"
        "case.yaml:33:21: matters[2].extension_days: an instant matter is decided on the spot: "
        "it has no extension\n");
}

TEST_CASE("rules bad files: what the engine could not run is refused by validation too") {
  // 65 materials, 33 stages, a limit of 5000 working days: validate and the engine agree.
  Scratch scratch("engine-limits");
  fs::copy(k_rules / "bad" / "_base", scratch.dir);
  std::string yaml =
      "matters:\n  - code: ND-AMR-0009\n    name: 超大事项\n    basis: 测试\n"
      "    department: nd-amr\n    level: county\n    kind: committed\n"
      "    legal_limit: 5000\n    promised_limit: 10\n    materials:\n";
  for (int i = 0; i < 65; ++i) yaml += "      - 材料" + std::to_string(i) + "\n";
  yaml += "    stages:\n";
  for (int i = 0; i < 33; ++i) yaml += "      - {name: 环节" + std::to_string(i) + ", post: nd-amr-review}\n";
  {
    std::ofstream out(scratch.dir / "case.yaml");
    out << yaml;
  }
  const std::string problems = problems_loading(scratch.dir);
  CHECK(problems.find("case.yaml:8:18: matters[0].legal_limit: 5000 working days is more than "
                      "1000") != std::string::npos);
  CHECK(problems.find("case.yaml:77:7: matters[0].stages: 33 stages, more than the 32") !=
        std::string::npos);
  CHECK(problems.find("case.yaml:2:5: matters[0]: 65 materials, more than the 64") !=
        std::string::npos);

  Scratch empty("no-offices");
  fs::create_directories(empty.dir);
  std::ofstream(empty.dir / "offices.yaml") << "offices: []\n";
  CHECK(problems_loading(empty.dir) == "offices.yaml: the rule set has no offices: a hall needs "
                                       "at least one\n");
}

TEST_CASE("rules bad files: 63-law-limits") {
  // §44's issue days are at least 1; a verification period belongs to a matter approved on
  // commitment (告知承诺) only; ordered stages' own times (环节时限) must fit the promise.
  CHECK(problems_of("63-law-limits") ==
        "case.yaml:2:15: policy.issue_days: must be at least 1, found 0\n"
        "case.yaml:13:32: matters[0].promise_verification_days: only a matter with "
        "promise_approval: true is approved on commitment (告知承诺) and has its commitment "
        "verified\n"
        "case.yaml:15:7: matters[0].stages: the stages' share_days add up to 11 working days, "
        "more than the promised limit of 10\n");
}

TEST_CASE("rules bad files: 64-oversight") {
  // 督办 and 改派: a reply limit of at least one working day; no supervision orders from a
  // village agent's post; no reassigning from a post that leads no unit; flags are booleans.
  CHECK(problems_of("64-oversight") ==
        "case.yaml:2:21: policy.order_reply_days: must be at least 1, found 0\n"
        "case.yaml:4:123: posts[0].issues_orders: a village agent post does not issue "
        "supervision orders (督办); give issues_orders to a post of the supervision office or "
        "a leader\n"
        "case.yaml:5:109: posts[1].reassigns: a policy post does not lead a unit: reassigns "
        "(改派) is for a unit leader's window or back_office post\n"
        "case.yaml:6:95: posts[2].issues_orders: expected true or false, found 'maybe'\n");
}

TEST_CASE("rules bad files: 65-unresolved-path") {
  // 办不成事反映窗口: a window or a supervisor sends cases there, where a 办不成事 window is
  // there to receive them (at the post's office or above); the settle limit is at least 1.
  CHECK(problems_of("65-unresolved-path") ==
        "case.yaml:4:27: policy.unresolved_settle_days: must be at least 1, found 0\n"
        "case.yaml:8:123: posts[2].sends_unresolved: only a window post or a post that "
        "supervises another sends cases to the 办不成事 window; 'nd-amr-check' is a back_office "
        "post and supervises none\n"
        "case.yaml:9:97: posts[3].sends_unresolved: expected true or false, found 'yes please'\n"
        "case.yaml:10:98: posts[4].sends_unresolved: office 'sz' has no unresolved post (办不成事 "
        "window), nor does any office above it, so post 'sz-w02' has nowhere to send cases\n");
}
