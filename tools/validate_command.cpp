// `workflow validate DIR...`: check rule sets the way the engine will load them.
//
// Output contract (scripts rely on it):
//   success: one line per set, "DIR: ok: N offices, N posts, N matters, N delegations,
//            N bundles (version XXXXXXXXXXXX)", then any warnings as diagnostics; exit 0.
//   failure: every diagnostic, one per line, "file:line:col: message", on stdout; exit 1.
//   a directory that cannot be read: "workflow: error: MESSAGE" on stderr; exit 2.
//   --summary adds a breakdown (offices by level, posts by role, matters by kind,
//   delegations by mode, bundles and cross-region matters) after each ok line.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "plural.hpp"
#include "workflow/rules.hpp"

namespace workflow::cli {
namespace {

template <class Enum, std::size_t N, class Range, class Key>
std::string breakdown(const std::array<Enum, N>& values, const Range& items, Key key) {
  std::string out;
  for (Enum v : values) {
    std::size_t n = 0;
    for (const auto& item : items) n += key(item) == v ? 1 : 0;
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", n, to_string(v));
  }
  return out.empty() ? "none" : out;
}

void print_summary(const RuleSet& rules) {
  constexpr std::array levels{Level::province, Level::city, Level::county, Level::township,
                              Level::village};
  constexpr std::array roles{PostRole::window, PostRole::back_office, PostRole::unresolved,
                             PostRole::agent, PostRole::policy};
  constexpr std::array kinds{MatterKind::instant, MatterKind::committed, MatterKind::escalated,
                             MatterKind::joint};
  constexpr std::array modes{DelegationMode::window_forward, DelegationMode::partial,
                             DelegationMode::full};
  fmt::print("  offices:     {}\n",
             breakdown(levels, rules.offices(), [](const Office& o) { return o.level; }));
  fmt::print("  posts:       {}\n",
             breakdown(roles, rules.posts(), [](const Post& p) { return p.role; }));
  fmt::print("  matters:     {}\n",
             breakdown(kinds, rules.matters(), [](const Matter& m) { return m.kind; }));
  fmt::print("  delegations: {}\n",
             breakdown(modes, rules.delegations(), [](const Delegation& d) { return d.mode; }));
  std::size_t parts = 0;
  for (const Bundle& b : rules.bundles()) parts += b.matters.size();
  const auto matters = rules.matters();
  fmt::print("  bundles:     {} ({}), cross-region matters: {}\n",
             rules.bundles().size(), plural(parts, "part"),
             std::count_if(matters.begin(), matters.end(),
                           [](const Matter& m) { return m.cross_region; }));
  fmt::print("  staff:       {}, departments: {}\n", rules.staff().size(),
             rules.departments().size());
  const Policy& p = rules.policy();
  fmt::print(
      "  policy:      promised <= {:g} x legal, notice within {}, yellow at {} left, 容缺 {}, "
      "extension <= {}\n",
      p.promised_ratio_cap, plural(p.notify_missing_days, "day"), plural(p.yellow_days_left, "day"),
      plural(p.tolerance_supplement_days, "day"), plural(p.extension_max_days, "day"));
}

}  // namespace

int run_validate(const ValidateArgs& args) {
  int exit_code = 0;
  for (const std::string& dir : args.dirs) {
    try {
      const RuleSet rules = RuleSet::load(dir);
      fmt::print(
          "{}: ok: {}, {}, {}, {}, {} (version {})\n", dir,
          plural(rules.offices().size(), "office"), plural(rules.posts().size(), "post"),
          plural(rules.matters().size(), "matter"),
          plural(rules.delegations().size(), "delegation"),
          plural(rules.bundles().size(), "bundle"), rules.version().substr(0, 12));
      for (const Diagnostic& w : rules.warnings()) fmt::print("{}\n", w.to_string());
      if (args.summary) print_summary(rules);
    } catch (const Error& e) {
      if (e.diagnostics().empty()) {
        // Not a rule set problem but an unreadable directory: an error like every other
        // command's (the message names the path), exit 2.
        std::fflush(stdout);
        fmt::print(stderr, "workflow: error: {}\n", e.what());
        exit_code = 2;
        continue;
      }
      exit_code = std::max(exit_code, 1);
      for (const Diagnostic& d : e.diagnostics()) fmt::print("{}\n", d.to_string());
    }
  }
  return exit_code;
}

}  // namespace workflow::cli
