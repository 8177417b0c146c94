// detail::compute_deadlines / light_on / next_light_change on the SHIPPED calendar.
//
// Every expected date is worked out by hand from the State Council's 2025 arrangement
// (国办发明电〔2024〕12号): 国庆节、中秋节 2025-10-01 (Wed) .. 10-08 (Wed) off; Sunday 09-28
// and Saturday 10-11 are working days. Working days after Tuesday 2025-09-30 (not counted):
//   WD1 10-09 Thu   WD2 10-10 Fri   WD3 10-11 Sat(调休)   WD4 10-13 Mon   WD5 10-14 Tue
//   WD6 10-15 Wed   WD7 10-16 Thu   WD8 10-17 Fri   WD9 10-20 Mon   WD10 10-21 Tue
//   WD11..WD13 10-22..10-24   WD14..WD18 10-27..10-31   WD19 11-03 Mon   WD20 11-04 Tue
//   WD21..WD23 11-05..11-07   WD24 11-10 Mon   WD25..WD28 11-11..11-14   WD29 11-17 Mon
//   WD30 11-18 Tue
#include <doctest/doctest.h>

#include <optional>

#include "deadlines/deadlines.hpp"
#include "workflow/calendar.hpp"
#include "workflow/error.hpp"
#include "workflow/rules.hpp"

using workflow::Calendar;
using workflow::Date;
using workflow::DateTime;
using workflow::Error;
using workflow::ErrorCode;
using workflow::Light;
using workflow::Policy;
using workflow::detail::compute_deadlines;
using workflow::detail::Deadlines;
using workflow::detail::light_on;
using workflow::detail::LimitInputs;
using workflow::detail::next_light_change;

namespace {

Date D(const char* iso) { return Date::parse(iso); }
DateTime T(const char* text) { return DateTime::parse(text); }

const Calendar& shipped() {
  static const Calendar calendar = Calendar::load(WORKFLOW_SOURCE_DIR "/rules/calendar");
  return calendar;
}

Policy policy(int yellow_days_left, double used_fraction = 0.0) {
  Policy p;
  p.yellow_days_left = yellow_days_left;
  p.yellow_used_fraction = used_fraction;
  return p;
}

// The National Day case: accepted Tuesday 2025-09-30, promised 5, legal 20.
LimitInputs national_day(int suspended = 0, int extension = 0) {
  LimitInputs in;
  in.accepted = D("2025-09-30");
  in.promised_limit = 5;
  in.legal_limit = 20;
  in.suspended_days = suspended;
  in.extension_days = extension;
  return in;
}

}  // namespace

TEST_CASE("Deadlines: accepted before National Day, counted across the holiday and the 调休 Saturday") {
  const Deadlines d = compute_deadlines(shipped(), policy(1), national_day());
  CHECK(d.promised_due == D("2025-10-14"));        // WD5
  CHECK(d.red_from == D("2025-10-15"));
  CHECK(d.legal_due == D("2025-11-04"));           // WD20
  CHECK(d.escalated_red_from == D("2025-11-05"));
  CHECK(d.yellow_from == D("2025-10-14"));         // k = 1: the deadline day itself
}

TEST_CASE("Deadlines: a §45 suspension of 4 working days moves both deadlines by 4 working days") {
  const Deadlines before = compute_deadlines(shipped(), policy(1), national_day());
  const Deadlines d = compute_deadlines(shipped(), policy(1), national_day(4));
  CHECK(d.promised_due == D("2025-10-20"));  // WD9
  CHECK(d.legal_due == D("2025-11-10"));     // WD24
  CHECK(d.red_from == D("2025-10-21"));
  CHECK(d.escalated_red_from == D("2025-11-11"));
  CHECK(d.yellow_from == D("2025-10-20"));
  CHECK(shipped().working_days_between(before.promised_due, d.promised_due) == 4);
  CHECK(shipped().working_days_between(before.legal_due, d.legal_due) == 4);
}

TEST_CASE("Deadlines: the §42 extension moves only the legal deadline") {
  const Deadlines d = compute_deadlines(shipped(), policy(1), national_day(0, 10));
  CHECK(d.promised_due == D("2025-10-14"));  // unchanged: the promise stands
  CHECK(d.red_from == D("2025-10-15"));
  CHECK(d.yellow_from == D("2025-10-14"));
  CHECK(d.legal_due == D("2025-11-18"));     // WD30
  CHECK(d.escalated_red_from == D("2025-11-19"));

  // With a suspension as well: 4 + 30 = WD34. WD31..WD33 11-19..11-21, WD34 11-24 Mon.
  const Deadlines both = compute_deadlines(shipped(), policy(1), national_day(4, 10));
  CHECK(both.promised_due == D("2025-10-20"));
  CHECK(both.legal_due == D("2025-11-24"));
}

TEST_CASE("Deadlines: yellow boundaries for k working days left") {
  SUBCASE("k = 1: yellow on the deadline day") {
    CHECK(compute_deadlines(shipped(), policy(1), national_day()).yellow_from == D("2025-10-14"));
  }
  SUBCASE("k = 2: yellow from the working day before (Monday, after a Sunday off)") {
    CHECK(compute_deadlines(shipped(), policy(2), national_day()).yellow_from == D("2025-10-13"));
  }
  SUBCASE("k = 3: the 调休 Saturday is the first yellow day") {
    CHECK(compute_deadlines(shipped(), policy(3), national_day()).yellow_from == D("2025-10-11"));
  }
  SUBCASE("k = 0: no yellow, green straight to red") {
    const Deadlines d = compute_deadlines(shipped(), policy(0), national_day());
    CHECK(d.yellow_from == d.red_from);
    CHECK(d.yellow_from == D("2025-10-15"));
    CHECK(light_on(d, D("2025-10-14")) == Light::green);
    CHECK(light_on(d, D("2025-10-15")) == Light::red);
  }
  SUBCASE("k larger than the limit: yellow from the acceptance day") {
    CHECK(compute_deadlines(shipped(), policy(9), national_day()).yellow_from == D("2025-09-30"));
  }
  SUBCASE("k counts from the deadline as moved by a suspension") {
    CHECK(compute_deadlines(shipped(), policy(2), national_day(4)).yellow_from ==
          D("2025-10-17"));  // WD8, the working day before WD9
  }
}

TEST_CASE("Deadlines: yellow once 2/3 of the promised time is used; the earlier rule wins") {
  SUBCASE("promised 9: ceil(6) used, yellow from WD7, before k = 1's WD9") {
    LimitInputs in = national_day();
    in.promised_limit = 9;
    const Deadlines d = compute_deadlines(shipped(), policy(1, 2.0 / 3.0), in);
    CHECK(d.promised_due == D("2025-10-20"));  // WD9
    CHECK(d.yellow_from == D("2025-10-16"));   // WD7
    CHECK(light_on(d, D("2025-10-15")) == Light::green);
    CHECK(light_on(d, D("2025-10-16")) == Light::yellow);
  }
  SUBCASE("promised 5: ceil(3.33) = 4 used, yellow from WD5; k = 2 (WD4) is earlier") {
    CHECK(compute_deadlines(shipped(), policy(0, 2.0 / 3.0), national_day()).yellow_from ==
          D("2025-10-14"));
    CHECK(compute_deadlines(shipped(), policy(2, 2.0 / 3.0), national_day()).yellow_from ==
          D("2025-10-13"));
  }
  SUBCASE("a fraction of 1 is capped at the deadline day") {
    CHECK(compute_deadlines(shipped(), policy(0, 1.0), national_day()).yellow_from ==
          D("2025-10-14"));
  }
  SUBCASE("0.28 of 25 is 7 days, not 8 by floating-point rounding (7.000000000000001)") {
    LimitInputs in = national_day();
    in.promised_limit = 25;
    CHECK(compute_deadlines(shipped(), policy(0, 0.28), in).yellow_from == D("2025-10-17"));  // WD8
  }
  SUBCASE("suspended days are not time used") {
    LimitInputs in = national_day(4);
    in.promised_limit = 9;  // used threshold 6, + 4 suspended + 1 = WD11
    CHECK(compute_deadlines(shipped(), policy(0, 2.0 / 3.0), in).yellow_from == D("2025-10-22"));
  }
}

TEST_CASE("Deadlines: instant (limits 0) is due on the acceptance day, green until red the next day") {
  LimitInputs in;
  in.accepted = D("2025-09-30");
  const Deadlines d = compute_deadlines(shipped(), policy(1), in);
  CHECK(d.promised_due == D("2025-09-30"));
  CHECK(d.legal_due == D("2025-09-30"));
  CHECK(d.red_from == D("2025-10-01"));  // a holiday: lights follow calendar days
  CHECK(d.escalated_red_from == D("2025-10-01"));
  // Decided on the spot: never warned about, even with k = 1 or a used fraction.
  CHECK(d.yellow_from == d.red_from);
  CHECK(light_on(d, D("2025-09-30")) == Light::green);
  CHECK(light_on(d, D("2025-10-01")) == Light::escalated_red);
  CHECK(compute_deadlines(shipped(), policy(3, 0.5), in).yellow_from == D("2025-10-01"));

  // Accepted on the 调休 Sunday 09-28 itself.
  in.accepted = D("2025-09-28");
  CHECK(compute_deadlines(shipped(), policy(1), in).promised_due == D("2025-09-28"));
}

TEST_CASE("Deadlines: deadlines land on a 调休 Saturday and skip a holiday start") {
  LimitInputs in;
  in.accepted = D("2025-10-10");  // Friday
  in.promised_limit = 1;
  in.legal_limit = 2;
  Deadlines d = compute_deadlines(shipped(), policy(1), in);
  CHECK(d.promised_due == D("2025-10-11"));  // the make-up Saturday
  CHECK(d.red_from == D("2025-10-12"));      // a Sunday
  CHECK(d.legal_due == D("2025-10-13"));

  in.accepted = D("2025-10-03");  // accepted by a station during the holiday
  d = compute_deadlines(shipped(), policy(1), in);
  CHECK(d.promised_due == D("2025-10-09"));
}

TEST_CASE("Deadlines: light_on at each boundary day") {
  const Deadlines d = compute_deadlines(shipped(), policy(1), national_day());
  CHECK(light_on(d, D("2025-09-30")) == Light::green);
  CHECK(light_on(d, D("2025-10-08")) == Light::green);
  CHECK(light_on(d, D("2025-10-13")) == Light::green);
  CHECK(light_on(d, D("2025-10-14")) == Light::yellow);
  CHECK(light_on(d, D("2025-10-15")) == Light::red);
  CHECK(light_on(d, D("2025-11-04")) == Light::red);
  CHECK(light_on(d, D("2025-11-05")) == Light::escalated_red);
  CHECK(light_on(d, D("2026-06-01")) == Light::escalated_red);
}

TEST_CASE("Deadlines: next_light_change gives the next day start that changes the light") {
  const Deadlines d = compute_deadlines(shipped(), policy(1), national_day());
  CHECK(next_light_change(d, T("2025-09-30T10:00")) == T("2025-10-14T00:00"));
  CHECK(next_light_change(d, T("2025-10-13T23:59:59")) == T("2025-10-14T00:00"));
  // Strictly after: at the very start of the yellow day the next change is red.
  CHECK(next_light_change(d, T("2025-10-14T00:00")) == T("2025-10-15T00:00"));
  CHECK(next_light_change(d, T("2025-10-14T17:00")) == T("2025-10-15T00:00"));
  CHECK(next_light_change(d, T("2025-10-15T00:00")) == T("2025-11-05T00:00"));
  CHECK(next_light_change(d, T("2025-11-04T23:59:59")) == T("2025-11-05T00:00"));
  CHECK_FALSE(next_light_change(d, T("2025-11-05T00:00")).has_value());
  CHECK_FALSE(next_light_change(d, T("2026-01-01")).has_value());

  // k = 0: yellow_from == red_from is one change, not two.
  const Deadlines no_yellow = compute_deadlines(shipped(), policy(0), national_day());
  CHECK(next_light_change(no_yellow, T("2025-09-30T10:00")) == T("2025-10-15T00:00"));

  // Instant: red and escalated red begin together; one change.
  LimitInputs in;
  in.accepted = D("2025-09-30");
  const Deadlines instant = compute_deadlines(shipped(), policy(1), in);
  CHECK(next_light_change(instant, T("2025-09-30T09:00")) == T("2025-10-01T00:00"));
  CHECK_FALSE(next_light_change(instant, T("2025-10-01T00:00")).has_value());
}

TEST_CASE("Deadlines: deadlines past the last shipped year are calendar_no_data, never a guess") {
  LimitInputs in;
  in.accepted = D("2035-12-03");  // Monday; 30 working days reach well into 2036
  in.promised_limit = 5;
  in.legal_limit = 30;
  try {
    compute_deadlines(shipped(), policy(1), in);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::calendar_no_data);
  }
  in.accepted = D("2036-01-07");
  try {
    compute_deadlines(shipped(), policy(1), in);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::calendar_no_data);
  }
}

TEST_CASE("Deadlines: negative day counts are invalid_argument") {
  for (int which = 0; which < 4; ++which) {
    LimitInputs in = national_day();
    (which == 0 ? in.promised_limit : which == 1 ? in.legal_limit
                                   : which == 2 ? in.suspended_days
                                                : in.extension_days) = -1;
    CAPTURE(which);
    try {
      compute_deadlines(shipped(), policy(1), in);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::invalid_argument);
    }
  }
}
