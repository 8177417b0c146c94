// `workflow report DB [--partition P] [--rules DIR] [--period 2026Q1 | --from DATE --to DATE] [--office ID]
// [--json] [--html FILE]`: the supervision report of a case store (an SQLite file, or a
// PostgreSQL conninfo with --partition), read-only (the store is never written); a thin
// printer over workflow::supervise().
//
// Output contract:
//   text (default): the figures of report.hpp, one per line, on stdout; exit 0.
//   --json: the same figures as one JSON object on stdout (keys in docs/cli.md); exit 0.
//   --html FILE: also writes one self-contained HTML page with inline SVG charts.
//   A missing, corrupt or foreign database, or one recorded under another rule set:
//   "workflow: error: MESSAGE" on stderr; exit 2.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "report.hpp"
#include "store_target.hpp"
#include "workflow/error.hpp"

namespace workflow::cli {

int run_report(const ReportArgs& args) {
  namespace fs = std::filesystem;
  try {
    auto store = args.store.open_read_only();
    // The rule set: --rules if given, else the one the store runs now (a store keeps every
    // set installed on it, `workflow rules install`), else the shipped rules/ningdu.
    const std::vector<StoredRuleSet> stored = args.rules.empty() ? store->rule_sets()
                                                                 : std::vector<StoredRuleSet>{};
    const fs::path rules_dir = args.rules.empty() ? shipped_ningdu_dir() : fs::path(args.rules);
    RuleSet rules = stored.empty()
                        ? RuleSet::load(rules_dir)
                        : RuleSet::from_files(stored.back().files,
                                              fmt::format("<stored rule set {}>", stored.size()));
    Calendar calendar = Calendar::load(calendar_for_rules(rules_dir));
    // The clock is never moved: a read-only engine only serves list() and get().
    auto clock = std::make_shared<ManualClock>(DateTime{});
    const Names names = names_of(rules);
    SupervisionQuery query{.office = args.office};
    // Default: every case in the store (the demo's simulated days straddle two quarters).
    if (!args.period.empty()) query.period = Period::parse(args.period);
    if (!args.from.empty() || !args.to.empty()) {
      if (args.from.empty() || args.to.empty()) {
        fmt::print(stderr, "workflow: error: --from and --to go together\n");
        return 2;
      }
      query.period = Period{Date::parse(args.from), Date::parse(args.to)};
    }
    Engine engine(std::move(rules), std::move(calendar), clock, Options{.store = std::move(store)});
    const Figures figures = supervise(engine, query);
    if (!args.html.empty()) {
      const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
      char stamp[64] = "";
      std::strftime(stamp, sizeof stamp, "%Y年%m月%d日 %H:%M", std::localtime(&now));
      errno = 0;
      std::ofstream out(args.html, std::ios::binary | std::ios::trunc);
      if (out) out << report_html(figures, names, stamp);
      if (out) out.close();
      if (!out) {
        const int err = errno;
        fmt::print(stderr, "workflow: error: {}: cannot write the HTML report: {}\n", args.html,
                   err ? std::strerror(err) : "write failed");
        return 2;
      }
    }
    fmt::print("{}", args.json ? report_json(figures) : report_text(figures));
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    // A rule-set mismatch: the report reads the store under the set it runs by default.
    if (e.code() == ErrorCode::store_error && !args.rules.empty() &&
        std::string_view(e.what()).find("rule set") != std::string_view::npos) {
      fmt::print(stderr, "workflow: the store was opened with --rules {}; leave --rules out to "
                         "report under the rule set the store runs\n", args.rules);
    }
    return 2;
  }
}

}  // namespace workflow::cli
