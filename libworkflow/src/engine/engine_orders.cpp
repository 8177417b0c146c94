// The centre's oversight of the work: supervision orders (督办) and reassignment (改派).
//
// An order is issued by a post with issues_orders (the supervision office, or a leader) of the
// office where the case's unit sits or an office above it, to the unit holding the case, with
// a reason and a reply due in working days (policy.order_reply_days unless the order says).
// The unit replies (any post of it, A or B, or their supervisor); the issuing side closes the
// order or escalates it. Its light is green, yellow on the reply's last day, red after, and
// freezes at the reply. Orders can be issued while the case is open in any state, and on a
// concluded case whose bad rating's rectification is still open (the complaint is supervised
// with the unit that rectifies it); an order already issued can be answered, closed or
// escalated whatever happens to the case meanwhile.
//
// A reassignment moves the stage from its post to another post of the same unit with the
// same role (a window's work to a window, a back-office stage to a back-office post), by the
// stage post's supervisor or a post of the unit with reassigns (its leader).
#include <algorithm>

#include <fmt/format.h>

#include "engine/command_checks.hpp"
#include "engine/engine_core.hpp"
#include "rules/office_tree.hpp"
#include "rules/rule_merge.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// The order's light on `today`: green, yellow from its last day (policy.yellow_days_left),
// red from the day after. There is no escalated red: escalation is the issuer's verb.
Light order_light(const Deadlines& d, Date today) {
  if (today >= d.red_from) return Light::red;
  return today >= d.yellow_from ? Light::yellow : Light::green;
}

bool applies(Verb verb, OrderState s) {
  switch (verb) {
    case Verb::reply_order: return s == OrderState::open;
    case Verb::close_order: return s == OrderState::replied;
    case Verb::escalate_order: return s == OrderState::open || s == OrderState::replied;
    default: return false;
  }
}

}  // namespace

Deadlines EngineCore::order_deadlines(const OrderRecord& r) const {
  return compute_deadlines(calendar_, rules_.policy(),
                           LimitInputs{r.issued, r.reply_days, r.reply_days, 0, 0});
}

DepartmentRef EngineCore::order_unit(const CaseRecord& c) const {
  if (is_concluded(c.life.phase)) return open_task(c).unit;
  return rules_.post(c.home_post != kNone ? PostRef{c.home_post} : c.post).department;
}

std::optional<PostRef> EngineCore::issuer_post(DepartmentRef unit, StaffRef actor,
                                               DateTime now) const {
  const OfficeRef seat = rules_.department(unit).office;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (!posts[i].issues_orders) continue;
    if (posts[i].office != seat && !is_below(rules_.offices(), seat, posts[i].office)) continue;
    if (holds_now(actor, PostRef{i}, now)) return PostRef{i};
  }
  return std::nullopt;
}

std::optional<PostRef> EngineCore::unit_post(DepartmentRef unit, StaffRef actor,
                                             DateTime now) const {
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].department != unit) continue;
    if (holds_now(actor, PostRef{i}, now)) return PostRef{i};
    if (posts[i].supervisor && holds_now(actor, *posts[i].supervisor, now)) {
      return *posts[i].supervisor;
    }
  }
  return std::nullopt;
}

std::optional<PostRef> EngineCore::reassigner_post(const CaseRecord& c, StaffRef actor,
                                                   DateTime now) const {
  const PostRef own = c.home_post != kNone ? PostRef{c.home_post} : c.post;
  const Post& p = rules_.post(own);
  if (p.supervisor && holds_now(actor, *p.supervisor, now)) return *p.supervisor;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].reassigns && posts[i].department == p.department &&
        holds_now(actor, PostRef{i}, now)) {
      return PostRef{i};
    }
  }
  return std::nullopt;
}

std::string EngineCore::reassign_target_problem(const CaseRecord& c, PostRef to) const {
  const PostRef own = c.home_post != kNone ? PostRef{c.home_post} : c.post;
  const Post& from = rules_.post(own);
  const Post& target = rules_.post(to);
  const std::string unit = rules_.department(from.department).id;
  if (to == own) return fmt::format("the stage is already at post {}", target.id);
  if (retired(rules_, to)) return fmt::format("post {} was removed by an installed rule set", target.id);
  if (target.department != from.department) {
    return fmt::format("post {} belongs to {}, not to {}: a stage is reassigned within the unit "
                       "that holds it (a case sent to the wrong unit goes back through its "
                       "window)", target.id, rules_.department(target.department).id, unit);
  }
  if (target.role != from.role) {
    return fmt::format("post {} is a {} post and cannot handle the stage, which is {} work of "
                       "post {}", target.id, to_string(target.role), to_string(from.role),
                       from.id);
  }
  return {};
}

const OrderRecord* EngineCore::find_order(const CaseRecord& c, Verb verb, std::uint32_t number,
                                          std::uint32_t* index) const {
  const auto it = oversight_.find(c.id);
  const std::vector<OrderRecord> none;
  const std::vector<OrderRecord>& orders = it == oversight_.end() ? none : it->second.orders;
  if (number != 0) {
    if (number > orders.size()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("case {} has no supervision order {} (it has {})", c.id, number,
                              orders.size()));
    }
    const OrderRecord& r = orders[number - 1];
    if (!applies(verb, r.state)) {
      throw Error(ErrorCode::invalid_transition,
                  fmt::format("cannot {} order {} of case {}: it is {}{}", to_string(verb), number,
                              c.id, to_string(r.state),
                              verb == Verb::close_order && r.state == OrderState::open
                                  ? " (the unit has not replied yet: escalate it instead)"
                                  : ""));
    }
    *index = number - 1;
    return &r;
  }
  std::vector<std::uint32_t> fit;
  for (std::uint32_t i = 0; i < orders.size(); ++i) {
    if (applies(verb, orders[i].state)) fit.push_back(i);
  }
  if (fit.empty()) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} has no supervision order to {}{}", c.id, to_string(verb),
                            orders.empty() ? " (none was issued)" : ""));
  }
  if (fit.size() > 1) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("case {} has {} orders to {}: name one with `order`", c.id,
                            fit.size(), to_string(verb)));
  }
  *index = fit.front();
  return &orders[fit.front()];
}

void EngineCore::act_oversight(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                               DateTime now, const std::string& print) {
  // The state first: a verb impossible on the case now is invalid_transition, whoever gives it.
  std::optional<PostRef> post;
  std::string denied;
  std::uint32_t index = 0;
  const OrderRecord* order = nullptr;
  std::optional<PostRef> target;
  if (verb == Verb::order) {
    if (is_concluded(c.life.phase)) {
      const auto it = ratings_.find(c.id);
      if (it == ratings_.end() || !it->second.task ||
          it->second.state == RectificationState::closed) {
        throw Error(ErrorCode::invalid_transition,
                    fmt::format("case {} is concluded ({}) and has no open rectification task: "
                                "there is no work left to supervise", c.id,
                                to_string(static_cast<CaseState>(c.life.phase))));
      }
    }
    const DepartmentRef unit = order_unit(c);
    post = issuer_post(unit, actor, now);
    if (!post) {
      denied = fmt::format("staff {} may not issue a supervision order (督办) on case {}: that "
                           "is for a post with issues_orders at {} or above", a.actor, c.id,
                           rules_.office(rules_.department(unit).office).id);
    }
  } else if (verb == Verb::reassign) {
    if (is_concluded(c.life.phase)) {
      throw Error(ErrorCode::invalid_transition,
                  fmt::format("case {} is concluded ({}): it has no stage to reassign", c.id,
                              to_string(static_cast<CaseState>(c.life.phase))));
    }
    target = rules_.find_post(a.to_post);
    if (!target) throw Error(ErrorCode::not_found, fmt::format("unknown post '{}'", a.to_post));
    post = reassigner_post(c, actor, now);
    if (!post) {
      const PostRef own = c.home_post != kNone ? PostRef{c.home_post} : c.post;
      denied = fmt::format("staff {} may not reassign case {}: its stage is at post {} of {}; "
                           "the post's supervisor or the unit's leader (reassigns) may",
                           a.actor, c.id, rules_.post(own).id,
                           rules_.department(rules_.post(own).department).id);
    }
  } else {
    order = find_order(c, verb, a.order, &index);
    post = verb == Verb::reply_order ? unit_post(order->unit, actor, now)
                                     : issuer_post(order->unit, actor, now);
    if (!post) {
      denied = verb == Verb::reply_order
                   ? fmt::format("staff {} may not reply to order {} of case {}: it is addressed "
                                 "to {}", a.actor, index + 1, c.id,
                                 rules_.department(order->unit).id)
                   : fmt::format("staff {} may not {} order {} of case {}: that is for a post "
                                 "with issues_orders over {}", a.actor, to_string(verb),
                                 index + 1, c.id, rules_.department(order->unit).id);
    }
  }
  if (!denied.empty()) {
    if (options_.record_denied_attempts) {
      unit([&] {
        emit(c, EventKind::permission_denied, now, a.actor, c.post, denied,
             fmt::format("verb={}", to_string(verb)));
      });
    }
    throw Error(ErrorCode::permission_denied, denied);
  }
  if (target) {
    const std::string problem = reassign_target_problem(c, *target);
    if (!problem.empty()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("cannot reassign case {} to post {}: {}", c.id, a.to_post, problem));
    }
  }
  const EventKind kind = static_cast<EventKind>(static_cast<int>(EventKind::order) +
                                                static_cast<int>(verb) -
                                                static_cast<int>(Verb::order));
  unit([&] {
    if (verb == Verb::order) {
      const int days = a.days > 0 ? a.days : rules_.policy().order_reply_days;
      OrderRecord r;
      r.issuer = actor;
      r.issuer_post = *post;
      r.unit = order_unit(c);
      r.reason = a.reason;
      r.issued = now.date();
      r.reply_days = static_cast<std::uint16_t>(days);
      r.due = calendar_.add_working_days(r.issued, days);
      r.light = order_light(order_deadlines(r), r.issued);
      OversightRecord& o = touch_oversight(c.id);
      o.orders.push_back(r);
      const std::uint32_t number = static_cast<std::uint32_t>(o.orders.size());
      emit(c, kind, now, a.actor, *post, a.reason,
           fmt::format("order={}; department={}; reply_days={}; due={}", number,
                       rules_.department(r.unit).id, days, r.due.to_string()));
      arm_order_light(c.id, number - 1);
    } else if (verb == Verb::reassign) {
      const PostRef from = c.home_post != kNone ? PostRef{c.home_post} : c.post;
      touch_oversight(c.id).reassignments.push_back(
          ReassignmentRecord{now, actor, *post, from, *target, a.reason});
      emit(c, kind, now, a.actor, *post, a.reason,
           fmt::format("from_post={}; to_post={}; department={}", rules_.post(from).id,
                       rules_.post(*target).id,
                       rules_.department(rules_.post(from).department).id));
      // A window's case returns to the window that now has it, not to the one relieved.
      if (c.intake_post == from) c.intake_post = *target;
      route_to(c, *target, now, "reassigned (改派): " + a.reason);
    } else {
      OrderRecord& r = touch_oversight(c.id).orders[index];
      std::string detail = fmt::format("order={}", index + 1);
      if (verb == Verb::reply_order) {
        r.state = OrderState::replied;
        r.has_reply = true;
        r.replied = now.date();
        r.replier = actor;
        r.reply = a.reason;
        detail += fmt::format("; due={}; on_time={}", r.due.to_string(), r.replied <= r.due);
      } else {
        r.state = verb == Verb::close_order ? OrderState::closed : OrderState::escalated;
        r.ended = now.date();
        r.ender = actor;
        r.outcome = a.reason;
        detail += fmt::format("; replied={}", r.has_reply);
      }
      emit(c, kind, now, a.actor, *post, a.reason, std::move(detail));
    }
    if (!a.request_id.empty()) request_ = RequestRecord{a.request_id, print, c.id};
  });
}

std::vector<Verb> EngineCore::oversight_actions(const CaseRecord& c, StaffRef actor,
                                                DateTime now) const {
  std::vector<Verb> out;
  const bool concluded = is_concluded(c.life.phase);
  const auto rating = ratings_.find(c.id);
  const bool supervisable =
      !concluded || (rating != ratings_.end() && rating->second.task &&
                     rating->second.state != RectificationState::closed);
  if (supervisable && issuer_post(order_unit(c), actor, now)) out.push_back(Verb::order);
  if (const auto it = oversight_.find(c.id); it != oversight_.end()) {
    for (const Verb v : {Verb::reply_order, Verb::close_order, Verb::escalate_order}) {
      const bool any = std::any_of(
          it->second.orders.begin(), it->second.orders.end(), [&](const OrderRecord& r) {
            return applies(v, r.state) && (v == Verb::reply_order
                                               ? unit_post(r.unit, actor, now).has_value()
                                               : issuer_post(r.unit, actor, now).has_value());
          });
      if (any) out.push_back(v);
    }
  }
  if (!concluded && reassigner_post(c, actor, now)) {
    const auto posts = rules_.posts();
    for (std::uint32_t i = 0; i < posts.size(); ++i) {
      if (reassign_target_problem(c, PostRef{i}).empty()) {
        out.push_back(Verb::reassign);
        break;
      }
    }
  }
  return out;
}

OversightRecord& EngineCore::touch_oversight(CaseId id) {
  touch(record(id));
  const bool saved = std::any_of(oversight_undo_.begin(), oversight_undo_.end(),
                                 [&](const auto& u) { return u.first == id; });
  const auto it = oversight_.find(id);
  if (!saved) {
    oversight_undo_.emplace_back(
        id, it == oversight_.end() ? std::nullopt : std::optional<OversightRecord>(it->second));
  }
  return it == oversight_.end() ? oversight_[id] : it->second;
}

void EngineCore::arm_order_light(CaseId id, std::uint32_t index) {
  const OrderRecord& r = oversight_.at(id).orders[index];
  if (r.state != OrderState::open) return;
  const Deadlines d = order_deadlines(r);
  // The next light after the one shown; a day that passed while the engine was down fires
  // on the first advance.
  if (r.light < Light::yellow && d.yellow_from < d.red_from) {
    timers_.push(Timer{DateTime::at(d.yellow_from), id, TimerKind::order_light, 0, index});
  } else if (r.light < Light::red) {
    timers_.push(Timer{DateTime::at(d.red_from), id, TimerKind::order_light, 0, index});
  }
}

bool EngineCore::order_timer_live(const Timer& t) const {
  const auto it = oversight_.find(t.subject);
  if (it == oversight_.end() || t.arg >= it->second.orders.size()) return false;
  const OrderRecord& r = it->second.orders[t.arg];
  return r.state == OrderState::open && order_light(order_deadlines(r), t.due.date()) > r.light;
}

void EngineCore::fire_order_light(const Timer& t) {
  CaseRecord& c = record(t.subject);
  OrderRecord& r = touch_oversight(c.id).orders[t.arg];
  const Light light = order_light(order_deadlines(r), t.due.date());
  emit_system(c, EventKind::light_changed, t.due,
              fmt::format("supervision order {} reply due {}", t.arg + 1, r.due.to_string()),
              fmt::format("task=order; order={}; from={}; to={}", t.arg + 1, to_string(r.light),
                          to_string(light)));
  r.light = light;
  arm_order_light(c.id, t.arg);
}

void EngineCore::restore_oversight(const CaseRecord& c, OversightRecord o) {
  const auto bad = [&](const char* what) {
    throw Error(ErrorCode::store_error,
                fmt::format("the snapshot of case {} refers to a {} the rule set does not have",
                            c.id, what));
  };
  const auto staff = rules_.staff().size(), posts = rules_.posts().size(),
             units = rules_.departments().size();
  for (const OrderRecord& r : o.orders) {
    if (index_of(r.issuer) >= staff || index_of(r.replier) >= staff ||
        index_of(r.ender) >= staff) {
      bad("staff member");
    }
    if (index_of(r.issuer_post) >= posts) bad("post");
    if (index_of(r.unit) >= units) bad("department");
  }
  for (const ReassignmentRecord& m : o.reassignments) {
    if (index_of(m.actor) >= staff) bad("staff member");
    for (const PostRef p : {m.actor_post, m.from, m.to}) {
      if (index_of(p) >= posts) bad("post");
    }
  }
  const auto [it, fresh] = oversight_.emplace(c.id, std::move(o));
  for (std::uint32_t i = 0; fresh && i < it->second.orders.size(); ++i) arm_order_light(c.id, i);
}

void EngineCore::fill_oversight(CaseView& v) const {
  const auto it = oversight_.find(v.id);
  if (it == oversight_.end()) return;
  std::uint32_t number = 0;
  for (const OrderRecord& r : it->second.orders) {
    OrderView& o = v.orders.emplace_back();
    o.number = ++number;
    o.issued_by = rules_.staff(r.issuer).id;
    o.issuer_post = rules_.post(r.issuer_post).id;
    o.department = rules_.department(r.unit).id;
    o.reason = r.reason;
    o.issued = r.issued;
    o.reply_days = r.reply_days;
    o.due = r.due;
    o.state = r.state;
    o.light = r.light;
    if (r.has_reply) {
      o.replied = r.replied;
      o.replied_by = rules_.staff(r.replier).id;
      o.reply = r.reply;
      o.replied_on_time = r.replied <= r.due;
    }
    if (r.state == OrderState::closed || r.state == OrderState::escalated) {
      o.ended = r.ended;
      o.ended_by = rules_.staff(r.ender).id;
      o.outcome = r.outcome;
    }
  }
  for (const ReassignmentRecord& m : it->second.reassignments) {
    ReassignmentView& r = v.reassignments.emplace_back();
    r.time = m.time;
    r.actor = rules_.staff(m.actor).id;
    r.actor_post = rules_.post(m.actor_post).id;
    r.department = rules_.department(rules_.post(m.from).department).id;
    r.from_post = rules_.post(m.from).id;
    r.to_post = rules_.post(m.to).id;
    r.reason = m.reason;
  }
}

}  // namespace workflow::detail
