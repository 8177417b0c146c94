// What the parts of the demo hall (simulation.hpp) share: the one random generator and its
// draws, the counts the run reports, the status board, and the day's agenda of timed tasks.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "workflow/engine.hpp"

namespace workflow::cli::sim {

using Rng = std::mt19937;

inline int uniform(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
inline bool chance(Rng& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

// A minute of the working day an applicant arrives: half-hour slots of 08:30–12:00 and
// 14:30–17:30, with the morning peak (09:00–10:00).
inline int arrival_minute(Rng& rng) {
  static constexpr std::array<int, 13> start = {510, 540, 570, 600, 630, 660, 690,
                                                870, 900, 930, 960, 990, 1020};
  static constexpr std::array<double, 13> weight = {6, 10, 10, 8, 6, 4, 2, 4, 5, 5, 4, 3, 1};
  std::discrete_distribution<int> slot(weight.begin(), weight.end());
  return start[slot(rng)] + uniform(rng, 0, 29);
}

// One thing that happens at `minute` of the simulated day; ties run in the order added.
struct Task {
  int minute;
  int order;
  std::function<void()> run;
};

// The day's tasks, run in time order once every part of the hall has added its own.
class Agenda {
 public:
  void add(int minute, std::function<void()> run) {
    tasks_.push_back({minute, int(tasks_.size()), std::move(run)});
  }
  std::vector<Task>& tasks() { return tasks_; }

 private:
  std::vector<Task> tasks_;
};

// The hall model's shared state as the desks (back office, bundles, ratings) see it.
struct Desk {
  Engine& engine;
  Rng& rng;
  std::map<std::string, int>& counts;              // what the run did, by key
  std::function<bool(const std::string&)> away;    // the status board: is this staff away now
};

}  // namespace workflow::cli::sim
