// The inside of a loaded RuleSet: the validated tables and the id indexes over them.
// Built once by the validator, then shared read-only (shared_ptr<const RuleData>) by every
// copy of the RuleSet, so copies are cheap and concurrent readers need no locking.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/id_index.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

template <class Ref>
std::optional<Ref> find_in(const IdIndex<Ref>& index, std::string_view id) noexcept {
  return index.find(id);
}

struct RuleData {
  std::string version;
  std::vector<RuleFile> files;  // the files the set was read from, in name order
  Policy policy;
  std::vector<Diagnostic> warnings;

  std::vector<Office> offices;
  std::vector<Department> departments;
  std::vector<Staff> staff;
  std::vector<Post> posts;
  std::vector<Matter> matters;
  std::vector<Delegation> delegations;
  std::vector<Bundle> bundles;

  IdIndex<OfficeRef> office_index;
  IdIndex<DepartmentRef> department_index;
  IdIndex<StaffRef> staff_index;
  IdIndex<PostRef> post_index;
  IdIndex<MatterRef> matter_index;  // by matter code
  IdIndex<DelegationRef> delegation_index;
  IdIndex<BundleRef> bundle_index;

  // For each matter (by index), its delegations: delegation_in_force scans only these.
  std::vector<std::vector<DelegationRef>> delegations_by_matter;

  // Only in an engine's running set (merge_rules): entries that earlier rule versions had
  // and the current one does not. They stay, so that cases recorded under those versions
  // keep their references; the id indexes above name current entries only. Empty: none.
  std::vector<bool> retired_offices;
  std::vector<bool> retired_posts;
  std::vector<bool> retired_staff;
  std::vector<bool> retired_matters;

  static const RuleData& of(const RuleSet& rules) noexcept { return *rules.data_; }

  // The one way to make a RuleSet (its constructor is private to keep sets validated).
  static RuleSet make_rule_set(std::shared_ptr<const RuleData> data) noexcept {
    return RuleSet(std::move(data));
  }
};

}  // namespace workflow::detail
