// The status board (去向牌) and AB岗: when a holder goes away, the work they hold passes to
// the other holder of the post, or to the 办不成事 window when both are away.
#include <fmt/format.h>

#include "engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

void EngineCore::mark_away(std::string_view staff, AbsenceKind kind, DateTime from,
                           DateTime until) {
  const StaffRef s = staff_ref(staff);
  if (until <= from) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("absence of {} must end after it starts ({} .. {})", staff,
                            from.to_string(), until.to_string()));
  }
  // The roster is engine-wide state, not a case: keep the old entry to restore if the
  // commit is refused.
  const Roster::Absence before = roster_.absence(s);
  const DateTime now = clock_->now();
  roster_.set(s, Roster::Absence{kind, from, until, true});
  try {
    unit([&] {
      roster_dirty_ = true;
      if (from <= now) begin_absence(s, now);
    });
  } catch (...) {
    roster_.set(s, before);
    throw;
  }
  const std::uint32_t generation = ++absence_generation_[index_of(s)];
  if (from > now) {
    timers_.push(Timer{from, index_of(s), TimerKind::absence_start, generation, 0});
  }
}

void EngineCore::mark_back(std::string_view staff) {
  const StaffRef s = staff_ref(staff);
  const Roster::Absence before = roster_.absence(s);
  roster_.clear(s);
  try {
    unit([&] { roster_dirty_ = true; });
  } catch (...) {
    roster_.set(s, before);
    throw;
  }
  ++absence_generation_[index_of(s)];  // a pending absence start no longer applies
}

void EngineCore::begin_absence(StaffRef staff, DateTime at) {
  const Roster::Absence& away = roster_.absence(staff);
  for (CaseRecord& c : cases_) {
    if (c.holder != staff || is_concluded(c.life.phase)) continue;
    // The stage's own post: for an unresolved case that is the 办不成事 window itself.
    route_to(c, c.post, at,
             fmt::format("{} is away ({}) until {}", rules_.staff(staff).id,
                         to_string(away.kind), away.until.to_string()));
  }
}

}  // namespace workflow::detail
