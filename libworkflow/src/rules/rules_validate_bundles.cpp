// Checking the 一件事一次办 bundles (docs/rules.md "bundles"): each part a known matter, listed
// once, that the bundle's office can take in, and the office a window to take it in at. Runs
// after every other section, so the offices, posts and matters it rests on are resolved; as
// everywhere, a check whose input was already reported as broken is skipped.
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "rules/rules_validate.hpp"

namespace workflow::detail {

void Checker::check_bundles() {
  // The offices with a window post: only they accept cases, so only they can accept a bundle.
  // Unknown while a window post's office is (a reported problem) or a file is unreadable.
  std::set<std::uint32_t> window_offices;
  bool windows_known = !raw_.some_file_unreadable;
  for (std::size_t i = 0; i < raw_.posts.size(); ++i) {
    if (raw_.posts[i].role != PostRole::window) continue;
    if (post_office_[i]) window_offices.insert(index_of(*post_office_[i]));
    windows_known = windows_known && post_office_[i].has_value();
  }
  for (const RawBundle& b : raw_.bundles) {
    Bundle bundle;
    bundle.id = text(b.id);
    bundle.name = text(b.name);
    const auto office = resolve(b, "office", b.office, out_.office_index, "office");
    bundle.office = office.value_or(OfficeRef{});
    if (office && windows_known && window_offices.count(index_of(*office)) == 0) {
      f_.error(b.office->at, field(b, "office"),
               fmt::format("office '{}' has no window post to accept the bundle", b.office->value));
    }
    if (b.matters_at && b.matters_listed < 2) {
      f_.error(*b.matters_at, field(b, "matters"),
               fmt::format("a bundle needs at least two matters, found {}", b.matters_listed));
    }
    // By code, not by Ref: a repeated code is reported even while it cannot be looked up.
    std::map<std::string, Where> listed;
    for (const RawPart& part : b.matters) {
      const std::string name = fmt::format("matters[{}]", part.index);
      const auto [first, added] = listed.try_emplace(part.code.value, part.code.at);
      if (!added) {
        f_.error(part.code.at, field(b, name),
                 fmt::format("duplicate matter '{}' in the bundle, first listed at {}",
                             part.code.value, f_.place(first->second)));
        continue;
      }
      const auto matter = resolve(b, name, std::optional(part.code), out_.matter_index, "matter");
      if (!matter) continue;
      bundle.matters.push_back(*matter);
      if (office) check_part(b, name, part.code, *matter, *office);
    }
    if (b.promised_limit) bundle.promised_limit = b.promised_limit->value;
    out_.bundles.push_back(std::move(bundle));
  }
}

// The bundle's office must be able to take the part in: the matter is one of a department
// that sits there, or it is 跨域通办 (cross_region), which any office's window may take in for
// the office that handles it.
void Checker::check_part(const RawBundle& b, std::string_view name, const Text& code,
                         MatterRef matter, OfficeRef office) {
  const RawMatter& m = raw_.matters[index_of(matter)];
  const auto department = matter_department_[index_of(matter)];
  const auto handled_at = department ? department_office_[index_of(*department)] : std::nullopt;
  if (!handled_at || *handled_at == office || m.reported("cross_region") ||
      out_.matters[index_of(matter)].cross_region) {
    return;
  }
  f_.error(code.at, field(b, name),
           fmt::format("matter '{}' is implemented at office '{}' and is not cross_region, so "
                       "office '{}' cannot accept it",
                       code.value, out_.offices[index_of(*handled_at)].id, b.office->value));
}

}  // namespace workflow::detail
