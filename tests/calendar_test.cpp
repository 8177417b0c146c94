// workflow::Calendar on the shipped rules/calendar and on broken fixtures. The dates below
// are copied from the State Council notices, and every expected count or date is worked out
// by hand from them (see the comments), never computed with the code under test.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "workflow/calendar.hpp"
#include "error_of.hpp"
#include "workflow/error.hpp"

using workflow::Calendar;
using workflow::CalendarYear;
using workflow::Date;
using workflow::Error;
using workflow::ErrorCode;
using workflow::testing::error_of;

namespace {

Date D(const char* iso) { return Date::parse(iso); }

const Calendar& shipped() {
  static const Calendar calendar = Calendar::load(WORKFLOW_SOURCE_DIR "/rules/calendar");
  return calendar;
}

const std::string fixtures = WORKFLOW_TEST_DATA_DIR "/calendar/";

// Every diagnostic of loading fixtures/<name>, as `workflow validate` prints them.
std::vector<std::string> diagnostics_of(const std::string& name) {
  const Error e = error_of([&] { (void)Calendar::load(fixtures + name); });
  CHECK(e.code() == ErrorCode::calendar_invalid);
  std::vector<std::string> out;
  for (const auto& d : e.diagnostics()) out.push_back(d.to_string());
  return out;
}

using Lines = std::vector<std::string>;

// The make-up working days (调休上班) of each notice.
const char* const makeup_days[] = {
    // 2020 (2020-02-01 was cancelled by the extension notice, see below)
    "2020-01-19", "2020-04-26", "2020-05-09", "2020-06-28", "2020-09-27", "2020-10-10",
    // 2021
    "2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09",
    // 2022
    "2022-01-29", "2022-01-30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08", "2022-10-09",
    // 2023
    "2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
    // 2024
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
    "2024-10-12",
    // 2025
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    // 2026
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

// The runs of days off (放假调休) of each notice, inclusive.
const char* const holiday_runs[][2] = {
    {"2020-01-01", "2020-01-01"}, {"2020-01-24", "2020-02-02"}, {"2020-04-04", "2020-04-06"},
    {"2020-05-01", "2020-05-05"}, {"2020-06-25", "2020-06-27"}, {"2020-10-01", "2020-10-08"},
    {"2021-01-01", "2021-01-03"}, {"2021-02-11", "2021-02-17"}, {"2021-04-03", "2021-04-05"},
    {"2021-05-01", "2021-05-05"}, {"2021-06-12", "2021-06-14"}, {"2021-09-19", "2021-09-21"},
    {"2021-10-01", "2021-10-07"},
    {"2022-01-01", "2022-01-03"}, {"2022-01-31", "2022-02-06"}, {"2022-04-03", "2022-04-05"},
    {"2022-04-30", "2022-05-04"}, {"2022-06-03", "2022-06-05"}, {"2022-09-10", "2022-09-12"},
    {"2022-10-01", "2022-10-07"},
    {"2022-12-31", "2023-01-02"}, {"2023-01-21", "2023-01-27"}, {"2023-04-05", "2023-04-05"},
    {"2023-04-29", "2023-05-03"}, {"2023-06-22", "2023-06-24"}, {"2023-09-29", "2023-10-06"},
    {"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"},
    {"2024-05-01", "2024-05-05"}, {"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"},
    {"2024-10-01", "2024-10-07"},
    {"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
    {"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
    {"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
    {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
    {"2026-10-01", "2026-10-07"},
};

}  // namespace

TEST_CASE("Calendar: the shipped calendar covers 2020-2035 and cites its notices") {
  const Calendar& cal = shipped();
  CHECK(cal.first_year() == 2020);
  CHECK(cal.last_year() == 2035);
  REQUIRE(cal.years().size() == 16);
  CHECK(cal.years()[0].year == 2020);
  CHECK(cal.years()[6].year == 2026);
  CHECK(cal.years()[15].year == 2035);
  // 2020 was amended by the extension notice: the file must cite both.
  CHECK(cal.years()[0].source.find("国办发明电〔2019〕16号") != std::string::npos);
  CHECK(cal.years()[0].source.find("国办发明电〔2020〕1号") != std::string::npos);
  CHECK(cal.years()[5].source.find("国办发明电〔2024〕12号") != std::string::npos);
  CHECK(cal.years()[6].source.find("国办发明电〔2025〕7号") != std::string::npos);
  // 2020..2026 from the notices; 2027..2035 provisional, from the statutory days alone.
  for (const CalendarYear& y : cal.years()) {
    CAPTURE(y.year);
    CHECK(y.provisional == (y.year >= 2027));
    if (y.provisional) {
      CHECK(y.makeup_workdays.empty());
      CHECK(y.source.find("国务院令第798号") != std::string::npos);
    }
  }
}

TEST_CASE("Calendar: provisional years, is_provisional and provisional_between") {
  const Calendar& cal = shipped();
  CHECK_FALSE(cal.is_provisional(2026));
  CHECK(cal.is_provisional(2027));
  CHECK(cal.is_provisional(2035));
  CHECK_FALSE(cal.is_provisional(2036));  // not loaded
  CHECK_FALSE(cal.is_provisional(2019));
  CHECK_FALSE(cal.provisional_between(D("2025-03-01"), D("2026-12-31")));
  CHECK(cal.provisional_between(D("2026-12-21"), D("2027-01-19")));
  CHECK(cal.provisional_between(D("2027-01-19"), D("2026-12-21")));  // either order
  CHECK(cal.provisional_between(D("2027-05-01"), D("2027-05-01")));
  CHECK(cal.provisional_between(D("2035-12-01"), D("2040-01-01")));  // 2035 is loaded
  CHECK_FALSE(cal.provisional_between(D("2036-01-01"), D("2040-01-01")));  // none loaded
  CHECK(cal.provisional_between(D("2019-01-01"), D("2040-01-01")));
}

TEST_CASE("Calendar: a deadline reaching into the first provisional year") {
  const Calendar& cal = shipped();
  // A §42 20-day limit accepted Monday 2026-12-21: 12-22..25 (4), 12-28..31 (8), Friday
  // 2027-01-01 元旦 off, 01-04..08 (13), 01-11..15 (18), 01-18 (19), 01-19 (20).
  CHECK(cal.add_working_days(D("2026-12-21"), 20) == D("2027-01-19"));
  CHECK(cal.working_days_between(D("2026-12-21"), D("2027-01-19")) == 20);
  CHECK_FALSE(cal.is_working_day(D("2027-01-01")));
  // 春节 2027: 除夕 Fri 02-05, 初一..初三 Sat 02-06..Mon 02-08; the two weekend days made up
  // on Tue 02-09 and Wed 02-10 (article 6). No make-up Saturday: 02-20 stays off.
  for (Date d = D("2027-02-05"); d <= D("2027-02-10"); d = d + 1) CHECK_FALSE(cal.is_working_day(d));
  CHECK(cal.is_working_day(D("2027-02-04")));
  CHECK(cal.is_working_day(D("2027-02-11")));
  CHECK_FALSE(cal.is_working_day(D("2027-02-20")));
  // 国庆 2027: Fri 10-01, Sat 10-02, Sun 10-03, made up Mon 10-04 and Tue 10-05.
  CHECK_FALSE(cal.is_working_day(D("2027-10-05")));
  CHECK(cal.is_working_day(D("2027-10-06")));
}

TEST_CASE("Calendar: a provisional year in memory") {
  CalendarYear y2027;
  y2027.year = 2027;
  y2027.source = "test";
  y2027.provisional = true;
  y2027.holidays = {{"元旦", D("2027-01-01"), D("2027-01-01")}};
  const Calendar cal = Calendar::from_years({y2027});
  CHECK(cal.is_provisional(2027));
  CHECK(cal.years()[0].provisional);
  CHECK(cal.add_working_days(D("2027-01-01"), 1) == D("2027-01-04"));

  y2027.makeup_workdays = {D("2027-01-09")};  // a Saturday
  const Error e = error_of([&] { (void)Calendar::from_years({y2027}); });
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].to_string() ==
        "<memory>: years[0].makeup_workdays[0]: a provisional year has no make-up working days: those come "
        "only with the State Council's notice");
}

TEST_CASE("Calendar: every make-up workday of 2020-2026 is a working day") {
  for (const char* day : makeup_days) {
    CAPTURE(day);
    CHECK(D(day).is_weekend());  // guards the table itself
    CHECK(shipped().is_working_day(D(day)));
  }
}

TEST_CASE("Calendar: every day of every holiday run is a day off") {
  for (const auto& run : holiday_runs) {
    for (Date d = D(run[0]); d <= D(run[1]); d = d + 1) {
      CAPTURE(d.to_string());
      CHECK_FALSE(shipped().is_working_day(d));
    }
  }
}

TEST_CASE("Calendar: the 2020 Spring Festival extension") {
  const Calendar& cal = shipped();
  CHECK_FALSE(cal.is_working_day(D("2020-01-31")));  // Friday, added by the extension
  CHECK_FALSE(cal.is_working_day(D("2020-02-01")));  // Saturday, no longer a make-up day
  CHECK_FALSE(cal.is_working_day(D("2020-02-02")));
  CHECK(cal.is_working_day(D("2020-02-03")));  // "2月3日（星期一）起正常上班"
}

TEST_CASE("Calendar: ordinary days") {
  const Calendar& cal = shipped();
  CHECK(cal.is_working_day(D("2025-03-07")));        // Friday
  CHECK_FALSE(cal.is_working_day(D("2025-03-08")));  // Saturday
  CHECK_FALSE(cal.is_working_day(D("2025-03-09")));  // Sunday
  CHECK(cal.is_working_day(D("2024-02-09")));        // 2024 除夕: only "encouraged" off
  CHECK(cal.is_working_day(D("2025-09-30")));
  CHECK(cal.is_working_day(D("2025-10-09")));
  CHECK_FALSE(cal.is_working_day(D("2025-10-12")));  // Sunday after the make-up Saturday
}

TEST_CASE("Calendar: working days per year, counted by hand from the notices") {
  // weekdays - holiday weekdays + make-up days:
  // 2020: 262 - 19 + 6 = 249   2021: 261 - 18 + 7 = 250   2022: 260 - 18 + 7 = 249
  // 2023: 260 - 18 + 7 = 249   2024: 262 - 19 + 8 = 251
  // 2025: 261 - 18 + 5 = 248 (1/1; 1/28-31, 2/3-4; 4/4; 5/1-2, 5/5; 6/2; 10/1-3, 10/6-8)
  // 2026: 261 - 19 + 6 = 248
  const int expected[] = {249, 250, 249, 249, 251, 248, 248};
  const Calendar& cal = shipped();
  for (int year = 2020; year <= 2026; ++year) {
    CAPTURE(year);
    int count = 0;
    for (Date d = Date::from_ymd(year, 1, 1); d.year() == year; d = d + 1) count += cal.is_working_day(d) ? 1 : 0;
    CHECK(count == expected[year - 2020]);
    if (year > 2020) {
      CHECK(cal.working_days_between(Date::from_ymd(year - 1, 12, 31), Date::from_ymd(year, 12, 31)) ==
            expected[year - 2020]);
    }
  }
  // 2020-01-01 is a holiday, so (01-01, 12-31] holds all of 2020's working days.
  CHECK(cal.working_days_between(D("2020-01-01"), D("2020-12-31")) == 249);
}

TEST_CASE("Calendar: add_working_days, known answers") {
  const Calendar& cal = shipped();
  CHECK(cal.add_working_days(D("2025-09-30"), 0) == D("2025-09-30"));
  CHECK(cal.add_working_days(D("2025-10-01"), 0) == D("2025-10-01"));  // a holiday stays put
  CHECK(cal.add_working_days(D("2025-03-07"), 1) == D("2025-03-10"));  // Friday -> Monday
  CHECK(cal.add_working_days(D("2025-03-08"), 1) == D("2025-03-10"));  // Saturday -> Monday
  // National Day 2025: 10-01..10-08 off, 10-11 (Saturday) a make-up day.
  CHECK(cal.add_working_days(D("2025-09-30"), 1) == D("2025-10-09"));
  CHECK(cal.add_working_days(D("2025-09-30"), 3) == D("2025-10-11"));
  // 10-09 Thu (1), 10-10 Fri (2), 10-11 Sat make-up (3), 10-13 Mon (4), 10-14 Tue (5).
  CHECK(cal.add_working_days(D("2025-09-30"), 5) == D("2025-10-14"));
  // A §42 20-day limit accepted Monday 2025-09-15: 9-16..19 (4), 9-22..26 (9), 9-28 Sun
  // make-up (10), 9-29, 9-30 (12), 10-09, 10-10 (14), 10-11 (15), 10-13..17 (20).
  CHECK(cal.add_working_days(D("2025-09-15"), 20) == D("2025-10-17"));
  // Spring Festival 2025: 01-28..02-04 off.
  CHECK(cal.add_working_days(D("2025-01-27"), 1) == D("2025-02-05"));
  // Across New Year 2023 (run 2022-12-31..2023-01-02): Friday 2022-12-30 -> Tuesday.
  CHECK(cal.add_working_days(D("2022-12-30"), 1) == D("2023-01-03"));
  // The last working days loaded: Thursday 2026-12-31.
  CHECK(cal.add_working_days(D("2026-12-25"), 4) == D("2026-12-31"));
  CHECK(cal.add_working_days(D("2026-12-31"), 0) == D("2026-12-31"));
}

TEST_CASE("Calendar: working_days_between, known answers") {
  const Calendar& cal = shipped();
  CHECK(cal.working_days_between(D("2025-09-30"), D("2025-10-14")) == 5);
  CHECK(cal.working_days_between(D("2025-09-30"), D("2025-10-08")) == 0);
  CHECK(cal.working_days_between(D("2025-09-27"), D("2025-09-28")) == 1);  // Sunday make-up
  CHECK(cal.working_days_between(D("2025-03-07"), D("2025-03-10")) == 1);
  CHECK(cal.working_days_between(D("2025-03-10"), D("2025-03-10")) == 0);
  CHECK(cal.working_days_between(D("2025-03-10"), D("2025-03-07")) == 0);  // b < a
  CHECK(cal.working_days_between(D("2025-09-15"), D("2025-10-17")) == 20);
}

TEST_CASE("Calendar: between(d, add(d, n)) == n over the whole range") {
  const Calendar& cal = shipped();
  int checked = 0;
  for (Date d = D("2020-01-01"); d <= D("2025-12-31"); d = d + 1) {
    Date previous = d;
    for (int n = 0; n <= 60; ++n) {
      const Date end = cal.add_working_days(d, n);
      const bool ok = cal.working_days_between(d, end) == n && (n == 0 || cal.is_working_day(end)) &&
                      (n == 0 ? end == d : end > previous);
      if (!ok) {
        FAIL_CHECK("identity broken from " << d.to_string() << " with n = " << n << ": "
                                           << end.to_string());
        return;
      }
      previous = end;
      ++checked;
    }
  }
  CHECK(checked == 2192 * 61);  // 2020-01-01..2025-12-31 is 2192 days
}

TEST_CASE("Calendar: working_days_between agrees with counting day by day") {
  const Calendar& cal = shipped();
  for (Date a = D("2020-01-01"); a <= D("2026-12-31"); a = a + 37) {
    int count = 0;
    for (Date b = a; b <= D("2026-12-31") && b <= a + 400; b = b + 1) {
      if (b > a && cal.is_working_day(b)) ++count;
      if (cal.working_days_between(a, b) != count) {
        FAIL_CHECK("between(" << a.to_string() << ", " << b.to_string() << ") != " << count);
        return;
      }
    }
  }
}

TEST_CASE("Calendar: dates outside the loaded years name the year") {
  const Calendar& cal = shipped();
  // Past the last provisional year there is still no fallback.
  const Error e = error_of([&] { (void)cal.is_working_day(D("2036-01-02")); });
  CHECK(e.code() == ErrorCode::calendar_no_data);
  CHECK(std::string(e.what()) == "no working-day calendar for 2036 (loaded: 2020–2035)");
  CHECK(std::string(error_of([&] { (void)cal.is_working_day(D("2019-12-31")); }).what()) ==
        "no working-day calendar for 2019 (loaded: 2020–2035)");
  // The walk off the end names the first missing year: from Tuesday 2035-12-25, 12-26 (1),
  // 12-27 (2), 12-28 (3), Monday 12-31 (4), then 2036.
  CHECK(cal.add_working_days(D("2035-12-25"), 4) == D("2035-12-31"));
  const Error walk = error_of([&] { (void)cal.add_working_days(D("2035-12-25"), 5); });
  CHECK(walk.code() == ErrorCode::calendar_no_data);
  CHECK(std::string(walk.what()) == "no working-day calendar for 2036 (loaded: 2020–2035)");
  CHECK(error_of([&] { (void)cal.add_working_days(D("2036-03-01"), 0); }).code() ==
        ErrorCode::calendar_no_data);
  const Error between = error_of([&] { (void)cal.working_days_between(D("2025-01-01"), D("2037-01-01")); });
  CHECK(std::string(between.what()) == "no working-day calendar for 2037 (loaded: 2020–2035)");
  // Both ends are checked even when b <= a.
  CHECK(error_of([&] { (void)cal.working_days_between(D("2025-01-01"), D("2019-06-01")); }).code() ==
        ErrorCode::calendar_no_data);
}

TEST_CASE("Calendar: a negative count is invalid_argument") {
  const Error e = error_of([] { (void)shipped().add_working_days(D("2025-06-03"), -1); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()) == "cannot add -1 working days: the count must not be negative");
}

TEST_CASE("Calendar: copies share the data") {
  const Calendar copy = shipped();
  CHECK(copy.first_year() == 2020);
  CHECK(copy.add_working_days(D("2025-09-30"), 1) == D("2025-10-09"));
  CHECK(&copy.years() == &shipped().years());
}

TEST_CASE("Calendar: from_years builds and validates years in memory") {
  CalendarYear y2025;
  y2025.year = 2025;
  y2025.source = "test";
  y2025.holidays = {{"国庆节、中秋节", D("2025-10-01"), D("2025-10-08")}};
  y2025.makeup_workdays = {D("2025-10-11")};
  const Calendar cal = Calendar::from_years({y2025});
  CHECK(cal.first_year() == 2025);
  CHECK(cal.last_year() == 2025);
  CHECK(cal.add_working_days(D("2025-09-30"), 3) == D("2025-10-11"));
  CHECK(std::string(error_of([&] { (void)cal.is_working_day(D("2024-12-31")); }).what()) ==
        "no working-day calendar for 2024 (loaded: 2025)");

  CalendarYear bad = y2025;
  bad.makeup_workdays = {D("2025-10-13"), D("2025-10-04")};  // a Monday; inside the run
  CalendarYear y2027 = y2025;
  y2027.year = 2027;
  y2027.holidays.clear();
  y2027.makeup_workdays.clear();
  const Error e = error_of([&] { (void)Calendar::from_years({bad, y2027}); });
  CHECK(e.code() == ErrorCode::calendar_invalid);
  std::vector<std::string> got;
  for (const auto& d : e.diagnostics()) got.push_back(d.to_string());
  CHECK(got == Lines{
                   "<memory>: years[0].makeup_workdays[0]: make-up workday 2025-10-13 is a Monday, not a "
                   "Saturday or Sunday",
                   "<memory>: years[0].makeup_workdays[1]: make-up workday 2025-10-04 is inside the holiday "
                   "run 国庆节、中秋节 (2025-10-01..2025-10-08)",
                   "<memory>: years[1].year: year 2026 is missing between 2025 and 2027",
               });
  CHECK(error_of([] { (void)Calendar::from_years({}); }).code() == ErrorCode::calendar_invalid);

  // A typo'd year is reported once, not also as a gap of a century.
  CalendarYear typo = y2027;
  typo.year = 1800;
  const Error range = error_of([&] { (void)Calendar::from_years({typo, y2025}); });
  REQUIRE(range.diagnostics().size() == 1);
  CHECK(range.diagnostics()[0].to_string() == "<memory>: years[0].year: year 1800 is out of range (1900–2999)");
}

TEST_CASE("Calendar: bad calendar files, every diagnostic with its place") {
  const std::string f = fixtures;
  SUBCASE("YAML syntax error") {
    CHECK(diagnostics_of("syntax") == Lines{f + "syntax/2025.yaml:3:11: invalid YAML: illegal map value"});
  }
  SUBCASE("make-up workday on a weekday") {
    CHECK(diagnostics_of("weekday-makeup") ==
          Lines{f + "weekday-makeup/2025.yaml:9:5: makeup_workdays[1]: make-up workday 2025-01-27 is a "
                    "Monday, not a Saturday or Sunday"});
  }
  SUBCASE("unknown keys") {
    CHECK(diagnostics_of("unknown-key") ==
          Lines{f + "unknown-key/2025.yaml:7:5: holidays[0].days: unknown key 'days' (expected name, from, to)",
                f + "unknown-key/2025.yaml:9:1: note: unknown key 'note' (expected year, source, holidays, "
                    "makeup_workdays, provisional)"});
  }
  SUBCASE("from after to") {
    CHECK(diagnostics_of("from-after-to") ==
          Lines{f + "from-after-to/2025.yaml:5:11: holidays[0].from: from 2025-02-04 is after to 2025-01-28"});
  }
  SUBCASE("dates outside the file's year, year not matching the file name") {
    CHECK(diagnostics_of("year-mismatch") ==
          Lines{f + "year-mismatch/2025.yaml:5:11: holidays[0]: holiday run 2024-10-01..2024-10-07 is not in 2025",
                f + "year-mismatch/2025.yaml:8:5: makeup_workdays[0]: make-up workday 2024-09-29 is not in 2025",
                f + "year-mismatch/2026.yaml:1:7: year: year 2024 does not match the file name 2026.yaml"});
  }
  SUBCASE("a gap between years") {
    CHECK(diagnostics_of("gap") ==
          Lines{f + "gap/2023.yaml:1:7: year: year 2022 is missing between 2021 and 2023"});
  }
  SUBCASE("the same year twice") {
    CHECK(diagnostics_of("duplicate-year") ==
          Lines{f + "duplicate-year/b.yaml:1:7: year: year 2025 is already defined in " + f +
                "duplicate-year/a.yaml"});
  }
  SUBCASE("make-up workday inside a holiday run") {
    CHECK(diagnostics_of("makeup-in-run") ==
          Lines{f + "makeup-in-run/2025.yaml:5:19: makeup_workdays[0]: make-up workday 2025-02-01 is inside the "
                    "holiday run 春节 (2025-01-28..2025-02-04)"});
  }
  SUBCASE("make-up workday inside the next year's run") {
    CHECK(diagnostics_of("spill") ==
          Lines{f + "spill/2022.yaml:4:19: makeup_workdays[0]: make-up workday 2022-12-31 is inside the holiday "
                    "run 元旦 (2022-12-31..2023-01-02) of 2023"});
  }
  SUBCASE("missing key") {
    CHECK(diagnostics_of("missing-key") ==
          Lines{f + "missing-key/2025.yaml:1:1: source: missing required key 'source'"});
  }
  SUBCASE("malformed dates") {
    CHECK(diagnostics_of("bad-date") ==
          Lines{f + "bad-date/2025.yaml:4:12: holidays[0].from: '2025-2-1' is not a date in the form YYYY-MM-DD",
                f + "bad-date/2025.yaml:4:26: holidays[0].to: '2025-02-30' is not a calendar date"});
  }
  SUBCASE("all problems of a file in one pass, in line order") {
    CHECK(diagnostics_of("many-problems") ==
          Lines{f + "many-problems/2025.yaml:2:9: source: the source notice is empty",
                f + "many-problems/2025.yaml:4:5: holidays[0].to: missing required key 'to'",
                f + "many-problems/2025.yaml:7:11: holidays[1].from: from 2025-04-06 is after to 2025-04-04",
                f + "many-problems/2025.yaml:10:5: makeup_workdays[0]: make-up workday 2025-01-27 is a Monday, "
                    "not a Saturday or Sunday",
                f + "many-problems/2025.yaml:12:5: makeup_workdays[2]: make-up workday 2025-01-26 is listed twice"});
  }
  SUBCASE("make-up days in a provisional year") {
    CHECK(diagnostics_of("provisional-makeup") ==
          Lines{f + "provisional-makeup/2027.yaml:7:5: makeup_workdays[0]: a provisional year has no make-up "
                    "working days: those come only with the State Council's notice"});
  }
  SUBCASE("provisional not a boolean") {
    CHECK(diagnostics_of("provisional-not-bool") ==
          Lines{f + "provisional-not-bool/2027.yaml:2:14: provisional: '1' is not a boolean (true or false)"});
  }
  SUBCASE("a second YAML document") {
    CHECK(diagnostics_of("second-document") ==
          Lines{f + "second-document/2025.yaml:7:1: a second YAML document: a calendar file holds one year, in "
                    "one document"});
  }
  SUBCASE("entries that are not regular files: a symlink to /dev/zero, a dangling symlink") {
    CHECK(diagnostics_of("not-regular") ==
          Lines{f + "not-regular/2026.yaml: cannot read '2026.yaml': it is a symbolic link to '/dev/zero', "
                    "which is not a regular file",
                f + "not-regular/2027.yaml: cannot read '2027.yaml': it is a dangling symbolic link (to "
                    "'2099.yaml')"});
  }
  SUBCASE("no year files") {
    CHECK(diagnostics_of("no-year-files") ==
          Lines{f + "no-year-files: no calendar files (*.yaml) in the directory"});
  }
}

TEST_CASE("Calendar: the error message carries a summary and every diagnostic") {
  const Error e = error_of([] { (void)Calendar::load(fixtures + "unknown-key"); });
  CHECK(std::string(e.what()) ==
        "invalid working-day calendar " + fixtures + "unknown-key: 2 problems\n" + fixtures +
            "unknown-key/2025.yaml:7:5: holidays[0].days: unknown key 'days' (expected name, from, to)\n" +
            fixtures + "unknown-key/2025.yaml:9:1: note: unknown key 'note' (expected year, source, holidays, "
                       "makeup_workdays, provisional)");
}

TEST_CASE("Calendar: a FIFO among the calendar files is refused, not read") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("workflow-calendar-fifo-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(fixtures + "not-regular/2025.yaml", dir / "2025.yaml");
  REQUIRE(::mkfifo((dir / "2026.yaml").c_str(), 0600) == 0);
  // Reading the FIFO would block forever: the load must fail at once, naming it.
  const Error e = error_of([&] { (void)Calendar::load(dir); });
  fs::remove_all(dir);
  CHECK(e.code() == ErrorCode::calendar_invalid);
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].to_string() ==
        (dir / "2026.yaml").string() + ": cannot read '2026.yaml': it is a FIFO, not a regular file");
}

TEST_CASE("Calendar: a file holding only a comma is refused at once, not read as documents") {
  // Found by the calendar fuzz target (docs/fuzzing.md): yaml-cpp's LoadAll, which looked for
  // a second document, took gigabytes on ",". A second document is now found by scanning.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("workflow-calendar-comma-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "2026.yaml") << ",";
  const Error e = error_of([&] { (void)Calendar::load(dir); });
  std::ofstream(dir / "2026.yaml") << "year: 2026\n--- {year: 2027}\n";
  const Error second = error_of([&] { (void)Calendar::load(dir); });
  fs::remove_all(dir);
  CHECK(e.code() == ErrorCode::calendar_invalid);
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].to_string() == (dir / "2026.yaml").string() +
                                              ": expected a mapping with the keys year, source, "
                                              "holidays and makeup_workdays");
  REQUIRE(second.diagnostics().size() == 1);
  CHECK(second.diagnostics()[0].to_string() ==
        (dir / "2026.yaml").string() +
            ":2:5: a second YAML document: a calendar file holds one year, in one document");
}

TEST_CASE("Calendar: an unreadable directory is io_error naming it") {
  const Error missing = error_of([] { (void)Calendar::load(fixtures + "no-such-dir"); });
  CHECK(missing.code() == ErrorCode::io_error);
  CHECK(std::string(missing.what()) == "calendar directory '" + fixtures + "no-such-dir' does not exist");
  const Error file = error_of([] { (void)Calendar::load(fixtures + "gap/2021.yaml"); });
  CHECK(file.code() == ErrorCode::io_error);
  CHECK(std::string(file.what()) == "'" + fixtures + "gap/2021.yaml' is not a directory");
}
