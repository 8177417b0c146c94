// workflow::DateTime, ManualClock and SystemClock. Expected second counts are worked out by
// hand (days since 1970-01-01 times 86400 plus the time of day), not with the code under test.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "workflow/clock.hpp"
#include "workflow/error.hpp"

using workflow::Date;
using workflow::DateTime;
using workflow::Error;
using workflow::ErrorCode;
using workflow::ManualClock;
using workflow::SystemClock;

namespace {

// 2025-10-01 is day 20362 since 1970-01-01: 55 years of 365 days (20075) + 14 leap days
// (1972..2024) = 20089 to 2025-01-01, + 273 days of Jan..Sep 2025 (31+28+31+30+31+30+31+31+30).
constexpr std::int64_t kOct1 = 20362;

std::optional<Error> error_of(std::string_view text) {
  try {
    DateTime::parse(text);
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("Clock: DateTime::at counts seconds from 1970-01-01T00:00 local") {
  CHECK(DateTime::at(Date::from_ymd(1970, 1, 1)).seconds() == 0);
  CHECK(DateTime::at(Date::from_ymd(2025, 10, 1)).seconds() == kOct1 * 86400);
  CHECK(DateTime::at(Date::from_ymd(2025, 10, 1), 9, 30, 15).seconds() ==
        kOct1 * 86400 + 9 * 3600 + 30 * 60 + 15);
  CHECK(DateTime::at(Date::from_ymd(2025, 10, 1), 23, 59, 59).seconds() ==
        kOct1 * 86400 + 86399);
}

TEST_CASE("Clock: DateTime::at refuses a time of day out of range") {
  const Date day = Date::from_ymd(2025, 10, 1);
  for (auto [h, m, s] : std::vector<std::tuple<int, int, int>>{
           {24, 0, 0}, {-1, 0, 0}, {0, 60, 0}, {0, -1, 0}, {0, 0, 60}, {0, 0, -1}}) {
    CAPTURE(h);
    CAPTURE(m);
    CAPTURE(s);
    try {
      DateTime::at(day, h, m, s);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::invalid_argument);
    }
  }
}

TEST_CASE("Clock: DateTime::date and seconds_of_day split the count, also before 1970") {
  const DateTime t = DateTime::from_seconds(kOct1 * 86400 + 13 * 3600 + 5);
  CHECK(t.date() == Date::from_ymd(2025, 10, 1));
  CHECK(t.seconds_of_day() == 13 * 3600 + 5);

  // One second before the epoch is the last second of 1969-12-31, not a negative time of
  // day on 1970-01-01 (truncating division would say so).
  const DateTime before = DateTime::from_seconds(-1);
  CHECK(before.date() == Date::from_ymd(1969, 12, 31));
  CHECK(before.seconds_of_day() == 86399);
  CHECK(before.to_string() == "1969-12-31T23:59:59");
  CHECK(DateTime::from_seconds(-86400).to_string() == "1969-12-31T00:00:00");
}

TEST_CASE("Clock: DateTime::to_string writes every second of today and of next New Year's Eve") {
  // Against the fmt pattern to_string used before it wrote the digits itself; the time of
  // day is split here by hand, not by DateTime.
  for (const Date day : {Date::from_ymd(2026, 12, 1), Date::from_ymd(2026, 12, 31)}) {
    const std::int64_t midnight = std::int64_t{day.day_number()} * 86400;
    for (int s = 0; s < 86400; ++s) {
      const std::string expected =
          fmt::format("{}T{:02}:{:02}:{:02}", day.to_string(), s / 3600, s / 60 % 60, s % 60);
      const std::string got = DateTime::from_seconds(midnight + s).to_string();
      if (got != expected) {
        FAIL_CHECK(got << " != " << expected);
        break;
      }
    }
  }
  CHECK(DateTime::from_seconds(std::int64_t{Date::from_ymd(2027, 1, 1).day_number()} * 86400 - 1)
            .to_string() == "2026-12-31T23:59:59");
}

TEST_CASE("Clock: DateTime::parse accepts the three forms, with T or a space") {
  const std::int64_t oct1 = kOct1 * 86400;
  CHECK(DateTime::parse("2025-10-01").seconds() == oct1);
  CHECK(DateTime::parse("2025-10-01T08:30").seconds() == oct1 + 8 * 3600 + 30 * 60);
  CHECK(DateTime::parse("2025-10-01 08:30").seconds() == oct1 + 8 * 3600 + 30 * 60);
  CHECK(DateTime::parse("2025-10-01T08:30:45").seconds() == oct1 + 8 * 3600 + 30 * 60 + 45);
  CHECK(DateTime::parse("2025-10-01 23:59:59").seconds() == oct1 + 86399);
  CHECK(DateTime::parse("2024-02-29T12:00").date() == Date::from_ymd(2024, 2, 29));
}

TEST_CASE("Clock: DateTime::to_string and parse round-trip") {
  for (const char* text : {"2025-10-01T00:00:00", "2025-10-11T09:05:07", "2024-02-29T23:59:59",
                           "1970-01-01T00:00:00", "2026-12-31T12:00:00"}) {
    CAPTURE(text);
    CHECK(DateTime::parse(text).to_string() == text);
  }
  // Shorter forms come back in the full form.
  CHECK(DateTime::parse("2025-10-01").to_string() == "2025-10-01T00:00:00");
  CHECK(DateTime::parse("2025-10-01 08:30").to_string() == "2025-10-01T08:30:00");
  // And every second of a day survives the trip (spot-check a stride through one day).
  const DateTime day = DateTime::parse("2025-09-28");
  for (std::int64_t s = 0; s < 86400; s += 997) {
    const DateTime t = day.plus_seconds(s);
    CHECK(DateTime::parse(t.to_string()) == t);
  }
}

TEST_CASE("Clock: DateTime::parse refuses anything else, naming the text") {
  for (const char* text :
       {"", "2025", "2025-10-1", "2025/10/01", "2025-10-01T", "2025-10-01T8:30", "2025-10-01T08",
        "2025-10-01T08:30:", "2025-10-01T08:30:4", "2025-10-01t08:30", "2025-10-01_08:30",
        "2025-10-01T24:00", "2025-10-01T23:60", "2025-10-01T23:59:60", "2025-10-01T08-30",
        "2025-10-01T08:30-00", "2025-10-01T08:30Z", "2025-10-01T08:30:00Z",
        "2025-10-01T08:30:00+08:00", "2025-10-01T08:30:00.5", " 2025-10-01", "2025-10-01 ",
        "2025-02-29", "2025-13-01T00:00", "2025-10-01T0a:30", "2025-10-01T+8:30"}) {
    CAPTURE(text);
    const std::optional<Error> e = error_of(text);
    REQUIRE(e.has_value());
    CHECK(e->code() == ErrorCode::invalid_argument);
    CHECK(std::string(e->what()).find("'" + std::string(text) + "'") != std::string::npos);
  }
}

TEST_CASE("Clock: DateTime ordering and plus_seconds") {
  const DateTime a = DateTime::parse("2025-10-08T23:59:59");
  const DateTime b = a.plus_seconds(1);
  CHECK(a < b);
  CHECK(b == DateTime::parse("2025-10-09"));
  CHECK(b.plus_seconds(-1) == a);
}

TEST_CASE("Clock: ManualClock moves only when set, backwards too") {
  ManualClock clock(DateTime::parse("2025-09-30T09:00"));
  CHECK(clock.now() == DateTime::parse("2025-09-30T09:00"));
  CHECK(clock.now() == clock.now());
  clock.set(DateTime::parse("2025-10-09T08:00"));
  CHECK(clock.now() == DateTime::parse("2025-10-09T08:00"));
  clock.set(DateTime::parse("2025-09-01"));
  CHECK(clock.now() == DateTime::parse("2025-09-01"));
}

TEST_CASE("Clock: ManualClock is safe to read while another thread sets it") {
  ManualClock clock(DateTime::from_seconds(0));
  std::thread writer([&] {
    for (std::int64_t s = 1; s <= 100000; ++s) clock.set(DateTime::from_seconds(s));
  });
  std::int64_t last = 0;
  bool monotonic = true;
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t s = clock.now().seconds();
    monotonic = monotonic && s >= last;
    last = s;
  }
  writer.join();
  CHECK(monotonic);
  CHECK(clock.now().seconds() == 100000);
}

namespace {

std::int64_t utc_plus_8_now() {
  using namespace std::chrono;
  return floor<seconds>(system_clock::now().time_since_epoch()).count() + 8 * 3600;
}

// SystemClock must read UTC+8 from system_clock and never consult the time zone; compare
// with system_clock read just before and after.
void check_system_clock_is_utc_plus_8() {
  const SystemClock clock;
  const std::int64_t before = utc_plus_8_now();
  const std::int64_t now = clock.now().seconds();
  const std::int64_t after = utc_plus_8_now();
  CHECK(before <= now);
  CHECK(now <= after);
}

}  // namespace

TEST_CASE("Clock: SystemClock is China Standard Time (UTC+8) whatever the machine's TZ") {
  check_system_clock_is_utc_plus_8();

  // A machine set to another zone must not change the answer.
  const char* old = std::getenv("TZ");
  const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
  for (const char* tz : {"UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"}) {
    CAPTURE(tz);
    ::setenv("TZ", tz, 1);
    ::tzset();
    check_system_clock_is_utc_plus_8();
  }
  if (saved) {
    ::setenv("TZ", saved->c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();

  // And the local date agrees with a UTC+8 reading of time_t (independent of our arithmetic):
  // gmtime of (UTC + 8 h) is the civil time in Beijing.
  const std::time_t shifted = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  ::gmtime_r(&shifted, &tm);
  const DateTime now = SystemClock().now();
  const Date expected = Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  // Allow the one-in-86400 chance that midnight passed between the two readings.
  CHECK((now.date() == expected || now.date() == expected + 1));
}
