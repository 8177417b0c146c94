// What happens to a case when its lifecycle moves: the stage changes hands (with AB
// handoff), the time limit starts, stops or moves, and the supervision light follows.
#include <fmt/compile.h>
#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "rules/rule_merge.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

PostRef EngineCore::window_for(OfficeRef office, CaseId id) const {
  const std::vector<PostRef>& windows = windows_of(office);
  if (windows.empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("office {} has no window post", rules_.office(office).id));
  }
  return windows[(id - 1) % windows.size()];
}

void EngineCore::route_to(CaseRecord& c, PostRef post, DateTime at, std::string_view why) {
  touch(c);
  bool removed_post = false;
  if (retired(rules_, post)) {
    // A stage of an older rule version at a post a later install removed: the 办不成事
    // window of the post's office (or above) coordinates it.
    const Post& gone = rules_.post(post);
    const std::optional<PostRef> window = unresolved_window(rules_, gone.office);
    if (!window) {
      throw Error(ErrorCode::invalid_transition,
                  fmt::format("case {} would go to post {} for {}, but that post was removed by "
                              "rule set {} and no 办不成事 window can take it", c.id, gone.id,
                              why, current_.version().substr(0, 12)));
    }
    emit_system(c, EventKind::rerouted, at,
                fmt::format("post {} was removed by rule set {}: {} goes to the 办不成事 window",
                            gone.id, current_.version().substr(0, 12), why),
                fmt::format("from_post={}; to_post={}; rules={}", gone.id,
                            rules_.post(*window).id, current_.version()));
    post = *window;
    removed_post = true;
  }
  const OfficeRef old_office = c.office;
  const Assignment to = assign(rules_, roster_, post, at);
  c.post = to.post;
  c.office = to.office;
  c.holder = to.holder;
  c.holding = to.holding;
  note_holder(c);
  // Remember whose stage nobody of its post can take, to give it back as soon as one of A
  // and B is back (engine_roster.cpp): held by the 办不成事 window, or, where neither the
  // post's office nor any above has one (or the post is that window), left at the post with
  // its away A. Without the mark the second kind stayed with A after B came back.
  c.home_post = to.holding == Holding::unresolved && !removed_post ? index_of(post) : kNone;
  note_away_from_home(c);
  const Post& p = rules_.post(post);
  if (to.office != old_office) {
    emit_system(c, EventKind::routed, at, std::string(why),
                fmt::format(FMT_COMPILE("from={}; to={}; post={}"), rules_.office(old_office).id,
                            rules_.office(to.office).id, p.id));
  }
  if (to.holding == Holding::b_covering) {
    emit_system(c, EventKind::handoff, at,
                fmt::format(FMT_COMPILE("A holder {} is away: B holder {} takes the stage ({})"),
                            rules_.staff(p.a).id, rules_.staff(p.b).id, why),
                fmt::format(FMT_COMPILE("post={}; from={}; to={}"), p.id, rules_.staff(p.a).id,
                            rules_.staff(p.b).id));
  } else if (to.holding == Holding::unresolved) {
    emit_system(c, EventKind::routed_unresolved, at,
                fmt::format("A holder {} and B holder {} of post {} are both away",
                            rules_.staff(p.a).id, rules_.staff(p.b).id, p.id),
                fmt::format("post={}; window={}; holder={}", p.id, rules_.post(to.post).id,
                            rules_.staff(to.holder).id));
  }
  // At the 办不成事 window for coordination, like a case no post can take.
  if (removed_post) c.holding = Holding::unresolved;
}

void EngineCore::enter_stage(CaseRecord& c, DateTime at) {
  touch(c);
  c.opinions_since = at.date();  // shared with the opinions phase (case_record.hpp)
  c.suspended_at_opinions = c.suspended_days;
  c.law_flags &= static_cast<std::uint8_t>(~kStageSinceUnknown);
  arm_law_timers(c);  // once the stage is set: its share of time (环节时限)
}

void EngineCore::start_clock(CaseRecord& c, Date accepted, DateTime at) {
  touch(c);
  c.accepted = accepted;
  refresh_light(c, at);
}

void EngineCore::refresh_light(CaseRecord& c, DateTime at) {
  touch(c);
  const Matter& m = rules_.matter(c.matter);
  c.deadlines = compute_deadlines(
      calendar_, rules_.policy(),
      LimitInputs{c.accepted, m.promised_limit, m.legal_limit, c.suspended_days,
                  c.extension_days});
  c.deadlines_provisional = calendar_.provisional_between(c.accepted, c.deadlines.legal_due);
  const Light light = light_on(c.deadlines, at.date());
  // The first green is part of acceptance; every other change is an event of its own.
  if (light != c.light && !(c.light == Light::none && light == Light::green)) {
    emit_system(c, EventKind::light_changed, at,
                fmt::format(FMT_COMPILE("promised deadline {}, legal deadline {}"),
                            c.deadlines.promised_due.to_string(),
                            c.deadlines.legal_due.to_string()),
                fmt::format(FMT_COMPILE("from={}; to={}"), to_string(c.light), to_string(light)));
  }
  c.light = light;
  ++c.timer_generation;
  arm_light_timer(c, at);
  if (c.life.phase == Phase::opinions) arm_opinion_timers(c);
}

void EngineCore::freeze_light(CaseRecord& c) {
  touch(c);
  ++c.timer_generation;  // pending light and opinion timers are now stale
}

void EngineCore::arm_light_timer(const CaseRecord& c, DateTime after) {
  if (const auto due = next_light_change(c.deadlines, after)) {
    timers_.push(Timer{*due, c.id, TimerKind::light, c.timer_generation, 0});
  }
}

void EngineCore::arm_opinion_timers(const CaseRecord& c) {
  const Matter& m = rules_.matter(c.matter);
  const int paused = c.suspended_days - c.suspended_at_opinions;
  for (std::uint32_t i = 0; i < m.stages.size(); ++i) {
    if (c.opinions_answered & (1u << i)) continue;
    const int share = m.stages[i].share_days > 0 ? m.stages[i].share_days : m.promised_limit;
    const Date last = calendar_.add_working_days(c.opinions_since, share + paused);
    timers_.push(Timer{DateTime::at(last + 1), c.id, TimerKind::opinion_share,
                       c.timer_generation, i});
  }
}

void EngineCore::apply_step(CaseRecord& c, Trigger trigger, Phase from, Phase to, DateTime at,
                            const Action* action, std::optional<std::uint8_t> opinion_stage) {
  touch(c);
  const Matter& m = rules_.matter(c.matter);
  switch (trigger) {
    case Trigger::accept:
    case Trigger::deemed_accept: {
      // §32: a deemed acceptance dates from the day the application was received, or, after
      // a notice, from the day the last material arrived.
      const Date accepted = trigger != Trigger::deemed_accept ? at.date()
                            : c.notified                      ? c.materials_completed
                                                              : c.received.date();
      if (to == Phase::decided) c.on_promise = true;  // 告知承诺: approved on the commitment
      // 容缺, alone or with 告知承诺 (which excuses the rest): the tolerable materials
      // missing are owed by a day.
      if (action && action->tolerate_missing &&
          !missing_materials(c, to == Phase::decided).empty()) {
        c.tolerance = true;
        c.supplement_due =
            calendar_.add_working_days(accepted, rules_.policy().tolerance_supplement_days);
        timers_.push(Timer{DateTime::at(c.supplement_due + 1), c.id, TimerKind::supplement_due,
                           0, 0});
      }
      if (to == Phase::decided) {
        c.decision = Decision::approved;
        c.decided_on = at.date();
        c.verification = Verification::pending;  // to be verified (国办发〔2020〕42号)
        start_clock(c, accepted, at);
        freeze_light(c);
        arm_law_timers(c);
        // 综合窗口出件, as for any decision: where the applicant asked (跨域通办).
        if (c.issue_office != c.accepting_office) {
          route_to(c, window_for(c.issue_office, c.id), at,
                   "approved on commitment (告知承诺): to the window to issue (综合窗口出件)");
        }
        break;
      }
      start_clock(c, accepted, at);
      arm_law_timers(c);  // §43 for an escalated matter
      if (to == Phase::preliminary_review) {
        // Window-forward delegations and cross-region cases are pre-reviewed by the
        // handling office's window; otherwise the window that took the case in does it.
        const OfficeRef office = preliminary_office(rules_, c);
        route_to(c, office == c.accepting_office ? c.intake_post : window_for(office, c.id), at,
                 "preliminary review (初审)");
      }
      break;
    }
    case Trigger::notify_missing:
      c.notified = true;
      break;
    case Trigger::supplement:
      if (c.tolerance && owed_materials(c).empty()) c.tolerance = false;
      if (to == Phase::received && c.notified && missing_materials(c, false).empty()) {
        // §32: the notice is answered in full: accept or refuse within the notice period,
        // or the case counts as accepted from today.
        c.materials_completed = at.date();
        timers_.push(Timer{completion_window_end(c), c.id, TimerKind::notice_window, 0, 0});
      }
      break;
    case Trigger::review_pass:
      if (to == Phase::opinions) {
        c.opinions_since = at.date();
        c.suspended_at_opinions = c.suspended_days;
        route_to(c, stage_post(rules_, c, lead_stage(rules_, m)), at, "joint opinions (并联)");
        arm_opinion_timers(c);
      } else {
        c.stage = from == Phase::back_office_review ? c.stage + 1 : 0;
        enter_stage(c, at);
        // §43: the lower level's last stage reviews and reports up; it decides nothing.
        const PostRef to_post = stage_post(rules_, c, c.stage);
        if (m.kind == MatterKind::escalated && c.stage + 1u == m.stages.size() && m.escalate_to) {
          route_to(c, to_post, at, fmt::format("{} (reports up to post {}, §43)",
                                               m.stages[c.stage].name,
                                               rules_.post(*m.escalate_to).id));
        } else {
          route_to(c, to_post, at, m.stages[c.stage].name);  // the name itself, not a copy
        }
      }
      break;
    case Trigger::review_return:
      if (to == Phase::back_office_review) {
        --c.stage;
        enter_stage(c, at);
        route_to(c, stage_post(rules_, c, c.stage), at, "returned to " + m.stages[c.stage].name);
      } else {
        route_to(c, c.intake_post, at, "returned to preliminary review");
      }
      break;
    case Trigger::report_up:
      route_to(c, *m.escalate_to, at, "reported up (上报)");
      break;
    case Trigger::approve:
    case Trigger::higher_approve:
    case Trigger::deny:
    case Trigger::higher_deny:
      c.decision = trigger == Trigger::approve || trigger == Trigger::higher_approve
                       ? Decision::approved
                       : Decision::denied;
      if (c.decision == Decision::denied) c.tolerance = false;  // nothing is owed for a denial
      c.decided_on = at.date();
      freeze_light(c);
      arm_law_timers(c);  // §44: the approval is issued within issue_days
      // 综合窗口出件: the window that took it in, or the one the applicant asked for.
      route_to(c, c.issue_office == c.accepting_office ? c.intake_post
                                                       : window_for(c.issue_office, c.id),
               at, "decided: back to the window to issue (综合窗口出件)");
      break;
    case Trigger::opinion_agree:
    case Trigger::opinion_disagree:
    case Trigger::opinion_deemed:
      c.opinions_answered |= 1u << *opinion_stage;
      if (trigger != Trigger::opinion_disagree) c.opinions_agreed |= 1u << *opinion_stage;
      break;
    case Trigger::suspend:
      c.suspended_since = at.date();
      freeze_light(c);
      break;
    case Trigger::resume: {
      // §45: the working days the special procedure took are not counted.
      const int days = calendar_.working_days_between(c.suspended_since, at.date());
      c.suspended_days += days;
      // 容缺: supplements are refused while the procedure runs, so the applicant's day moves
      // by the days it took. (It stayed, and a day passed meanwhile was lost: its timer fired
      // into the suspension and the case went on without the material, until a reopening
      // re-armed the timer and terminated it.) The old day's timer is stale now.
      if (c.tolerance && days > 0) {
        c.supplement_due = calendar_.add_working_days(c.supplement_due, days);
        timers_.push(Timer{DateTime::at(c.supplement_due + 1), c.id, TimerKind::supplement_due,
                           0, 0});
      }
      refresh_light(c, at);
      arm_law_timers(c);  // §43 and the stage's share move by the days not counted
      break;
    }
    case Trigger::extend:
      c.extension_days = static_cast<std::uint8_t>(action->days);
      refresh_light(c, at);
      break;
    case Trigger::issue:
      break;  // the light froze at the decision
    case Trigger::refuse:
    case Trigger::withdraw:
    case Trigger::terminate:
    case Trigger::supplement_overdue:
    case Trigger::revoke:
      c.tolerance = false;
      freeze_light(c);
      break;
  }
  if (is_concluded(to)) c.concluded = at.date();
}

}  // namespace workflow::detail
