// workflow/rule_changes.hpp: diff_rules between rule sets as loaded; the install itself is in
// scenario_rule_install_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>

#include "hall_fixture.hpp"
#include "rule_set_b.hpp"
#include "sqlite_files.hpp"
#include "workflow/rule_changes.hpp"

using namespace workflow;
using namespace workflow::testing;

TEST_CASE("diff_rules: nothing between a set and itself, every change between A and B") {
  const RuleSet a = RuleSet::load(ningdu_rules());
  CHECK(diff_rules(a, a).empty());
  TempDir dir;
  make_ningdu_b(dir / "b");
  const RuleSet b = RuleSet::load(dir / "b");
  const auto changes = diff_rules(a, b);
  const auto find = [&](RuleEntity what, const std::string& id) -> const RuleChange* {
    const auto it = std::find_if(changes.begin(), changes.end(), [&](const RuleChange& c) {
      return c.entity == what && c.id == id;
    });
    return it == changes.end() ? nullptr : &*it;
  };
  REQUIRE(find(RuleEntity::matter, "360730-SCJG-0004"));
  CHECK(find(RuleEntity::matter, "360730-SCJG-0004")->change == ChangeKind::changed);
  CHECK(find(RuleEntity::matter, "360730-SCJG-0004")->fields ==
        "promised_limit: 5 -> 3; stages: 材料审查及现场核查@nd-amr-review/3, 许可决定@nd-amr-chief/2"
        " -> 材料审查及现场核查@nd-amr-chief/2, 许可决定@nd-amr-chief/1");
  REQUIRE(find(RuleEntity::post, "nd-amr-chief"));
  CHECK(find(RuleEntity::post, "nd-amr-chief")->fields == "a: nd-s024 -> nd-s200");
  CHECK(find(RuleEntity::post, "nd-amr-review")->change == ChangeKind::removed);
  CHECK(find(RuleEntity::staff, "nd-s200")->change == ChangeKind::added);
  CHECK(find(RuleEntity::matter, "360730-SWJ-0001")->change == ChangeKind::removed);
  CHECK(find(RuleEntity::delegation, "dlg-2026-mj-spjy")->fields ==
        "valid_until: 2026-12-31 -> 2026-03-04");
  // Sorted by entity kind, then id; the reverse diff mirrors it.
  CHECK(std::is_sorted(changes.begin(), changes.end(), [](const RuleChange& x, const RuleChange& y) {
    return x.entity < y.entity || (x.entity == y.entity && x.id < y.id);
  }));
  const auto back = diff_rules(b, a);
  CHECK(back.size() == changes.size());
  CHECK(std::find_if(back.begin(), back.end(), [](const RuleChange& c) {
          return c.id == "nd-s200" && c.change == ChangeKind::removed;
        }) != back.end());
  CHECK(to_string(RuleEntity::delegation) == "delegation");
  CHECK(to_string(ChangeKind::removed) == "removed");
}

TEST_CASE("RuleSet::from_files: the same files give the same version as the directory") {
  const RuleSet a = RuleSet::load(ningdu_rules());
  const auto files = a.files();
  REQUIRE(files.size() == 21);
  const RuleSet again = RuleSet::from_files({files.begin(), files.end()}, "<memory>");
  CHECK(again.version() == a.version());
  CHECK(again.matters().size() == a.matters().size());
}
