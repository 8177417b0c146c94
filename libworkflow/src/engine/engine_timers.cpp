// Time moving on: timers fire in a fixed order, each as its own unit of work, stamped with
// its due time. A timer re-checks the case when it fires, so a timer made stale by a later
// command (the notice was given, the materials came, the light was recomputed) does nothing.
#include <fmt/format.h>

#include "engine/engine_core.hpp"

namespace workflow::detail {

void EngineCore::advance_to(DateTime t) {
  while (const std::optional<Timer> timer = timers_.pop_due(t)) {
    if (timer->due > advanced_) advanced_ = timer->due;
    unit([&] { fire(*timer); });
  }
  if (t > advanced_) advanced_ = t;
  if (manual_clock_ != nullptr && manual_clock_->now() < t) manual_clock_->set(t);
}

void EngineCore::fire(const Timer& t) {
  if (t.kind == TimerKind::absence_start) {
    if (t.generation == absence_generation_[t.subject]) {
      begin_absence(StaffRef{static_cast<std::uint32_t>(t.subject)}, t.due);
    }
    return;
  }
  if (t.kind == TimerKind::absence_end) return;  // the roster's times already say so
  if (t.kind == TimerKind::rectification_light) {
    fire_rectification_light(t);  // the case is concluded; its rating's task is not
    return;
  }
  CaseRecord& c = cases_[t.subject - 1];
  if (is_concluded(c.life.phase)) return;
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
      if (c.life.phase == Phase::received && !c.notified) {
        trigger_system(Trigger::deemed_accept, EventKind::deemed_accepted,
                       fmt::format("no notice of missing materials within {} working days "
                                   "(§32): accepted as of the day received, {}",
                                   policy.notify_missing_days, c.received.date().to_string()),
                       {});
      }
      break;
    case TimerKind::supplement_due:
      if (c.tolerance && DateTime::at(c.supplement_due + 1) == t.due) {
        std::string owed;
        for (const std::string& m : missing_materials(c, false)) owed += (owed.empty() ? "" : "; ") + m;
        trigger_system(Trigger::supplement_overdue, EventKind::supplement_overdue,
                       fmt::format("容缺 materials not supplied by {}: the case is terminated",
                                   c.supplement_due.to_string()),
                       "owed=" + owed);
      }
      break;
    case TimerKind::light:
      if (t.generation == c.timer_generation && clock_runs_in(c.life.phase) &&
          !c.life.suspended) {
        refresh_light(c, t.due);
      }
      break;
    case TimerKind::opinion_share: {
      const Matter& m = rules_.matter(c.matter);
      const bool silent = !(c.opinions_answered & (1u << t.arg));
      if (t.generation == c.timer_generation && c.life.phase == Phase::opinions && silent &&
          !c.life.suspended && m.deemed_approval) {
        trigger_system(Trigger::opinion_deemed, EventKind::opinion_deemed,
                       fmt::format("{} gave no opinion within its share of time: deemed to "
                                   "agree (超时默许)", m.stages[t.arg].name),
                       fmt::format("stage={}", m.stages[t.arg].name),
                       static_cast<std::uint8_t>(t.arg));
      }
      break;
    }
    case TimerKind::absence_start:
    case TimerKind::absence_end:
    case TimerKind::rectification_light:
      break;
  }
}

}  // namespace workflow::detail
