// Time moving on: timers fire in a fixed order, each as its own unit of work, stamped with
// its due time. A timer re-checks the case when it fires, so a timer made stale by a later
// command (the notice was given, the materials came, the light was recomputed) does nothing.
#include <fmt/format.h>

#include "engine/engine_core.hpp"

namespace workflow::detail {

void EngineCore::advance_to(DateTime t) {
  advance_some(t, SIZE_MAX);
}

bool EngineCore::advance_some(DateTime t, std::size_t budget) {
  for (; budget > 0; --budget) {
    const std::optional<Timer> timer = timers_.pop_due(t);
    if (!timer) {
      if (t > advanced_) advanced_ = t;
      if (manual_clock_ != nullptr && manual_clock_->now() < t) manual_clock_->set(t);
      return true;
    }
    if (timer->due > advanced_) advanced_ = timer->due;
    if (const std::uint64_t next = timers_.next_case_hint(); next != 0 && next <= cases_.size()) {
      const char* record = reinterpret_cast<const char*>(&cases_[next - 1]);
      for (std::size_t line = 0; line < sizeof(CaseRecord); line += 64) {
        __builtin_prefetch(record + line);
      }
    }
    // A stale timer (most of a midnight's: the case went on or ended before it was due)
    // changes nothing, so it needs no unit to commit or roll back.
    if (!live(*timer)) continue;
    unit([&] { fire(*timer); });
  }
  return false;
}

bool EngineCore::fire_due_of(CaseId id, DateTime t) {
  if (timers_.absence_due(t)) return false;
  // A case timer touches its own case only, so firing it ahead of the other cases' changes
  // nothing they see; only the log's order across cases differs.
  if (id != 0 && id <= cases_.size()) {
    while (const std::optional<Timer> timer = timers_.pop_due_of(id, t)) {
      if (live(*timer)) unit([&] { fire(*timer); });  // a stale one needs no unit
    }
  }
  return true;
}

// Whether firing `t` now would do anything: a later command (the notice was given, the
// materials came, the light was recomputed, the absence was cancelled) makes a timer stale.
// fire() acts only on live timers, and next_due() names only those.
bool EngineCore::live(const Timer& t) const {
  switch (t.kind) {
    case TimerKind::absence_start:
      return t.generation == absence_generation_[t.subject];
    case TimerKind::absence_end:
      // Only for what the 办不成事 window holds; the roster's times say the rest.
      return t.generation == absence_generation_[t.subject];
    case TimerKind::rectification_light: {
      const auto it = ratings_.find(t.subject);
      return it != ratings_.end() && it->second.generation == t.generation &&
             it->second.state != RectificationState::closed;
    }
    case TimerKind::order_light:
      return order_timer_live(t);
    case TimerKind::coordination_light:
      return coordination_timer_live(t);
    case TimerKind::escalation_review:
    case TimerKind::issue_window:
    case TimerKind::stage_share:
    case TimerKind::verification_window:
      return law_timer_live(t);
    default:
      break;
  }
  const CaseRecord& c = cases_[t.subject - 1];
  if (is_concluded(c.life.phase)) return false;
  switch (t.kind) {
    case TimerKind::notice_window:
      if (c.life.phase != Phase::received) return false;
      // Unnotified: the §32 days from receipt; notified and answered in full: the days
      // from the last material (a partial answer leaves nothing to time).
      return !c.notified ||
             (missing_materials(c, false).empty() && t.due == completion_window_end(c));
    case TimerKind::supplement_due:
      return c.tolerance && DateTime::at(c.supplement_due + 1) == t.due;
    case TimerKind::light:
      return t.generation == c.timer_generation && clock_runs_in(c.life.phase) &&
             !c.life.suspended;
    case TimerKind::opinion_share: {
      // Deemed to agree (超时默许) where the matter says so; else, for a share the rules set,
      // the overrun is recorded once (环节超时).
      const Matter& m = rules_.matter(c.matter);
      return t.generation == c.timer_generation && c.life.phase == Phase::opinions &&
             !(c.opinions_answered & (1u << t.arg)) && !c.life.suspended &&
             (m.deemed_approval ||
              (m.stages[t.arg].share_days > 0 && !(c.stages_overdue & (1u << t.arg))));
    }
    default:
      return false;
  }
}

std::optional<DateTime> EngineCore::next_due() const {
  // Stale timers are dropped as they reach the front: what remains there will act.
  while (const std::optional<Timer> front = timers_.front()) {
    if (live(*front)) return front->due;
    timers_.pop_due(front->due);
  }
  return std::nullopt;
}

void EngineCore::fire(const Timer& t) {
  if (!live(t)) return;
  if (t.kind == TimerKind::absence_start) {
    begin_absence(StaffRef{static_cast<std::uint32_t>(t.subject)}, t.due);
    return;
  }
  if (t.kind == TimerKind::absence_end) {
    end_absence(StaffRef{static_cast<std::uint32_t>(t.subject)}, t.due);
    return;
  }
  if (t.kind == TimerKind::rectification_light) {
    fire_rectification_light(t);  // the case is concluded; its rating's task is not
    return;
  }
  if (t.kind == TimerKind::order_light) {
    fire_order_light(t);  // the order's light, whatever the case's state
    return;
  }
  if (t.kind == TimerKind::coordination_light) {
    fire_coordination_light(t);  // the coordination's own light, whatever the case's state
    return;
  }
  if (t.kind >= TimerKind::escalation_review) {
    fire_law_timer(t);
    return;
  }
  CaseRecord& c = cases_[t.subject - 1];
  const auto trigger_system = [&](Trigger trigger, EventKind kind, std::string reason,
                                  std::string detail,
                                  std::optional<std::uint8_t> stage = std::nullopt) {
    LifecycleState next = c.life;
    const Step step = detail::fire(next, trigger, facts_for(c, nullptr));
    if (!step.fired) return;
    touch(c);
    c.life = next;
    emit_system(c, kind, t.due, std::move(reason), std::move(detail));
    apply_step(c, trigger, step.from, step.to, t.due, nullptr, stage);
  };
  const Policy& policy = rules_.policy();
  switch (t.kind) {
    case TimerKind::notice_window:
      if (!c.notified) {
        trigger_system(Trigger::deemed_accept, EventKind::deemed_accepted,
                       fmt::format("no notice of missing materials within {} working days "
                                   "(§32): accepted as of the day received, {}",
                                   policy.notify_missing_days, c.received.date().to_string()),
                       {});
      } else {
        trigger_system(Trigger::deemed_accept, EventKind::deemed_accepted,
                       fmt::format("the notice was answered with every material on {}, and the "
                                   "office neither accepted nor refused within {} working days "
                                   "(§32): accepted as of that day",
                                   c.materials_completed.to_string(), policy.notify_missing_days),
                       "after_notice=true");
      }
      break;
    case TimerKind::supplement_due: {
      std::string owed;
      for (const std::string& m : owed_materials(c)) owed += (owed.empty() ? "" : "; ") + m;
      trigger_system(Trigger::supplement_overdue, EventKind::supplement_overdue,
                     fmt::format("容缺 materials not supplied by {}: the case is terminated",
                                 c.supplement_due.to_string()),
                     "owed=" + owed);
      break;
    }
    case TimerKind::light:
      refresh_light(c, t.due);
      break;
    case TimerKind::opinion_share: {
      const Matter& m = rules_.matter(c.matter);
      if (!m.deemed_approval) {
        touch(c);
        c.stages_overdue |= 1u << t.arg;
        const PostRef post = stage_post(rules_, c, static_cast<std::uint8_t>(t.arg));
        const std::string unit = rules_.department(rules_.post(post).department).id;
        const Date last = t.due.date() - 1;
        emit_system(c, EventKind::stage_overdue, t.due,
                    fmt::format("环节超时: {} of {} gave no opinion within its {} working days "
                                "(by {})", m.stages[t.arg].name, unit,
                                m.stages[t.arg].share_days, last.to_string()),
                    fmt::format("stage={}; unit={}; post={}; due={}", m.stages[t.arg].name, unit,
                                rules_.post(post).id, last.to_string()));
        break;
      }
      trigger_system(Trigger::opinion_deemed, EventKind::opinion_deemed,
                     fmt::format("{} gave no opinion within its share of time: deemed to "
                                 "agree (超时默许)", m.stages[t.arg].name),
                     fmt::format("stage={}", m.stages[t.arg].name),
                     static_cast<std::uint8_t>(t.arg));
      break;
    }
    default:
      break;
  }
}

}  // namespace workflow::detail
