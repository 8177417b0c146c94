// diff_rules: what differs between two rule sets, entry by entry, compared by id.
#include <algorithm>
#include <map>

#include "rules/rule_fields.hpp"
#include "workflow/rule_changes.hpp"

namespace workflow {

std::string_view to_string(RuleEntity e) noexcept {
  switch (e) {
    case RuleEntity::office: return "office";
    case RuleEntity::department: return "department";
    case RuleEntity::staff: return "staff";
    case RuleEntity::post: return "post";
    case RuleEntity::matter: return "matter";
    case RuleEntity::delegation: return "delegation";
    case RuleEntity::bundle: return "bundle";
    case RuleEntity::policy: return "policy";
  }
  return "unknown";
}

std::string_view to_string(ChangeKind c) noexcept {
  switch (c) {
    case ChangeKind::added: return "added";
    case ChangeKind::removed: return "removed";
    case ChangeKind::changed: return "changed";
  }
  return "unknown";
}

namespace {

template <class T, class Id>
void diff_table(RuleEntity entity, const RuleSet& from, std::span<const T> a, const RuleSet& to,
                std::span<const T> b, Id&& id_of, std::vector<RuleChange>& out) {
  std::map<std::string, const T*> before, after;
  for (const T& x : a) before.emplace(id_of(x), &x);
  for (const T& x : b) after.emplace(id_of(x), &x);
  for (const auto& [id, x] : before) {
    const auto it = after.find(id);
    if (it == after.end()) {
      out.push_back({entity, ChangeKind::removed, id, {}});
      continue;
    }
    std::string fields =
        detail::changed_fields(detail::fields_of(from, *x), detail::fields_of(to, *it->second));
    if (!fields.empty()) out.push_back({entity, ChangeKind::changed, id, std::move(fields)});
  }
  for (const auto& [id, x] : after) {
    if (!before.contains(id)) out.push_back({entity, ChangeKind::added, id, {}});
  }
}

}  // namespace

std::vector<RuleChange> diff_rules(const RuleSet& from, const RuleSet& to) {
  std::vector<RuleChange> out;
  const auto by_id = [](const auto& x) { return x.id; };
  diff_table(RuleEntity::office, from, from.offices(), to, to.offices(), by_id, out);
  diff_table(RuleEntity::department, from, from.departments(), to, to.departments(), by_id, out);
  diff_table(RuleEntity::staff, from, from.staff(), to, to.staff(), by_id, out);
  diff_table(RuleEntity::post, from, from.posts(), to, to.posts(), by_id, out);
  diff_table(RuleEntity::matter, from, from.matters(), to, to.matters(),
             [](const Matter& m) { return m.code; }, out);
  diff_table(RuleEntity::delegation, from, from.delegations(), to, to.delegations(), by_id, out);
  diff_table(RuleEntity::bundle, from, from.bundles(), to, to.bundles(), by_id, out);
  const auto a = detail::fields_of(from.policy());
  const auto b = detail::fields_of(to.policy());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].second != b[i].second) {
      out.push_back({RuleEntity::policy, ChangeKind::changed, a[i].first,
                     a[i].second + " -> " + b[i].second});
    }
  }
  return out;
}

}  // namespace workflow
