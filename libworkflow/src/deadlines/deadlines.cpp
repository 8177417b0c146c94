#include "deadlines/deadlines.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

void require_non_negative(int value, const char* what) {
  if (value < 0) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("{} must not be negative, got {}", what, value));
  }
}

// Working days of the promised limit that must have passed before the used-fraction rule
// turns the light yellow: ceil(f * limit). The small tolerance keeps binary rounding from
// pushing an exact product up a day (0.28 * 25 is 7.000000000000001 in doubles).
int used_days_threshold(double fraction, int limit) noexcept {
  return static_cast<int>(std::ceil(fraction * limit - 1e-9));
}

constexpr DateTime start_of(Date day) noexcept {
  return DateTime::from_seconds(std::int64_t{day.day_number()} * 86400);
}

}  // namespace

Deadlines compute_deadlines(const Calendar& calendar, const Policy& policy,
                            const LimitInputs& in) {
  require_non_negative(in.promised_limit, "promised_limit");
  require_non_negative(in.legal_limit, "legal_limit");
  require_non_negative(in.suspended_days, "suspended_days");
  require_non_negative(in.extension_days, "extension_days");

  // §45 time is not counted, so a suspension pushes both deadlines by the same number of
  // working days. The §42 extension is the agency's, granted against the statute: it moves
  // the legal deadline only, never the promise made to the applicant.
  const int promised_span = in.promised_limit + in.suspended_days;
  const int legal_span = in.legal_limit + in.extension_days + in.suspended_days;

  Deadlines d;
  // add_working_days does not count the start day (受理之日不计算在内), and with a span
  // of 0 (instant matters) it returns the acceptance day itself.
  d.promised_due = calendar.add_working_days(in.accepted, promised_span);
  d.legal_due = calendar.add_working_days(in.accepted, legal_span);
  // Lights change at the start of a calendar day, not of a working day: a case due on
  // Friday is overdue on Saturday, even though nobody works until Monday.
  d.red_from = d.promised_due + 1;
  d.escalated_red_from = d.legal_due + 1;

  // A promised limit of 0 (instant matters, 即办件) means decided on the spot: there is no
  // time left to warn about, so such a case goes from green straight to red.
  d.yellow_from = d.red_from;
  if (in.promised_limit == 0) return d;

  // "k working days left", counting the day itself: yellow from the (span - k + 1)-th
  // working day, so k = 1 makes the deadline day yellow. k <= 0 means no warning from this
  // rule (yellow_from stays red_from).
  const int k = policy.yellow_days_left;
  if (k > 0) {
    d.yellow_from = calendar.add_working_days(in.accepted, std::max(promised_span - k + 1, 0));
  }

  // "f of the time used": once ceil(f * limit) working days of the promised limit are over,
  // i.e. from the next working day (suspended days do not count as used). Never later than
  // the deadline day itself, so a fraction of 1 still warns before red. Of the two rules
  // the one that warns earlier wins.
  if (policy.yellow_used_fraction > 0.0) {
    const int used = used_days_threshold(policy.yellow_used_fraction, in.promised_limit);
    const int span = std::min(used + in.suspended_days + 1, promised_span);
    d.yellow_from = std::min(d.yellow_from, calendar.add_working_days(in.accepted, span));
  }
  return d;
}

Light light_on(const Deadlines& d, Date today) noexcept {
  if (today >= d.escalated_red_from) return Light::escalated_red;
  if (today >= d.red_from) return Light::red;
  if (today >= d.yellow_from) return Light::yellow;
  return Light::green;
}

std::optional<DateTime> next_light_change(const Deadlines& d, DateTime now) noexcept {
  // The three day starts in time order; the first one after `now` that shows a different
  // light is the change. Skipping those that show the same light matters when two
  // boundaries coincide (yellow_from == red_from with k = 0) or are out of order (a legal
  // deadline before the promised one), so the engine never wakes for a non-change.
  std::array<Date, 3> days{d.yellow_from, d.red_from, d.escalated_red_from};
  std::sort(days.begin(), days.end());
  const Light current = light_on(d, now.date());
  for (Date day : days) {
    const DateTime at = start_of(day);
    if (at > now && light_on(d, day) != current) return at;
  }
  return std::nullopt;
}

}  // namespace workflow::detail
