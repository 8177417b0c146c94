// What a workload measured, and how it is shown: one row of the readable table per run and
// exactly one JSON line per workload (sub-runs, such as the thread counts of the durable
// workload, are nested in it). Every number here comes from a measurement; nothing is typed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "measure.hpp"

namespace bench {

struct Latency {
  std::uint64_t p50_ns = 0, p99_ns = 0, max_ns = 0, count = 0;
  double mean_ns = 0;
  static Latency of(const LatencyHistogram& h, double ns_per_tick = 1.0) {
    const auto ns = [&](std::uint64_t t) {
      return static_cast<std::uint64_t>(static_cast<double>(t) * ns_per_tick + 0.5);
    };
    const double mean =
        h.count() ? static_cast<double>(h.sum()) / static_cast<double>(h.count()) * ns_per_tick : 0;
    return {ns(h.percentile(0.50)), ns(h.percentile(0.99)), ns(h.max()), h.count(), mean};
  }
};

struct Result {
  std::string workload;  // lifecycle-mem, lifecycle-durable, mixed, open-cases, recovery
  std::string variant;   // e.g. "threads=8 sync=FULL blocking"; empty for a single run
  double seconds = 0;    // wall time of the measured part
  // CPU time of the measured part: of the one driving thread for single-threaded workloads,
  // of the whole process (clients and the store's writer) for lifecycle-durable.
  std::optional<double> cpu_seconds;
  std::uint64_t cases = 0;        // cases completed (or opened / recovered)
  std::uint64_t commands = 0;     // commands given (submit, act, mark_away ...)
  std::uint64_t events = 0;       // events recorded by the engine
  std::uint64_t transitions = 0;  // lifecycle steps that fired (submit counts as one)
  Latency latency;
  std::uint64_t peak_rss = 0;     // bytes, VmHWM during this run (reset before it)
  std::optional<double> bytes_per_open_case;
  // The baseline this run is compared with, its rate in the same unit, and ours / theirs.
  std::string baseline;
  std::string baseline_unit;  // "transitions/s", "events/s", "commands/s", "cases/s", "bytes/case"
  std::optional<double> baseline_value;
  std::optional<double> baseline_ratio;
  // Figures particular to the workload (timer costs, counts of handoffs ...), in order.
  std::vector<std::pair<std::string, double>> extra;
  std::vector<Result> runs;  // sub-runs nested in the workload's JSON line

  double rate(std::uint64_t n) const { return seconds > 0 ? static_cast<double>(n) / seconds : 0; }
  double cpu_rate(std::uint64_t n) const {
    return cpu_seconds && *cpu_seconds > 0 ? static_cast<double>(n) / *cpu_seconds : 0;
  }
};

// Prints the header of the table once, then one row per run (sub-runs included).
void print_table_header();
void print_table_rows(const Result& r);
// The workload's single JSON line (no trailing newline).
std::string json_line(const Result& r);

}  // namespace bench
