// `workflow report DB [--rules DIR] [--json] [--html FILE]`: the supervision report of a case
// store, read-only (the database file is never written).
//
// Output contract:
//   text (default): the figures of report.hpp, one per line, on stdout; exit 0.
//   --json: the same figures as one JSON object on stdout (keys in docs/cli.md); exit 0.
//   --html FILE: also writes one self-contained HTML page with inline SVG charts.
//   A missing, corrupt or foreign database, or one recorded under another rule set:
//   "workflow: error: MESSAGE" on stderr; exit 2.
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
#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

struct ReportArgs {
  std::string db;
  std::string rules;  // empty: shipped ningdu
  std::string html;
  bool json = false;
};

int report(const ReportArgs& args) {
  namespace fs = std::filesystem;
  try {
    std::error_code ec;
    if (!fs::is_regular_file(args.db, ec)) {
      fmt::print(stderr, "workflow: error: {}: no such database file\n", args.db);
      return 2;
    }
    auto store = open_sqlite_store(args.db, SqliteOptions{.read_only = true, .create = false});
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
    std::map<std::string, std::string> office_names;
    for (const Office& o : rules.offices()) office_names[o.id] = o.name;
    Engine engine(std::move(rules), std::move(calendar), clock, Options{.store = std::move(store)});
    const Figures figures = compute_figures(engine);
    if (!args.html.empty()) {
      std::ofstream out(args.html, std::ios::binary | std::ios::trunc);
      out << report_html(figures, office_names);
      out.close();
      if (!out) {
        fmt::print(stderr, "workflow: error: {}: cannot write the HTML report\n", args.html);
        return 2;
      }
    }
    fmt::print("{}", args.json ? report_json(figures) : report_text(figures));
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "The supervision report (电子监察) of a case store, read-only");
  cmd->add_option("DB", args->db, "SQLite case store file")->required();
  cmd->add_option("--rules", args->rules,
                  "Rule set the store runs (default: the one the store holds, else the shipped "
                  "rules/ningdu)");
  cmd->add_flag("--json", args->json, "Print the figures as one JSON object");
  cmd->add_option("--html", args->html, "Also write a self-contained HTML page with charts");
  cmd->callback([args, &exit_code] { exit_code = report(*args); });
}

}  // namespace workflow::cli
