// The default store: everything in memory, nothing durable. A commit is "durable" as soon as
// it is appended, so waits return at once. Used by tests, simulations and any engine
// constructed without a store.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow {
namespace {

class MemoryStore final : public CaseStore {
 public:
  std::uint64_t append(StoreCommit c) override {
    std::lock_guard lock(mutex_);
    // Every id is checked before anything is kept: a refused commit leaves the store as it was.
    std::size_t highest = slots_.empty() ? 0 : slots_.size() - 1;
    // Events of case 0 are the engine's own (rule installs).
    for (const Event& e : c.events) {
      if (e.case_id != 0) highest = check(e.case_id, highest);
    }
    for (const CaseSnapshot& s : c.cases) highest = check(s.id, highest);
    for (Event& e : c.events) slot(e.case_id).events.push_back(std::move(e));
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

  mutable std::mutex mutex_;
  std::uint64_t tickets_ = 0;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, RequestRecord> requests_;
  std::string engine_state_;
  std::vector<StoredRuleSet> rule_sets_;
};

}  // namespace

std::unique_ptr<CaseStore> make_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace workflow
