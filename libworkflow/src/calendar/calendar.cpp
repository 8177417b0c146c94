// Working-day queries over precomputed tables (see calendar_data.hpp). Loading and
// validation live in calendar_loader.cpp.
#include "workflow/calendar.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "calendar/calendar_data.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace detail {

std::shared_ptr<const CalendarData> build_calendar_data(std::vector<CalendarYear> years) {
  std::sort(years.begin(), years.end(),
            [](const CalendarYear& a, const CalendarYear& b) { return a.year < b.year; });
  auto data = std::make_shared<CalendarData>();
  data->first_year = years.front().year;
  data->last_year = years.back().year;
  data->first_day = Date::from_ymd(data->first_year, 1, 1).day_number();
  const std::int32_t end = Date::from_ymd(data->last_year, 12, 31).day_number() + 1;
  data->day_count = end - data->first_day;

  std::vector<std::uint8_t> working(static_cast<std::size_t>(data->day_count));
  for (std::int32_t i = 0; i < data->day_count; ++i) {
    working[static_cast<std::size_t>(i)] = Date::from_day_number(data->first_day + i).is_weekend() ? 0 : 1;
  }
  // A run may start in the year before its file's year (2023's 元旦 began 2022-12-31): clip
  // it to the loaded range, the days outside belong to no loaded year.
  for (const CalendarYear& y : years) {
    for (const CalendarYear::Holiday& h : y.holidays) {
      const std::int32_t from = std::max(h.first.day_number(), data->first_day);
      const std::int32_t to = std::min(h.last.day_number(), end - 1);
      for (std::int32_t d = from; d <= to; ++d) working[static_cast<std::size_t>(d - data->first_day)] = 0;
    }
  }
  // Make-up days are validated to lie inside their own year and outside every run.
  for (const CalendarYear& y : years) {
    for (Date d : y.makeup_workdays) working[static_cast<std::size_t>(d.day_number() - data->first_day)] = 1;
  }

  data->cum.resize(static_cast<std::size_t>(data->day_count) + 1);
  data->cum[0] = 0;
  for (std::int32_t i = 0; i < data->day_count; ++i) {
    const auto k = static_cast<std::size_t>(i);
    data->cum[k + 1] = data->cum[k] + working[k];
    if (working[k] != 0) data->workdays.push_back(i);
  }
  data->years = std::move(years);
  return data;
}

}  // namespace detail

namespace {

// Kept out of line so the query fast paths stay small.
[[noreturn]] [[gnu::noinline, gnu::cold]] void throw_no_data(const detail::CalendarData* data, int year) {
  if (data == nullptr) {
    // Only a moved-from Calendar has no data.
    throw Error(ErrorCode::calendar_no_data, fmt::format("no working-day calendar for {} (none loaded)", year));
  }
  const std::string loaded = data->first_year == data->last_year
                                 ? fmt::format("{}", data->first_year)
                                 : fmt::format("{}–{}", data->first_year, data->last_year);
  throw Error(ErrorCode::calendar_no_data,
              fmt::format("no working-day calendar for {} (loaded: {})", year, loaded));
}

// The offset of `date` from first_year-01-01, or calendar_no_data naming its year.
inline std::size_t offset_of(const detail::CalendarData* data, Date date) {
  if (data != nullptr) {
    const std::int32_t i = date.day_number() - data->first_day;
    if (i >= 0 && i < data->day_count) return static_cast<std::size_t>(i);
  }
  throw_no_data(data, date.year());
}

}  // namespace

Calendar::Calendar(std::shared_ptr<const detail::CalendarData> data) noexcept : data_(std::move(data)) {}

bool Calendar::is_working_day(Date date) const {
  const std::size_t i = offset_of(data_.get(), date);
  return data_->cum[i + 1] != data_->cum[i];
}

Date Calendar::add_working_days(Date start, int n) const {
  if (n < 0) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("cannot add {} working days: the count must not be negative", n));
  }
  const std::size_t i = offset_of(data_.get(), start);
  if (n == 0) return start;
  // cum[i + 1] working days lie on or before `start`, so the n-th one after it is the
  // (cum[i + 1] + n)-th overall, at 0-based index cum[i + 1] + n - 1.
  const std::int64_t k = std::int64_t{data_->cum[i + 1]} + n - 1;
  if (k >= static_cast<std::int64_t>(data_->workdays.size())) throw_no_data(data_.get(), data_->last_year + 1);
  return Date::from_day_number(data_->first_day + data_->workdays[static_cast<std::size_t>(k)]);
}

int Calendar::working_days_between(Date a, Date b) const {
  // Both dates are checked even when b <= a, as documented: a date outside the loaded
  // years is always a caller's mistake worth reporting.
  const std::size_t ia = offset_of(data_.get(), a);
  const std::size_t ib = offset_of(data_.get(), b);
  if (ib <= ia) return 0;
  return data_->cum[ib + 1] - data_->cum[ia + 1];
}

bool Calendar::is_provisional(int year) const noexcept {
  if (!data_ || year < data_->first_year || year > data_->last_year) return false;
  // The years are validated contiguous and sorted: year y is at index y - first_year.
  return data_->years[static_cast<std::size_t>(year - data_->first_year)].provisional;
}

bool Calendar::provisional_between(Date a, Date b) const noexcept {
  if (!data_) return false;
  const int from = std::max(std::min(a, b).year(), data_->first_year);
  const int to = std::min(std::max(a, b).year(), data_->last_year);
  for (int y = from; y <= to; ++y) {
    if (is_provisional(y)) return true;
  }
  return false;
}

int Calendar::first_year() const noexcept { return data_ ? data_->first_year : 0; }

int Calendar::last_year() const noexcept { return data_ ? data_->last_year : 0; }

const std::vector<CalendarYear>& Calendar::years() const noexcept {
  static const std::vector<CalendarYear> none;
  return data_ ? data_->years : none;
}

}  // namespace workflow
