// The subcommands of the `workflow` tool, without the command line: each takes its options
// as a plain struct and returns the process exit code. main.cpp builds the CLI11 app (every
// subcommand, option and help text) and calls them; it is the only translation unit that
// includes CLI/CLI.hpp, which costs seconds of compile time in every one that does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store_target.hpp"

namespace workflow::cli {

// `workflow validate DIR... [--summary]` (validate_command.cpp)
struct ValidateArgs {
  std::vector<std::string> dirs;
  bool summary = false;
};
int run_validate(const ValidateArgs& args);

// `workflow calendar is-workday|add|years|between ...` (calendar_command.cpp). One struct
// for the four subcommands: only one runs.
struct CalendarArgs {
  std::string calendar_dir;  // empty: the shipped calendar
  std::vector<std::string> dates;
  std::string date;
  int count = 0;
  std::string from;
  std::string to;
};
int run_calendar_is_workday(const CalendarArgs& args);
int run_calendar_add(const CalendarArgs& args);
int run_calendar_years(const CalendarArgs& args);
int run_calendar_between(const CalendarArgs& args);

// `workflow audit verify|head DB ...` (audit_command.cpp)
struct AuditVerifyArgs {
  StoreTarget target;
  std::string key, expect;
};
int run_audit_verify(const AuditVerifyArgs& args);
int run_audit_head(const StoreTarget& target);

// `workflow simulate [--rules DIR] [--db FILE] [--days N] [--seed S] ...`: the demo hall
// (simulate_command.cpp). The defaults are the ones --help shows.
struct SimulateArgs {
  std::string rules;  // empty: shipped ningdu
  std::string db = "workflow-demo.db";
  std::string partition;  // with a PostgreSQL conninfo as db
  int days = 20;
  std::uint32_t seed = 1;
  std::string start = "2025-12-15";
  bool force = false;
};
int run_simulate(const SimulateArgs& args);

// `workflow report DB [--rules DIR] [--json] [--html FILE] ...`: the supervision report
// (report_command.cpp)
struct ReportArgs {
  StoreTarget store;
  std::string rules;  // empty: shipped ningdu
  std::string html;
  std::string period, from, to, office;
  bool json = false;
};
int run_report(const ReportArgs& args);

// `workflow export --db DB --after N ...`: the change feed (export_command.cpp)
struct ExportArgs {
  StoreTarget store;
  std::string rules;
  std::uint64_t after = 0;
  std::size_t limit = 1000;
  std::string format = "jsonl";
};
int run_export(const ExportArgs& args);

// `workflow rules diff|plan|install|history ...`: change the rules of a live case store
// (rules_command.cpp)
struct RulesInstallArgs {  // rules plan and rules install
  std::string db;
  std::string new_dir;
  std::string actor;
  std::string calendar;  // empty: the one next to NEW_DIR
  std::string rules;     // a schema-2 store's rule set, given once
  std::string now;       // empty: the wall clock (China Standard Time)
};
int run_rules_diff(const std::string& old_dir, const std::string& new_dir);
int run_rules_plan(const RulesInstallArgs& args);
int run_rules_install(const RulesInstallArgs& args);
int run_rules_history(const std::string& db);

}  // namespace workflow::cli
