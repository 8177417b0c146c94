// The loop that walks cases along their routes, shared by the engine workloads and the
// switch-machine baseline so both walk exactly the same path in the same order: `window`
// cases in flight, each given one step per turn round-robin (as a hall has many cases open
// at once), a finished case replaced by a new one until `n` have been started.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "baselines.hpp"
#include "hall.hpp"
#include "measure.hpp"

namespace bench {

// `first` offsets the route choice (case k takes routes[(first + k) % size]) so client
// threads walk different matters; `prefix` > 0 stops each case after that many steps.
template <class Exec>
void drive_paths(Exec& exec, const std::vector<Route>& routes, std::uint64_t first,
                 std::uint64_t n, int window, int prefix, Progress* progress) {
  struct Slot {
    typename Exec::Handle handle{};
    const Route* route = nullptr;
    std::size_t step = 0, end = 0;
  };
  std::vector<Slot> slots(static_cast<std::size_t>(std::min<std::uint64_t>(window, n)));
  std::uint64_t started = 0, finished = 0;
  auto start = [&](Slot& s) {
    s.route = &routes[(first + started++) % routes.size()];
    s.step = 0;
    s.end = prefix > 0 ? std::min<std::size_t>(prefix, s.route->steps.size()) : s.route->steps.size();
    s.handle = exec.submit(*s.route);
  };
  for (Slot& s : slots) start(s);
  while (finished < n) {
    for (Slot& s : slots) {
      if (s.route == nullptr) continue;
      if (s.step == s.end) {
        ++finished;
        s.route = nullptr;
        if (started < n) start(s);
        continue;
      }
      exec.act(s.handle, *s.route, s.route->steps[s.step++]);
    }
    if (progress) progress->update(finished);
  }
}

// The engine as an executor: one tick of hall time per `tick_every` commands, every command
// timed (in `latency_clock`'s ticks: report with its ns_per_tick()). Dynamic steps look the
// holder up first (see Step).
struct EngineExec {
  using Handle = CaseId;
  Engine& engine;
  BenchClock& clock;
  int tick_every = 1;
  LatencyHistogram latency;
  LatencyClock latency_clock;
  std::uint64_t commands = 0, transitions = 0, lookups = 0;

  void tick() {
    if (++commands % static_cast<std::uint64_t>(tick_every) == 0) clock.tick(1);
  }
  CaseId submit(const Route& r) {
    tick();
    const std::int64_t t0 = latency_clock.ticks();
    const CaseId id = engine.submit(r.submission);
    latency.record(latency_clock.ticks() - t0);
    ++transitions;
    return id;
  }
  void act(CaseId id, const Route&, const Step& s) {
    tick();
    const std::int64_t t0 = latency_clock.ticks();
    if (s.dynamic) {
      Action a;
      a.actor = engine.get(id).holder;
      ++lookups;
      engine.act(id, s.verb, a);
    } else {
      engine.act(id, s.verb, s.by_a);
    }
    latency.record(latency_clock.ticks() - t0);
    ++transitions;
  }
};

// The hand-written switch machine as an executor: same route, same order, no engine.
struct SwitchExec {
  using Handle = std::uint32_t;
  SwitchMachine machine;
  std::uint64_t transitions = 0;

  std::uint32_t submit(const Route& r) {
    ++transitions;
    return machine.submit(r.kind, r.stages, true);
  }
  void act(std::uint32_t h, const Route& r, const Step& s) {
    if (!machine.act(h, s.verb))
      throw std::runtime_error(fmt::format("switch machine refused {} on {}", to_string(s.verb), r.code));
    ++transitions;
  }
};

}  // namespace bench
