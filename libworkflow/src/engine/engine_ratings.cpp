// Ratings (好差评, 国办发〔2019〕51号) and the rectification task a bad one opens: the unit
// that handled the case (谁办理谁负责) verifies, then rectifies, explains or appeals a
// mistaken or malicious rating, calls the applicant back, and closes the task within
// policy.rectification_days working days, under its own green/yellow/red light. Every bad
// rating is called back, named or anonymous (件件有回访).
#include <fmt/format.h>

#include "engine/command_checks.hpp"
#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

constexpr std::string_view kResolutions[] = {"", "rectify", "explain", "appeal"};

// The unit that handled the case: the matter's department, or under a full delegation the
// township department that decided in its name.
DepartmentRef rectification_unit(const RuleSet& rules, const CaseRecord& c) {
  if (c.delegation != kNone) {
    const Delegation& d = rules.delegation(DelegationRef{c.delegation});
    if (d.mode == DelegationMode::full && d.post) return rules.post(*d.post).department;
  }
  return rules.matter(c.matter).department;
}

// The task's light on `today`: it has no legal limit beyond its own, so no escalated red.
Light task_light(const Deadlines& d, Date today) {
  if (today >= d.red_from) return Light::red;
  return today >= d.yellow_from ? Light::yellow : Light::green;
}

}  // namespace

void EngineCore::rate(CaseId id, const Rating& rating) {
  CaseRecord& c = record(id);
  if (rating.score < 1 || rating.score > 5) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("a rating is 1 (非常不满意) to 5 (非常满意), got {}", rating.score));
  }
  const std::string print =
      rating.request_id.empty()
          ? std::string{}
          : fingerprint({"rate", std::to_string(id), std::to_string(rating.score),
                         to_string(rating.channel), rating.named ? "named" : "anonymous",
                         rating.comment},
                        {});
  if (!rating.request_id.empty() && replayed(rating.request_id, print)) return;
  if (!is_concluded(c.life.phase)) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} is {}: a case is rated once it is concluded", id,
                            to_string(static_cast<CaseState>(c.life.phase))));
  }
  if (const auto it = ratings_.find(id); it != ratings_.end()) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} was already rated {} on {}: one rating per service", id,
                            it->second.score, it->second.time.date().to_string()));
  }
  const DateTime now = clock_->now();
  unit([&] {
    RatingRecord& r = touch_rating(id);
    r.score = static_cast<std::uint8_t>(rating.score);
    r.channel = rating.channel;
    r.named = rating.named;
    r.comment = rating.comment;
    r.time = now;
    Event& e = emit(c, EventKind::rated, now, "applicant", c.post, rating.comment,
                    fmt::format("score={}; channel={}; named={}", rating.score,
                                to_string(rating.channel), rating.named));
    e.post.clear();  // the applicant rated, not a post
    if (rating.score <= 2) {
      r.task = true;
      r.state = RectificationState::verifying;
      r.unit = rectification_unit(rules_, c);
      r.opened = now.date();
      const int days = rules_.policy().rectification_days;
      r.due = calendar_.add_working_days(r.opened, days);
      r.light = task_light(compute_deadlines(calendar_, rules_.policy(),
                                             LimitInputs{r.opened, days, days, 0, 0}),
                           r.opened);
      emit_system(c, EventKind::rectification_opened, now,
                  fmt::format("bad rating {}: {} verifies, rectifies and calls back by {}",
                              rating.score, rules_.department(r.unit).name, r.due.to_string()),
                  fmt::format("department={}; due={}; named={}", rules_.department(r.unit).id,
                              r.due.to_string(), rating.named));
      arm_rectification_light(r, id);
    }
    if (!rating.request_id.empty()) request_ = RequestRecord{rating.request_id, print, id};
  });
}

std::optional<PostRef> EngineCore::rectification_post(const RatingRecord& r, StaffRef actor,
                                                      DateTime now) const {
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].department != r.unit) continue;
    if (holds_now(actor, PostRef{i}, now)) return PostRef{i};
    if (posts[i].supervisor && holds_now(actor, *posts[i].supervisor, now)) {
      return *posts[i].supervisor;
    }
  }
  return std::nullopt;
}

const RatingRecord& EngineCore::open_task(const CaseRecord& c) const {
  const auto it = ratings_.find(c.id);
  if (it == ratings_.end() || !it->second.task || it->second.state == RectificationState::closed) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} has no open rectification task{}", c.id,
                            it == ratings_.end() ? " (it has not been rated)"
                            : !it->second.task  ? " (its rating was not bad)"
                                                : " (it is closed)"));
  }
  return it->second;
}

void EngineCore::act_on_rectification(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                                      DateTime now) {
  const RatingRecord& current = open_task(c);
  const auto post = rectification_post(current, actor, now);
  if (!post) {
    throw Error(ErrorCode::permission_denied,
                fmt::format("staff {} may not {} the rectification of case {}: it belongs to {}",
                            a.actor, to_string(verb), c.id, rules_.department(current.unit).id));
  }
  const auto refuse = [&](std::string_view why) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("cannot {} the rectification of case {} while it is {}: {}",
                            to_string(verb), c.id, to_string(current.state), why));
  };
  RectificationState next = current.state;
  Resolution resolution = current.resolution;
  switch (verb) {
    case Verb::verify:
      if (current.state != RectificationState::verifying) refuse("it was verified already");
      next = RectificationState::resolving;
      break;
    case Verb::rectify:
    case Verb::explain:
    case Verb::appeal:
      if (current.state != RectificationState::resolving) {
        refuse(current.state == RectificationState::verifying ? "verify the complaint first"
                                                              : "it was resolved already");
      }
      next = RectificationState::calling_back;
      resolution = verb == Verb::rectify   ? Resolution::rectify
                   : verb == Verb::explain ? Resolution::explain
                                           : Resolution::appeal;
      break;
    case Verb::call_back:
      if (current.state != RectificationState::calling_back) {
        refuse(current.state == RectificationState::called_back
                   ? "the applicant was called back already"
                   : "rectify, explain or appeal first");
      }
      next = RectificationState::called_back;
      break;
    case Verb::close_rectification:
      // 件件有回访: every bad rating is called back before its task closes, an anonymous
      // one through the channel it came by (the device's or the platform's message, the
      // hotline), a named one on the contact the applicant left.
      if (current.state == RectificationState::calling_back) {
        refuse(current.named ? "a named bad rating needs a call-back (回访) before its task can close"
                             : fmt::format("every bad rating is called back (件件有回访): call "
                                           "this anonymous one back through the channel it came "
                                           "by ({}) before the task can close",
                                           to_string(current.channel)));
      }
      if (current.state != RectificationState::calling_back &&
          current.state != RectificationState::called_back) {
        refuse("verify and resolve it first");
      }
      next = RectificationState::closed;
      break;
    default:
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("{} is not a rectification verb", to_string(verb)));
  }
  RatingRecord& r = touch_rating(c.id);
  r.state = next;
  r.resolution = resolution;
  std::string detail = fmt::format("task=rectification; state={}", to_string(next));
  if (verb == Verb::call_back) {
    r.called_back = true;
    detail += fmt::format("; via={}", r.named ? std::string_view("contact") : to_string(r.channel));
  }
  if (next == RectificationState::closed) {
    r.closed = now.date();
    ++r.generation;  // the light freezes
    detail += fmt::format("; resolution={}; called_back={}; on_time={}",
                          kResolutions[static_cast<int>(r.resolution)], r.called_back,
                          r.closed <= r.due);
  }
  emit(c, static_cast<EventKind>(static_cast<int>(verb) + 1), now, a.actor, *post, a.reason,
       std::move(detail));
}

std::vector<Verb> EngineCore::rectification_actions(const CaseRecord& c, StaffRef actor,
                                                    DateTime now) const {
  const auto it = ratings_.find(c.id);
  if (it == ratings_.end() || !it->second.task) return {};
  const RatingRecord& r = it->second;
  if (!rectification_post(r, actor, now)) return {};
  switch (r.state) {
    case RectificationState::verifying: return {Verb::verify};
    case RectificationState::resolving: return {Verb::rectify, Verb::explain, Verb::appeal};
    case RectificationState::calling_back: return {Verb::call_back};
    case RectificationState::called_back: return {Verb::close_rectification};
    case RectificationState::closed: return {};
  }
  return {};
}

void EngineCore::arm_rectification_light(const RatingRecord& r, CaseId id) {
  const int days = rules_.policy().rectification_days;
  const Deadlines d =
      compute_deadlines(calendar_, rules_.policy(), LimitInputs{r.opened, days, days, 0, 0});
  // The next light after the one shown; a day that passed while the engine was down fires
  // on the first advance.
  if (r.light < Light::yellow && d.yellow_from < d.red_from) {
    timers_.push(Timer{DateTime::at(d.yellow_from), id, TimerKind::rectification_light,
                       r.generation, 0});
  } else if (r.light < Light::red) {
    timers_.push(
        Timer{DateTime::at(d.red_from), id, TimerKind::rectification_light, r.generation, 0});
  }
}

void EngineCore::fire_rectification_light(const Timer& t) {
  const auto it = ratings_.find(t.subject);
  if (it == ratings_.end() || it->second.generation != t.generation ||
      it->second.state == RectificationState::closed) {
    return;
  }
  const int days = rules_.policy().rectification_days;
  const Light light = task_light(
      compute_deadlines(calendar_, rules_.policy(),
                        LimitInputs{it->second.opened, days, days, 0, 0}),
      t.due.date());
  if (light == it->second.light) return;
  CaseRecord& c = record(t.subject);
  RatingRecord& r = touch_rating(c.id);
  emit_system(c, EventKind::light_changed, t.due,
              fmt::format("rectification due {}", r.due.to_string()),
              fmt::format("task=rectification; from={}; to={}", to_string(r.light),
                          to_string(light)));
  r.light = light;
  arm_rectification_light(r, c.id);
}

void EngineCore::fill_rating(CaseView& v) const {
  const auto it = ratings_.find(v.id);
  if (it == ratings_.end()) return;
  const RatingRecord& r = it->second;
  v.rating = RatingView{r.score, r.channel, r.named, r.comment, r.time};
  if (!r.task) return;
  RectificationView& t = v.rectification.emplace();
  t.state = r.state;
  t.department = rules_.department(r.unit).id;
  t.opened = r.opened;
  t.due = r.due;
  if (r.state == RectificationState::closed) t.closed = r.closed;
  t.light = r.light;
  t.resolution = kResolutions[static_cast<int>(r.resolution)];
  t.called_back = r.called_back;
}

}  // namespace workflow::detail
