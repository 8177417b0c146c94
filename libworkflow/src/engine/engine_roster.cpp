// The status board (去向牌) and AB岗: when a holder goes away, the work they hold passes to
// the other holder of the post, or to the 办不成事 window when both are away.
#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "support/sha256.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// The fingerprint of a status-board command, for its request id.
std::string roster_fingerprint(std::string_view verb, std::string_view staff,
                               std::string_view detail) {
  return sha256_hex(fmt::format("{}\x1f{}\x1f{}", verb, staff, detail)).substr(0, 32);
}

}  // namespace

void EngineCore::mark_away(std::string_view staff, AbsenceKind kind, DateTime from,
                           DateTime until, std::string_view actor, std::string_view request_id) {
  const StaffRef s = staff_ref(staff);
  if (!actor.empty()) staff_ref(actor);  // an unknown recorder is not_found too
  const std::string print = roster_fingerprint(
      "mark_away", staff,
      fmt::format("{} {} {} {}", to_string(kind), from.to_string(), until.to_string(), actor));
  if (!request_id.empty() && replayed(std::string(request_id), print)) return;
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
      if (!request_id.empty()) request_ = RequestRecord{std::string(request_id), print, 0};
      if (from <= now) begin_absence(s, now, actor);
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

void EngineCore::mark_back(std::string_view staff, std::string_view actor,
                           std::string_view request_id) {
  const StaffRef s = staff_ref(staff);
  if (!actor.empty()) staff_ref(actor);
  const std::string print = roster_fingerprint("mark_back", staff, actor);
  if (!request_id.empty() && replayed(std::string(request_id), print)) return;
  const Roster::Absence before = roster_.absence(s);
  roster_.clear(s);
  try {
    unit([&] {
      roster_dirty_ = true;
      if (!request_id.empty()) request_ = RequestRecord{std::string(request_id), print, 0};
    });
  } catch (...) {
    roster_.set(s, before);
    throw;
  }
  ++absence_generation_[index_of(s)];  // a pending absence start no longer applies
}

void EngineCore::begin_absence(StaffRef staff, DateTime at, std::string_view recorded_by) {
  const Roster::Absence& away = roster_.absence(staff);
  for (CaseRecord& c : cases_) {
    if (c.holder != staff || is_concluded(c.life.phase)) continue;
    // The stage's own post: for an unresolved case that is the 办不成事 window itself.
    route_to(c, c.post, at,
             fmt::format("{} is away ({}) until {}{}", rules_.staff(staff).id,
                         to_string(away.kind), away.until.to_string(),
                         recorded_by.empty() ? std::string{}
                                             : fmt::format(", as recorded by {}", recorded_by)));
  }
}

}  // namespace workflow::detail
