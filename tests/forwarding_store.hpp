// A CaseStore that passes every call of the store contract to another store. The tests'
// stores that change one behaviour (fail a commit, hold durability back, forget a field)
// derive from it and override just that. The optional capabilities (append_reusing,
// takes_commit_rules_version) keep CaseStore's defaults, as a store written against the
// first contract would: a derived store that wants the inner store's overrides them.
#pragma once

#include <memory>

#include "workflow/store.hpp"

namespace workflow::testing {

class ForwardingStore : public CaseStore {
 public:
  explicit ForwardingStore(std::shared_ptr<CaseStore> inner) : inner_(std::move(inner)) {}

  std::uint64_t append(StoreCommit c) override { return inner_->append(std::move(c)); }
  void wait_durable(std::uint64_t t) override { inner_->wait_durable(t); }
  void on_durable(std::uint64_t t, std::function<void(std::exception_ptr)> done) override {
    inner_->on_durable(t, std::move(done));
  }
  std::vector<Event> history(CaseId id) const override { return inner_->history(id); }
  void for_each_case(const std::function<void(const CaseSnapshot&)>& v) const override {
    inner_->for_each_case(v);
  }
  std::string engine_state() const override { return inner_->engine_state(); }
  std::vector<StoredRuleSet> rule_sets() const override { return inner_->rule_sets(); }
  std::optional<RequestRecord> find_request(std::string_view id) const override {
    return inner_->find_request(id);
  }
  bool read_only() const noexcept override { return inner_->read_only(); }
  LogBatch events_after(std::uint64_t p, std::size_t n) const override {
    return inner_->events_after(p, n);
  }

 protected:
  CaseStore& inner() const { return *inner_; }

 private:
  std::shared_ptr<CaseStore> inner_;
};

}  // namespace workflow::testing
