// Changing the rules of a live hall: what differs between two rule sets, and what installing
// a new one on an engine does to the cases in flight (docs/engine.md, "Installing rules").
// The value types are plain data, safe to copy between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/clock.hpp"
#include "workflow/rules.hpp"
#include "workflow/export.hpp"

namespace workflow {

// What kind of rule entry changed.
enum class RuleEntity : std::uint8_t { office, department, staff, post, matter, delegation, bundle, policy };
enum class ChangeKind : std::uint8_t { added, removed, changed };
WORKFLOW_EXPORT std::string_view to_string(RuleEntity e) noexcept;
WORKFLOW_EXPORT std::string_view to_string(ChangeKind c) noexcept;

// One entry that differs, named by its id (a matter by its code; the policy by its field).
struct WORKFLOW_EXPORT RuleChange {
  RuleEntity entity = RuleEntity::office;
  ChangeKind change = ChangeKind::changed;
  std::string id;
  // For `changed`: each field that differs, "field: old -> new", joined by "; ".
  std::string fields;
};

// Every entry added, removed or changed from `from` to `to`, by entity kind (in the order of
// RuleEntity) and then by id. Entries are compared by their ids and contents, not by their
// position in the files.
WORKFLOW_EXPORT std::vector<RuleChange> diff_rules(const RuleSet& from, const RuleSet& to);

// An open case that an install moves: its stage sat at a post that no longer exists (or
// whose office has no such post now), so it goes to the fallback named in `to_post`.
struct WORKFLOW_EXPORT CaseReroute {
  CaseId id = 0;
  std::string from_post;
  std::string to_post;
  std::string why;
};

// What installing a rule set on an engine does, computed without changing anything
// (Engine::plan_rules) or as it was done (Engine::install_rules).
struct WORKFLOW_EXPORT InstallPlan {
  std::string from_version;  // the engine's current rule set
  std::string to_version;    // the one to install
  std::vector<RuleChange> changes;
  // Open cases that keep running under the rule version they were accepted under (all of
  // them: new cases take the new version), and those of them whose matter changed or was
  // removed in the new set: they keep their old terms.
  std::size_t open_cases = 0;
  std::vector<CaseId> keep_old_terms;
  std::vector<CaseReroute> reroutes;
  // Staff removed from the roster whose recorded absences are dropped.
  std::vector<std::string> absences_dropped;
  // Why the rule set cannot be installed, every reason found; empty if it can.
  std::vector<std::string> problems;
  bool ok() const noexcept { return problems.empty(); }
};

// One rule set a store's cases have run under, as the store keeps it.
struct WORKFLOW_EXPORT InstalledRules {
  std::string version;
  DateTime installed_at;
  std::string installed_by;  // staff id, or the engine's system actor for the first set
};

}  // namespace workflow
