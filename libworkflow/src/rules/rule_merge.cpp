// The engine's running rule set across installs (see rule_merge.hpp).
#include "rules/rule_merge.hpp"

#include <memory>
#include <unordered_map>

#include "rules/rule_data.hpp"
#include "rules/rule_fields.hpp"

namespace workflow::detail {
namespace {

// For each entry of `next`, its index in the merged table `out` (which starts as a copy of
// the running table): an organisation entry keeps the index of the last entry with its id.
template <class T>
std::vector<std::uint32_t> place_by_id(std::vector<T>& out, const std::vector<T>& next) {
  // `last` views the ids inside `out`: room first, so the emplace_back below never moves them.
  out.reserve(out.size() + next.size());
  std::unordered_map<std::string_view, std::uint32_t> last;
  for (std::uint32_t i = 0; i < out.size(); ++i) last[out[i].id] = i;
  std::vector<std::uint32_t> where(next.size());
  const std::size_t running = out.size();
  for (std::size_t i = 0; i < next.size(); ++i) {
    const auto it = last.find(next[i].id);
    if (it != last.end() && it->second < running) {
      where[i] = it->second;
    } else {
      where[i] = static_cast<std::uint32_t>(out.size());
      out.emplace_back();
    }
  }
  return where;
}

std::vector<bool> retired_except(std::size_t size, const std::vector<std::uint32_t>& current) {
  std::vector<bool> retired(size, true);
  for (const std::uint32_t i : current) retired[i] = false;
  return retired;
}

// A versioned entry (matter, delegation, bundle): the running entry with the same id, if it
// is current and reads the same field by field; else a new entry at the end.
template <class T, class Current, class Fields>
std::vector<std::uint32_t> place_versioned(std::vector<T>& out, const std::vector<T>& next,
                                           Current&& current_of, Fields&& same) {
  std::vector<std::uint32_t> where(next.size());
  for (std::size_t i = 0; i < next.size(); ++i) {
    const std::optional<std::uint32_t> j = current_of(next[i]);
    if (j && same(out[*j], next[i])) {
      where[i] = *j;
    } else {
      where[i] = static_cast<std::uint32_t>(out.size());
      out.emplace_back();
    }
  }
  return where;
}

template <class Ref>
std::optional<std::uint32_t> current(const IdIndex<Ref>& index, std::string_view id) {
  const std::optional<Ref> ref = find_in(index, id);
  return ref ? std::optional<std::uint32_t>(index_of(*ref)) : std::nullopt;
}

template <class Ref>
Ref to(const std::vector<std::uint32_t>& where, Ref ref) {
  return Ref{where[index_of(ref)]};
}
template <class Ref>
std::optional<Ref> to(const std::vector<std::uint32_t>& where, const std::optional<Ref>& ref) {
  return ref ? std::optional<Ref>(to(where, *ref)) : std::nullopt;
}

template <class Ref, class T>
IdIndex<Ref> index_over(const std::vector<T>& next, const std::vector<std::uint32_t>& where,
                        std::string T::*id) {
  IdIndex<Ref> index;
  for (std::size_t i = 0; i < next.size(); ++i) index.try_emplace(next[i].*id, Ref{where[i]});
  return index;
}

}  // namespace

RuleSet merge_rules(const RuleSet& running_set, const RuleSet& next_set) {
  const RuleData& run = RuleData::of(running_set);
  const RuleData& nx = RuleData::of(next_set);
  auto out = std::make_shared<RuleData>(run);
  out->version = nx.version;
  out->files = nx.files;
  out->policy = nx.policy;
  out->warnings = nx.warnings;

  const auto offices = place_by_id(out->offices, nx.offices);
  const auto departments = place_by_id(out->departments, nx.departments);
  const auto staff = place_by_id(out->staff, nx.staff);
  const auto posts = place_by_id(out->posts, nx.posts);
  for (std::size_t i = 0; i < nx.offices.size(); ++i) {
    Office o = nx.offices[i];
    o.parent = to(offices, o.parent);
    out->offices[offices[i]] = std::move(o);
  }
  for (std::size_t i = 0; i < nx.departments.size(); ++i) {
    Department d = nx.departments[i];
    d.office = to(offices, d.office);
    out->departments[departments[i]] = std::move(d);
  }
  for (std::size_t i = 0; i < nx.staff.size(); ++i) {
    Staff s = nx.staff[i];
    s.office = to(offices, s.office);
    out->staff[staff[i]] = std::move(s);
  }
  for (std::size_t i = 0; i < nx.posts.size(); ++i) {
    Post p = nx.posts[i];
    p.office = to(offices, p.office);
    p.department = to(departments, p.department);
    p.a = to(staff, p.a);
    p.b = to(staff, p.b);
    p.supervisor = to(posts, p.supervisor);
    out->posts[posts[i]] = std::move(p);
  }

  // Versioned entries compare as the running set and the next set spell them (ids).
  const auto matters = place_versioned(
      out->matters, nx.matters,
      [&](const Matter& m) { return current(run.matter_index, m.code); },
      [&](const Matter& a, const Matter& b) {
        return fields_of(running_set, a) == fields_of(next_set, b);
      });
  for (std::size_t i = 0; i < nx.matters.size(); ++i) {
    Matter m = nx.matters[i];
    m.department = to(departments, m.department);
    for (Stage& s : m.stages) s.post = to(posts, s.post);
    m.escalate_to = to(posts, m.escalate_to);
    out->matters[matters[i]] = std::move(m);
  }
  const auto delegations = place_versioned(
      out->delegations, nx.delegations,
      [&](const Delegation& d) { return current(run.delegation_index, d.id); },
      // Also the same matter entry: a delegation of a changed matter delegates the new one.
      [&](const Delegation& a, const Delegation& b) {
        return a.matter == to(matters, b.matter) &&
               fields_of(running_set, a) == fields_of(next_set, b);
      });
  for (std::size_t i = 0; i < nx.delegations.size(); ++i) {
    Delegation d = nx.delegations[i];
    d.matter = to(matters, d.matter);
    d.from_office = to(offices, d.from_office);
    d.from_department = to(departments, d.from_department);
    d.township = to(offices, d.township);
    d.post = to(posts, d.post);
    out->delegations[delegations[i]] = std::move(d);
  }
  const auto bundles = place_versioned(
      out->bundles, nx.bundles,
      [&](const Bundle& b) { return current(run.bundle_index, b.id); },
      [&](const Bundle& a, const Bundle& b) {
        for (std::size_t k = 0; k < a.matters.size() && k < b.matters.size(); ++k) {
          if (a.matters[k] != to(matters, b.matters[k])) return false;
        }
        return fields_of(running_set, a) == fields_of(next_set, b);
      });
  for (std::size_t i = 0; i < nx.bundles.size(); ++i) {
    Bundle b = nx.bundles[i];
    b.office = to(offices, b.office);
    for (MatterRef& m : b.matters) m = to(matters, m);
    out->bundles[bundles[i]] = std::move(b);
  }

  out->office_index = index_over<OfficeRef>(nx.offices, offices, &Office::id);
  out->department_index = index_over<DepartmentRef>(nx.departments, departments, &Department::id);
  out->staff_index = index_over<StaffRef>(nx.staff, staff, &Staff::id);
  out->post_index = index_over<PostRef>(nx.posts, posts, &Post::id);
  out->matter_index = index_over<MatterRef>(nx.matters, matters, &Matter::code);
  out->delegation_index = index_over<DelegationRef>(nx.delegations, delegations, &Delegation::id);
  out->bundle_index = index_over<BundleRef>(nx.bundles, bundles, &Bundle::id);
  out->delegations_by_matter.assign(out->matters.size(), {});
  for (const std::uint32_t d : delegations) {
    out->delegations_by_matter[index_of(out->delegations[d].matter)].push_back(DelegationRef{d});
  }
  out->retired_offices = retired_except(out->offices.size(), offices);
  out->retired_posts = retired_except(out->posts.size(), posts);
  out->retired_staff = retired_except(out->staff.size(), staff);
  out->retired_matters = retired_except(out->matters.size(), matters);
  return RuleData::make_rule_set(std::move(out));
}

namespace {
bool flag(const std::vector<bool>& v, std::uint32_t i) noexcept { return i < v.size() && v[i]; }
}  // namespace

bool retired(const RuleSet& r, OfficeRef ref) noexcept {
  return flag(RuleData::of(r).retired_offices, index_of(ref));
}
bool retired(const RuleSet& r, PostRef ref) noexcept {
  return flag(RuleData::of(r).retired_posts, index_of(ref));
}
bool retired(const RuleSet& r, StaffRef ref) noexcept {
  return flag(RuleData::of(r).retired_staff, index_of(ref));
}
bool retired(const RuleSet& r, MatterRef ref) noexcept {
  return flag(RuleData::of(r).retired_matters, index_of(ref));
}

}  // namespace workflow::detail
