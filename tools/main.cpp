// `workflow`: the command-line tool of libworkflow. Scripts depend on its output formats;
// they are documented in docs/cli.md and kept stable.
#include <exception>

#include <fmt/format.h>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"workflow: rules, calendar and reports of a government service hall back office"};
  app.require_subcommand(1);
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
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Commands report their own expected errors; this is the last resort.
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
  return exit_code;
}
