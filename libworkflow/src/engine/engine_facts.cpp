// What the lifecycle's guards are told about a case, and why a command was refused.
#include <fmt/format.h>

#include "engine/engine_core.hpp"

namespace workflow::detail {

std::vector<std::string> EngineCore::missing_materials(const CaseRecord& c,
                                                       bool tolerable_only) const {
  std::vector<std::string> out;
  const Matter& m = rules_.matter(c.matter);
  for (std::size_t i = 0; i < m.materials.size(); ++i) {
    const bool have = (c.materials >> i) & 1u;
    if (!have && (!tolerable_only || m.materials[i].tolerable)) out.push_back(m.materials[i].name);
  }
  return out;
}

Facts EngineCore::facts_for(const CaseRecord& c, const Action* a) const {
  const Matter& m = rules_.matter(c.matter);
  Facts f;
  f.path = static_cast<Path>(m.kind);
  // Worked out on bit sets: facts are asked for on every command, names are not needed.
  const MatterMaterials& bits = index_.materials[index_of(c.matter)];
  const std::uint64_t missing = bits.all & ~c.materials;
  f.materials_complete = missing == 0;
  f.only_tolerable_missing = missing != 0 && (missing & ~bits.tolerable) == 0;
  f.tolerate_missing = a != nullptr && a->tolerate_missing;
  f.on_promise = a != nullptr && a->on_promise;
  f.promise_allowed = m.promise_approval;
  f.tolerance_pending = c.tolerance;
  f.has_stages = !m.stages.empty();
  f.at_first_stage = c.stage == 0;
  f.at_last_stage = c.stage + 1u >= m.stages.size();
  const std::uint32_t all =
      m.stages.size() >= 32 ? 0xFFFFFFFFu : (1u << m.stages.size()) - 1u;
  f.opinions_pending = (c.opinions_answered & all) != all;
  f.opinions_all_agree = c.opinions_agreed == c.opinions_answered;
  f.extended_already = c.extension_days > 0;
  f.false_commitment = c.verification == Verification::false_commitment;
  return f;
}

std::string EngineCore::deciding_post_text(const CaseRecord& c) const {
  const Matter& m = rules_.matter(c.matter);
  if (m.kind == MatterKind::escalated && m.escalate_to) {
    return fmt::format("post {} of the higher level", rules_.post(*m.escalate_to).id);
  }
  if (m.kind == MatterKind::joint) {
    return fmt::format("the lead department {}, once every opinion is in",
                       rules_.department(m.department).id);
  }
  if (!m.stages.empty()) {
    return fmt::format("its last stage, post {}", rules_.post(stage_post(rules_, c,
        static_cast<std::uint8_t>(m.stages.size() - 1))).id);
  }
  return fmt::format("department {}", rules_.department(m.department).id);
}

std::string EngineCore::explain_refusal(const CaseRecord& c, Verb verb, const Facts& f) const {
  const Matter& m = rules_.matter(c.matter);
  std::string why = fmt::format("cannot {} case {} ({}) in state {}", to_string(verb), c.id,
                                m.code, to_string(static_cast<CaseState>(c.life.phase)));
  const auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if (c.life.suspended && verb != Verb::resume) {
    return why + ": the case is suspended for a §45 procedure; resume it first";
  }
  switch (verb) {
    case Verb::accept:
      if (c.life.phase == Phase::received && f.on_promise && !f.promise_allowed) {
        return why + fmt::format(": matter {} does not allow approval on promise (告知承诺)", m.code);
      }
      if (c.life.phase == Phase::received && !f.materials_complete) {
        return why + fmt::format(": materials missing: {}; give one complete notice "
                                 "(notify_missing){}", join(missing_materials(c, false)),
                                 f.only_tolerable_missing
                                     ? ", or accept with tolerate_missing (容缺受理)"
                                     : "");
      }
      break;
    case Verb::notify_missing:
      if (f.materials_complete) return why + ": no material is missing";
      break;
    case Verb::review_pass:
    case Verb::approve:
    case Verb::deny:
      if (c.life.phase == Phase::preliminary_review && verb != Verb::review_pass) {
        // §38, 前台受理、后台审批: the window's 初审 passes the case on; the organ decides.
        return why + fmt::format(": 初审 at the window decides nothing; pass the case on ({}) "
                                 "and {} decides",
                                 f.path == Path::escalated && !f.has_stages ? "report_up"
                                                                            : "review_pass",
                                 deciding_post_text(c));
      }
      if (c.life.phase == Phase::back_office_review) {
        const char* last = f.path == Path::escalated
                               ? "the last stage reports up (report_up); the higher level decides"
                               : "the last stage decides (approve or deny)";
        return why + fmt::format(": stage {} of {} ({}): {}", c.stage + 1, m.stages.size(),
                                 m.stages[c.stage].name,
                                 f.at_last_stage ? last
                                                 : "pass it to the next stage first (review_pass)");
      }
      if (c.life.phase == Phase::opinions && f.opinions_pending) {
        return why + ": opinions are still pending from some departments";
      }
      if (c.life.phase == Phase::opinions && !f.opinions_all_agree) {
        return why + ": a department disagreed; the case can only be denied";
      }
      break;
    case Verb::extend:
      if (f.extended_already) return why + ": the one extension (§42) has been used";
      break;
    case Verb::supplement:
      if (!f.tolerance_pending && c.life.phase != Phase::awaiting_materials) {
        return why + ": no materials are owed";
      }
      break;
    case Verb::issue:
      if (c.life.phase == Phase::decided && f.tolerance_pending) {
        return why + fmt::format(": 容缺 materials are still owed ({}), due by {}; the result is "
                                 "issued once they are supplied",
                                 join(owed_materials(c)), c.supplement_due.to_string());
      }
      break;
    case Verb::suspend:
      if (c.life.suspended) return why + ": the case is already suspended";
      return why + ": only an accepted case whose time limit is running can be suspended";
    case Verb::resume:
      return why + ": the case is not suspended";
    default:
      break;
  }
  return why;
}

}  // namespace workflow::detail
