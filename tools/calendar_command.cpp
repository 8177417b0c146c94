// `workflow calendar is-workday|add|between|years`: working-day arithmetic from the shell, on the
// same calendar files the engine uses (so a hall can check a deadline by hand).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "workflow/calendar.hpp"
#include "workflow/date.hpp"
#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

// Option values live here, not on the stack of add_calendar_command: CLI11 writes them
// during parse(), long after registration has returned.
struct CalendarOptions {
  std::string calendar_dir;  // empty: the shipped calendar
  std::vector<std::string> dates;
  std::string date;
  int count = 0;
  std::string from;
  std::string to;
};

Calendar load_calendar(const CalendarOptions& options) {
  return Calendar::load(options.calendar_dir.empty() ? shipped_calendar_dir()
                                                     : std::filesystem::path(options.calendar_dir));
}

// Runs `body`, turning a library error into the tool's one error shape and exit code 2.
template <class Body>
void run(int& exit_code, Body&& body) {
  try {
    body();
    exit_code = 0;
  } catch (const Error& e) {
    std::cout.flush();  // lines already printed come before the error
    std::cerr << "workflow: error: " << e.what() << '\n';
    exit_code = 2;
  }
}

void add_calendar_option(CLI::App& sub, CalendarOptions& options) {
  sub.add_option("--calendar", options.calendar_dir,
                 "Directory of calendar year files (default: the shipped rules/calendar)");
}

}  // namespace

void add_calendar_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CalendarOptions>();
  CLI::App* calendar = app.add_subcommand(
      "calendar", "Official working days (工作日): the start day is not counted");
  calendar->require_subcommand(1);

  CLI::App* is_workday = calendar->add_subcommand("is-workday", "Print 'DATE true|false' for each date");
  add_calendar_option(*is_workday, *options);
  is_workday->add_option("dates", options->dates, "Dates, YYYY-MM-DD")->required();
  is_workday->callback([options, &exit_code] {
    run(exit_code, [&] {
      const Calendar cal = load_calendar(*options);
      // Parse and answer every date before printing, so an error prints no partial list.
      std::string out;
      for (const std::string& text : options->dates) {
        const Date d = Date::parse(text);
        out += fmt::format("{} {}\n", d.to_string(), cal.is_working_day(d) ? "true" : "false");
      }
      std::cout << out;
    });
  });

  CLI::App* add = calendar->add_subcommand("add", "Print the N-th working day after DATE (N = 0: DATE)");
  add_calendar_option(*add, *options);
  add->add_option("date", options->date, "Start date, YYYY-MM-DD (not counted)")->required();
  add->add_option("n", options->count, "Working days to add, >= 0")->required();
  add->callback([options, &exit_code] {
    run(exit_code, [&] {
      const Date start = Date::parse(options->date);
      std::cout << load_calendar(*options).add_working_days(start, options->count).to_string() << '\n';
    });
  });

  CLI::App* years = calendar->add_subcommand(
      "years", "Print 'YEAR official|provisional SOURCE' for each loaded year");
  add_calendar_option(*years, *options);
  years->callback([options, &exit_code] {
    run(exit_code, [&] {
      const Calendar cal = load_calendar(*options);  // years() refers into it: keep it alive
      std::string out;
      for (const CalendarYear& y : cal.years()) {
        out += fmt::format("{} {} {}\n", y.year, y.provisional ? "provisional" : "official", y.source);
      }
      std::cout << out;
    });
  });

  CLI::App* between = calendar->add_subcommand(
      "between", "Print the number of working days d with A < d <= B (0 if B <= A)");
  add_calendar_option(*between, *options);
  between->add_option("a", options->from, "Date A, YYYY-MM-DD (not counted)")->required();
  between->add_option("b", options->to, "Date B, YYYY-MM-DD")->required();
  between->callback([options, &exit_code] {
    run(exit_code, [&] {
      const Date a = Date::parse(options->from);
      const Date b = Date::parse(options->to);
      std::cout << load_calendar(*options).working_days_between(a, b) << '\n';
    });
  });
}

}  // namespace workflow::cli
