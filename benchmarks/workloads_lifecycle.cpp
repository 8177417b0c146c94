// lifecycle-mem: committed cases (承诺件) of the shipped rules through the whole path —
// submit → accept → review_pass (初审, then each back-office stage) → approve → issue — on the
// default in-memory store, with the real rules, calendar deadlines, light timers and routing.
// One thread, so the rate is one core's. Baseline: the switch machine walking the same path.
#include <fmt/format.h>

#include "drive.hpp"
#include "open_store.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

// Cases in flight at once: enough that timers of many open cases sit in the queue, as in a
// hall, and that a case's commands are spread over an afternoon of hall time.
constexpr int kWindow = 1024;

// The switch machine over the same path; the fastest of a few runs, because one run takes
// only milliseconds and a single sample would mostly measure noise.
double switch_rate(const std::vector<Route>& routes, std::uint64_t n, std::uint64_t* transitions) {
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    SwitchExec exec;
    exec.machine.reserve(n);
    Stopwatch sw;
    drive_paths(exec, routes, 0, n, kWindow, 0, nullptr);
    const double s = sw.seconds();
    for (std::uint32_t h = 0; h < exec.machine.size(); ++h)
      if (exec.machine.at(h).phase != SwitchMachine::Phase::issued)
        throw std::runtime_error("switch machine: a case did not reach issued");
    *transitions = exec.transitions;
    best = std::max(best, static_cast<double>(exec.transitions) / s);
  }
  return best;
}

}  // namespace

Result run_lifecycle_mem(const Config& cfg, const HallData& hall) {
  const std::vector<Route> routes = discover_routes(hall, RouteFilter{});
  const std::uint64_t n = cfg.cases_for(200'000, 300);

  Result r;
  r.workload = "lifecycle-mem";
  r.variant = fmt::format("matters={} window={}", routes.size(), kWindow);
  {
    auto clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
    Engine engine(hall.rules, hall.calendar, clock);
    EngineExec exec{engine, *clock};
    reset_peak_rss();
    Progress progress("lifecycle-mem", n, cfg.progress);
    const std::int64_t cpu0 = thread_cpu_ns();
    Stopwatch sw;
    drive_paths(exec, routes, 0, n, kWindow, 0, &progress);
    r.seconds = sw.seconds();
    r.cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu0) * 1e-9;
    progress.finish();
    r.peak_rss = peak_rss_bytes();
    r.cases = n;
    r.commands = exec.commands;
    r.transitions = exec.transitions;
    r.latency = Latency::of(exec.latency, exec.latency_clock.ns_per_tick());
    // Outside the timed part: every case must have been issued; count what was recorded.
    for (CaseId id = 1; id <= n; ++id) {
      const CaseView v = engine.get(id);
      if (v.state != CaseState::issued)
        throw std::runtime_error(fmt::format("lifecycle-mem: case {} ended {}", id, to_string(v.state)));
      r.events += v.history.size();
    }
    r.extra.push_back({"hall_days_simulated",
                       static_cast<double>(clock->now().date() - hall_start().date())});
  }
  {
    // The same walk on a store that keeps nothing: the engine's own share of the cost (the
    // default store's history and snapshot maps are the rest).
    auto clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
    Options o;
    o.store = std::make_shared<NullStore>();
    Engine engine(hall.rules, hall.calendar, clock, std::move(o));
    EngineExec exec{engine, *clock};
    const std::int64_t cpu0 = thread_cpu_ns();
    Stopwatch sw;
    drive_paths(exec, routes, 0, n, kWindow, 0, nullptr);
    const double wall = sw.seconds(), cpu = static_cast<double>(thread_cpu_ns() - cpu0) * 1e-9;
    r.extra.push_back({"transitions_per_s_engine_only", static_cast<double>(exec.transitions) / wall});
    r.extra.push_back({"transitions_per_cpu_s_engine_only", static_cast<double>(exec.transitions) / cpu});
  }
  std::uint64_t switch_transitions = 0;
  const double base = switch_rate(routes, n, &switch_transitions);
  if (switch_transitions != r.transitions)
    throw std::runtime_error("lifecycle-mem: the switch machine walked a different path");
  r.baseline = "switch machine, same path";
  r.baseline_unit = "transitions/s";
  r.baseline_value = base;
  r.baseline_ratio = r.rate(r.transitions) / base;
  r.extra.push_back({"ns_per_transition", 1e9 / r.rate(r.transitions)});
  r.extra.push_back({"cpu_ns_per_transition", 1e9 / r.cpu_rate(r.transitions)});
  r.extra.push_back({"switch_ns_per_transition", 1e9 / base});
  r.extra.push_back({"events_per_case", static_cast<double>(r.events) / static_cast<double>(n)});
  return r;
}

}  // namespace bench
