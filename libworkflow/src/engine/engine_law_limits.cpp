// Time limits of the law beyond a case's promised and legal deadlines, each with its own day,
// light and overrun event, recorded once:
//  - §43 上报件: the lower level reviews and reports up within escalation_review_days of
//    acceptance;
//  - §44: an approval is issued within issue_days of the decision;
//  - 环节时限: an ordered back-office stage keeps within its share_days (joint stages: their
//    opinion shares, engine_timers.cpp), so supervision sees which unit holds a case up;
//  - 告知承诺: the organ verifies the applicant's commitment within its days of the approval.
// The days are computed from the record when needed, never stored: a timer is live only
// while its due time is still the one the record gives now.
#include <algorithm>

#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// A limit's last day, or nullopt if it falls past the loaded calendar (then not timed: a
// case is never refused for a supervision deadline).
std::optional<Date> add_days(const Calendar& calendar, Date from, int days) {
  try {
    return calendar.add_working_days(from, days);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::calendar_no_data) return std::nullopt;
    throw;
  }
}

// Green before the last day, yellow on it, red after it; once the step is done the light
// freezes: red if its overrun was recorded, else green.
Light law_light(std::optional<Date> due, Date today, bool running, bool overrun) {
  if (!due) return Light::none;
  if (overrun) return Light::red;
  if (!running) return Light::green;
  if (today > *due) return Light::red;
  return today == *due ? Light::yellow : Light::green;
}

bool reviewing_below(Phase p) {
  return p == Phase::preliminary_review || p == Phase::back_office_review;
}

}  // namespace

std::optional<Date> EngineCore::escalation_review_due(const CaseRecord& c) const {
  const Matter& m = rules_.matter(c.matter);
  if (m.kind != MatterKind::escalated || c.on_promise || c.light == Light::none) {
    return std::nullopt;
  }
  return add_days(calendar_, c.accepted,
                  rules_.policy().escalation_review_days + c.suspended_days);
}

std::optional<Date> EngineCore::issue_due(const CaseRecord& c) const {
  if (c.decision != Decision::approved || (c.law_flags & kDecidedOnUnknown)) return std::nullopt;
  return add_days(calendar_, c.decided_on, rules_.policy().issue_days);
}

std::optional<Date> EngineCore::stage_due(const CaseRecord& c) const {
  if (c.life.phase != Phase::back_office_review || (c.law_flags & kStageSinceUnknown)) {
    return std::nullopt;
  }
  const Matter& m = rules_.matter(c.matter);
  if (c.stage >= m.stages.size() || m.stages[c.stage].share_days <= 0) return std::nullopt;
  return add_days(calendar_, c.opinions_since,
                  m.stages[c.stage].share_days + c.suspended_days - c.suspended_at_opinions);
}

std::optional<Date> EngineCore::verification_due(const CaseRecord& c) const {
  if (c.verification == Verification::none) return std::nullopt;
  const Matter& m = rules_.matter(c.matter);
  const int days = m.promise_verification_days > 0 ? m.promise_verification_days
                                                   : rules_.policy().promise_verification_days;
  // An approval on commitment is decided on the day it is accepted.
  return add_days(calendar_, c.accepted, days);
}

void EngineCore::arm_law_timers(const CaseRecord& c) {
  const auto push = [&](std::optional<Date> due, TimerKind kind, std::uint32_t arg = 0) {
    if (due) timers_.push(Timer{DateTime::at(*due + 1), c.id, kind, 0, arg});
  };
  if (reviewing_below(c.life.phase) && !(c.law_flags & kEscalationReviewOverdue)) {
    push(escalation_review_due(c), TimerKind::escalation_review);
  }
  if (c.life.phase == Phase::decided && !(c.law_flags & kIssueOverdue)) {
    push(issue_due(c), TimerKind::issue_window);
  }
  if (!(c.stages_overdue & (1u << c.stage))) {
    push(stage_due(c), TimerKind::stage_share, c.stage);
  }
  if (c.verification == Verification::pending && !(c.law_flags & kVerificationOverdue)) {
    push(verification_due(c), TimerKind::verification_window);
  }
}

bool EngineCore::law_timer_live(const Timer& t) const {
  const CaseRecord& c = cases_[t.subject - 1];
  const auto at_due = [&](std::optional<Date> due) {
    return due && DateTime::at(*due + 1) == t.due;
  };
  switch (t.kind) {
    case TimerKind::escalation_review:
      return reviewing_below(c.life.phase) && !c.life.suspended &&
             !(c.law_flags & kEscalationReviewOverdue) && at_due(escalation_review_due(c));
    case TimerKind::issue_window:
      return c.life.phase == Phase::decided && !(c.law_flags & kIssueOverdue) &&
             at_due(issue_due(c));
    case TimerKind::stage_share:
      return c.stage == t.arg && !c.life.suspended && !(c.stages_overdue & (1u << c.stage)) &&
             at_due(stage_due(c));
    case TimerKind::verification_window:
      return c.verification == Verification::pending &&
             (c.life.phase == Phase::decided || c.life.phase == Phase::issued) &&
             !(c.law_flags & kVerificationOverdue) && at_due(verification_due(c));
    default:
      return false;
  }
}

void EngineCore::fire_law_timer(const Timer& t) {
  CaseRecord& c = touch(cases_[t.subject - 1]);
  const Policy& policy = rules_.policy();
  const Matter& m = rules_.matter(c.matter);
  const Date last = t.due.date() - 1;
  switch (t.kind) {
    case TimerKind::escalation_review:
      c.law_flags |= kEscalationReviewOverdue;
      emit_system(c, EventKind::escalation_review_overdue, t.due,
                  fmt::format("§43: the lower level did not review and report the case up "
                              "within {} working days of acceptance (by {})",
                              policy.escalation_review_days, last.to_string()),
                  fmt::format("due={}; days={}; post={}", last.to_string(),
                              policy.escalation_review_days, rules_.post(c.post).id));
      break;
    case TimerKind::issue_window:
      c.law_flags |= kIssueOverdue;
      emit_system(c, EventKind::issue_overdue, t.due,
                  fmt::format("§44: the approval of {} was not issued within {} working days "
                              "(by {})",
                              c.decided_on.to_string(), policy.issue_days, last.to_string()),
                  fmt::format("due={}; days={}; post={}", last.to_string(), policy.issue_days,
                              rules_.post(c.post).id));
      break;
    case TimerKind::stage_share: {
      c.stages_overdue |= 1u << c.stage;
      const Stage& s = m.stages[c.stage];
      const PostRef post = stage_post(rules_, c, c.stage);
      const std::string unit = rules_.department(rules_.post(post).department).id;
      emit_system(c, EventKind::stage_overdue, t.due,
                  fmt::format("环节超时: stage {} of {} overran its {} working days (by {})",
                              s.name, unit, s.share_days, last.to_string()),
                  fmt::format("stage={}; unit={}; post={}; due={}", s.name, unit,
                              rules_.post(post).id, last.to_string()));
      break;
    }
    case TimerKind::verification_window: {
      c.law_flags |= kVerificationOverdue;
      const int days = m.promise_verification_days > 0 ? m.promise_verification_days
                                                       : policy.promise_verification_days;
      emit_system(c, EventKind::verification_overdue, t.due,
                  fmt::format("告知承诺: the applicant's commitment was not verified within {} "
                              "working days of the approval (by {})",
                              days, last.to_string()),
                  fmt::format("due={}; days={}; unit={}", last.to_string(), days,
                              rules_.department(deciding_department(c)).id));
      break;
    }
    default:
      break;
  }
}

std::vector<std::string> EngineCore::owed_materials(const CaseRecord& c) const {
  if (!c.on_promise) return missing_materials(c, false);
  if (!c.tolerance) return {};
  return missing_materials(c, true);
}

void EngineCore::fill_law_view(CaseView& v, const CaseRecord& c) const {
  const Date today = clock_->now().date();
  const Phase p = c.life.phase;
  if (c.on_promise) {
    // The commitment stands in for what was missing; only 容缺 materials may still be owed.
    v.missing_materials = owed_materials(c);
    for (std::string& name : missing_materials(c, false)) {
      if (std::find(v.missing_materials.begin(), v.missing_materials.end(), name) ==
          v.missing_materials.end()) {
        v.excused_materials.push_back(std::move(name));
      }
    }
  }
  v.escalation_review_deadline = escalation_review_due(c);
  v.escalation_review_light =
      law_light(v.escalation_review_deadline, today, reviewing_below(p) && !c.life.suspended,
                c.law_flags & kEscalationReviewOverdue);
  v.issue_deadline = issue_due(c);
  v.issue_light = law_light(v.issue_deadline, today, p == Phase::decided,
                            c.law_flags & kIssueOverdue);
  const Matter& m = rules_.matter(c.matter);
  if (p == Phase::back_office_review && c.stage < m.stages.size()) {
    v.stage = m.stages[c.stage].name;
  }
  v.stage_deadline = stage_due(c);
  v.stage_light = law_light(v.stage_deadline, today, !c.life.suspended,
                            c.stages_overdue & (1u << c.stage));
  for (std::size_t i = 0; i < m.stages.size() && i < 32; ++i) {
    if (c.stages_overdue & (1u << i)) v.overdue_stages.push_back(m.stages[i].name);
  }
  v.verification = c.verification;
  v.verification_deadline = verification_due(c);
  v.verification_light =
      law_light(v.verification_deadline, today,
                c.verification == Verification::pending && p != Phase::revoked &&
                    p <= Phase::issued,
                c.law_flags & kVerificationOverdue);
}

}  // namespace workflow::detail
