// A civil calendar date (no time of day, no time zone): the unit of every time limit.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "workflow/export.hpp"

namespace workflow {

// A proleptic Gregorian date stored as a day number (days since 1970-01-01), so it is
// 4 bytes, trivially copyable and cheap to compare. A value type: safe to share between
// threads like an int.
class WORKFLOW_EXPORT Date {
 public:
  // 1970-01-01.
  constexpr Date() noexcept = default;

  // Throws Error(invalid_argument) if the triple is not a real date (e.g. 2025-02-29).
  static Date from_ymd(int year, int month, int day);
  // Parses exactly "YYYY-MM-DD"; throws Error(invalid_argument) naming the text otherwise.
  static Date parse(std::string_view iso);
  static constexpr Date from_day_number(std::int32_t days_since_epoch) noexcept {
    Date d;
    d.days_ = days_since_epoch;
    return d;
  }

  constexpr std::int32_t day_number() const noexcept { return days_; }
  int year() const noexcept;
  int month() const noexcept;  // 1..12
  int day() const noexcept;    // 1..31
  // ISO weekday: 1 = Monday ... 7 = Sunday.
  int iso_weekday() const noexcept;
  bool is_weekend() const noexcept { return iso_weekday() >= 6; }

  // "YYYY-MM-DD".
  std::string to_string() const;

  // Calendar-day arithmetic (not working days: see Calendar for those).
  constexpr Date operator+(std::int32_t days) const noexcept { return from_day_number(days_ + days); }
  constexpr Date operator-(std::int32_t days) const noexcept { return from_day_number(days_ - days); }
  constexpr std::int32_t operator-(Date other) const noexcept { return days_ - other.days_; }
  constexpr auto operator<=>(const Date&) const noexcept = default;

 private:
  std::int32_t days_ = 0;
};

}  // namespace workflow
