// Time as an input: a hall-local timestamp type and the clocks the engine reads.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "workflow/date.hpp"
#include "workflow/export.hpp"

namespace workflow {

// A moment in hall-local civil time (China Standard Time, UTC+8, no daylight saving), to
// the second, stored as seconds since 1970-01-01T00:00:00 local. A value type: safe to share
// between threads like an int.
class WORKFLOW_EXPORT DateTime {
 public:
  constexpr DateTime() noexcept = default;
  static constexpr DateTime from_seconds(std::int64_t s) noexcept {
    DateTime t;
    t.seconds_ = s;
    return t;
  }
  // Midnight at the start of `day` plus the given time of day. Throws
  // Error(invalid_argument) for an hour/minute/second out of range.
  static DateTime at(Date day, int hour = 0, int minute = 0, int second = 0);
  // "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a space may replace the T).
  // Throws Error(invalid_argument) naming the text otherwise.
  static DateTime parse(std::string_view text);

  constexpr std::int64_t seconds() const noexcept { return seconds_; }
  Date date() const noexcept;
  int seconds_of_day() const noexcept;
  // "YYYY-MM-DDTHH:MM:SS".
  std::string to_string() const;

  constexpr DateTime plus_seconds(std::int64_t s) const noexcept { return from_seconds(seconds_ + s); }
  constexpr auto operator<=>(const DateTime&) const noexcept = default;

 private:
  std::int64_t seconds_ = 0;
};

// What the engine asks for the current time. Implementations must be safe for concurrent
// access from multiple threads without any external synchronization.
class WORKFLOW_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  virtual DateTime now() const = 0;
};

// A clock that moves only when told: for tests, simulations and replays. Engine::advance_to
// moves it forward too. Safe for concurrent access from multiple threads.
class WORKFLOW_EXPORT ManualClock final : public Clock {
 public:
  explicit ManualClock(DateTime start) noexcept : now_(start.seconds()) {}
  DateTime now() const override { return DateTime::from_seconds(now_.load()); }
  // Sets the time; moving backwards is allowed here (the engine refuses to go back itself).
  void set(DateTime t) noexcept { now_.store(t.seconds()); }

 private:
  std::atomic<std::int64_t> now_;
};

// The wall clock in China Standard Time (UTC+8), whatever the machine's time zone.
// Safe for concurrent access from multiple threads.
class WORKFLOW_EXPORT SystemClock final : public Clock {
 public:
  DateTime now() const override;
};

}  // namespace workflow
