// open-cases: 1,000,000 cases held open mid-process (accepted, 初审 passed, in back-office
// review, each with its light timer armed); bytes per open case from the RSS they add, and
// the timer queue's cost: next_due(), an advance with nothing due, and advancing over day
// boundaries while lights change. The headline figure is the engine's own memory (on a store
// that keeps nothing); the default in-memory store, which also keeps every event, is extra.
//
// recovery: the time to reopen an SQLite store of 1,000,000 such cases (open the store,
// restore every case, re-arm every timer), cold (file evicted from the page cache) and warm.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <queue>
#include <thread>

#include <fmt/format.h>

#include "baselines.hpp"
#include "open_store.hpp"
#include "workloads.hpp"

namespace bench {
namespace {

constexpr int kPrefix = 2;  // accept, review_pass (初审): the case is in back-office review

double mean_ns(int reps, const std::function<void()>& f) {
  Stopwatch sw;
  for (int i = 0; i < reps; ++i) f();
  return static_cast<double>(sw.elapsed_ns()) / reps;
}

// What a hand-written system needs per open case at least: the switch machine's state and one
// (due, case) entry in a binary heap of timers. Measured the same way, by RSS.
double switch_bytes_per_case(std::uint64_t n) {
  const std::uint64_t before = settled_rss_bytes();
  std::vector<SwitchMachine::Case> cases(n);
  std::priority_queue<std::pair<std::int64_t, std::uint32_t>> timers;
  for (std::uint64_t i = 0; i < n; ++i) timers.push({static_cast<std::int64_t>(i % 977), static_cast<std::uint32_t>(i)});
  const std::uint64_t after = rss_bytes();
  return static_cast<double>(after - before) / static_cast<double>(n);
}

// Drops the store's pages from the page cache (written back first), for a cold reopen.
void evict(const std::filesystem::path& db) {
  for (const char* suffix : {"", "-wal"}) {
    const int fd = ::open((db.string() + suffix).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ::fdatasync(fd);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

struct Reopened {
  double seconds = 0;
  double cpu_seconds = 0;
  double process_cpu_seconds = 0;  // every thread's, read-ahead helpers included
  double bytes = 0;  // RSS the reopened engine and store hold
};

Reopened reopen(const HallData& hall, const OpenStore& s, std::uint64_t n) {
  auto clock = std::make_shared<BenchClock>(hall.calendar, s.opened_until);
  const std::uint64_t before = settled_rss_bytes();
  const std::int64_t cpu0 = thread_cpu_ns();
  const std::clock_t process0 = std::clock();
  Stopwatch sw;
  Options o;
  o.store = std::shared_ptr<CaseStore>(open_sqlite_store(s.path));
  Engine engine(hall.rules, hall.calendar, clock, std::move(o));
  Reopened out;
  out.seconds = sw.seconds();
  out.cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu0) * 1e-9;
  out.process_cpu_seconds = static_cast<double>(std::clock() - process0) / CLOCKS_PER_SEC;
  out.bytes = static_cast<double>(settled_rss_bytes() - before);
  if (engine.get(n).state != CaseState::back_office_review || !engine.next_due())
    throw std::runtime_error("recovery: the reopened cases are not as they were left");
  return out;
}

}  // namespace

Result run_open_cases(const Config& cfg, const HallData& hall) {
  const std::uint64_t n = cfg.cases_for(1'000'000, 2'000);
  const std::vector<Route> routes = discover_routes(hall, RouteFilter{});
  Result r;
  r.workload = "open-cases";
  r.variant = "engine only (store keeps nothing)";
  {
    auto store = std::make_shared<NullStore>();
    auto clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
    Options o;
    o.store = store;
    reset_peak_rss();
    Engine engine(hall.rules, hall.calendar, clock, std::move(o));
    const std::uint64_t before = settled_rss_bytes();
    Progress progress("open-cases", n, cfg.progress);
    const std::int64_t cpu0 = thread_cpu_ns();
    const Opened opened = open_cases(engine, *clock, routes, n, kPrefix, &progress);
    r.cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu0) * 1e-9;
    progress.finish();
    const std::uint64_t after = settled_rss_bytes();
    r.peak_rss = peak_rss_bytes();
    r.seconds = opened.seconds;
    r.cases = n;
    r.commands = r.transitions = opened.commands;
    r.events = store->events();
    r.latency = Latency::of(opened.latency);
    r.bytes_per_open_case = static_cast<double>(after - before) / static_cast<double>(n);
    if (engine.get(n).state != CaseState::back_office_review)
      throw std::runtime_error("open-cases: the last case is not in back-office review");

    // The timer queue. next_due() is what a real-time driver asks after every wake-up; an
    // advance with nothing due is what every command pays first.
    r.extra.push_back({"next_due_ns", mean_ns(10'000, [&] { (void)engine.next_due(); })});
    DateTime t = clock->now();
    r.extra.push_back({"advance_nothing_due_ns", mean_ns(10'000, [&] {
                         t = t.plus_seconds(0);
                         engine.advance_to(t);
                       })});
    // Then a week of midnights: every light that changes is a unit of work of its own. A
    // clerk thread gives commands the whole time (a new case submitted, then accepted): how
    // long they wait while a midnight fires is what the midnight costs the hall.
    std::atomic<std::uint64_t> fired{0};
    const std::string& system = Options{}.system_actor;
    const auto sub = engine.subscribe([&](const Event& e) {
      if (e.actor == system) fired.fetch_add(1, std::memory_order_relaxed);
    });
    std::atomic<bool> midnight_on{false}, clerk_done{false};
    LatencyHistogram during;  // commands that overlapped a midnight
    std::uint64_t clerk_commands = 0;
    std::thread clerk([&] {
      const Route& route = routes.front();
      while (!clerk_done.load(std::memory_order_acquire)) {
        const bool overlapped = midnight_on.load(std::memory_order_acquire);
        const std::int64_t t0 = now_ns();
        const CaseId id = engine.submit(route.submission);
        const std::int64_t t1 = now_ns();
        Action a;
        a.actor = engine.holder(id);  // the window the engine chose for this case id
        engine.act(id, route.steps.front().verb, a);
        const std::int64_t t2 = now_ns();
        if (overlapped || midnight_on.load(std::memory_order_acquire)) {
          during.record(t1 - t0);
          during.record(t2 - t1);
        }
        clerk_commands += 2;
      }
    });
    double total = 0, worst = 0;
    const std::int64_t cpu1 = thread_cpu_ns();
    const Date first = clock->now().date();
    for (int d = 1; d <= 7; ++d) {
      const DateTime midnight = DateTime::at(first + d);
      midnight_on.store(true, std::memory_order_release);
      Stopwatch sw;
      clock->set(midnight);  // the hour strikes: the driver wakes and fires what is due
      engine.advance_to(midnight);
      const double s = sw.seconds();
      midnight_on.store(false, std::memory_order_release);
      total += s;
      worst = std::max(worst, s);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the clerk alone a while
    }
    const double cpu_total = static_cast<double>(thread_cpu_ns() - cpu1) * 1e-9;
    clerk_done.store(true, std::memory_order_release);
    clerk.join();
    engine.unsubscribe(sub);
    r.extra.push_back({"midnight_commands", static_cast<double>(during.count())});
    const auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) * 1e-6; };
    r.extra.push_back({"midnight_command_p50_ms", ms(during.percentile(0.5))});
    r.extra.push_back({"midnight_command_p999_ms", ms(during.percentile(0.999))});
    r.extra.push_back({"midnight_command_max_ms", ms(during.max())});
    r.extra.push_back({"clerk_commands", static_cast<double>(clerk_commands)});
    r.extra.push_back({"week_of_midnights_seconds", total});
    r.extra.push_back({"worst_midnight_seconds", worst});
    r.extra.push_back({"timer_events_in_week", static_cast<double>(fired)});
    r.extra.push_back({"ns_per_timer_event", fired ? total * 1e9 / static_cast<double>(fired) : 0});
    r.extra.push_back({"cpu_ns_per_timer_event", fired ? cpu_total * 1e9 / static_cast<double>(fired) : 0});
  }
  {
    // The same cases on the default in-memory store, which keeps every event and snapshot.
    auto clock = std::make_shared<BenchClock>(hall.calendar, hall_start());
    Engine engine(hall.rules, hall.calendar, clock);
    const std::uint64_t before = settled_rss_bytes();
    Progress progress("open-cases (memory store)", n, cfg.progress);
    const Opened opened = open_cases(engine, *clock, routes, n, kPrefix, &progress);
    progress.finish();
    const std::uint64_t after = settled_rss_bytes();
    r.extra.push_back({"bytes_per_open_case_with_memory_store",
                       static_cast<double>(after - before) / static_cast<double>(n)});
    r.extra.push_back({"memory_store_cases_per_s", static_cast<double>(n) / opened.seconds});
  }
  const double base = switch_bytes_per_case(n);
  r.baseline = "switch machine state + one heap timer per case";
  r.baseline_unit = "bytes/case (ratio: ours / theirs)";
  r.baseline_value = base;
  r.baseline_ratio = *r.bytes_per_open_case / base;
  return r;
}

Result run_recovery(const Config& cfg, const HallData& hall) {
  const std::uint64_t n = cfg.cases_for(1'000'000, 2'000);
  const OpenStore s = ensure_open_store(cfg, hall, n, cfg.reuse_db && !cfg.smoke);
  Result r;
  r.workload = "recovery";
  r.variant = s.built ? "store built in this run" : "cached store reused (--reuse-db)";
  // The raw baseline: the cases table read in id order, as recovery reads it (warm).
  raw_scan_cases(s.path);  // warms the page cache for both
  const RawRun raw = raw_scan_cases(s.path);
  evict(s.path);
  reset_peak_rss();
  const Reopened cold = reopen(hall, s, n);
  const Reopened warm = reopen(hall, s, n);
  r.peak_rss = peak_rss_bytes();
  r.seconds = warm.seconds;
  r.cpu_seconds = warm.cpu_seconds;  // the reopening thread (the store reads on it too)
  r.cases = n;
  r.bytes_per_open_case = warm.bytes / static_cast<double>(n);
  r.baseline = "raw SQLite scan of the cases table";
  r.baseline_unit = "cases/s";
  r.baseline_value = static_cast<double>(raw.rows) / raw.seconds;
  r.baseline_ratio = r.rate(r.cases) / *r.baseline_value;
  r.extra.push_back({"warm_reopen_seconds", warm.seconds});
  r.extra.push_back({"cold_reopen_seconds", cold.seconds});
  r.extra.push_back({"warm_cpu_seconds", warm.cpu_seconds});
  r.extra.push_back({"warm_process_cpu_seconds", warm.process_cpu_seconds});
  r.extra.push_back({"cold_cpu_seconds", cold.cpu_seconds});
  r.extra.push_back({"cold_process_cpu_seconds", cold.process_cpu_seconds});
  r.extra.push_back({"raw_scan_seconds", raw.seconds});
  r.extra.push_back({"store_file_bytes", static_cast<double>(std::filesystem::file_size(s.path))});
  if (s.built) r.extra.push_back({"build_seconds", s.build_seconds});
  if (cfg.smoke) {
    std::filesystem::remove(s.path.string() + ".complete");
    remove_db(s.path);
  }
  return r;
}

}  // namespace bench
