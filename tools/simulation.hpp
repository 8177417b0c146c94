// The demo hall: a deterministic simulation of the county–township–village service halls of a
// rule set (the shipped 宁都县 set by default), driven through the public Engine API on a
// virtual clock. See docs/hall-demo.md for what it models.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include "workflow/engine.hpp"

namespace workflow::cli {

struct SimulationOptions {
  int days = 20;                                       // working days simulated
  std::uint32_t seed = 1;                              // std::mt19937 seed
  Date start = Date::from_ymd(2025, 12, 15);           // first day (moved to a working day)
};

// What the run did, counted by the simulation itself (the report recomputes from the store).
struct SimulationTally {
  int days = 0;
  Date first_day, last_day;
  std::map<std::string, int> counts;  // "submitted", "notify_missing", "tolerated", ...
  std::string first_refusal;          // the first command the engine refused, if any
};

// A library error on a simulated day: which day (its date, its number of `days`) and why.
struct SimulationFailed : std::runtime_error {
  SimulationFailed(Date day, int n, int days, const std::string& why)
      : std::runtime_error(why), day(day), n(n), days(days) {}
  Date day;
  int n;
  int days;
};

// Runs the simulation on `engine` (whose clock must be a ManualClock set before the start and
// passed here too). `progress(day, days)` is called after each simulated day. A workflow::Error
// on the way (e.g. a deadline past the calendar's last year) is thrown as SimulationFailed.
SimulationTally simulate_hall(Engine& engine, ManualClock& clock, const SimulationOptions& options,
                              const std::function<void(int, int)>& progress);

}  // namespace workflow::cli
