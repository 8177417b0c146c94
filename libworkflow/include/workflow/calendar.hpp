// Official working days (工作日) of the People's Republic of China, from the State
// Council's annual holiday notices (or, for a year whose notice is not out yet, provisionally
// from the statutory holidays): every time limit in the hall is counted on this.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "workflow/date.hpp"
#include "workflow/export.hpp"

namespace workflow {

namespace detail {
struct CalendarData;
}

// One year's arrangement as published: its statutory holidays (days off, including the
// weekend days folded into a holiday run) and its make-up working days (调休 上班). A plain
// value type.
struct WORKFLOW_EXPORT CalendarYear {
  struct Holiday {
    std::string name;  // e.g. "春节"
    Date first;        // first day off
    Date last;         // last day off (inclusive)
  };
  int year = 0;
  std::string source;  // the notice, e.g. "国办发明电〔2024〕12号"
  // True for a year whose notice is not out yet, built from the statutory days alone (see
  // docs/calendar.md): it has no make-up working days, and its dates may still change.
  bool provisional = false;
  std::vector<Holiday> holidays;
  std::vector<Date> makeup_workdays;  // Saturdays and Sundays declared working days
};

// Working-day arithmetic over the loaded years. There is no fallback: a date outside the
// loaded years is an error naming the year, never a weekend-only guess.
//
// A Calendar is immutable once built; it is safe for concurrent access from multiple
// threads without any external synchronization, and cheap to copy (shared data).
class WORKFLOW_EXPORT Calendar {
 public:
  // Loads every "*.yaml" file of `dir` (one file per year, see docs/calendar.md).
  // Throws Error(calendar_invalid) with one Diagnostic per problem found in any file,
  // Error(io_error) if the directory cannot be read.
  static Calendar load(const std::filesystem::path& dir);
  // Builds a calendar from years already in memory (validated like loaded files; the
  // diagnostics then name the file "<memory>").
  static Calendar from_years(std::vector<CalendarYear> years);

  // A weekday that is not a holiday, or a make-up working day.
  // Throws Error(calendar_no_data) if the date's year is not loaded.
  bool is_working_day(Date date) const;

  // The n-th working day after `start`; `start` itself is not counted, so n = 1 is the
  // next working day and n = 0 is `start`. Throws Error(invalid_argument) if n < 0 and
  // Error(calendar_no_data) if the walk leaves the loaded years.
  Date add_working_days(Date start, int n) const;

  // The number of working days d with a < d <= b (0 if b <= a), so that
  // working_days_between(d, add_working_days(d, n)) == n.
  // Throws Error(calendar_no_data) if a or b lies outside the loaded years.
  int working_days_between(Date a, Date b) const;

  // Whether `year` is loaded and provisional (its notice not out yet); false for a year
  // that is not loaded.
  bool is_provisional(int year) const noexcept;
  // Whether any loaded year from min(a, b).year to max(a, b).year is provisional: a deadline
  // counted from a to b may then still move when the notice is loaded.
  bool provisional_between(Date a, Date b) const noexcept;

  int first_year() const noexcept;
  int last_year() const noexcept;
  // The years as loaded, in order (for listing their sources).
  const std::vector<CalendarYear>& years() const noexcept;

 private:
  explicit Calendar(std::shared_ptr<const detail::CalendarData> data) noexcept;
  std::shared_ptr<const detail::CalendarData> data_;
};

}  // namespace workflow
