// The hall every workload runs in: the shipped 宁都县 rules and the official calendar, a
// clock that moves through working hours, and the "routes" of real matters (who acts at each
// step), discovered once by walking one case of each matter through a scratch engine exactly
// as the scenario tests do (Engine::get(id).holder, available_actions). The timed loops then
// replay those routes with prebuilt commands, so they measure the engine, not the harness.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workflow/engine.hpp"

namespace bench {

using namespace workflow;

// What the command line chose (bench_main.cpp).
struct Config {
  std::vector<std::string> benchmarks;
  std::optional<std::uint64_t> cases;  // --cases: overrides every workload's default
  bool smoke = false;
  bool reuse_db = false;
  bool progress = true;
  std::filesystem::path data_dir, rules_dir, calendar_dir;
  std::vector<int> threads{1, 2, 4, 8};
  int depth = 32;  // pipelined durable variant: commands in flight per client
  std::uint32_t seed = 1;
  // lifecycle-durable's store: "sqlite" (default) or "postgres", a fresh partition per run
  // in the database `conninfo` names (--conninfo; default $WORKFLOW_PG_CONNINFO).
  std::string store = "sqlite";
  std::string conninfo;

  // The case count of a workload: --cases if given, else the smoke or the full default.
  std::uint64_t cases_for(std::uint64_t full, std::uint64_t smoke_n) const {
    return cases ? *cases : smoke ? smoke_n : full;
  }
};

struct HallData {
  RuleSet rules;
  Calendar calendar;
};
HallData load_hall(const Config& cfg);

// The first day every workload starts on: a Monday with the whole calendar ahead of it.
inline DateTime hall_start() { return DateTime::at(Date::from_ymd(2025, 3, 3), 8, 30); }

// `t` plus `seconds` of opening hours (08:30-17:30 on working days): past closing time it
// jumps to 08:30 of the next working day, as a hall's work does.
DateTime working_time_after(const Calendar& cal, DateTime t, std::int64_t seconds);

// A clock the harness moves through working hours, safe for many client threads: ticks only
// ever move it forward (a CAS loop), so concurrent commands never see time go back.
class BenchClock final : public Clock {
 public:
  BenchClock(const Calendar& cal, DateTime start) : cal_(cal), now_(start.seconds()) {}
  DateTime now() const override { return DateTime::from_seconds(now_.load(std::memory_order_relaxed)); }
  DateTime tick(std::int64_t seconds);
  // Moves to `t` if it is later than now.
  void set(DateTime t);

 private:
  const Calendar& cal_;
  std::atomic<std::int64_t> now_;
};

// One step of a route after submission: the verb and the post whose holder gives it.
// `dynamic` steps go to a post the engine picks per case (a window chosen by case id under a
// window-forward delegation, a village agent's township window): the harness then asks
// Engine::get(id).holder, as a clerk would look the case up.
struct Step {
  Verb verb = Verb::accept;
  PostRef post{};
  bool dynamic = false;
  Action by_a, by_b;  // prebuilt: the A holder, and B for when A is away
};

// One matter handed in at one office, walked to `issued`.
struct Route {
  MatterRef matter{};
  MatterKind kind = MatterKind::committed;
  std::string code;
  std::string office;       // where it is handed in
  PostRef window{};         // the receiving post
  bool delegated = false;   // handed in at a township under a delegation
  bool village = false;     // handed in by a village agent
  int stages = 0;           // back-office stages of the matter
  int promised_limit = 0;
  Submission submission;    // every material, received by the A holder of `window`
  std::vector<Step> steps;  // accept ... issue
  // Materials for the mixed workload's incomplete applications.
  std::vector<std::string> required, tolerable;
};

struct RouteFilter {
  bool instant = false, committed = true, escalated = false, joint = false;
  bool delegated = false, village = false;  // also township (delegated) and village routes
};

// Every route the rules allow under the filter, in rule order. Throws if none is found.
std::vector<Route> discover_routes(const HallData& hall, const RouteFilter& filter);

// Keeps the status board as the harness set it (mark_away), to choose A or B without asking
// the engine. Same semantics as the engine's roster: away from `from` until `until`.
// Indexed by staff (dense refs): asked on every command, so a look-up is one load, not a
// tree walk.
class AwayBoard {
 public:
  bool away(StaffRef s, DateTime now) const {
    const std::size_t i = index_of(s);
    return i < away_.size() && away_[i].first <= now && now < away_[i].second;
  }
  void set(StaffRef s, DateTime from, DateTime until) {
    const std::size_t i = index_of(s);
    if (i >= away_.size()) away_.resize(i + 1);  // never away: an empty interval
    away_[i] = {from, until};
  }
  // True if marking `s` away over [from, until) leaves every post it holds with one holder.
  bool may_leave(const RuleSet& rules, StaffRef s, DateTime from, DateTime until) const;

 private:
  std::vector<std::pair<DateTime, DateTime>> away_;  // [from, until); default: empty
};

// The command a step gives now: A's unless the board says A is away.
inline const Action& action_for(const RuleSet& rules, const AwayBoard* board, const Step& s,
                                DateTime now) {
  if (board && board->away(rules.post(s.post).a, now)) return s.by_b;
  return s.by_a;
}

}  // namespace bench
