#include "workflow/date.hpp"

#include <chrono>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day civil(Date d) noexcept {
  return year_month_day{sys_days{std::chrono::days{d.day_number()}}};
}

bool all_digits(std::string_view s) noexcept {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int to_int(std::string_view s) noexcept {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

Date Date::from_ymd(int year, int month, int day) {
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (month < 1 || month > 12 || day < 1 || !ymd.ok()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("{:04}-{:02}-{:02} is not a calendar date", year, month, day));
  }
  return from_day_number(static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count()));
}

Date Date::parse(std::string_view iso) {
  const bool shaped = iso.size() == 10 && iso[4] == '-' && iso[7] == '-' &&
                      all_digits(iso.substr(0, 4)) && all_digits(iso.substr(5, 2)) &&
                      all_digits(iso.substr(8, 2));
  if (!shaped) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("'{}' is not a date in the form YYYY-MM-DD", iso));
  }
  const int y = to_int(iso.substr(0, 4));
  const int m = to_int(iso.substr(5, 2));
  const int d = to_int(iso.substr(8, 2));
  const year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                           std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("'{}' is not a calendar date", iso));
  }
  return from_day_number(static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count()));
}

int Date::year() const noexcept { return static_cast<int>(civil(*this).year()); }
int Date::month() const noexcept { return static_cast<int>(static_cast<unsigned>(civil(*this).month())); }
int Date::day() const noexcept { return static_cast<int>(static_cast<unsigned>(civil(*this).day())); }

int Date::iso_weekday() const noexcept {
  return static_cast<int>(
      std::chrono::weekday{sys_days{std::chrono::days{days_}}}.iso_encoding());
}

// Written digit by digit: events' reasons and details carry dates (a light's due days,
// a notice window's last day), and fmt's parsing of the pattern cost ~1,800 instructions a
// date where this takes a few dozen. Years outside 0-9999 keep fmt's form.
std::string Date::to_string() const {
  const year_month_day ymd = civil(*this);
  const int y = static_cast<int>(ymd.year());
  const auto m = static_cast<unsigned>(ymd.month());
  const auto d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) return fmt::format("{:04}-{:02}-{:02}", y, m, d);
  std::string out(10, '-');
  const auto digit = [](unsigned v) { return static_cast<char>('0' + v); };
  const auto year = static_cast<unsigned>(y);
  out[0] = digit(year / 1000);
  out[1] = digit(year / 100 % 10);
  out[2] = digit(year / 10 % 10);
  out[3] = digit(year % 10);
  out[5] = digit(m / 10);
  out[6] = digit(m % 10);
  out[8] = digit(d / 10);
  out[9] = digit(d % 10);
  return out;
}

}  // namespace workflow
