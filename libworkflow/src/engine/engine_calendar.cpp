// Provisional calendar years: a deadline that reaches into a year whose State Council notice
// is not out yet counts its statutory holidays only and is marked provisional on the case.
// When the official calendar of that year arrives, each such open case is recomputed once,
// with a deadlines_recomputed event giving the old and new dates (docs/calendar.md).
#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

void EngineCore::update_calendar(Calendar calendar) {
  for (const CalendarYear& y : calendar_.years()) {
    if (y.year < calendar.first_year() || y.year > calendar.last_year()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("the new calendar ({}–{}) lacks {}, which the engine's calendar "
                              "has and open cases may count on",
                              calendar.first_year(), calendar.last_year(), y.year));
    }
  }
  Calendar old = calendar_;
  calendar_ = std::move(calendar);
  try {
    recompute_provisional(clock_->now());
  } catch (...) {
    calendar_ = std::move(old);
    throw;
  }
  // The law's other limits (§43, §44, stage shares, verification) are counted on the
  // calendar when needed: time them again on the new one (the old timers are now stale).
  for (const CaseRecord& c : cases_) arm_law_timers(c);
}

void EngineCore::recompute_provisional(DateTime at) {
  unit([&] {
    for (CaseRecord& c : cases_) {
      if (!c.deadlines_provisional || is_concluded(c.life.phase)) continue;
      const Matter& m = rules_.matter(c.matter);
      const Deadlines now = compute_deadlines(
          calendar_, rules_.policy(),
          LimitInputs{c.accepted, m.promised_limit, m.legal_limit, c.suspended_days,
                      c.extension_days});
      if (calendar_.provisional_between(c.accepted, now.legal_due)) continue;  // not yet
      const Deadlines old = c.deadlines;
      emit_system(c, EventKind::deadlines_recomputed, at,
                  fmt::format("the official calendar replaced the provisional one: promised "
                              "deadline {} -> {}, legal deadline {} -> {}",
                              old.promised_due.to_string(), now.promised_due.to_string(),
                              old.legal_due.to_string(), now.legal_due.to_string()),
                  fmt::format("promised_due={}->{}; legal_due={}->{}",
                              old.promised_due.to_string(), now.promised_due.to_string(),
                              old.legal_due.to_string(), now.legal_due.to_string()));
      if (clock_runs_in(c.life.phase) && !c.life.suspended) {
        refresh_light(c, at);  // new deadlines, light and timers
      } else {
        // Frozen (decided, suspended): the dates change, the light waits for the clock.
        c.deadlines = now;
        c.deadlines_provisional = false;
      }
    }
  });
}

}  // namespace workflow::detail
