// RuleSet: loading (read, then validate) and the read-only accessors over RuleData.
#include "workflow/rules.hpp"

#include "rules/rule_data.hpp"
#include "rules/rules_raw.hpp"

namespace workflow {

// The names are the rule-file spellings, so a printed value can be pasted back into YAML.
std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::village:
      return "village";
    case Level::township:
      return "township";
    case Level::county:
      return "county";
    case Level::city:
      return "city";
    case Level::province:
      return "province";
  }
  return "unknown";
}

std::string_view to_string(MatterKind kind) noexcept {
  switch (kind) {
    case MatterKind::instant:
      return "instant";
    case MatterKind::committed:
      return "committed";
    case MatterKind::escalated:
      return "escalated";
    case MatterKind::joint:
      return "joint";
  }
  return "unknown";
}

std::string_view to_string(DelegationMode mode) noexcept {
  switch (mode) {
    case DelegationMode::window_forward:
      return "window-forward";
    case DelegationMode::partial:
      return "partial";
    case DelegationMode::full:
      return "full";
  }
  return "unknown";
}

std::string_view to_string(PostRole role) noexcept {
  switch (role) {
    case PostRole::window:
      return "window";
    case PostRole::back_office:
      return "back_office";
    case PostRole::unresolved:
      return "unresolved";
    case PostRole::agent:
      return "agent";
    case PostRole::policy:
      return "policy";
  }
  return "unknown";
}

RuleSet::RuleSet(std::shared_ptr<const detail::RuleData> data) noexcept : data_(std::move(data)) {}

RuleSet RuleSet::load(const std::filesystem::path& dir) {
  return detail::RuleData::make_rule_set(detail::validate_rules(detail::read_rule_files(dir), dir));
}

RuleSet RuleSet::from_files(std::vector<RuleFile> files, const std::filesystem::path& origin) {
  return detail::RuleData::make_rule_set(
      detail::validate_rules(detail::read_rule_texts(std::move(files), origin), origin));
}

const std::string& RuleSet::version() const noexcept { return data_->version; }
std::span<const RuleFile> RuleSet::files() const noexcept { return data_->files; }
const Policy& RuleSet::policy() const noexcept { return data_->policy; }
const std::vector<Diagnostic>& RuleSet::warnings() const noexcept { return data_->warnings; }

std::span<const Office> RuleSet::offices() const noexcept { return data_->offices; }
std::span<const Department> RuleSet::departments() const noexcept { return data_->departments; }
std::span<const Staff> RuleSet::staff() const noexcept { return data_->staff; }
std::span<const Post> RuleSet::posts() const noexcept { return data_->posts; }
std::span<const Matter> RuleSet::matters() const noexcept { return data_->matters; }
std::span<const Delegation> RuleSet::delegations() const noexcept { return data_->delegations; }
std::span<const Bundle> RuleSet::bundles() const noexcept { return data_->bundles; }

// Refs come from this set, so they are in range; a Ref from another set is a caller bug.
const Office& RuleSet::office(OfficeRef ref) const noexcept {
  return data_->offices[index_of(ref)];
}
const Department& RuleSet::department(DepartmentRef ref) const noexcept {
  return data_->departments[index_of(ref)];
}
const Staff& RuleSet::staff(StaffRef ref) const noexcept { return data_->staff[index_of(ref)]; }
const Post& RuleSet::post(PostRef ref) const noexcept { return data_->posts[index_of(ref)]; }
const Matter& RuleSet::matter(MatterRef ref) const noexcept {
  return data_->matters[index_of(ref)];
}
const Delegation& RuleSet::delegation(DelegationRef ref) const noexcept {
  return data_->delegations[index_of(ref)];
}
const Bundle& RuleSet::bundle(BundleRef ref) const noexcept {
  return data_->bundles[index_of(ref)];
}

std::optional<OfficeRef> RuleSet::find_office(std::string_view id) const noexcept {
  return detail::find_in(data_->office_index, id);
}
std::optional<DepartmentRef> RuleSet::find_department(std::string_view id) const noexcept {
  return detail::find_in(data_->department_index, id);
}
std::optional<StaffRef> RuleSet::find_staff(std::string_view id) const noexcept {
  return detail::find_in(data_->staff_index, id);
}
std::optional<PostRef> RuleSet::find_post(std::string_view id) const noexcept {
  return detail::find_in(data_->post_index, id);
}
std::optional<MatterRef> RuleSet::find_matter(std::string_view code) const noexcept {
  return detail::find_in(data_->matter_index, code);
}
std::optional<DelegationRef> RuleSet::find_delegation(std::string_view id) const noexcept {
  return detail::find_in(data_->delegation_index, id);
}
std::optional<BundleRef> RuleSet::find_bundle(std::string_view id) const noexcept {
  return detail::find_in(data_->bundle_index, id);
}

std::optional<DelegationRef> RuleSet::delegation_in_force(MatterRef matter, OfficeRef township,
                                                          Date day) const noexcept {
  // Validation guarantees at most one term of a matter and township covers any day.
  for (const DelegationRef ref : data_->delegations_by_matter[index_of(matter)]) {
    const Delegation& d = data_->delegations[index_of(ref)];
    if (d.township == township && d.in_force(day)) return ref;
  }
  return std::nullopt;
}

}  // namespace workflow
