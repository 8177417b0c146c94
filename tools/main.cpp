// `workflow`: the command-line tool of libworkflow. Scripts depend on its output formats;
// they are documented in docs/cli.md and kept stable.
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"

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
