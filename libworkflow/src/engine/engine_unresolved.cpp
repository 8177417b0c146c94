// The 办不成事反映窗口 as a path (issue 14): an application no single window can settle
// (complex, historical, several departments; seed 000 附件1 事项办理 3) is sent there with a
// reason by a window or a supervisor (send_unresolved); the window coordinates it and hands
// it to a unit with a due date in working days (hand_to_unit), under its own green/yellow/red
// light; the window or the unit records the outcome (settle_unresolved). The case's own
// stage does not move: its post's A and B keep their rights on it, the window clerk gains
// none, and the unit's own A and B keep theirs on what they are asked to settle.
#include <algorithm>

#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "rules/rule_merge.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// The coordination's light on `today`: no legal limit beyond its own, so no escalated red.
Light coordination_light(const Deadlines& d, Date today) {
  if (today >= d.red_from) return Light::red;
  return today >= d.yellow_from ? Light::yellow : Light::green;
}

}  // namespace

void EngineCore::check_unresolved_step(const CaseRecord& c, Verb verb, const Action& a) const {
  const Matter& m = rules_.matter(c.matter);
  const std::string what = fmt::format("cannot {} case {} ({})", to_string(verb), c.id, m.code);
  const auto refuse = [&](const std::string& why) {
    throw Error(ErrorCode::invalid_transition, what + ": " + why);
  };
  const auto it = coordinations_.find(c.id);
  const CoordinationRecord* r = it == coordinations_.end() ? nullptr : &it->second;
  switch (verb) {
    case Verb::send_unresolved:
      if (is_concluded(c.life.phase) || c.life.phase == Phase::decided) {
        refuse(fmt::format("it is {}: the 办不成事 window takes applications still to be "
                           "settled", to_string(static_cast<CaseState>(c.life.phase))));
      }
      if (r) {
        refuse(fmt::format("it was sent to the 办不成事 window {} on {} already ({})",
                           rules_.post(r->window).id, r->sent.to_string(), to_string(r->state)));
      }
      return;
    case Verb::hand_to_unit: {
      if (!r) refuse("it was not sent to the 办不成事 window (send_unresolved first)");
      if (r->state != CoordinationState::coordinating) {
        refuse(r->state == CoordinationState::handed
                   ? fmt::format("it was handed to {} on {} already, due {}",
                                 rules_.department(r->unit).id, r->handed.to_string(),
                                 r->due.to_string())
                   : fmt::format("its outcome was recorded on {}", r->settled.to_string()));
      }
      if (is_concluded(c.life.phase)) {
        refuse(fmt::format("the case has ended ({})",
                           to_string(static_cast<CaseState>(c.life.phase))));
      }
      const auto unit = rules_.find_department(a.unit);
      if (!unit) throw Error(ErrorCode::not_found, fmt::format("unknown unit '{}'", a.unit));
      // The units that handle the matter: its department, the departments of its stages,
      // the organ that decides it (上报件, 委托) and the township post doing it.
      std::vector<DepartmentRef> handling{m.department, deciding_department(c)};
      for (const Stage& s : m.stages) handling.push_back(rules_.post(s.post).department);
      if (c.delegation != kNone) {
        const Delegation& d = rules_.delegation(DelegationRef{c.delegation});
        if (d.post) handling.push_back(rules_.post(*d.post).department);
        if (d.from_department) handling.push_back(*d.from_department);
      }
      bool has_post = false;
      const auto posts = rules_.posts();
      for (std::uint32_t i = 0; i < posts.size(); ++i) {
        has_post = has_post || (posts[i].department == *unit && !retired(rules_, PostRef{i}));
      }
      if (std::find(handling.begin(), handling.end(), *unit) == handling.end() || !has_post) {
        std::vector<std::string> ids;
        for (const DepartmentRef d : handling) {
          const std::string& id = rules_.department(d).id;
          if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        }
        std::string list;
        for (const std::string& id : ids) list += (list.empty() ? "" : ", ") + id;
        throw Error(ErrorCode::invalid_argument,
                    fmt::format("unit {} ({}) cannot settle case {}: it does not handle matter "
                                "{} ({}); the units that do are {}",
                                a.unit, rules_.department(*unit).name, c.id, m.code, m.name,
                                list));
      }
      return;
    }
    case Verb::settle_unresolved:
      if (!r) refuse("it was not sent to the 办不成事 window");
      if (r->state == CoordinationState::coordinating) {
        refuse("the window has not handed it to a unit yet (hand_to_unit first)");
      }
      if (r->state == CoordinationState::settled) {
        refuse(fmt::format("its outcome was recorded on {} already", r->settled.to_string()));
      }
      return;
    default:
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("{} is not a verb of the 办不成事 window", to_string(verb)));
  }
}

std::optional<PostRef> EngineCore::unresolved_post(const CaseRecord& c, StaffRef actor, Verb verb,
                                                   DateTime at) const {
  const auto posts = rules_.posts();
  if (verb == Verb::send_unresolved) {
    // A window or supervisor of an office the case is at, accepted in or handled by.
    const OfficeRef handling = handling_office(rules_, c);
    for (std::uint32_t i = 0; i < posts.size(); ++i) {
      const Post& p = posts[i];
      if (!p.sends_unresolved || !holds_now(actor, PostRef{i}, at)) continue;
      if (p.office != c.accepting_office && p.office != c.office && p.office != handling) {
        continue;
      }
      if (unresolved_window(rules_, p.office)) return PostRef{i};
    }
    return std::nullopt;
  }
  const auto it = coordinations_.find(c.id);
  if (it == coordinations_.end()) return std::nullopt;
  const CoordinationRecord& r = it->second;
  // The window coordinates: whoever holds it now (A, or B while A is away), or its supervisor.
  if (holds_now(actor, r.window, at)) return r.window;
  const auto& window_supervisor = rules_.post(r.window).supervisor;
  if (window_supervisor && holds_now(actor, *window_supervisor, at)) return *window_supervisor;
  if (verb != Verb::settle_unresolved || r.state == CoordinationState::coordinating) {
    return std::nullopt;
  }
  // The unit settles what it was asked to: its own A and B keep that right even while on
  // the status board as away, whoever holds its posts now has it, and so do their
  // supervisors.
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    const Post& p = posts[i];
    if (p.department != r.unit || retired(rules_, PostRef{i})) continue;
    if (p.a == actor || p.b == actor || holds_now(actor, PostRef{i}, at)) return PostRef{i};
    if (p.supervisor && holds_now(actor, *p.supervisor, at)) return *p.supervisor;
  }
  return std::nullopt;
}

std::string EngineCore::unresolved_denial(const CaseRecord& c, Verb verb,
                                          std::string_view actor) const {
  if (verb == Verb::send_unresolved) {
    return fmt::format("staff {} may not send case {} to the 办不成事 window: a post with "
                       "sends_unresolved (a window or a supervisor) of office {} or {} does",
                       actor, c.id, rules_.office(c.accepting_office).id,
                       rules_.office(handling_office(rules_, c)).id);
  }
  const CoordinationRecord& r = coordinations_.at(c.id);
  if (verb == Verb::hand_to_unit) {
    return fmt::format("staff {} may not hand case {} to a unit: the 办不成事 window {} "
                       "coordinates it (its holders or their supervisor)",
                       actor, c.id, rules_.post(r.window).id);
  }
  return fmt::format("staff {} may not settle case {}: the 办不成事 window {} or the unit it "
                     "was handed to, {}, records the outcome",
                     actor, c.id, rules_.post(r.window).id, rules_.department(r.unit).id);
}

void EngineCore::act_on_unresolved(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                                   DateTime now) {
  check_unresolved_step(c, verb, a);
  const std::optional<PostRef> post = unresolved_post(c, actor, verb, now);
  if (!post) throw Error(ErrorCode::permission_denied, unresolved_denial(c, verb, a.actor));
  const Date today = now.date();
  switch (verb) {
    case Verb::send_unresolved: {
      CoordinationRecord& r = touch_coordination(c.id);
      r = CoordinationRecord{};
      r.window = *unresolved_window(rules_, rules_.post(*post).office);
      r.sent_by = actor;
      r.sent_post = *post;
      r.sent = today;
      r.reason = a.reason;
      emit(c, EventKind::send_unresolved, now, a.actor, *post, a.reason,
           fmt::format("window={}; from_post={}", rules_.post(r.window).id,
                       rules_.post(*post).id));
      break;
    }
    case Verb::hand_to_unit: {
      const DepartmentRef unit = *rules_.find_department(a.unit);
      const int days = a.days > 0 ? a.days : rules_.policy().unresolved_settle_days;
      // Computed before anything changes: a due date past the loaded calendar refuses the
      // command (calendar_no_data) and leaves the record as it was.
      const Deadlines d = compute_deadlines(calendar_, rules_.policy(),
                                            LimitInputs{today, days, days, 0, 0});
      CoordinationRecord& r = touch_coordination(c.id);
      r.state = CoordinationState::handed;
      r.unit = unit;
      r.handed_by = actor;
      r.handed = today;
      r.settle_days = static_cast<std::uint16_t>(std::min(days, 0xFFFF));
      r.due = d.promised_due;
      r.light = coordination_light(d, today);
      ++r.generation;
      emit(c, EventKind::hand_to_unit, now, a.actor, *post, a.reason,
           fmt::format("unit={}; settle_days={}; due={}", rules_.department(unit).id, days,
                       r.due.to_string()));
      arm_coordination_light(r, c.id);
      break;
    }
    case Verb::settle_unresolved: {
      CoordinationRecord& r = touch_coordination(c.id);
      r.state = CoordinationState::settled;
      r.settled_by = actor;
      r.settled = today;
      r.outcome = a.reason;
      ++r.generation;  // the light freezes
      const bool by_unit = rules_.post(*post).department == r.unit;
      emit(c, EventKind::settle_unresolved, now, a.actor, *post, a.reason,
           fmt::format("unit={}; due={}; on_time={}; by={}", rules_.department(r.unit).id,
                       r.due.to_string(), r.settled <= r.due, by_unit ? "unit" : "window"));
      break;
    }
    default:
      break;
  }
}

std::vector<Verb> EngineCore::unresolved_actions(const CaseRecord& c, StaffRef actor,
                                                 DateTime now) const {
  std::vector<Verb> out;
  const auto it = coordinations_.find(c.id);
  if (it == coordinations_.end()) {
    if (!is_concluded(c.life.phase) && c.life.phase != Phase::decided &&
        unresolved_post(c, actor, Verb::send_unresolved, now)) {
      out.push_back(Verb::send_unresolved);
    }
    return out;
  }
  const CoordinationRecord& r = it->second;
  if (r.state == CoordinationState::coordinating && !is_concluded(c.life.phase) &&
      unresolved_post(c, actor, Verb::hand_to_unit, now)) {
    out.push_back(Verb::hand_to_unit);
  }
  if (r.state == CoordinationState::handed &&
      unresolved_post(c, actor, Verb::settle_unresolved, now)) {
    out.push_back(Verb::settle_unresolved);
  }
  return out;
}

void EngineCore::arm_coordination_light(const CoordinationRecord& r, CaseId id) {
  if (r.state != CoordinationState::handed) return;
  const Deadlines d = compute_deadlines(calendar_, rules_.policy(),
                                        LimitInputs{r.handed, r.settle_days, r.settle_days, 0, 0});
  // The next light after the one shown; a day that passed while the engine was down fires
  // on the first advance.
  if (r.light < Light::yellow && d.yellow_from < d.red_from) {
    timers_.push(Timer{DateTime::at(d.yellow_from), id, TimerKind::coordination_light,
                       r.generation, 0});
  } else if (r.light < Light::red) {
    timers_.push(
        Timer{DateTime::at(d.red_from), id, TimerKind::coordination_light, r.generation, 0});
  }
}

bool EngineCore::coordination_timer_live(const Timer& t) const {
  const auto it = coordinations_.find(t.subject);
  return it != coordinations_.end() && it->second.generation == t.generation &&
         it->second.state == CoordinationState::handed;
}

void EngineCore::fire_coordination_light(const Timer& t) {
  if (!coordination_timer_live(t)) return;
  const CoordinationRecord& current = coordinations_.at(t.subject);
  const Light light = coordination_light(
      compute_deadlines(calendar_, rules_.policy(),
                        LimitInputs{current.handed, current.settle_days, current.settle_days, 0,
                                    0}),
      t.due.date());
  if (light == current.light) return;
  CaseRecord& c = record(t.subject);
  CoordinationRecord& r = touch_coordination(c.id);
  emit_system(c, EventKind::light_changed, t.due,
              fmt::format("办不成事: {} to settle by {}", rules_.department(r.unit).id,
                          r.due.to_string()),
              fmt::format("task=coordination; from={}; to={}; unit={}; due={}",
                          to_string(r.light), to_string(light), rules_.department(r.unit).id,
                          r.due.to_string()));
  r.light = light;
  arm_coordination_light(r, c.id);
}

void EngineCore::fill_coordination(CaseView& v) const {
  const auto it = coordinations_.find(v.id);
  if (it == coordinations_.end()) return;
  const CoordinationRecord& r = it->second;
  CoordinationView& out = v.coordination.emplace();
  out.state = r.state;
  out.window = rules_.post(r.window).id;
  out.window_office = rules_.office(rules_.post(r.window).office).id;
  out.reason = r.reason;
  out.sent_by = rules_.staff(r.sent_by).id;
  out.sent_by_post = rules_.post(r.sent_post).id;
  out.sent = r.sent;
  if (r.state == CoordinationState::coordinating) return;
  out.unit = rules_.department(r.unit).id;
  out.handed_by = rules_.staff(r.handed_by).id;
  out.handed = r.handed;
  out.settle_days = r.settle_days;
  out.due = r.due;
  out.light = r.light;
  if (r.state != CoordinationState::settled) return;
  out.outcome = r.outcome;
  out.settled_by = rules_.staff(r.settled_by).id;
  out.settled = r.settled;
  out.on_time = r.settled <= r.due;
}

}  // namespace workflow::detail
