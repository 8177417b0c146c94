// The default store: everything in memory, nothing durable. A commit is "durable" as soon as
// it is appended, so waits return at once. Used by tests, simulations and any engine
// constructed without a store.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"  // chain_hash: the memory store keeps the same chain
#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow {
namespace {

class MemoryStore final : public CaseStore {
 public:
  std::uint64_t append(StoreCommit c) override {
    if (!c.handoffs.empty() || c.receipt) {
      throw Error(ErrorCode::store_error, "the memory store has no outbox: cross-county "
                                          "handoffs need the PostgreSQL store");
    }
    std::lock_guard lock(mutex_);
    // Every id is checked before anything is kept: a refused commit leaves the store as it was.
    std::size_t highest = slots_.empty() ? 0 : slots_.size() - 1;
    // Events of case 0 are the engine's own (rule installs).
    for (const Event& e : c.events) {
      if (e.case_id != 0) highest = check(e.case_id, highest);
    }
    for (const CaseSnapshot& s : c.cases) highest = check(s.id, highest);
    for (Event& e : c.events) {
      Slot& to = slot(e.case_id);
      log_.push_back({e.case_id, static_cast<std::uint32_t>(to.events.size())});
      to.events.push_back(std::move(e));
    }
    for (CaseSnapshot& s : c.cases) {
      Slot& to = slot(s.id);
      to.has_snapshot = true;
      to.snapshot = std::move(s);
    }
    if (c.engine_state) engine_state_ = std::move(*c.engine_state);
    if (c.request) requests_[c.request->request_id] = std::move(*c.request);
    if (c.rules) rule_sets_.push_back(std::move(*c.rules));
    return ++tickets_;
  }

  void wait_durable(std::uint64_t) override {}

  void on_durable(std::uint64_t, std::function<void(std::exception_ptr)> done) override {
    done(nullptr);
  }

  std::vector<Event> history(CaseId id) const override {
    std::lock_guard lock(mutex_);
    return id < slots_.size() ? slots_[id].events : std::vector<Event>{};
  }

  void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const override {
    std::lock_guard lock(mutex_);
    for (const Slot& s : slots_) {
      if (s.has_snapshot) visit(s.snapshot);
    }
  }

  std::string engine_state() const override {
    std::lock_guard lock(mutex_);
    return engine_state_;
  }

  std::vector<StoredRuleSet> rule_sets() const override {
    std::lock_guard lock(mutex_);
    return rule_sets_;
  }

  std::optional<RequestRecord> find_request(std::string_view request_id) const override {
    std::lock_guard lock(mutex_);
    const auto it = requests_.find(std::string(request_id));
    if (it == requests_.end()) return std::nullopt;
    return it->second;
  }

  bool read_only() const noexcept override { return false; }

  // Positions are indexes into log_ (plus one); the chain is computed on first demand, so a
  // store nobody exports from never hashes.
  LogBatch events_after(std::uint64_t position, std::size_t limit) const override {
    std::lock_guard lock(mutex_);
    if (position > log_.size()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("log position {} is beyond the last one ({})", position, log_.size()));
    }
    LogBatch batch;
    const std::uint64_t end = std::min<std::uint64_t>(log_.size(), position + limit);
    for (std::uint64_t p = position + 1; p <= end; ++p) batch.events.push_back({p, event_at(p)});
    batch.head_position = end;
    batch.last_position = log_.size();
    while (chain_.size() < end) {
      const std::uint64_t p = chain_.size() + 1;
      const Event& e = event_at(p);
      const detail::ChainedEvent c{static_cast<std::int64_t>(p), static_cast<std::int64_t>(e.case_id),
                                   e.seq, to_string(e.kind), e.time.seconds(), e.actor, e.office,
                                   e.post, e.reason, e.detail, e.rules_version, e.notify, {}};
      chain_.push_back(detail::chain_hash(chain_.empty() ? detail::Sha256::Digest{} : chain_.back(), c));
    }
    batch.head_hash = detail::to_hex(end == 0 ? detail::Sha256::Digest{} : chain_[end - 1]);
    return batch;
  }

 private:
  // Case ids are dense (1, 2, ...), so a case's events and snapshot sit at its index: no
  // tree or hash look-up per commit, and for_each_case visits in id order for free.
  struct Slot {
    std::vector<Event> events;
    CaseSnapshot snapshot;
    bool has_snapshot = false;
  };
  // Case ids are kept densely: far beyond the highest so far is a caller's mistake, not a
  // reason to allocate gigabytes. Returns the new highest id.
  static std::size_t check(CaseId id, std::size_t highest) {
    if (id == 0 || id > highest + kMaxGap) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("the memory store keeps case ids densely: case {} is not 1 to {}",
                              id, highest + kMaxGap));
    }
    return std::max<std::size_t>(highest, id);
  }
  Slot& slot(CaseId id) {
    if (id >= slots_.size()) slots_.resize(id + 1);  // grows geometrically
    return slots_[id];
  }
  static constexpr std::size_t kMaxGap = 1 << 20;

  const Event& event_at(std::uint64_t position) const {
    const auto& [id, index] = log_[position - 1];
    return slots_[id].events[index];
  }

  mutable std::mutex mutex_;
  std::uint64_t tickets_ = 0;
  // The log: (case, index in its events) per position, and the chain hashes computed so far.
  std::vector<std::pair<CaseId, std::uint32_t>> log_;
  mutable std::vector<detail::Sha256::Digest> chain_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, RequestRecord> requests_;
  std::string engine_state_;
  std::vector<StoredRuleSet> rule_sets_;
};

}  // namespace

std::unique_ptr<CaseStore> make_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace workflow
