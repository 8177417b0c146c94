#include "workflow/clock.hpp"

#include <chrono>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// China Standard Time is UTC+8 all year (no daylight saving since 1991), so hall-local
// time is a fixed offset from UTC and never depends on the machine's TZ setting.
constexpr std::int64_t kCstOffsetSeconds = 8 * 3600;

// Floor division: times before 1970 must still land on the right day (-1 s is 1969-12-31).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Two digits at `pos`, or -1 if either is not a digit.
int two_digits(std::string_view s, std::size_t pos) noexcept {
  if (!is_digit(s[pos]) || !is_digit(s[pos + 1])) return -1;
  return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
}

[[noreturn]] void bad_text(std::string_view text) {
  throw Error(ErrorCode::invalid_argument,
              fmt::format("'{}' is not a date-time in the form YYYY-MM-DD[THH:MM[:SS]]", text));
}

}  // namespace

DateTime DateTime::at(Date day, int hour, int minute, int second) {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("{:02}:{:02}:{:02} is not a time of day", hour, minute, second));
  }
  return from_seconds(std::int64_t{day.day_number()} * kSecondsPerDay + hour * 3600 +
                      minute * 60 + second);
}

DateTime DateTime::parse(std::string_view text) {
  // Accepted lengths: 10 (date), 16 (+ "THH:MM"), 19 (+ ":SS"). Checking the exact shape
  // first keeps "2025-1-5", trailing junk and time zone suffixes out: a hall timestamp is
  // always local, and an offset we silently dropped would shift the time by hours.
  const std::size_t n = text.size();
  if (n != 10 && n != 16 && n != 19) bad_text(text);
  Date day;
  try {
    day = Date::parse(text.substr(0, 10));
  } catch (const Error&) {
    bad_text(text);  // re-thrown naming the whole text, not just its date part
  }
  if (n == 10) return at(day);
  if (text[10] != 'T' && text[10] != ' ') bad_text(text);
  if (text[13] != ':') bad_text(text);
  const int hour = two_digits(text, 11);
  const int minute = two_digits(text, 14);
  int second = 0;
  if (n == 19) {
    if (text[16] != ':') bad_text(text);
    second = two_digits(text, 17);
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    bad_text(text);
  }
  return at(day, hour, minute, second);
}

Date DateTime::date() const noexcept {
  return Date::from_day_number(static_cast<std::int32_t>(floor_div(seconds_, kSecondsPerDay)));
}

int DateTime::seconds_of_day() const noexcept {
  return static_cast<int>(seconds_ - floor_div(seconds_, kSecondsPerDay) * kSecondsPerDay);
}

std::string DateTime::to_string() const {
  const int s = seconds_of_day();
  std::string out = date().to_string();  // digit by digit, as Date::to_string and for the same reason
  const auto two = [&](int v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  out += 'T';
  two(s / 3600);
  out += ':';
  two(s / 60 % 60);
  out += ':';
  two(s % 60);
  return out;
}

DateTime SystemClock::now() const {
  // system_clock counts UTC seconds since the Unix epoch (C++20 guarantees Unix time); the
  // local epoch we count from is 1970-01-01T00:00 CST, so local = UTC + 8 h. Sub-second
  // precision is floored: a timer due at second s fires only once s has fully begun.
  const auto since_epoch = std::chrono::floor<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return DateTime::from_seconds(since_epoch.count() + kCstOffsetSeconds);
}

}  // namespace workflow
