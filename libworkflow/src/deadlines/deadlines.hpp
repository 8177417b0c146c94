// Time limits in working days (限时办结) and the supervision light they give
// (电子监察): pure functions over the calendar and the policy, no state, no clock.
#pragma once

#include <optional>

#include "workflow/calendar.hpp"
#include "workflow/case.hpp"
#include "workflow/clock.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

// What a case's limits are counted from.
struct LimitInputs {
  Date accepted;            // 受理之日: not itself counted
  int promised_limit = 0;   // working days
  int legal_limit = 0;      // working days
  int suspended_days = 0;   // §45 working days not counted so far
  int extension_days = 0;   // the one §42 extension (moves the legal deadline only)
};

// The days a case's light changes on. Each light starts at 00:00 of its day (a calendar
// day: a case due on a Friday is red from Saturday 00:00).
struct Deadlines {
  // Last working day of the promised limit: add_working_days(accepted, promised_limit +
  // suspended_days). With a limit of 0 (instant matters) the acceptance day itself, even
  // if that is not a working day.
  Date promised_due;
  // Last working day of the legal limit: add_working_days(accepted, legal_limit +
  // extension_days + suspended_days).
  Date legal_due;
  // Yellow light from this day (may equal the acceptance day); the earlier of
  //  - policy.yellow_days_left = k: the day on which k working days remain counting that
  //    day itself, add_working_days(accepted, max(promised_limit + suspended - k + 1, 0)),
  //    so k = 1 makes promised_due yellow; k <= 0 gives no yellow from this rule;
  //  - policy.yellow_used_fraction = f > 0: the working day after ceil(f * promised_limit)
  //    working days are used, add_working_days(accepted, ceil(f * promised_limit) +
  //    suspended + 1), but never later than promised_due.
  // With neither rule, and always when promised_limit is 0 (instant: decided on the spot,
  // never warned about), there is no yellow: yellow_from == red_from.
  Date yellow_from;
  Date red_from;            // the calendar day after promised_due
  Date escalated_red_from;  // the calendar day after legal_due
};

// Throws Error(calendar_no_data) if a deadline falls past the loaded calendar years and
// Error(invalid_argument) if any input count is negative. Allocates only when it throws.
Deadlines compute_deadlines(const Calendar& calendar, const Policy& policy,
                            const LimitInputs& in);

// The light on `today` (green, yellow, red or escalated_red): the most severe whose day
// has begun.
Light light_on(const Deadlines& d, Date today) noexcept;

// The first day start (00:00) strictly after `now` at which light_on gives a different
// light than it gives for `now`, if any; boundaries that change nothing are skipped.
std::optional<DateTime> next_light_change(const Deadlines& d, DateTime now) noexcept;

}  // namespace workflow::detail
