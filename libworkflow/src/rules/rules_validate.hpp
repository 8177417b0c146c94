// What the checks of every section share while one rule set is validated (docs/rules.md
// "Validation"): the input and its findings, the tables built so far, the references resolved
// so far and the helpers that resolve ids. rules_validate.cpp checks the sections in order;
// bundles, which rest on the offices, posts and matters, are checked in
// rules_validate_bundles.cpp. Private to those two files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "rules/rule_data.hpp"
#include "rules/rules_raw.hpp"

namespace workflow::detail {

// "posts[4].b": the path of a field of an entry, for diagnostics.
inline std::string field(const RawEntry& entry, std::string_view name) {
  return fmt::format("{}.{}", entry.path, name);
}

inline std::string text(const std::optional<Text>& t) { return t ? t->value : std::string(); }

class Checker {
 protected:
  Checker(RawRuleSet& raw, RuleData& out) : raw_(raw), f_(raw.findings), out_(out) {}

  // Fills `index` with the first definition of each id; a later one is a duplicate.
  template <class Raw, class Ref>
  void index(const std::vector<Raw>& entries, std::optional<Text> Raw::*id_of, std::string_view key,
             std::string_view what, IdIndex<Ref>& index) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::optional<Text>& id = entries[i].*id_of;
      if (!id) continue;
      const auto [held, added] = index.try_emplace(id->value, Ref{static_cast<std::uint32_t>(i)});
      if (added) continue;
      const Where first = (entries[index_of(held)].*id_of)->at;
      f_.error(
          id->at, field(entries[i], key),
          fmt::format("duplicate {} '{}', first defined at {}", what, id->value, f_.place(first)));
    }
  }

  // The Ref `id` names in `index`; an unknown id is reported as "unknown <kind> '<id>'".
  template <class Ref>
  std::optional<Ref> resolve(const RawEntry& entry, std::string_view name,
                             const std::optional<Text>& id, const IdIndex<Ref>& index,
                             std::string_view kind) {
    if (!id) return std::nullopt;
    if (const auto ref = find_in(index, id->value)) return ref;
    if (!raw_.some_file_unreadable) {  // else it may be defined in the unreadable file
      f_.error(id->at, field(entry, name), fmt::format("unknown {} '{}'", kind, id->value));
    }
    return std::nullopt;
  }

  std::optional<Level> level_of(std::optional<OfficeRef> office) const {
    return office ? office_level_[index_of(*office)] : std::nullopt;
  }

  // rules_validate_bundles.cpp; needs the offices, posts and matters checked first.
  void check_bundles();

  RawRuleSet& raw_;
  Findings& f_;
  RuleData& out_;
  // The resolved references later checks depend on; nullopt where already reported.
  std::vector<std::optional<Level>> office_level_;
  std::vector<std::optional<OfficeRef>> department_office_;
  std::vector<std::optional<OfficeRef>> post_office_;
  std::vector<std::optional<DepartmentRef>> post_department_;
  std::vector<std::optional<DepartmentRef>> matter_department_;

 private:
  void check_part(const RawBundle& b, std::string_view name, const Text& code, MatterRef matter,
                  OfficeRef office);
};

}  // namespace workflow::detail
