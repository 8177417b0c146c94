// `workflow calendar is-workday|add|between|years`: working-day arithmetic from the shell, on the
// same calendar files the engine uses (so a hall can check a deadline by hand).
#include <filesystem>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "workflow/calendar.hpp"
#include "workflow/date.hpp"
#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

Calendar load_calendar(const CalendarArgs& args) {
  return Calendar::load(args.calendar_dir.empty() ? shipped_calendar_dir()
                                                  : std::filesystem::path(args.calendar_dir));
}

// Runs `body`, turning a library error into the tool's one error shape and exit code 2.
template <class Body>
int guarded(Body&& body) {
  try {
    body();
    return 0;
  } catch (const Error& e) {
    std::cout.flush();  // lines already printed come before the error
    std::cerr << "workflow: error: " << e.what() << '\n';
    return 2;
  }
}

}  // namespace

int run_calendar_is_workday(const CalendarArgs& args) {
  return guarded([&] {
    const Calendar cal = load_calendar(args);
    // Parse and answer every date before printing, so an error prints no partial list.
    std::string out;
    for (const std::string& text : args.dates) {
      const Date d = Date::parse(text);
      out += fmt::format("{} {}\n", d.to_string(), cal.is_working_day(d) ? "true" : "false");
    }
    std::cout << out;
  });
}

int run_calendar_add(const CalendarArgs& args) {
  return guarded([&] {
    const Date start = Date::parse(args.date);
    std::cout << load_calendar(args).add_working_days(start, args.count).to_string() << '\n';
  });
}

int run_calendar_years(const CalendarArgs& args) {
  return guarded([&] {
    const Calendar cal = load_calendar(args);  // years() refers into it: keep it alive
    std::string out;
    for (const CalendarYear& y : cal.years()) {
      out += fmt::format("{} {} {}\n", y.year, y.provisional ? "provisional" : "official", y.source);
    }
    std::cout << out;
  });
}

int run_calendar_between(const CalendarArgs& args) {
  return guarded([&] {
    const Date a = Date::parse(args.from);
    const Date b = Date::parse(args.to);
    std::cout << load_calendar(args).working_days_between(a, b) << '\n';
  });
}

}  // namespace workflow::cli
