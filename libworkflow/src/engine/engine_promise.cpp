// The follow-up of an approval on the applicant's written commitment (告知承诺制,
// 国办发〔2020〕42号): the deciding organ verifies the commitment within the rules' days and
// records what it found (confirm_promise / false_promise); an approval that rests on a false
// commitment is revoked (撤销, revoke) by the organ's head, and the case ends as revoked.
#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// Why `verb` cannot be given on the case now, or empty if it can.
std::string promise_problem(const CaseRecord& c, Verb verb, const Matter& m) {
  const std::string what = fmt::format("cannot {} case {} ({}) in state {}", to_string(verb),
                                       c.id, m.code,
                                       to_string(static_cast<CaseState>(c.life.phase)));
  if (!c.on_promise || c.decision != Decision::approved) {
    return what + ": it was not approved on the applicant's commitment (告知承诺), so there is "
                  "no commitment to verify";
  }
  if (c.life.phase != Phase::decided && c.life.phase != Phase::issued) {
    return what + ": the case has ended";
  }
  if (verb == Verb::revoke) {
    if (c.verification != Verification::false_commitment) {
      return what + fmt::format(": an approval is revoked (撤销) only after verification found "
                                "the commitment false (false_promise); verification is {}",
                                to_string(c.verification));
    }
    return {};
  }
  if (c.verification != Verification::pending) {
    return what + fmt::format(": the commitment's verification is already recorded ({})",
                              to_string(c.verification));
  }
  return {};
}

}  // namespace

void EngineCore::check_promise_step(const CaseRecord& c, Verb verb) const {
  const std::string problem = promise_problem(c, verb, rules_.matter(c.matter));
  if (!problem.empty()) throw Error(ErrorCode::invalid_transition, problem);
}

bool EngineCore::promise_permitted(const CaseRecord& c, StaffRef actor, Verb verb,
                                   DateTime at) const {
  const DepartmentRef organ = deciding_department(c);
  const OfficeRef seat = rules_.department(organ).office;
  const bool township = rules_.office(seat).level <= Level::township;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    const Post& p = posts[i];
    if (!holds_now(actor, PostRef{i}, at)) continue;
    if (verb == Verb::revoke) {
      // 撤销 is the organ's decision: its head, as for the §42 extension (a township's
      // internal offices have the township leader's).
      if (p.approves_extensions && (p.department == organ || (township && p.office == seat))) {
        return true;
      }
    } else if (p.department == organ && p.role == PostRole::back_office) {
      return true;  // the organ's own staff verify (A, or B while A is away)
    }
  }
  return false;
}

std::vector<Verb> EngineCore::promise_actions(const CaseRecord& c, StaffRef actor,
                                              DateTime now) const {
  std::vector<Verb> out;
  if (!c.on_promise) return out;
  const Matter& m = rules_.matter(c.matter);
  for (const Verb v : {Verb::confirm_promise, Verb::false_promise, Verb::revoke}) {
    if (promise_problem(c, v, m).empty() && promise_permitted(c, actor, v, now)) {
      out.push_back(v);
    }
  }
  return out;
}

void EngineCore::act_on_promise(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                                DateTime now) {
  check_promise_step(c, verb);
  touch(c);
  // The post the actor acts through: one they hold in the deciding organ.
  PostRef acting = c.post;
  const DepartmentRef organ = deciding_department(c);
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].department == organ && holds_now(actor, PostRef{i}, now)) {
      acting = PostRef{i};
      break;
    }
  }
  const std::optional<Date> due = verification_due(c);
  const std::string timing =
      due ? fmt::format("due={}; on_time={}", due->to_string(),
                        now.date() <= *due ? "true" : "false")
          : std::string("due=unknown");
  switch (verb) {
    case Verb::confirm_promise:
      c.verification = Verification::confirmed;
      emit(c, EventKind::confirm_promise, now, a.actor, acting, a.reason, timing);
      break;
    case Verb::false_promise:
      c.verification = Verification::false_commitment;
      emit(c, EventKind::false_promise, now, a.actor, acting, a.reason, timing);
      break;
    case Verb::revoke: {
      LifecycleState next = c.life;
      Facts facts = facts_for(c, &a);
      const Step step = detail::fire(next, Trigger::revoke, facts);
      if (!step.fired) check_promise_step(c, verb);  // says why
      c.life = next;
      emit(c, EventKind::revoke, now, a.actor, acting, a.reason,
           fmt::format("decided_on={}; was={}", c.decided_on.to_string(),
                       to_string(static_cast<CaseState>(step.from))));
      apply_step(c, Trigger::revoke, step.from, step.to, now, &a);
      break;
    }
    default:
      break;
  }
}

}  // namespace workflow::detail
