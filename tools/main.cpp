// `workflow`: the command-line tool of libworkflow. Scripts depend on its output formats;
// they are documented in docs/cli.md and kept stable.
//
// The command line: the CLI11 app, every subcommand with its options, checks and help texts,
// whose callbacks call the commands (commands.hpp). This is the only translation unit that
// includes CLI/CLI.hpp: it costs about 5 s of compile time in each one that does (its
// namespace-scope validators and inline functions are code-generated in every one).
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"

namespace workflow::cli {
namespace {

// Option values live in structs held by shared_ptr, not on the stack of the add_ functions
// below: CLI11 writes them during parse(), long after registration has returned. A callback
// runs its command and stores the process exit code in `exit_code`.

// Adds --partition to a command that takes a database.
void add_partition_option(CLI::App& cmd, std::string& partition) {
  cmd.add_option("--partition", partition,
                 "The hall's partition (e.g. 360730), when the database is a PostgreSQL "
                 "conninfo (postgresql://... or \"host=... dbname=...\")");
}

// `workflow validate DIR`
void add_validate_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("validate", "Check rule set directories; print a summary");
  auto args = std::make_shared<ValidateArgs>();
  cmd->add_option("DIR", args->dirs, "rule set directory (e.g. rules/ningdu)")->required();
  cmd->add_flag("--summary", args->summary, "also print a breakdown of each set");
  cmd->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

void add_calendar_option(CLI::App& sub, CalendarArgs& args) {
  sub.add_option("--calendar", args.calendar_dir,
                 "Directory of calendar year files (default: the shipped rules/calendar)");
}

// `workflow calendar is-workday|add|years|between ...`
void add_calendar_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CalendarArgs>();
  CLI::App* calendar = app.add_subcommand(
      "calendar", "Official working days (工作日): the start day is not counted");
  calendar->require_subcommand(1);

  CLI::App* is_workday = calendar->add_subcommand("is-workday", "Print 'DATE true|false' for each date");
  add_calendar_option(*is_workday, *args);
  is_workday->add_option("dates", args->dates, "Dates, YYYY-MM-DD")->required();
  is_workday->callback([args, &exit_code] { exit_code = run_calendar_is_workday(*args); });

  CLI::App* add = calendar->add_subcommand("add", "Print the N-th working day after DATE (N = 0: DATE)");
  add_calendar_option(*add, *args);
  add->add_option("date", args->date, "Start date, YYYY-MM-DD (not counted)")->required();
  add->add_option("n", args->count, "Working days to add, >= 0")->required();
  add->callback([args, &exit_code] { exit_code = run_calendar_add(*args); });

  CLI::App* years = calendar->add_subcommand(
      "years", "Print 'YEAR official|provisional SOURCE' for each loaded year");
  add_calendar_option(*years, *args);
  years->callback([args, &exit_code] { exit_code = run_calendar_years(*args); });

  CLI::App* between = calendar->add_subcommand(
      "between", "Print the number of working days d with A < d <= B (0 if B <= A)");
  add_calendar_option(*between, *args);
  between->add_option("a", args->from, "Date A, YYYY-MM-DD (not counted)")->required();
  between->add_option("b", args->to, "Date B, YYYY-MM-DD")->required();
  between->callback([args, &exit_code] { exit_code = run_calendar_between(*args); });
}

// `workflow audit verify|head DB ...`
void add_audit_command(CLI::App& app, int& exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Check the integrity of a case store");
  audit->require_subcommand(1);
  CLI::App* cmd = audit->add_subcommand(
      "verify", "Recompute the event log's hash chain and check the snapshots against it");
  auto args = std::make_shared<AuditVerifyArgs>();
  cmd->add_option("DB", args->target.db, "SQLite case store file, or a PostgreSQL conninfo")
      ->required();
  add_partition_option(*cmd, args->target.partition);
  cmd->add_option("--key", args->key, "The key file of a keyed store (HMAC-SHA-256 chain)");
  cmd->add_option("--expect", args->expect,
                  "An anchor POS:HASH recorded earlier ('workflow audit head'): the log must "
                  "still hold it");
  cmd->callback([args, &exit_code] { exit_code = run_audit_verify(*args); });
  CLI::App* head_cmd =
      audit->add_subcommand("head", "Print the log's last position and chain hash (POS:HASH)");
  auto head_target = std::make_shared<StoreTarget>();
  head_cmd->add_option("DB", head_target->db, "SQLite case store file, or a PostgreSQL conninfo")
      ->required();
  add_partition_option(*head_cmd, head_target->partition);
  head_cmd->callback([head_target, &exit_code] { exit_code = run_audit_head(*head_target); });
}

// `workflow simulate [--rules DIR] [--db FILE] [--days N] [--seed S]`: the demo hall
void add_simulate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Run the demo hall: N simulated working days of the county-township-village rules");
  cmd->add_option("--rules", args->rules, "Rule set directory (default: the shipped rules/ningdu)");
  cmd->add_option("--db", args->db, "SQLite case store to create, or a PostgreSQL conninfo")
      ->capture_default_str();
  add_partition_option(*cmd, args->partition);
  cmd->add_option("--days", args->days, "Working days to simulate")
      ->capture_default_str()
      ->check(CLI::Range(1, 120));
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same database")
      ->capture_default_str();
  cmd->add_option("--start", args->start, "First day (moved to the next working day)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "Replace an existing database");
  cmd->callback([args, &exit_code] { exit_code = run_simulate(*args); });
}

// `workflow report DB [--rules DIR] [--json] [--html FILE]`: the supervision report
void add_report_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand("report", "The supervision report (电子监察) of a case store, read-only");
  cmd->add_option("DB", args->store.db, "SQLite case store file, or a PostgreSQL conninfo")
      ->required();
  add_partition_option(*cmd, args->store.partition);
  cmd->add_option("--rules", args->rules,
                  "Rule set the store runs (default: the one the store holds, else the shipped "
                  "rules/ningdu)");
  cmd->add_option("--period", args->period,
                  "Cases received in this period: 2026Q1, 2026-03 or 2026 (default: every case)");
  cmd->add_option("--from", args->from, "First day of the period (YYYY-MM-DD), with --to");
  cmd->add_option("--to", args->to, "Last day of the period (YYYY-MM-DD), with --from");
  cmd->add_option("--office", args->office,
                  "Only cases of this office (and the offices under it) or department");
  cmd->add_flag("--json", args->json, "Print the figures as one JSON object");
  cmd->add_option("--html", args->html, "Also write a self-contained HTML page with charts");
  cmd->callback([args, &exit_code] { exit_code = run_report(*args); });
}

// `workflow export --db DB --after N ...`: the change feed
void add_export_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "export", "The change feed of a case store for a provincial platform (JSON lines), read-only");
  cmd->add_option("--db", args->store.db, "SQLite case store file, or a PostgreSQL conninfo")
      ->required();
  add_partition_option(*cmd, args->store.partition);
  cmd->add_option("--after", args->after, "Export the events after this log position (0: all)")
      ->required();
  cmd->add_option("--limit", args->limit, "At most this many events (default 1000)");
  cmd->add_option("--format", args->format, "Output format: jsonl (default)");
  cmd->add_option("--rules", args->rules,
                  "Rule set the store runs (default: the one the store holds, else the shipped "
                  "rules/ningdu)");
  cmd->callback([args, &exit_code] { exit_code = run_export(*args); });
}

// The options of `rules plan` and `rules install`.
void add_rules_install_options(CLI::App* cmd, RulesInstallArgs& args, bool actor_required) {
  cmd->add_option("--db", args.db, "SQLite case store file")->required();
  cmd->add_option("NEW_DIR", args.new_dir, "The rule set to install")->required();
  auto* actor = cmd->add_option("--actor", args.actor, "Staff id of who installs it");
  if (actor_required) actor->required();
  cmd->add_option("--calendar", args.calendar,
                  "Calendar directory (default: the calendar/ next to NEW_DIR, else the shipped one)");
  cmd->add_option("--rules", args.rules,
                  "The rule set a store written before stores kept rule sets was recorded under");
  cmd->add_option("--now", args.now,
                  "The time to act at, YYYY-MM-DDTHH:MM[:SS] (default: now, China Standard Time)");
}

// `workflow rules diff|plan|install|history ...`: change the rules of a live case store
void add_rules_command(CLI::App& app, int& exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "Compare rule sets and install one on a case store");
  rules->require_subcommand(1);

  auto dirs = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* d = rules->add_subcommand("diff", "What differs between two rule sets");
  d->add_option("OLD_DIR", dirs->first, "The rule set before")->required();
  d->add_option("NEW_DIR", dirs->second, "The rule set after")->required();
  d->callback([dirs, &exit_code] { exit_code = run_rules_diff(dirs->first, dirs->second); });

  auto plan_args = std::make_shared<RulesInstallArgs>();
  CLI::App* p = rules->add_subcommand("plan", "What installing a rule set on a store would do (changes nothing)");
  add_rules_install_options(p, *plan_args, false);
  p->callback([plan_args, &exit_code] { exit_code = run_rules_plan(*plan_args); });

  auto install_args = std::make_shared<RulesInstallArgs>();
  CLI::App* i = rules->add_subcommand("install", "Install a rule set on a store");
  add_rules_install_options(i, *install_args, true);
  i->callback([install_args, &exit_code] { exit_code = run_rules_install(*install_args); });

  auto db = std::make_shared<std::string>();
  CLI::App* h = rules->add_subcommand("history", "The rule sets a store's cases have run under");
  h->add_option("--db", *db, "SQLite case store file")->required();
  h->callback([db, &exit_code] { exit_code = run_rules_history(*db); });
}

}  // namespace
}  // namespace workflow::cli

namespace {

// The deepest subcommand the command line selected (the app itself if none).
CLI::App* selected(CLI::App& app) {
  CLI::App* at = &app;
  for (;;) {
    const std::vector<CLI::App*> subs = at->get_subcommands();
    if (subs.empty()) return at;
    at = subs.front();
  }
}

// "calendar add: " for that subcommand, "" for the tool itself.
std::string command_prefix(const CLI::App* at) {
  std::string path;
  for (const CLI::App* p = at; p->get_parent() != nullptr; p = p->get_parent()) {
    path = p->get_name() + (path.empty() ? "" : " ") + path;
  }
  return path.empty() ? path : path + ": ";
}

std::string command_names(CLI::App* at) {
  std::string names;
  for (const CLI::App* s : at->get_subcommands([](CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + s->get_name();
  }
  return names;
}

// A usage error in the tool's words: what is unknown, and what there is instead. CLI11
// reports an unknown subcommand as "A subcommand is required" (it takes the word for an
// extra argument); the words it could not place are in remaining().
std::string usage_message(CLI::App& app, const CLI::ParseError& e) {
  CLI::App* at = selected(app);
  for (const std::string& arg : at->remaining(true)) {
    if (arg.size() > 1 && arg.front() == '-') {
      return fmt::format("{}unknown option '{}'", command_prefix(at), arg);
    }
    const std::string names = command_names(at);
    if (!names.empty()) {
      return fmt::format("{}unknown command '{}' (commands: {})", command_prefix(at), arg, names);
    }
    return fmt::format("{}unexpected argument '{}'", command_prefix(at), arg);
  }
  if (const std::string names = command_names(at); !names.empty()) {
    return fmt::format("{}a command is required (commands: {})", command_prefix(at), names);
  }
  return command_prefix(at) + e.what();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"workflow: rules, calendar and reports of a government service hall back office"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("workflow ") + WORKFLOW_VERSION,
                       "Print the version and exit");
  int exit_code = 0;
  workflow::cli::add_validate_command(app, exit_code);
  workflow::cli::add_calendar_command(app, exit_code);
  workflow::cli::add_audit_command(app, exit_code);
  workflow::cli::add_simulate_command(app, exit_code);
  workflow::cli::add_report_command(app, exit_code);
  workflow::cli::add_export_command(app, exit_code);
  workflow::cli::add_rules_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all, --version: printed, exit 0
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every usage error is exit 2 (CLI11's own codes, 104-109, are not part of the contract).
    fmt::print(stderr, "workflow: error: {}\nRun with --help for more information.\n",
               usage_message(app, e));
    return 2;
  } catch (const std::exception& e) {
    // Commands report their own expected errors; this is the last resort.
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
  return exit_code;
}
