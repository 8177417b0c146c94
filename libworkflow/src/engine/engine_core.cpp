// The core's construction, look-ups and the unit of work (touch, emit, commit, rollback).
#include <algorithm>

#include <fmt/format.h>

#include "engine/case_codec.hpp"
#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// 帮办代办: what the village agent following a case is told about.
bool is_news_for_applicant(EventKind k) {
  switch (k) {
    case EventKind::accept: case EventKind::refuse: case EventKind::notify_missing:
    case EventKind::approve: case EventKind::deny: case EventKind::higher_approve:
    case EventKind::higher_deny: case EventKind::issue: case EventKind::suspend:
    case EventKind::resume: case EventKind::extend: case EventKind::terminate:
    case EventKind::deemed_accepted: case EventKind::supplement_overdue:
    case EventKind::call_back: case EventKind::revoke:  // 撤销: the licence is void
      return true;
    default:
      return false;
  }
}

}  // namespace

// An open case must stay small: a county holds hundreds of thousands of them in memory.
// (144 bytes until the rule version and the provisional-deadline flag came in.)
static_assert(sizeof(CaseRecord) <= 168, "CaseRecord grew: keep the hot record compact");

EngineCore::EngineCore(RuleSet rules, Calendar calendar, std::shared_ptr<Clock> clock,
                       Options options)
    : current_(rules),
      rules_(std::move(rules)),
      calendar_(std::move(calendar)),
      clock_(std::move(clock)),
      options_(std::move(options)),
      store_(options_.store ? options_.store : std::shared_ptr<CaseStore>(make_memory_store())),
      roster_(0) {
  if (!clock_) throw Error(ErrorCode::invalid_argument, "the engine needs a clock (got null)");
  manual_clock_ = dynamic_cast<ManualClock*>(clock_.get());
  share_version_ = store_->takes_commit_rules_version();
  open_rule_history(RuleSet(current_));  // a copy: the history may replace current_
  roster_.resize(rules_.staff().size());
  absence_generation_.assign(rules_.staff().size(), 0);
  // The compact record keeps materials and opinions as bit sets.
  for (const Matter& m : rules_.matters()) {
    if (m.materials.size() > 64 || m.stages.size() > 32) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("matter {} has {} materials and {} stages; the engine supports "
                              "at most 64 materials and 32 stages per matter",
                              m.code, m.materials.size(), m.stages.size()));
    }
  }
  index_rules();
  advanced_ = clock_->now();
  recover();
  finish_rule_history();
  // A calendar whose official years replaced provisional ones: recompute once, now.
  if (!store_->read_only()) recompute_provisional(clock_->now());
}

void EngineCore::index_rules() {
  RuleIndex index;
  index.offices.resize(rules_.offices().size());
  for (std::uint32_t o = 0; o < index.offices.size(); ++o) {
    index.offices[o].windows = window_posts(rules_, OfficeRef{o});
  }
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].role == PostRole::window || posts[i].role == PostRole::agent) {
      index.offices[index_of(posts[i].office)].intake.push_back(PostRef{i});
    }
  }
  for (const Matter& m : rules_.matters()) {
    MatterMaterials& bits = index.materials.emplace_back();
    for (std::size_t i = 0; i < m.materials.size() && i < 64; ++i) {
      bits.all |= std::uint64_t{1} << i;
      if (m.materials[i].tolerable) bits.tolerable |= std::uint64_t{1} << i;
    }
  }
  index_ = std::move(index);
}

CaseRecord& EngineCore::record(CaseId id) {
  if (id == 0 || id > cases_.size()) {
    throw Error(ErrorCode::not_found, fmt::format("no case {}", id));
  }
  return cases_[id - 1];
}

const CaseRecord& EngineCore::record(CaseId id) const {
  return const_cast<EngineCore*>(this)->record(id);
}

std::string EngineCore::unknown_matter(std::string_view code) const {
  const auto all = rules_.matters();
  if (std::any_of(all.begin(), all.end(), [&](const Matter& m) { return m.code == code; })) {
    return fmt::format("matter '{}' is no longer offered: the installed rule set {} removed it "
                       "(its open cases finish under the rules they were accepted under)",
                       code, current_.version().substr(0, 12));
  }
  return fmt::format("unknown matter '{}'", code);
}

StaffRef EngineCore::staff_ref(std::string_view id) const {
  if (const auto s = rules_.find_staff(id)) return *s;
  throw Error(ErrorCode::not_found, fmt::format("unknown staff '{}'", id));
}

void EngineCore::begin() noexcept {
  pending_.clear();
  unit_version_.reset();
  undo_.clear();
  touched_.clear();
  roster_dirty_ = false;
  request_.reset();
  handoffs_.clear();
  receipt_.reset();
  cases_before_ = cases_.size();
  applicants_before_ = applicants_.size();
  bundles_before_ = bundles_.size();
  rating_undo_.clear();
  oversight_undo_.clear();
  coordination_undo_.clear();
}

CaseRecord& EngineCore::touch_first(CaseRecord& c) {
  if (std::find(touched_.begin(), touched_.end(), c.id) == touched_.end()) {
    touched_.push_back(c.id);
    if (c.id <= cases_before_) undo_.push_back(c);
  }
  return c;
}

Event& EngineCore::emit(CaseRecord& c, EventKind kind, DateTime at, std::string actor,
                        PostRef post, std::string reason, std::string detail) {
  touch(c);
  Event& e = pending_.emplace_back();
  e.case_id = c.id;
  e.seq = ++c.last_seq;
  e.kind = kind;
  e.time = at;
  e.actor = std::move(actor);
  e.office = rules_.office(rules_.post(post).office).id;
  e.post = rules_.post(post).id;
  e.reason = std::move(reason);
  e.detail = std::move(detail);
  // One copy of the version per commit rather than one heap string per event, if the store
  // takes it (an install changes the version within a unit: later events then carry theirs).
  if (!share_version_) {
    e.rules_version = rules_.version();
  } else if (!unit_version_) {
    if (!shared_version_ || *shared_version_ != rules_.version()) {
      shared_version_ = std::make_shared<const std::string>(rules_.version());
    }
    unit_version_ = shared_version_;
  } else if (*unit_version_ != rules_.version()) {
    e.rules_version = rules_.version();
  }
  if (c.agent_post != kNone && is_news_for_applicant(kind)) {
    e.notify = rules_.staff(assign(rules_, roster_, PostRef{c.agent_post}, at).holder).id;
  }
  return e;
}

RatingRecord& EngineCore::touch_rating(CaseId id) {
  touch(record(id));
  const bool saved = std::any_of(rating_undo_.begin(), rating_undo_.end(),
                                 [&](const auto& u) { return u.first == id; });
  const auto it = ratings_.find(id);
  if (!saved) {
    rating_undo_.emplace_back(id, it == ratings_.end() ? std::nullopt
                                                       : std::optional<RatingRecord>(it->second));
  }
  return it == ratings_.end() ? ratings_[id] : it->second;
}

CoordinationRecord& EngineCore::touch_coordination(CaseId id) {
  touch(record(id));
  const bool saved = std::any_of(coordination_undo_.begin(), coordination_undo_.end(),
                                 [&](const auto& u) { return u.first == id; });
  const auto it = coordinations_.find(id);
  if (!saved) {
    coordination_undo_.emplace_back(
        id, it == coordinations_.end() ? std::nullopt
                                       : std::optional<CoordinationRecord>(it->second));
  }
  return it == coordinations_.end() ? coordinations_[id] : it->second;
}

Event& EngineCore::emit_system(CaseRecord& c, EventKind kind, DateTime at, std::string reason,
                               std::string detail) {
  Event& e = emit(c, kind, at, options_.system_actor, c.post, std::move(reason),
                  std::move(detail));
  e.post.clear();  // the engine acted, not a post
  return e;
}

void EngineCore::commit() {
  if (pending_.empty() && !roster_dirty_) return;
  // Every field of out_ is set anew: a store's append may have left any of them moved from.
  StoreCommit& out = out_;
  const bool observed = observed_.load(std::memory_order_relaxed);
  if (observed) {
    out.events.assign(pending_.begin(), pending_.end());  // the observers get the originals
    if (unit_version_) {  // complete, whatever the store keeps
      for (Event& e : pending_) {
        if (e.rules_version.empty()) e.rules_version = *unit_version_;
      }
    }
  } else {
    // pending_ takes the last commit's vector (cleared below): its capacity serves the next
    // unit's events.
    out.events.swap(pending_);
  }
  out.rules_version = std::move(unit_version_);
  out.cases.resize(touched_.size());  // the snapshots' buffers are reused (encode_case_into)
  for (std::size_t i = 0; i < touched_.size(); ++i) {
    const CaseId id = touched_[i];
    const CaseRecord& c = cases_[id - 1];
    const auto rating = ratings_.find(id);
    const auto oversight = oversight_.find(id);
    const auto coordination = coordinations_.find(id);
    const CaseExtras extras{
        c.bundle != 0 ? index_of(bundles_[c.bundle - 1].def) : kNone,
        rating == ratings_.end() ? nullptr : &rating->second,
        oversight == oversight_.end() ? nullptr : &oversight->second,
        coordination == coordinations_.end() ? nullptr : &coordination->second};
    CaseSnapshot& s = out.cases[i];
    s.id = id;
    s.last_seq = c.last_seq;
    encode_case_into(s.encoded, c, applicants_[c.applicant], extras);
  }
  // The first commit also records which rule set the cases' references belong to.
  if (roster_dirty_ || !state_written_) {
    out.engine_state = encode_engine_state(rules_.version(), roster_);
  } else {
    out.engine_state.reset();
  }
  out.request = request_;
  out.rules = pending_rules_;
  out.handoffs = handoffs_;
  out.receipt = receipt_;
  try {
    // Queued only: the facade waits for durability outside the lock (group commit).
    ticket_ = store_->append_reusing(out);
    pending_rules_.reset();
    appended_ = ticket_;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::store_error, fmt::format("the store refused the commit: {}", e.what()));
  }
  state_written_ = true;
  if (observed) {
    for (Event& e : pending_) committed_.push_back(std::move(e));
  }
  pending_.clear();
  undo_.clear();
  touched_.clear();
  rating_undo_.clear();
  oversight_undo_.clear();
  coordination_undo_.clear();
  roster_dirty_ = false;
  request_.reset();
  handoffs_.clear();
  receipt_.reset();
}

void EngineCore::rollback() noexcept {
  for (const CaseRecord& r : undo_) cases_[r.id - 1] = r;
  cases_.truncate(cases_before_);
  applicants_.truncate(applicants_before_);
  bundles_.resize(bundles_before_);
  // Each rating was saved once, at its first touch in this unit.
  for (auto u = rating_undo_.rbegin(); u != rating_undo_.rend(); ++u) {
    if (u->second) {
      ratings_[u->first] = *u->second;
    } else {
      ratings_.erase(u->first);
    }
  }
  rating_undo_.clear();
  for (auto u = oversight_undo_.rbegin(); u != oversight_undo_.rend(); ++u) {
    if (u->second) {
      oversight_[u->first] = std::move(*u->second);
    } else {
      oversight_.erase(u->first);
    }
  }
  oversight_undo_.clear();
  for (auto u = coordination_undo_.rbegin(); u != coordination_undo_.rend(); ++u) {
    if (u->second) {
      coordinations_[u->first] = *u->second;
    } else {
      coordinations_.erase(u->first);
    }
  }
  coordination_undo_.clear();
  pending_.clear();
  unit_version_.reset();
  undo_.clear();
  touched_.clear();
  roster_dirty_ = false;
  request_.reset();
  handoffs_.clear();
  receipt_.reset();
}

}  // namespace workflow::detail
