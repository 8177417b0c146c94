// Opening many cases fast, for open-cases and recovery: cases are submitted, accepted and
// passed from 初审 into back-office review (so each holds its light timer), with commands
// pipelined through submit_async/act_async. Plus a store that keeps nothing, so the engine's
// own memory can be measured apart from any store's.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "hall.hpp"
#include "measure.hpp"

namespace bench {

// A CaseStore that discards every commit (counting them): durable at once, no history. Lets
// open-cases measure what the engine itself holds per case.
class NullStore final : public CaseStore {
 public:
  std::uint64_t append(StoreCommit commit) override { return append_reusing(commit); }
  // Keeps nothing, so the whole commit stays the engine's to reuse, as with the memory store.
  std::uint64_t append_reusing(StoreCommit& commit) override {
    events_.fetch_add(commit.events.size(), std::memory_order_relaxed);
    return tickets_.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  void wait_durable(std::uint64_t) override {}
  void on_durable(std::uint64_t, std::function<void(std::exception_ptr)> done) override { done(nullptr); }
  std::vector<Event> history(CaseId) const override { return {}; }
  void for_each_case(const std::function<void(const CaseSnapshot&)>&) const override {}
  std::string engine_state() const override { return {}; }
  std::vector<StoredRuleSet> rule_sets() const override { return {}; }
  std::optional<RequestRecord> find_request(std::string_view) const override { return std::nullopt; }
  bool read_only() const noexcept override { return false; }
  // It keeps nothing, so the engine need not copy the rules version into each event.
  bool takes_commit_rules_version() const noexcept override { return true; }
  LogBatch events_after(std::uint64_t, std::size_t) const override {
    return {{}, 0, std::string(64, '0'), 0};
  }
  std::uint64_t events() const { return events_.load(); }

 private:
  std::atomic<std::uint64_t> tickets_{0}, events_{0};
};

struct Opened {
  double seconds = 0;
  std::uint64_t commands = 0;
  LatencyHistogram latency;  // time to apply each command (the call), not to durability
};

// Opens `n` new cases on `engine`, which must hold no case yet (ids then run 1..n), cycling
// through `routes`, each stopped after `prefix` steps. At most `max_in_flight` commands await
// durability; the clock moves one second every `tick_every` commands.
Opened open_cases(Engine& engine, BenchClock& clock, const std::vector<Route>& routes,
                  std::uint64_t n, int prefix, Progress* progress, int tick_every = 64,
                  std::size_t max_in_flight = 16384);

// The path of the cached 1M-case SQLite store for recovery: keyed by the rule-set version and
// the case count. `ensure_open_store` builds it (synchronous NORMAL, pipelined) unless
// `reuse` and a complete build is there; returns the hall time its cases were opened up to.
struct OpenStore {
  std::filesystem::path path;
  DateTime opened_until;
  bool built = false;
  double build_seconds = 0;
};
OpenStore ensure_open_store(const Config& cfg, const HallData& hall, std::uint64_t n, bool reuse);

}  // namespace bench
