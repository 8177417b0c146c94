// Reading cases: the view of one case, lists by filter, and what an actor may do now.
#include "engine/engine_core.hpp"

namespace workflow::detail {

CaseView EngineCore::view(CaseId id, bool with_history) const {
  const CaseRecord& c = record(id);
  const Matter& m = rules_.matter(c.matter);
  CaseView v;
  v.id = c.id;
  v.matter = m.code;
  v.matter_name = m.name;
  v.kind = m.kind;
  v.state = static_cast<CaseState>(c.life.phase);
  v.suspended = c.life.suspended;
  v.decision = c.decision;
  v.office = rules_.office(c.office).id;
  v.accepting_office = rules_.office(c.accepting_office).id;
  v.handling_office = rules_.office(handling_office(rules_, c)).id;
  v.issuing_office = rules_.office(c.issue_office).id;
  v.cross_region = is_cross_region(rules_, c);
  v.post = rules_.post(c.post).id;
  v.holder = rules_.staff(c.holder).id;
  v.holding = c.holding;
  v.applicant = applicants_[c.applicant];
  if (c.agent_post != kNone) {
    v.agent = rules_.staff(c.first_handler).id;
    v.agent_post = rules_.post(PostRef{c.agent_post}).id;
    v.following_agent =
        rules_.staff(assign(rules_, roster_, PostRef{c.agent_post}, clock_->now()).holder).id;
  }
  v.bundle = c.bundle;
  v.first_handler = rules_.staff(c.first_handler).id;
  v.channel = c.channel;
  v.assisted = c.assisted;
  if (c.delegation != kNone) {
    const Delegation& d = rules_.delegation(DelegationRef{c.delegation});
    v.delegation = d.id;
    v.delegation_mode = d.mode;
  }
  v.received = c.received;
  if (c.light != Light::none || c.on_promise) {  // the clock has started
    v.accepted = c.accepted;
    v.promised_deadline = c.deadlines.promised_due;
    v.legal_deadline = c.deadlines.legal_due;
    v.deadlines_provisional = c.deadlines_provisional;
  }
  // Owed 容缺 materials matter only while the case can still receive them.
  if (c.tolerance && !is_concluded(c.life.phase)) v.supplement_deadline = c.supplement_due;
  v.missing_materials = missing_materials(c, false);
  v.light = c.light;
  v.suspended_working_days = c.suspended_days;
  v.extension_days = c.extension_days;
  v.on_promise = c.on_promise;
  fill_law_view(v, c);
  fill_rating(v);
  fill_oversight(v);
  fill_coordination(v);
  v.rules_version = case_rules_version(c);
  if (with_history) v.history = store_->history(id);
  return v;
}

std::vector<CaseView> EngineCore::list(const CaseFilter& f) const {
  std::vector<CaseView> out;
  // Plain values with a flag rather than optionals: GCC 12 cannot see that an engaged
  // optional's value is initialised here and warns (-Wmaybe-uninitialized).
  const auto office = rules_.find_office(f.office);
  const auto post = rules_.find_post(f.post);
  const auto matter = rules_.find_matter(f.matter);
  const bool by_office = !f.office.empty(), by_post = !f.post.empty(),
             by_matter = !f.matter.empty();
  const OfficeRef office_ref = office.value_or(OfficeRef{});
  const PostRef post_ref = post.value_or(PostRef{});
  const MatterRef matter_ref = matter.value_or(MatterRef{});
  const auto agent = rules_.find_staff(f.agent);
  const bool by_agent = !f.agent.empty();
  const StaffRef agent_ref = agent.value_or(StaffRef{});
  // An unknown id in the filter matches nothing rather than everything.
  if ((by_office && !office) || (by_post && !post) || (by_matter && !matter) ||
      (by_agent && !agent)) {
    return out;
  }
  const DateTime now = clock_->now();
  for (const CaseRecord& c : cases_) {
    if (f.state && static_cast<CaseState>(c.life.phase) != *f.state) continue;
    if (f.suspended && c.life.suspended != *f.suspended) continue;
    if (by_office && c.office != office_ref && c.accepting_office != office_ref &&
        c.issue_office != office_ref && handling_office(rules_, c) != office_ref) {
      continue;
    }
    if (by_post && c.post != post_ref) continue;
    if (f.light && c.light != *f.light) continue;
    if (by_matter && c.matter != matter_ref) continue;
    if (f.bundle && c.bundle != *f.bundle) continue;
    if (f.on_promise && c.on_promise != *f.on_promise) continue;
    if (f.verification_due && (c.verification == Verification::pending &&
                               (c.life.phase == Phase::decided ||
                                c.life.phase == Phase::issued)) != *f.verification_due) {
      continue;
    }
    // 帮办代办 under the AB rule: B sees A's cases while A is away.
    if (by_agent && (c.agent_post == kNone ||
                     !holds_now(agent_ref, PostRef{c.agent_post}, now))) {
      continue;
    }
    out.push_back(view(c.id, false));
  }
  return out;
}

std::vector<Verb> EngineCore::available_actions(CaseId id, std::string_view actor) const {
  const CaseRecord& c = record(id);
  const auto staff = rules_.find_staff(actor);
  std::vector<Verb> out;
  if (!staff) return out;
  const DateTime now = clock_->now();
  if (is_concluded(c.life.phase)) {
    std::vector<Verb> concluded = rectification_actions(c, *staff, now);
    for (const Verb v : promise_actions(c, *staff, now)) concluded.push_back(v);
    for (const Verb v : unresolved_actions(c, *staff, now)) concluded.push_back(v);
    for (const Verb v : oversight_actions(c, *staff, now)) concluded.push_back(v);
    return concluded;
  }
  for (int v = 0; v <= static_cast<int>(Verb::terminate); ++v) {
    const Verb verb = static_cast<Verb>(v);
    if (!permitted(c, *staff, verb, now)) continue;
    // Offer accept if any way of accepting works: plain, 容缺 or 告知承诺.
    Action plain, tolerate, promise;
    tolerate.tolerate_missing = true;
    promise.on_promise = true;
    bool possible = false;
    for (const Action* a : {&plain, &tolerate, &promise}) {
      possible = possible || can_fire(c.life, static_cast<Trigger>(verb), facts_for(c, a));
      if (verb != Verb::accept) break;
    }
    if (possible) out.push_back(verb);
  }
  for (const Verb v : promise_actions(c, *staff, now)) out.push_back(v);
  for (const Verb v : unresolved_actions(c, *staff, now)) out.push_back(v);
  for (const Verb v : oversight_actions(c, *staff, now)) out.push_back(v);
  return out;
}

}  // namespace workflow::detail
