// The default store: everything in memory, nothing durable. A commit is "durable" as soon as
// it is appended, so waits return at once. Used by tests, simulations and any engine
// constructed without a store.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "store/memory_store_texts.hpp"
#include "store/sqlite_store.hpp"  // chain_hash: the memory store keeps the same chain
#include "support/chunked_log.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow {
namespace {

class MemoryStore final : public CaseStore {
 public:
  std::uint64_t append(StoreCommit c) override { return append_reusing(c); }

  // Events are copied into the log (their texts interned) and snapshots moved into their
  // slots, whose old buffers go back to the caller in `c`: the engine encodes its next
  // snapshot into one of them.
  std::uint64_t append_reusing(StoreCommit& c) override {
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
      if (e.reason.size() > UINT32_MAX || e.detail.size() > UINT32_MAX) {
        throw Error(ErrorCode::invalid_argument,
                    fmt::format("an event of case {} has a reason or detail over 4 GiB", e.case_id));
      }
    }
    for (const CaseSnapshot& s : c.cases) highest = check(s.id, highest);
    if (highest >= slots_.size()) slots_.grow_to(highest + 1);
    // A case's slot is cold (a million of them, touched a few times each): asking for it now
    // lets the miss overlap the events' interning below instead of stalling on it.
    for (const CaseSnapshot& s : c.cases) __builtin_prefetch(&slots_[s.id], 1);
    for (const Event& e : c.events) keep(e, c.rules_version);
    for (CaseSnapshot& s : c.cases) {
      Slot& to = slots_[s.id];
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
    std::vector<Event> out;
    if (id >= slots_.size()) return out;
    out.resize(slots_[id].count);
    auto at = out.rbegin();  // the links run from the last event back
    for (std::uint64_t p = slots_[id].last; p != 0; p = log_[p - 1].prev) *at++ = event_at(p);
    return out;
  }

  void for_each_case(const std::function<void(const CaseSnapshot&)>& visit) const override {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].has_snapshot) visit(slots_[i].snapshot);
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
  bool takes_commit_rules_version() const noexcept override { return true; }

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
    batch.events.reserve(end - position);
    for (std::uint64_t p = position + 1; p <= end; ++p) batch.events.push_back({p, event_at(p), {}});
    batch.head_position = end;
    batch.last_position = log_.size();
    while (chain_.size() < end) {
      const std::uint64_t p = chain_.size() + 1;
      const Kept& e = log_[p - 1];
      const auto [reason, detail] = text_.read(e.text);
      const detail::EventContext& n = contexts_[e.context];
      const detail::ChainedEvent c{
          static_cast<std::int64_t>(p), static_cast<std::int64_t>(e.case_id), e.seq,
          to_string(e.kind), e.time, texts_[n.actor], texts_[n.office], texts_[n.post],
          reason, detail, texts_[n.rules_version], texts_[n.notify], {}};
      chain_.push_back(detail::chain_hash(chain_.empty() ? detail::Sha256::Digest{} : chain_.back(), c));
    }
    batch.head_hash = detail::to_hex(end == 0 ? detail::Sha256::Digest{} : chain_[end - 1]);
    return batch;
  }

 private:
  // An event as kept (40 bytes, no allocation of its own): the texts it names as one
  // EventContexts number, its reason and detail where EventTexts keeps them.
  struct Kept {
    std::int64_t time = 0;
    // The log position of the case's previous event (0: none). Linking back, not forward,
    // writes only the new entry: a forward link wrote into the case's last event, a cache
    // miss far back in the log on every append.
    std::uint64_t prev = 0;
    std::uint64_t text = detail::EventTexts::kNone;  // reason and detail
    std::uint32_t case_id = 0;                       // check() keeps ids under 2^32
    std::uint32_t seq = 0;
    std::uint32_t context = 0;
    EventKind kind = EventKind::submitted;
  };
  static_assert(sizeof(Kept) == 40, "an event as kept grew: a million cases keep six each");
  // Case ids are dense (1, 2, ...), so a case's snapshot and its events' chain sit at its
  // index: no tree or hash look-up per commit, and for_each_case visits in id order for free.
  struct Slot {
    CaseSnapshot snapshot;
    std::uint64_t last = 0;  // log position of the case's last event
    std::uint32_t count = 0;
    bool has_snapshot = false;
  };
  // Case ids are kept densely: far beyond the highest so far is a caller's mistake, not a
  // reason to allocate gigabytes. Returns the new highest id.
  static std::size_t check(CaseId id, std::size_t highest) {
    if (id == 0 || id > highest + kMaxGap || id > UINT32_MAX) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("the memory store keeps case ids densely: case {} is not 1 to {}",
                              id, std::min<std::size_t>(highest + kMaxGap, UINT32_MAX)));
    }
    return std::max<std::size_t>(highest, id);
  }
  static constexpr std::size_t kMaxGap = 1 << 20;

  void keep(const Event& e, const std::shared_ptr<const std::string>& commit_version) {
    Kept k;
    k.case_id = static_cast<std::uint32_t>(e.case_id);
    k.time = e.time.seconds();
    k.seq = e.seq;
    detail::EventContext n;
    n.actor = texts_.intern(e.actor, last_.actor);
    n.office = texts_.intern(e.office, last_.office);
    n.post = texts_.intern(e.post, last_.post);
    if (e.rules_version.empty() && commit_version) {
      // The commit's version is one shared string for many commits in a row: known by its
      // address, it is not compared (64 characters) again for every event.
      if (commit_version != last_commit_version_) {
        last_commit_version_id_ = texts_.intern(*commit_version, last_.rules_version);
        last_commit_version_ = commit_version;  // held: its address cannot be reused meanwhile
      }
      n.rules_version = last_commit_version_id_;
    } else {
      n.rules_version = texts_.intern(e.rules_version, last_.rules_version);
    }
    n.notify = texts_.intern(e.notify, last_.notify);
    k.context = contexts_.intern(n);
    k.kind = e.kind;
    k.text = text_.keep(e.reason, e.detail);
    Slot& s = slots_[e.case_id];
    __builtin_prefetch(s.snapshot.encoded.data(), 1);  // replaced below: cold as well
    k.prev = s.last;
    log_.push_back(k);
    s.last = log_.size();
    ++s.count;
  }

  Event event_at(std::uint64_t position) const {
    const Kept& k = log_[position - 1];
    Event e;
    e.case_id = k.case_id;
    e.seq = k.seq;
    e.kind = k.kind;
    e.time = DateTime::from_seconds(k.time);
    const detail::EventContext& n = contexts_[k.context];
    e.actor = texts_[n.actor];
    e.office = texts_[n.office];
    e.post = texts_[n.post];
    const auto [reason, detail] = text_.read(k.text);
    e.reason = reason;
    e.detail = detail;
    e.rules_version = texts_[n.rules_version];
    e.notify = texts_[n.notify];
    return e;
  }

  mutable std::mutex mutex_;
  std::uint64_t tickets_ = 0;
  // The log in position order (in chunks: growing it never copies it under the lock), and
  // the chain hashes computed so far.
  detail::ChunkedLog<Kept> log_;
  mutable std::vector<detail::Sha256::Digest> chain_;
  detail::EventTexts text_;  // every event's reason and detail
  detail::TextTable texts_;
  detail::EventContexts contexts_;
  struct {
    std::uint32_t actor = 0, office = 0, post = 0, rules_version = 0, notify = 0;
  } last_;  // each field's last text number (TextTable::intern)
  // The last commit's shared rules version and its number. The engine shares one string per
  // version; holding it keeps its address from being reused for another text, so the same
  // pointer always means the same text.
  std::shared_ptr<const std::string> last_commit_version_;
  std::uint32_t last_commit_version_id_ = 0;
  detail::ChunkedArray<Slot> slots_;
  std::unordered_map<std::string, RequestRecord> requests_;
  std::string engine_state_;
  std::vector<StoredRuleSet> rule_sets_;
};

}  // namespace

std::unique_ptr<CaseStore> make_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace workflow
