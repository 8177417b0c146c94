// lifecycle-durable: the lifecycle-mem path on a durable store, every command acknowledged
// only once committed: the SQLite store (synchronous NORMAL and FULL) or, with
// --store=postgres, a PostgreSQL partition (synchronous_commit off and on); see durable.hpp.
// Client threads (1, 2, 4, 8) each call the blocking Engine::submit/act, so concurrent
// commands share the store's group commit. A pipelined variant keeps `depth` commands in
// flight per client with submit_async/act_async. Each run's raw baselines are measured right
// after it, from the rows it wrote (durable_sqlite.cpp, durable_postgres.cpp).
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "drive.hpp"
#include "durable.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

constexpr int kWindowPerThread = 4;

struct Store {
  std::shared_ptr<BenchClock> clock;
  std::shared_ptr<CaseStore> store;
  std::unique_ptr<Engine> engine;
};

Store open_engine(const HallData& hall, DurableBackend& backend, const std::string& run,
                  const std::string& sync) {
  Store s;
  s.clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
  s.store = backend.open(run, sync);
  Options o;
  o.store = s.store;
  s.engine = std::make_unique<Engine>(hall.rules, hall.calendar, s.clock, std::move(o));
  return s;
}

// Blocking clients: each thread drives its own share of the cases with Engine::submit/act.
Result blocking_run(const Config& cfg, const HallData& hall, const std::vector<Route>& routes,
                    DurableBackend& backend, const std::string& sync, std::uint64_t n,
                    int threads) {
  Result r;
  r.workload = "lifecycle-durable";
  r.variant = fmt::format("threads={} sync={} blocking", threads, sync);
  const std::string run = fmt::format("{}-{}", sync, threads);
  Store s = open_engine(hall, backend, run, sync);
  std::vector<EngineExec> execs;
  for (int t = 0; t < threads; ++t) execs.push_back(EngineExec{*s.engine, *s.clock});
  const std::uint64_t per = std::max<std::uint64_t>(1, n / static_cast<std::uint64_t>(threads));
  Progress progress(r.variant, per, cfg.progress);
  reset_peak_rss();
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
  const std::int64_t cpu0 = process_cpu_ns();
  Stopwatch sw;
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          drive_paths(execs[t], routes, static_cast<std::uint64_t>(t) * 7, per, kWindowPerThread, 0,
                      t == 0 ? &progress : nullptr);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
  }
  r.seconds = sw.seconds();
  r.cpu_seconds = static_cast<double>(process_cpu_ns() - cpu0) * 1e-9;
  progress.finish();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  r.peak_rss = peak_rss_bytes();
  LatencyHistogram all;
  for (const EngineExec& e : execs) {
    all.merge(e.latency);
    r.commands += e.commands;
    r.transitions += e.transitions;
  }
  r.cases = per * static_cast<std::uint64_t>(threads);
  r.latency = Latency::of(all, execs.front().latency_clock.ns_per_tick());  // one counter rate
  s.engine.reset();
  backend.finish(r, run, sync, std::move(s.store));
  return r;
}

// Pipelined clients: each keeps `depth` cases with one command in flight each; the store's
// callback only queues the slot back to its client, which issues the next command.
Result pipelined_run(const Config& cfg, const HallData& hall, const std::vector<Route>& routes,
                     DurableBackend& backend, const std::string& sync, std::uint64_t n,
                     int threads) {
  Result r;
  r.workload = "lifecycle-durable";
  r.variant = fmt::format("threads={} sync={} pipelined depth={}", threads, sync, cfg.depth);
  const std::string run = fmt::format("{}-pipelined", sync);
  Store s = open_engine(hall, backend, run, sync);
  const std::uint64_t per = std::max<std::uint64_t>(1, n / static_cast<std::uint64_t>(threads));
  struct Client {
    std::mutex m;
    std::condition_variable cv;
    std::vector<int> done;
    std::exception_ptr error;
    LatencyHistogram latency;
    std::uint64_t commands = 0;
  };
  std::vector<Client> clients(static_cast<std::size_t>(threads));
  reset_peak_rss();
  const std::int64_t cpu0 = process_cpu_ns();
  Stopwatch sw;
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        Client& c = clients[t];
        struct Slot {
          CaseId id = 0;
          const Route* route = nullptr;
          std::size_t step = 0;
          std::int64_t issued = 0;
        };
        std::vector<Slot> slots(static_cast<std::size_t>(std::min<std::uint64_t>(cfg.depth, per)));
        std::uint64_t started = 0;
        // Runs on the store's writer thread, once per command of a transaction: it wakes
        // the client only when its list was empty (otherwise a wake-up is already on its
        // way) and after unlocking (a client woken under the lock blocks on it at once).
        // Waking on every completion under the lock cost the writer two futex calls and
        // often its CPU per command: a third of its time (docs/performance.md).
        auto complete = [&c](int slot, std::exception_ptr e) {
          bool wake = false;
          {
            std::lock_guard lock(c.m);
            if (e && !c.error) c.error = e;
            wake = c.done.empty();
            c.done.push_back(slot);
          }
          if (wake) c.cv.notify_one();
        };
        auto issue = [&](int i) {
          Slot& sl = slots[static_cast<std::size_t>(i)];
          s.clock->tick(1);
          ++c.commands;
          sl.issued = now_ns();
          if (sl.step == 0) {
            s.engine->submit_async(sl.route->submission, [&, i](CaseId id, std::exception_ptr e) {
              slots[static_cast<std::size_t>(i)].id = id;  // read by the client after `done`
              complete(i, e);
            });
          } else {
            const Step& st = sl.route->steps[sl.step - 1];
            s.engine->act_async(sl.id, st.verb, st.by_a, [&, i](std::exception_ptr e) { complete(i, e); });
          }
        };
        auto begin_case = [&](int i) {
          Slot& sl = slots[static_cast<std::size_t>(i)];
          sl.route = &routes[(static_cast<std::uint64_t>(t) * 7 + started++) % routes.size()];
          sl.step = 0;
          issue(i);
        };
        // Every issued command comes back through `done`, so the loop ends only when none
        // is in flight: the callbacks refer to this thread's slots.
        std::size_t in_flight = 0;
        for (int i = 0; i < static_cast<int>(slots.size()); ++i, ++in_flight) begin_case(i);
        std::vector<int> ready;
        bool failed = false;
        while (in_flight > 0) {
          {
            std::unique_lock lock(c.m);
            c.cv.wait(lock, [&] { return !c.done.empty(); });
            ready.swap(c.done);
            failed = c.error != nullptr;
          }
          const std::int64_t t_done = now_ns();
          for (int i : ready) {
            --in_flight;
            Slot& sl = slots[static_cast<std::size_t>(i)];
            c.latency.record(t_done - sl.issued);
            if (failed) continue;
            if (++sl.step <= sl.route->steps.size()) {
              issue(i);
              ++in_flight;
            } else if (started < per) {  // this case is issued; start the next
              begin_case(i);
              ++in_flight;
            }
          }
          ready.clear();
        }
      });
  }
  r.seconds = sw.seconds();
  r.cpu_seconds = static_cast<double>(process_cpu_ns() - cpu0) * 1e-9;
  s.engine.reset();
  for (Client& c : clients)
    if (c.error) std::rethrow_exception(c.error);
  r.peak_rss = peak_rss_bytes();
  LatencyHistogram all;
  for (Client& c : clients) {
    all.merge(c.latency);
    r.commands += c.commands;
  }
  r.transitions = r.commands;  // every command of the path fires one lifecycle step
  r.cases = per * static_cast<std::uint64_t>(threads);
  r.latency = Latency::of(all);
  // No transaction can hold more commands than the clients keep in flight: the raw
  // baselines measure the store's rows in groups of that size too (durable_sqlite.cpp).
  r.extra.push_back({"commands_in_flight", static_cast<double>(threads) * cfg.depth});
  backend.finish(r, run, sync, std::move(s.store));
  return r;
}

}  // namespace

double extra_of(const Result& r, const std::string& key) {
  for (const auto& [k, v] : r.extra)
    if (k == key) return v;
  return 0;
}

Result run_lifecycle_durable(const Config& cfg, const HallData& hall) {
  const std::vector<Route> routes = discover_routes(hall, RouteFilter{});
  const std::uint64_t n = cfg.cases_for(6'000, 24);  // cases per blocking configuration
  // Pipelined clients run five times as many: with 6,000 cases the run lasted 0.2-0.3 s, of
  // which filling and draining the 256 slots was a large part, and its figures spread 2x
  // from run to run (FULL: 15.6x-29.5x the one-fsync rate); with 30,000 about 1 s, and
  // 21.2x-22.6x (docs/performance.md, "Issue 19, the durable ratios' limit").
  const std::uint64_t n_pipelined = cfg.cases_for(30'000, 24);
  const std::unique_ptr<DurableBackend> backend =
      cfg.store == "postgres" ? postgres_backend(cfg) : sqlite_backend(cfg);
  const std::vector<std::string> syncs = backend->syncs();
  const int most = cfg.threads.empty() ? 8 : cfg.threads.back();
  Result top;
  top.workload = "lifecycle-durable";
  for (const std::string& sync : syncs) {
    for (const int threads : cfg.threads)
      top.runs.push_back(blocking_run(cfg, hall, routes, *backend, sync, n, threads));
    top.runs.push_back(pipelined_run(cfg, hall, routes, *backend, sync, n_pipelined, most));
  }
  for (Result& r : top.runs) r.variant = backend->variant_prefix() + r.variant;
  // The best of each kind, for the targets (docs/performance.md).
  std::vector<std::pair<std::string, double>> best;
  for (const std::string& sync : syncs) {
    double ratio = 0, blocking_x = 0, pipelined_x = 0;
    for (const Result& r : top.runs) {
      if (r.variant.find(fmt::format("sync={} ", sync)) == std::string::npos) continue;
      ratio = std::max(ratio, r.baseline_ratio.value_or(0));
      double& x = r.variant.find("pipelined") != std::string::npos ? pipelined_x : blocking_x;
      x = std::max(x, extra_of(r, "x_one_tx_per_command"));
    }
    best.push_back({fmt::format("{}_best_events_ratio_vs_batched", sync), ratio});
    best.push_back({fmt::format("{}_best_blocking_x_one_tx_per_command", sync), blocking_x});
    best.push_back({fmt::format("{}_pipelined_x_one_tx_per_command", sync), pipelined_x});
  }
  // The headline is the issue's most-threads blocking configuration under the strictest
  // setting (FULL; PostgreSQL's synchronous_commit on).
  for (const Result& r : top.runs) {
    if (r.variant ==
        fmt::format("{}threads={} sync={} blocking", backend->variant_prefix(), most, syncs.back())) {
      std::vector<Result> runs = std::move(top.runs);
      top = r;
      top.runs = std::move(runs);
      break;
    }
  }
  top.extra.insert(top.extra.end(), best.begin(), best.end());
  return top;
}

}  // namespace bench
