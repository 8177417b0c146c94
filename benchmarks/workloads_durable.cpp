// lifecycle-durable: the lifecycle-mem path on the SQLite store, every command acknowledged
// only once committed. Client threads (1, 2, 4, 8) each call the blocking Engine::submit/act,
// so concurrent commands share the store's group commit; synchronous NORMAL and FULL. A
// pipelined variant keeps `depth` commands in flight per client with submit_async/act_async.
// Baselines, for each run, from the rows it wrote, measured right after it: raw SQLite inserts
// of those rows batched (1,024 rows a transaction) and one transaction per command.
#include <condition_variable>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <sqlite3.h>

#include "drive.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

constexpr int kWindowPerThread = 4;
constexpr std::size_t kBatchRows = 1024;

std::uint64_t count_events(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::uint64_t n = 0;
  if (sqlite3_prepare_v2(h, "SELECT count(*) FROM events", -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    n = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  sqlite3_close_v2(h);
  return n;
}

const char* sync_name(bool full) { return full ? "FULL" : "NORMAL"; }

struct Store {
  std::shared_ptr<BenchClock> clock;
  std::unique_ptr<Engine> engine;
};

Store open_engine(const HallData& hall, const std::filesystem::path& path, bool full) {
  remove_db(path);
  Store s;
  s.clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
  Options o;
  o.store = std::shared_ptr<CaseStore>(open_sqlite_store(path, SqliteOptions{.synchronous_full = full}));
  s.engine = std::make_unique<Engine>(hall.rules, hall.calendar, s.clock, std::move(o));
  return s;
}

// Blocking clients: each thread drives its own share of the cases with Engine::submit/act.
Result blocking_run(const Config& cfg, const HallData& hall, const std::vector<Route>& routes,
                    const std::filesystem::path& path, std::uint64_t n, int threads, bool full) {
  Result r;
  r.workload = "lifecycle-durable";
  r.variant = fmt::format("threads={} sync={} blocking", threads, sync_name(full));
  Store s = open_engine(hall, path, full);
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
  r.latency = Latency::of(all);
  s.engine.reset();  // closes the store: everything is written
  r.events = count_events(path);
  return r;
}

// Pipelined clients: each keeps `depth` cases with one command in flight each; the store's
// callback only queues the slot back to its client, which issues the next command.
Result pipelined_run(const Config& cfg, const HallData& hall, const std::vector<Route>& routes,
                     const std::filesystem::path& path, std::uint64_t n, int threads, bool full) {
  Result r;
  r.workload = "lifecycle-durable";
  r.variant = fmt::format("threads={} sync={} pipelined depth={}", threads, sync_name(full), cfg.depth);
  Store s = open_engine(hall, path, full);
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
        auto complete = [&c](int slot, std::exception_ptr e) {
          std::lock_guard lock(c.m);
          if (e && !c.error) c.error = e;
          c.done.push_back(slot);
          c.cv.notify_one();
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
  r.events = count_events(path);
  return r;
}

// The raw baselines for one engine run, measured right after it on the rows it wrote, so a
// shared disk's changing fsync latency hits both alike: every row batched (1,024 a
// transaction), and the first kPerCommand commands one transaction each (enough for a stable
// rate without spending minutes in fsync).
constexpr std::size_t kPerCommand = 3'000;

void compare_with_raw(const Config& cfg, Result& r, const std::filesystem::path& engine_db, bool full) {
  const EventLog log = read_event_rows(engine_db);
  std::vector<std::size_t> commands = command_starts(log.rows);
  const auto path = cfg.data_dir / "raw-baseline.db";
  const RawRun batched =
      raw_insert(path, log, fixed_batches(log.rows.size(), kBatchRows), full);
  EventLog head = log;
  if (commands.size() > kPerCommand) {
    head.rows.resize(commands[kPerCommand]);
    commands.resize(kPerCommand);
  }
  const RawRun single = raw_insert(path, head, commands, full);
  const double batched_rate = static_cast<double>(batched.rows) / batched.seconds;
  const double single_rate = static_cast<double>(single.transactions) / single.seconds;
  r.baseline = fmt::format("raw SQLite batched, sync={}", sync_name(full));
  r.baseline_unit = "events/s";
  r.baseline_value = batched_rate;
  r.baseline_ratio = r.rate(r.events) / batched_rate;
  r.extra.push_back({"raw_batched_events_per_s", batched_rate});
  r.extra.push_back({"raw_one_tx_per_command_per_s", single_rate});
  r.extra.push_back({"x_one_tx_per_command", r.rate(r.commands) / single_rate});
}

double extra_of(const Result& r, const std::string& key) {
  for (const auto& [k, v] : r.extra)
    if (k == key) return v;
  return 0;
}

}  // namespace

Result run_lifecycle_durable(const Config& cfg, const HallData& hall) {
  const std::vector<Route> routes = discover_routes(hall, RouteFilter{});
  const std::uint64_t n = cfg.cases_for(6'000, 24);  // cases per configuration
  std::filesystem::create_directories(cfg.data_dir);
  const int most = cfg.threads.empty() ? 8 : cfg.threads.back();
  Result top;
  top.workload = "lifecycle-durable";
  for (const bool full : {false, true}) {
    for (const int threads : cfg.threads) {
      const auto path = cfg.data_dir / fmt::format("durable-{}-{}.db", sync_name(full), threads);
      Result r = blocking_run(cfg, hall, routes, path, n, threads, full);
      compare_with_raw(cfg, r, path, full);
      remove_db(path);
      top.runs.push_back(std::move(r));
    }
    const auto path = cfg.data_dir / fmt::format("durable-{}-pipelined.db", sync_name(full));
    Result p = pipelined_run(cfg, hall, routes, path, n, most, full);
    compare_with_raw(cfg, p, path, full);
    remove_db(path);
    top.runs.push_back(std::move(p));
  }
  // The best of each kind, for the targets (docs/performance.md).
  std::vector<std::pair<std::string, double>> best;
  for (const char* sync : {"NORMAL", "FULL"}) {
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
  // The headline is the issue's FULL, most-threads, blocking configuration.
  for (const Result& r : top.runs) {
    if (r.variant == fmt::format("threads={} sync=FULL blocking", most)) {
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
