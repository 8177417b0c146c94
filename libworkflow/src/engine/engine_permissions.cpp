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

bool EngineCore::permitted(const CaseRecord& c, StaffRef actor, Verb verb, DateTime at) const {
  if (verb == Verb::opinion_agree || verb == Verb::opinion_disagree) {
    return opinion_stage_of(c, actor, at).has_value();
  }
  // The stage's holder: whoever it was assigned to (B keeps what B took over), or whoever
  // holds the post now.
  const bool stage_holder = actor == c.holder || holds_now(actor, c.post, at);
  const auto& supervisor_post = rules_.post(c.post).supervisor;
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
    case Verb::terminate:
      // §42: an extension needs the approval of a post with that authority (负责人).
      return supervisor || holds_any([&](const Post& p) {
               return p.approves_extensions &&
                      (p.office == c.office || p.office == c.accepting_office);
             });
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
