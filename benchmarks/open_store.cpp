// Opening many cases fast (open_store.hpp).
#include "open_store.hpp"

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "baselines.hpp"

namespace bench {

Opened open_cases(Engine& engine, BenchClock& clock, const std::vector<Route>& routes,
                  std::uint64_t n, int prefix, Progress* progress, int tick_every,
                  std::size_t max_in_flight) {
  std::mutex m;
  std::condition_variable cv;
  std::size_t in_flight = 0;
  std::exception_ptr error;
  auto done = [&](std::exception_ptr e) {
    std::lock_guard lock(m);
    if (e && !error) error = e;
    --in_flight;
    cv.notify_one();
  };
  Opened out;
  auto timed = [&](auto&& command) {
    if (++out.commands % static_cast<std::uint64_t>(tick_every) == 0) clock.tick(1);
    const std::int64_t t0 = now_ns();
    command();
    out.latency.record(now_ns() - t0);
  };
  Stopwatch sw;
  for (std::uint64_t k = 0; k < n; ++k) {
    const Route& r = routes[k % routes.size()];
    const int steps = std::min<int>(prefix, static_cast<int>(r.steps.size()));
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return in_flight + 1 + steps <= max_in_flight || error; });
      if (error) break;
      in_flight += 1 + static_cast<std::size_t>(steps);
    }
    // Ids are given in submission order (case.hpp), so the next commands need not wait for
    // the submission to be durable: the engine applies them in order at once.
    const CaseId id = k + 1;
    timed([&] {
      engine.submit_async(r.submission, [&, id](CaseId got, std::exception_ptr e) {
        if (!e && got != id)
          e = std::make_exception_ptr(std::runtime_error(fmt::format("expected case {}, got {}", id, got)));
        done(e);
      });
    });
    for (int s = 0; s < steps; ++s)
      timed([&] { engine.act_async(id, r.steps[s].verb, r.steps[s].by_a, done); });
    if (progress && k % 4096 == 0) progress->update(k);
  }
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return in_flight == 0; });
  out.seconds = sw.seconds();
  if (error) std::rethrow_exception(error);
  return out;
}

OpenStore ensure_open_store(const Config& cfg, const HallData& hall, std::uint64_t n, bool reuse) {
  std::filesystem::create_directories(cfg.data_dir);
  OpenStore out;
  out.path = cfg.data_dir / fmt::format("open-{}-{}.db", hall.rules.version().substr(0, 12), n);
  const auto marker = std::filesystem::path(out.path.string() + ".complete");
  if (reuse && std::filesystem::exists(marker) && std::filesystem::exists(out.path)) {
    std::ifstream in(marker);
    std::int64_t until = 0;
    if (in >> until) {
      out.opened_until = DateTime::from_seconds(until);
      return out;
    }
  }
  std::filesystem::remove(marker);
  remove_db(out.path);
  RouteFilter f;
  const std::vector<Route> routes = discover_routes(hall, f);
  auto clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
  {
    Options o;
    o.store = std::shared_ptr<CaseStore>(
        open_sqlite_store(out.path, SqliteOptions{.synchronous_full = false}));
    Engine engine(hall.rules, hall.calendar, clock, std::move(o));
    Progress progress("building the recovery store", n, cfg.progress);
    const Opened built = open_cases(engine, *clock, routes, n, 2, &progress);
    out.build_seconds = built.seconds;
  }  // the store closes here: everything written, the WAL checkpointed
  out.opened_until = clock->now();
  out.built = true;
  std::ofstream(marker) << out.opened_until.seconds() << "\n";
  return out;
}

}  // namespace bench
