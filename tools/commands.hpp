// The subcommands of the `workflow` tool. Each registers itself on the CLI11 app; the
// callback it installs runs the command and stores the process exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace workflow::cli {

// `workflow validate DIR`
void add_validate_command(CLI::App& app, int& exit_code);
// `workflow calendar is-workday|add|between ...`
void add_calendar_command(CLI::App& app, int& exit_code);
// `workflow audit verify DB`
void add_audit_command(CLI::App& app, int& exit_code);
// `workflow simulate [--rules DIR] [--db FILE] [--days N] [--seed S]`: the demo hall
void add_simulate_command(CLI::App& app, int& exit_code);
// `workflow report DB [--rules DIR] [--json] [--html FILE]`: the supervision report
void add_report_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);  // export_command.cpp: the change feed
// `workflow rules diff|plan|install|history ...`: change the rules of a live case store
void add_rules_command(CLI::App& app, int& exit_code);

}  // namespace workflow::cli
