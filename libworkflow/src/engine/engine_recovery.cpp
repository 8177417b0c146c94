// Reopening a store: cases, roster and every pending timer come back exactly, and timers
// that fell due while the engine was down fire on the first advance, in due order.
// Also the request-id check that makes a retried command harmless.
#include <algorithm>

#include <fmt/format.h>

#include "engine/case_codec.hpp"
#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

std::optional<CaseId> EngineCore::replayed(const std::string& request_id,
                                           const std::string& fingerprint) {
  const std::optional<RequestRecord> earlier = store_->find_request(request_id);
  if (!earlier) return std::nullopt;
  if (earlier->fingerprint != fingerprint) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("request id '{}' was already used for a different command (case {})",
                            request_id, earlier->case_id));
  }
  // The earlier command may be queued but not durable yet (find_request answers from the
  // queue too): the retry is answered only once it is, so the facade waits for the latest
  // ticket appended (nothing to wait for if this engine has appended nothing: then the
  // request came from the store as it was opened, durable). If that commit fails, the
  // retry fails with it.
  ticket_ = std::max(ticket_, appended_);
  return earlier->case_id;
}

namespace {

void check_refs(const RuleSet& rules, const CaseRecord& c) {
  const auto bad = [&](const char* what) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot of case {} refers to a {} the rule set does not have",
                            c.id, what));
  };
  if (index_of(c.matter) >= rules.matters().size()) bad("matter");
  for (OfficeRef o : {c.accepting_office, c.issue_office, c.office}) {
    if (index_of(o) >= rules.offices().size()) bad("office");
  }
  for (PostRef p : {c.intake_post, c.post}) {
    if (index_of(p) >= rules.posts().size()) bad("post");
  }
  for (StaffRef s : {c.holder, c.first_handler}) {
    if (index_of(s) >= rules.staff().size()) bad("staff member");
  }
  if (c.delegation != kNone && c.delegation >= rules.delegations().size()) bad("delegation");
  if (c.stage > 0 && c.stage >= rules.matter(c.matter).stages.size()) {
    bad("stage of its matter");
  }
  if (c.agent_post != kNone && c.agent_post >= rules.posts().size()) bad("post");
}

// A format-1 proxy case named its agent only: the post is the first agent post they hold,
// as A, else as B (the one open_case chose when the agent was present).
std::uint32_t format1_agent_post(const RuleSet& rules, const CaseRecord& c,
                                 const DecodedExtras& extras) {
  if (extras.format1_agent >= rules.staff().size()) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot of case {} refers to a staff member the rule set does "
                            "not have", c.id));
  }
  const StaffRef agent{extras.format1_agent};
  const auto posts = rules.posts();
  for (const bool as_a : {true, false}) {
    for (std::uint32_t i = 0; i < posts.size(); ++i) {
      if (posts[i].role == PostRole::agent && (as_a ? posts[i].a : posts[i].b) == agent) return i;
    }
  }
  throw Error(ErrorCode::store_error,
              fmt::format("the snapshot of case {} names agent {}, who holds no agent post",
                          c.id, rules.staff(agent).id));
}

}  // namespace

void EngineCore::recover() {
  const std::string state = store_->engine_state();
  if (!state.empty()) {
    const EngineState saved = decode_engine_state(state);
    // Cases refer to rule-set entities by index: they must be read with the rule set they
    // were accepted under, never silently re-pointed at another.
    if (saved.rules_version != rules_.version()) {
      throw Error(ErrorCode::store_error,
                  fmt::format("the store's cases were recorded under rule set {}, but the "
                              "engine was given rule set {}; open it with the rules its cases "
                              "were accepted under",
                              saved.rules_version.substr(0, 12), rules_.version().substr(0, 12)));
    }
    if (saved.absences.size() != roster_.size()) {
      throw Error(ErrorCode::store_error, "the stored roster does not match the rule set's staff");
    }
    for (std::uint32_t i = 0; i < saved.absences.size(); ++i) {
      roster_.set(StaffRef{i}, saved.absences[i]);
    }
    state_written_ = true;
  }
  store_->for_each_case([&](const CaseSnapshot& s) {
    CaseRecord c;
    std::string applicant;
    DecodedExtras extras;
    decode_case(s, c, applicant, &extras);
    if (c.id != cases_.size() + 1) {
      throw Error(ErrorCode::store_error,
                  fmt::format("case snapshots are not contiguous: expected case {}, found {}",
                              cases_.size() + 1, c.id));
    }
    check_refs(rules_, c);
    if (c.rules_version >= versions_.size()) {
      throw Error(ErrorCode::store_error,
                  fmt::format("the snapshot of case {} refers to rule version {}, the store "
                              "holds {}", c.id, c.rules_version + 1, versions_.size()));
    }
    if (extras.format1_agent != kNone) c.agent_post = format1_agent_post(rules_, c, extras);
    if (c.bundle != 0) {
      // Bundles are not stored apart: each part names its bundle and the bundle's rule.
      if (extras.bundle_def >= rules_.bundles().size()) {
        throw Error(ErrorCode::store_error,
                    fmt::format("the snapshot of case {} refers to a bundle the rule set does "
                                "not have", c.id));
      }
      if (bundles_.size() < c.bundle) bundles_.resize(c.bundle);
      BundleRecord& b = bundles_[c.bundle - 1];
      b.def = BundleRef{extras.bundle_def};
      b.parts.push_back(c.id);
    }
    if (extras.rating) {
      if (extras.rating->task && index_of(extras.rating->unit) >= rules_.departments().size()) {
        throw Error(ErrorCode::store_error,
                    fmt::format("the snapshot of case {} refers to a department the rule set "
                                "does not have", c.id));
      }
      ratings_.emplace(c.id, std::move(*extras.rating));
    }
    if (extras.oversight) restore_oversight(c, std::move(*extras.oversight));
    if (extras.coordination) {
      const CoordinationRecord& k = *extras.coordination;
      const bool handed = k.state != CoordinationState::coordinating;
      const bool settled = k.state == CoordinationState::settled;
      if (index_of(k.window) >= rules_.posts().size() ||
          index_of(k.sent_post) >= rules_.posts().size() ||
          index_of(k.sent_by) >= rules_.staff().size() ||
          (handed && (index_of(k.unit) >= rules_.departments().size() ||
                      index_of(k.handed_by) >= rules_.staff().size())) ||
          (settled && index_of(k.settled_by) >= rules_.staff().size())) {
        throw Error(ErrorCode::store_error,
                    fmt::format("the snapshot of case {} refers to a post, staff or unit the "
                                "rule set does not have in its 办不成事 coordination", c.id));
      }
      coordinations_.emplace(c.id, std::move(*extras.coordination));
    }
    c.applicant = static_cast<std::uint32_t>(applicants_.size());
    applicants_.push_back(applicant);
    cases_.push_back(c);
  });
  if (!cases_.empty() && !state_written_) {
    throw Error(ErrorCode::store_error, "the store has cases but no engine state");
  }
  for (std::size_t i = 0; i < bundles_.size(); ++i) {
    if (bundles_[i].parts.empty()) {
      throw Error(ErrorCode::store_error,
                  fmt::format("bundle {} has no parts in the store", i + 1));
    }
  }
  for (const CaseRecord& c : cases_) {
    rearm_timers(c);
    if (!is_concluded(c.life.phase)) {
      note_holder(c);
      note_away_from_home(c);
    }
  }
  for (const auto& [id, r] : ratings_) {
    if (r.task && r.state != RectificationState::closed) {
      arm_rectification_light(r, id);
    }
  }
  for (const auto& [id, r] : coordinations_) arm_coordination_light(r, id);
  const DateTime now = clock_->now();
  for (std::uint32_t i = 0; i < roster_.size(); ++i) {
    const Roster::Absence& a = roster_.absence(StaffRef{i});
    // An absence not over yet: its start fires again, at once if it began before this
    // opening (while the engine was down, or already handed over before it closed), with
    // the roster as it is now: fired at its past start, it routed by who was away then
    // (moving flagged cases back and forth, with events dated before the moves already
    // recorded). Handing over what the absent person still holds moves only what the
    // roster now sends elsewhere.
    if (a.set && a.until > now) {
      timers_.push(Timer{std::max(a.from, now), i, TimerKind::absence_start,
                         absence_generation_[i], 0});
    }
    // Its end gives back what the 办不成事 window holds, at once if it ended before this
    // opening (returning is idempotent).
    if (a.set) {
      timers_.push(Timer{std::max(a.until, now), i, TimerKind::absence_end,
                         absence_generation_[i], 0});
    }
  }
}

void EngineCore::rearm_timers(const CaseRecord& c) {
  arm_law_timers(c);  // an issued approval on commitment may still await verification
  if (is_concluded(c.life.phase)) return;
  if (c.life.phase == Phase::received && !c.notified) {
    const Date last =
        calendar_.add_working_days(c.received.date(), rules_.policy().notify_missing_days);
    timers_.push(Timer{DateTime::at(last + 1), c.id, TimerKind::notice_window, 0, 0});
  } else if (c.life.phase == Phase::received && c.notified && missing_materials(c, false).empty()) {
    timers_.push(Timer{completion_window_end(c), c.id, TimerKind::notice_window, 0, 0});
  }
  if (c.tolerance) {
    timers_.push(Timer{DateTime::at(c.supplement_due + 1), c.id, TimerKind::supplement_due, 0, 0});
  }
  if (!clock_runs_in(c.life.phase) || c.life.suspended) return;
  // The next light after the one the case shows; if its day passed while the engine was
  // down, the first advance fires it (and the ones after it, in order).
  const std::pair<Light, Date> steps[] = {{Light::yellow, c.deadlines.yellow_from},
                                          {Light::red, c.deadlines.red_from},
                                          {Light::escalated_red, c.deadlines.escalated_red_from}};
  std::optional<Date> next;
  for (const auto& [light, day] : steps) {
    if (light > c.light && (!next || day < *next)) next = day;
  }
  if (next) timers_.push(Timer{DateTime::at(*next), c.id, TimerKind::light, c.timer_generation, 0});
  if (c.life.phase == Phase::opinions) arm_opinion_timers(c);
}

}  // namespace workflow::detail
