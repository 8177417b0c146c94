// The precomputed tables behind workflow::Calendar, shared by calendar.cpp (queries) and
// calendar_loader.cpp (which validates the years and then builds these).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "workflow/calendar.hpp"

namespace workflow::detail {

// Every query is a couple of array reads: the engine asks millions of times per second.
// Days are addressed by their offset from 1 January of the first loaded year.
struct CalendarData {
  std::vector<CalendarYear> years;  // validated, ascending, no gaps
  int first_year = 0;
  int last_year = 0;
  std::int32_t first_day = 0;  // day number of first_year-01-01
  std::int32_t day_count = 0;  // days from first_year-01-01 to last_year-12-31 inclusive
  // cum[i] = the number of working days among the first i days (so cum[0] = 0 and
  // cum.size() == day_count + 1): a day is working iff cum[i + 1] != cum[i], and the
  // working days in (a, b] are cum[b + 1] - cum[a + 1].
  std::vector<std::int32_t> cum;
  // The offsets of the working days in ascending order: the k-th working day (0-based) is
  // first_day + workdays[k], which makes add_working_days O(1).
  std::vector<std::int32_t> workdays;
};

// Builds the tables from years that already passed validation (sorted, no duplicates, no
// gaps, at least one year).
std::shared_ptr<const CalendarData> build_calendar_data(std::vector<CalendarYear> years);

}  // namespace workflow::detail
