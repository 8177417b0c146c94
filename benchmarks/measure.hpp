// Measuring instruments for workflow-bench: a wall-clock stopwatch, a log-linear latency
// histogram, the process's resident memory, and a progress line on stderr. Header-only and
// independent of libworkflow, so every workload measures the same way.
#pragma once

#include <malloc.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <ctime>
#include <unistd.h>

namespace bench {

using SteadyClock = std::chrono::steady_clock;

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             SteadyClock::now().time_since_epoch())
      .count();
}

// CPU time consumed so far by the calling thread, or by the whole process (all threads), in
// nanoseconds. On a shared machine wall time includes the time other programs held the core;
// CPU time does not, so per-CPU-second rates stay comparable between runs.
inline std::int64_t cpu_ns(clockid_t which) {
  timespec ts{};
  clock_gettime(which, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
inline std::int64_t thread_cpu_ns() { return cpu_ns(CLOCK_THREAD_CPUTIME_ID); }
inline std::int64_t process_cpu_ns() { return cpu_ns(CLOCK_PROCESS_CPUTIME_ID); }

class Stopwatch {
 public:
  Stopwatch() : start_(now_ns()) {}
  void restart() { start_ = now_ns(); }
  double seconds() const { return static_cast<double>(now_ns() - start_) * 1e-9; }
  std::int64_t elapsed_ns() const { return now_ns() - start_; }

 private:
  std::int64_t start_;
};

// The clock of per-command latencies, read twice around every command of the single-threaded
// workloads. Where the CPU's time-stamp counter ticks at one rate whatever the core does
// (x86-64 with `constant_tsc` and `nonstop_tsc` in /proc/cpuinfo) it reads the counter: 10 ns
// a read on the benchmark machine, against 24 ns for steady_clock through the vDSO, whose two
// reads per command were 3.7% of mixed's timed loop (work of the harness, not of the engine).
// Ticks become nanoseconds by the rate measured against steady_clock from the clock's
// construction to `ns_per_tick()`, so over a run of a second the conversion is exact to
// about 1e-7. Elsewhere the ticks are steady_clock's nanoseconds. One per thread.
class LatencyClock {
 public:
  LatencyClock() : tsc_(invariant_tsc()), start_ns_(now_ns()), start_ticks_(ticks()) {}
  std::int64_t ticks() const {
#if defined(__x86_64__)
    if (tsc_) return static_cast<std::int64_t>(__rdtsc());
#endif
    return now_ns();
  }
  // Nanoseconds per tick, measured over the time since construction: call it at the end.
  double ns_per_tick() const {
    if (!tsc_) return 1.0;
    const std::int64_t ns = now_ns() - start_ns_, t = ticks() - start_ticks_;
    return t > 0 ? static_cast<double>(ns) / static_cast<double>(t) : 1.0;
  }

 private:
  static bool invariant_tsc() {
#if defined(__x86_64__)
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("flags", 0) != 0) continue;
      const std::string flags = line + " ";
      return flags.find(" constant_tsc ") != std::string::npos &&
             flags.find(" nonstop_tsc ") != std::string::npos;
    }
#endif
    return false;
  }
  bool tsc_;
  std::int64_t start_ns_, start_ticks_;
};

// Command latencies in nanoseconds, or in a LatencyClock's ticks (scaled by Latency::of when
// reported). Buckets are log-linear (16 per power of two, so a reported percentile is within
// ~6% of the true value); the maximum is exact. Recording is a few instructions, so it can
// sit on every command of the hot path. Not thread-safe: one per thread, merged afterwards.
class LatencyHistogram {
 public:
  void record(std::int64_t ns) {
    const std::uint64_t v = ns < 0 ? 0 : static_cast<std::uint64_t>(ns);
    ++buckets_[bucket_of(v)];
    ++count_;
    sum_ += v;
    if (v > max_) max_ = v;
  }
  void merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    if (other.max_ > max_) max_ = other.max_;
  }
  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  std::uint64_t sum() const { return sum_; }  // of every value recorded: with count, the mean
  // The upper edge of the bucket holding the q-quantile (q in [0, 1]), capped at the max.
  std::uint64_t percentile(double q) const {
    if (count_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += buckets_[i];
      if (seen >= rank) return std::min(upper_of(i), max_);
    }
    return max_;
  }

 private:
  static constexpr int kSub = 16;  // sub-buckets per power of two
  static constexpr std::size_t kBuckets = 64 * kSub;
  static std::size_t bucket_of(std::uint64_t v) {
    if (v < kSub) return static_cast<std::size_t>(v);
    const int exp = 63 - std::countl_zero(v);  // v in [2^exp, 2^(exp+1))
    const auto sub = static_cast<std::size_t>((v >> (exp - 4)) & (kSub - 1));
    return static_cast<std::size_t>(exp - 3) * kSub + sub;
  }
  static std::uint64_t upper_of(std::size_t b) {
    if (b < static_cast<std::size_t>(kSub)) return b;
    const int exp = static_cast<int>(b / kSub) + 3;
    const std::uint64_t sub = b % kSub;
    return (std::uint64_t{1} << exp) + ((sub + 1) << (exp - 4)) - 1;
  }
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
};

// A field of /proc/self/status in bytes (VmRSS, VmHWM), 0 if it cannot be read.
inline std::uint64_t proc_status_bytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size())) * 1024;
  }
  return 0;
}

inline std::uint64_t rss_bytes() { return proc_status_bytes("VmRSS"); }
inline std::uint64_t peak_rss_bytes() { return proc_status_bytes("VmHWM"); }

// Resets the peak (VmHWM) to the current RSS (Linux >= 4.0), so each workload reports its own
// peak rather than the whole process's; memory earlier workloads freed is handed back first,
// so it does not count as this one's. Returns false if the kernel refuses.
inline bool reset_peak_rss() {
  malloc_trim(0);
  std::ofstream f("/proc/self/clear_refs");
  f << "5";
  return static_cast<bool>(f);
}

// RSS after handing freed heap memory back to the kernel: what is really held, not what
// malloc keeps cached from earlier work.
inline std::uint64_t settled_rss_bytes() {
  malloc_trim(0);
  return rss_bytes();
}

// "label: done/total (p%)" on stderr, at most every half second, only when stderr is a
// terminal or progress was asked for; the table and JSON go to stdout untouched.
class Progress {
 public:
  Progress(std::string label, std::uint64_t total, bool enabled)
      : label_(std::move(label)), total_(total), enabled_(enabled) {}
  ~Progress() { finish(); }
  void update(std::uint64_t done) {
    if (!enabled_) return;
    const std::int64_t t = now_ns();
    if (t - last_ < 500'000'000) return;
    last_ = t;
    std::fprintf(stderr, "\r  %s: %llu/%llu (%.0f%%)   ", label_.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 total_ ? 100.0 * static_cast<double>(done) / static_cast<double>(total_) : 100.0);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\r  %s: done%*s\n", label_.c_str(), 30, "");
    shown_ = false;
  }

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool shown_ = false;
  std::int64_t last_ = 0;
};

}  // namespace bench
