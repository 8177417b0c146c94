// workflow::Date: parsing, formatting, weekdays and calendar-day arithmetic. Expected values
// are worked out by hand (day numbers count from 1970-01-01), never computed with Date.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "workflow/date.hpp"
#include "error_of.hpp"
#include "workflow/error.hpp"

using workflow::testing::error_of;
using workflow::Date;
using workflow::Error;
using workflow::ErrorCode;

namespace {

// The error `f` throws; fails the test if it throws none.
}  // namespace

TEST_CASE("Date: parse and to_string round-trip") {
  for (const char* text : {"1970-01-01", "2000-02-29", "2024-02-29", "2025-01-01", "2025-12-31",
                           "1999-12-31", "2026-10-10", "0001-01-01", "9999-12-31"}) {
    CAPTURE(text);
    CHECK(Date::parse(text).to_string() == text);
  }
}

TEST_CASE("Date: to_string writes every day as YYYY-MM-DD, years beyond 0-9999 as before") {
  // The reference is the fmt pattern to_string used before it wrote the digits itself; the
  // calendar fields come from the standard library, not from Date.
  using namespace std::chrono;
  for (int n = Date::parse("1900-01-01").day_number(); n <= Date::parse("2100-12-31").day_number(); ++n) {
    const year_month_day ymd{sys_days{days{n}}};
    const std::string expected =
        fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    if (Date::from_day_number(n).to_string() != expected) {
      FAIL_CHECK(n << ": " << Date::from_day_number(n).to_string() << " != " << expected);
      break;
    }
  }
  CHECK(Date::from_ymd(2026, 12, 1).to_string() == "2026-12-01");  // today's, as written
  CHECK(Date::from_ymd(2027, 1, 4).to_string() == "2027-01-04");
  CHECK(Date::from_ymd(0, 1, 1).to_string() == "0000-01-01");
  CHECK(Date::from_ymd(-1, 12, 31).to_string() == "-001-12-31");
  CHECK(Date::from_ymd(10000, 1, 1).to_string() == "10000-01-01");
}

TEST_CASE("Date: day numbers count from 1970-01-01") {
  CHECK(Date{}.to_string() == "1970-01-01");
  CHECK(Date::parse("1970-01-01").day_number() == 0);
  CHECK(Date::parse("1969-12-31").day_number() == -1);
  CHECK(Date::parse("1970-02-01").day_number() == 31);
  // 30 years, 7 of them leap (1972 ... 1996): 30 * 365 + 7.
  CHECK(Date::parse("2000-01-01").day_number() == 10957);
  // 55 years, 14 leap (1972 ... 2024): 55 * 365 + 14.
  CHECK(Date::parse("2025-01-01").day_number() == 20089);
  CHECK(Date::from_day_number(20089).to_string() == "2025-01-01");
  CHECK(Date::from_ymd(2025, 1, 1) == Date::parse("2025-01-01"));
}

TEST_CASE("Date: year, month and day") {
  const Date d = Date::parse("2024-02-29");
  CHECK(d.year() == 2024);
  CHECK(d.month() == 2);
  CHECK(d.day() == 29);
  const Date e = Date::from_ymd(1969, 12, 31);
  CHECK(e.year() == 1969);
  CHECK(e.month() == 12);
  CHECK(e.day() == 31);
}

TEST_CASE("Date: ISO weekday of known dates") {
  CHECK(Date::parse("1970-01-01").iso_weekday() == 4);  // Thursday
  CHECK(Date::parse("2000-02-29").iso_weekday() == 2);  // Tuesday
  CHECK(Date::parse("2025-01-01").iso_weekday() == 3);  // Wednesday (notice: 1月1日（周三）)
  CHECK(Date::parse("2025-01-26").iso_weekday() == 7);  // Sunday (notice: 1月26日（周日）)
  CHECK(Date::parse("2025-10-11").iso_weekday() == 6);  // Saturday (notice: 10月11日（周六）)
  CHECK(Date::parse("2026-02-23").iso_weekday() == 1);  // Monday (notice: 23日（…周一）)
  CHECK(Date::parse("2025-10-11").is_weekend());
  CHECK(Date::parse("2025-01-26").is_weekend());
  CHECK_FALSE(Date::parse("2025-10-10").is_weekend());  // Friday
  CHECK_FALSE(Date::parse("2025-10-13").is_weekend());  // Monday
}

TEST_CASE("Date: malformed text is invalid_argument naming the text") {
  struct Bad {
    const char* text;
    const char* message;
  };
  const Bad cases[] = {
      {"2025-2-1", "'2025-2-1' is not a date in the form YYYY-MM-DD"},
      {"abc", "'abc' is not a date in the form YYYY-MM-DD"},
      {"", "'' is not a date in the form YYYY-MM-DD"},
      {"2025/01/01", "'2025/01/01' is not a date in the form YYYY-MM-DD"},
      {" 2025-01-01", "' 2025-01-01' is not a date in the form YYYY-MM-DD"},
      {"2025-01-01 ", "'2025-01-01 ' is not a date in the form YYYY-MM-DD"},
      {"+025-01-01", "'+025-01-01' is not a date in the form YYYY-MM-DD"},
      {"2025-02-30", "'2025-02-30' is not a calendar date"},
      {"2025-02-29", "'2025-02-29' is not a calendar date"},  // 2025 is not a leap year
      {"1900-02-29", "'1900-02-29' is not a calendar date"},  // century, not divisible by 400
      {"2025-13-01", "'2025-13-01' is not a calendar date"},
      {"2025-00-10", "'2025-00-10' is not a calendar date"},
      {"2025-04-31", "'2025-04-31' is not a calendar date"},
      {"2025-01-00", "'2025-01-00' is not a calendar date"},
  };
  for (const Bad& bad : cases) {
    CAPTURE(bad.text);
    const Error e = error_of([&] { (void)Date::parse(bad.text); });
    CHECK(e.code() == ErrorCode::invalid_argument);
    CHECK(std::string(e.what()) == bad.message);
  }
}

TEST_CASE("Date: from_ymd rejects impossible triples") {
  CHECK(Date::from_ymd(2024, 2, 29).to_string() == "2024-02-29");
  CHECK(Date::from_ymd(2000, 2, 29).to_string() == "2000-02-29");
  const Error e = error_of([] { (void)Date::from_ymd(2025, 2, 29); });
  CHECK(e.code() == ErrorCode::invalid_argument);
  CHECK(std::string(e.what()) == "2025-02-29 is not a calendar date");
  CHECK_THROWS_AS((void)Date::from_ymd(2025, 13, 1), Error);
  CHECK_THROWS_AS((void)Date::from_ymd(2025, 0, 1), Error);
  CHECK_THROWS_AS((void)Date::from_ymd(2025, 6, 31), Error);
  CHECK_THROWS_AS((void)Date::from_ymd(2025, 1, 0), Error);
  CHECK_THROWS_AS((void)Date::from_ymd(2025, -1, 1), Error);
}

TEST_CASE("Date: calendar-day arithmetic and ordering") {
  const Date feb28 = Date::parse("2024-02-28");
  CHECK((feb28 + 1).to_string() == "2024-02-29");
  CHECK((feb28 + 2).to_string() == "2024-03-01");
  CHECK((Date::parse("2025-02-28") + 1).to_string() == "2025-03-01");
  CHECK((Date::parse("2025-12-31") + 1).to_string() == "2026-01-01");
  CHECK((Date::parse("2026-01-01") - 1).to_string() == "2025-12-31");
  CHECK((Date::parse("2025-03-01") - 1).to_string() == "2025-02-28");
  CHECK(Date::parse("2026-01-01") - Date::parse("2025-01-01") == 365);
  CHECK(Date::parse("2025-01-01") - Date::parse("2024-01-01") == 366);
  CHECK(Date::parse("2025-01-01") - Date::parse("2026-01-01") == -365);
  CHECK((Date::parse("2025-01-01") + 365).to_string() == "2026-01-01");
  CHECK(Date::parse("2025-01-01") < Date::parse("2025-01-02"));
  CHECK(Date::parse("2025-12-31") < Date::parse("2026-01-01"));
  CHECK(Date::parse("2025-06-01") == Date::from_ymd(2025, 6, 1));
  CHECK(Date::parse("2025-06-01") != Date::parse("2025-06-02"));
}
