// Who may give which command (authorization): the holder of the stage, A or B while
// covering, or the post's supervisor; window clerks of the accepting office for what the
// applicant asks at the window; posts with the authority for extensions and terminations.
#include "engine/engine_core.hpp"

namespace workflow::detail {

bool EngineCore::holds_now(StaffRef staff, PostRef post, DateTime at) const {
  return holds(rules_, roster_, staff, post, at);
}

std::optional<std::uint8_t> EngineCore::opinion_stage_of(const CaseRecord& c, StaffRef actor,
                                                         DateTime at) const {
  if (c.life.phase != Phase::opinions) return std::nullopt;
  const Matter& m = rules_.matter(c.matter);
  for (std::uint32_t i = 0; i < m.stages.size(); ++i) {
    if (c.opinions_answered & (1u << i)) continue;
    const PostRef post = stage_post(rules_, c, static_cast<std::uint8_t>(i));
    const auto& supervisor = rules_.post(post).supervisor;
    if (holds_now(actor, post, at) || (supervisor && holds_now(actor, *supervisor, at))) {
      return static_cast<std::uint8_t>(i);
    }
  }
  return std::nullopt;
}

DepartmentRef EngineCore::deciding_department(const CaseRecord& c) const {
  const Matter& m = rules_.matter(c.matter);
  if (m.kind == MatterKind::escalated && m.escalate_to) return rules_.post(*m.escalate_to).department;
  if (c.delegation != kNone) {
    // 委托 in full: the township decides in the delegating department's name, by its post.
    const Delegation& d = rules_.delegation(DelegationRef{c.delegation});
    if (d.mode == DelegationMode::full && d.post) return rules_.post(*d.post).department;
  }
  return m.department;
}

bool EngineCore::permitted(const CaseRecord& c, StaffRef actor, Verb verb, DateTime at) const {
  if (verb == Verb::opinion_agree || verb == Verb::opinion_disagree) {
    return opinion_stage_of(c, actor, at).has_value();
  }
  // The stage's holder: whoever it was assigned to (B keeps what B took over), or whoever
  // holds the post now. While the 办不成事 window holds the stage for a post whose A and B
  // are away, that post's holders keep their rights and the window clerk coordinates but does
  // not decide in the department's place.
  const PostRef own_post = c.home_post != kNone ? PostRef{c.home_post} : c.post;
  const bool stage_holder = c.home_post != kNone
                                ? holds_now(actor, own_post, at) ||
                                      actor == rules_.post(own_post).a ||
                                      actor == rules_.post(own_post).b
                                : actor == c.holder || holds_now(actor, c.post, at);
  const auto& supervisor_post = rules_.post(own_post).supervisor;
  const bool supervisor = supervisor_post && holds_now(actor, *supervisor_post, at);
  if (stage_holder || supervisor) {
    if (verb != Verb::extend && verb != Verb::terminate) return true;
  }
  const auto posts = rules_.posts();
  const auto holds_any = [&](auto&& wanted) {
    for (std::uint32_t i = 0; i < posts.size(); ++i) {
      if (wanted(posts[i]) && holds_now(actor, PostRef{i}, at)) return true;
    }
    return false;
  };
  switch (verb) {
    case Verb::extend:
    case Verb::terminate: {
      // §42: 经本行政机关负责人批准: the head of the organ that decides the matter, not any
      // post with the authority in the offices the case passes through.
      const DepartmentRef organ = deciding_department(c);
      const OfficeRef seat = rules_.department(organ).office;
      const bool township = rules_.office(seat).level <= Level::township;
      return holds_any([&](const Post& p) {
        // A township's internal office has no head of its own: the township leader approves.
        return p.approves_extensions &&
               (p.department == organ || (township && p.office == seat));
      });
    }
    case Verb::withdraw:
    case Verb::supplement:
      // The applicant comes back to the window (any window of the accepting office), or
      // the village agent who follows the case brings it (帮办代办, A or B of the post).
      if (c.agent_post != kNone && holds_now(actor, PostRef{c.agent_post}, at)) return true;
      return holds_any([&](const Post& p) {
        return p.role == PostRole::window && p.office == c.accepting_office;
      });
    default:
      return false;
  }
}

}  // namespace workflow::detail
