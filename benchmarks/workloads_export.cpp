// export: the change feed (CaseStore::events_after, `workflow export`) read from the 1M-case
// store in batches, as the provincial platform's collector reads it, against a raw SQLite scan
// of the same events table in log order. Issue 15: "the feed is as fast as the store".
#include <cstdint>
#include <memory>

#include <fmt/format.h>

#include "baselines.hpp"
#include "open_store.hpp"
#include "workflow/store.hpp"
#include "workloads.hpp"

namespace bench {

namespace {

constexpr std::size_t kBatch = 10'000;  // events per events_after() call (export's --limit)

struct FeedRun {
  double seconds = 0;
  std::uint64_t events = 0;
  std::uint64_t batches = 0;
};

// The whole log through the store's feed, batch by batch, each batch's chain head included.
FeedRun read_feed(const std::filesystem::path& path) {
  const auto store = workflow::open_sqlite_store(
      path, workflow::SqliteOptions{.read_only = true, .create = false});
  FeedRun out;
  Stopwatch sw;
  std::uint64_t position = 0;
  for (;;) {
    const workflow::LogBatch b = store->events_after(position, kBatch);
    if (b.events.empty()) break;
    out.events += b.events.size();
    ++out.batches;
    position = b.head_position;  // the batch's last event: the collector's cursor
  }
  out.seconds = sw.seconds();
  return out;
}

}  // namespace

Result run_export(const Config& cfg, const HallData& hall) {
  const std::uint64_t n = cfg.cases_for(1'000'000, 2'000);
  const OpenStore s = ensure_open_store(cfg, hall, n, cfg.reuse_db && !cfg.smoke);
  Result r;
  r.workload = "export";
  r.variant = fmt::format("batches of {} events, warm", kBatch);
  read_feed(s.path);  // warms the page cache for both
  const RawRun raw = raw_scan_events(s.path);
  reset_peak_rss();
  const FeedRun feed = read_feed(s.path);
  r.peak_rss = peak_rss_bytes();
  r.seconds = feed.seconds;
  r.cases = n;
  r.events = feed.events;
  r.baseline = "raw SQLite scan of the events table in log order";
  r.baseline_unit = "events/s";
  r.baseline_value = static_cast<double>(raw.rows) / raw.seconds;
  r.baseline_ratio = r.rate(r.events) / *r.baseline_value;
  r.extra.push_back({"batches", static_cast<double>(feed.batches)});
  r.extra.push_back({"raw_scan_seconds", raw.seconds});
  if (cfg.smoke) {
    std::filesystem::remove(s.path.string() + ".complete");
    remove_db(s.path);
  }
  return r;
}

}  // namespace bench
