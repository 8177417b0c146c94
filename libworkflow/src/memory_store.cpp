// The default store: everything in memory, nothing durable. Used by tests, simulations and
// any engine constructed without a store.
#include <map>
#include <mutex>
#include <unordered_map>

#include "workflow/store.hpp"

namespace workflow {
namespace {

class MemoryStore final : public CaseStore {
 public:
  void commit(const StoreCommit& c) override {
    std::lock_guard lock(mutex_);
    for (const Event& e : c.events) events_[e.case_id].push_back(e);
    for (const CaseSnapshot& s : c.cases) cases_[s.id] = s;
    if (c.engine_state != nullptr) engine_state_ = *c.engine_state;
  }

  std::vector<Event> history(CaseId id) const override {
    std::lock_guard lock(mutex_);
    const auto it = events_.find(id);
    return it == events_.end() ? std::vector<Event>{} : it->second;
  }

  void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const override {
    std::lock_guard lock(mutex_);
    for (const auto& [id, snapshot] : cases_) visit(snapshot);
  }

  std::string engine_state() const override {
    std::lock_guard lock(mutex_);
    return engine_state_;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<CaseId, std::vector<Event>> events_;
  std::map<CaseId, CaseSnapshot> cases_;  // ordered: for_each_case visits in id order
  std::string engine_state_;
};

}  // namespace

std::unique_ptr<CaseStore> make_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace workflow
