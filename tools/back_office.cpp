// The back office of the demo hall (back_office.hpp): who acts on which case, when.
#include "back_office.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace workflow::cli::sim {

BackOffice::BackOffice(Engine& engine, Rng& rng, std::map<std::string, int>& counts,
                       std::function<bool(const std::string&)> away)
    : engine_(engine), rules_(engine.rules()), cal_(engine.calendar()), rng_(rng),
      counts_(counts), away_(std::move(away)) {}

void BackOffice::round(Date day, int minute) {
  if (minute == 10 * 60 + 30) verify_commitments(day);
  std::map<std::string, int> done;
  std::vector<CaseView> cases = engine_.list();
  // 一件事一次办 first: the bundle's windows and reviewers take its parts before other work
  // (企业开办 is promised in one working day).
  std::stable_partition(cases.begin(), cases.end(), [](const CaseView& c) { return c.bundle != 0; });
  for (const CaseView& c : cases) {
    if (c.state == CaseState::received || c.state == CaseState::awaiting_materials ||
        c.state >= CaseState::issued || c.holder.empty())
      continue;
    CaseTrack& t = track(c);
    if (c.suspended) {
      if (t.resume && *t.resume <= day) {
        engine_.resume(c.id, {.actor = c.holder});
        ++counts_["resumed"];
        t.resume.reset();
      }
      continue;
    }
    const std::string stage = fmt::format("{}/{}", to_string(c.state), c.post);
    if (t.stage != stage) {
      t.stage = stage;
      t.ready = cal_.add_working_days(day, pace(c));
      if (minute >= 15 * 60 && t.ready == day) t.ready = cal_.add_working_days(day, 1);
    }
    if (t.ready > day) continue;
    const auto office = rules_.find_office(c.office);
    const int cap = office && rules_.office(*office).level >= Level::county ? 5 : 3;
    if (done[c.holder] >= cap) continue;
    if (step(c, t, day)) ++done[c.holder];
  }
}

BackOffice::CaseTrack& BackOffice::track(const CaseView& c) {
  auto [it, fresh] = tracks_.try_emplace(c.id);
  if (fresh) {
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    it->second.tempo = r < 0.02 ? Tempo::very_late : r < 0.10 ? Tempo::late : r < 0.20 ? Tempo::tight : Tempo::normal;
    it->second.late_days = uniform(rng_, 1, 4);
  }
  return it->second;
}

// Working days a stage takes: a share of the promised limit, with some spread.
int BackOffice::pace(const CaseView& c) {
  if (c.state == CaseState::decided) return uniform(rng_, 0, 1);
  if (c.state == CaseState::escalated) return uniform(rng_, 1, 3);
  const Matter& m = rules_.matter(*rules_.find_matter(c.matter));
  const int share = m.promised_limit / (int(m.stages.size()) + 2);
  return uniform(rng_, 0, share);
}

// 联办: each department whose opinion is still due gives it (A, or B while A is away).
bool BackOffice::opinions(const CaseView& c) {
  bool acted = false;
  const Matter& m = rules_.matter(*rules_.find_matter(c.matter));
  for (const Stage& s : m.stages) {
    const Post& p = rules_.post(s.post);
    const std::string& who = rules_.staff(away_(rules_.staff(p.a).id) ? p.b : p.a).id;
    const std::vector<Verb> can = engine_.available_actions(c.id, who);
    if (std::find(can.begin(), can.end(), Verb::opinion_agree) == can.end()) continue;
    engine_.act(c.id, Verb::opinion_agree, {.actor = who});
    ++counts_["opinion_agree"];
    acted = true;
    if (engine_.get(c.id).state != CaseState::opinions) break;
  }
  return acted;
}

// One step on the case by its holder; false if there was nothing to do yet.
bool BackOffice::step(const CaseView& c, CaseTrack& t, Date day) {
  if (c.state == CaseState::opinions && opinions(c)) return true;  // then the lead decides
  const std::vector<Verb> can = engine_.available_actions(c.id, c.holder);
  auto has = [&](Verb v) { return std::find(can.begin(), can.end(), v) != can.end(); };
  Action act{.actor = c.holder};
  // §45: an inspection or expert review stops the clock (a few longer committed cases).
  if (c.state == CaseState::back_office_review && !t.suspended_once && has(Verb::suspend) &&
      c.promised_deadline && c.accepted &&
      cal_.working_days_between(*c.accepted, *c.promised_deadline) >= 7 && chance(rng_, 0.06)) {
    static constexpr std::array<std::pair<SpecialProcedure, const char*>, 3> kinds = {{
        {SpecialProcedure::inspection, "现场核查"},
        {SpecialProcedure::expert_review, "专家评审"},
        {SpecialProcedure::appraisal, "技术鉴定"}}};
    const auto& [procedure, reason] = kinds[uniform(rng_, 0, 2)];
    act.procedure = procedure;
    act.reason = reason;
    act.days = uniform(rng_, 2, 5);
    engine_.suspend(c.id, act);
    t.suspended_once = true;
    t.resume = cal_.add_working_days(day, act.days);
    ++counts_["suspended"];
    return true;
  }
  const bool deciding = has(Verb::approve) || has(Verb::higher_approve);
  if (deciding && t.tempo != Tempo::normal && c.promised_deadline) {
    Date target = *c.promised_deadline;
    if (t.tempo == Tempo::late) target = cal_.add_working_days(target, t.late_days);
    if (t.tempo == Tempo::very_late && c.legal_deadline)
      target = cal_.add_working_days(*c.legal_deadline, 1);
    if (day < target) return false;
  }
  // §43: a slow county stage reports a 上报件 up after its review days (a late tempo);
  // §44: 3 % of approvals wait at the window past the issue days.
  if (has(Verb::report_up) && t.tempo >= Tempo::late && c.escalation_review_deadline &&
      day <= cal_.add_working_days(*c.escalation_review_deadline, t.late_days - 1)) {
    return false;
  }
  if (has(Verb::issue) && c.issue_deadline && !t.issue_drawn) {
    t.issue_drawn = true;
    t.issue_late = chance(rng_, 0.03);
  }
  if (has(Verb::issue) && t.issue_late && c.issue_deadline &&
      day <= cal_.add_working_days(*c.issue_deadline, t.late_days - 1)) {
    return false;
  }
  Verb verb;
  if (has(Verb::report_up)) {
    verb = Verb::report_up;
  } else if (has(Verb::approve)) {
    verb = chance(rng_, 0.04) ? Verb::deny : Verb::approve;
  } else if (has(Verb::review_pass)) {
    verb = Verb::review_pass;
  } else if (has(Verb::opinion_agree)) {
    verb = Verb::opinion_agree;
  } else if (has(Verb::higher_approve)) {
    verb = Verb::higher_approve;
  } else if (has(Verb::issue)) {
    if (c.bundle != 0) return false;  // issued with the rest of its bundle (sim_bundles.cpp)
    verb = Verb::issue;
    const int r = uniform(rng_, 0, 9);
    // An applicant who applied from home (online, mobile, post, a village agent) mostly
    // gets the result by post or as an e-certificate (一次不跑); one at the window mostly
    // picks it up. The same draw either way keeps the demo's random stream.
    const bool from_home = c.channel != SubmissionChannel::window &&
                           c.channel != SubmissionChannel::self_service;
    act.channel = from_home ? (r < 2 ? IssueChannel::pickup : r < 4 ? IssueChannel::post
                                                                    : IssueChannel::e_certificate)
                            : (r < 7 ? IssueChannel::pickup : r < 8 ? IssueChannel::post
                                                                    : IssueChannel::e_certificate);
  } else {
    return false;
  }
  if (verb == Verb::deny) act.reason = "不符合法定条件";
  engine_.act(c.id, verb, act);
  ++counts_[std::string(to_string(verb))];
  return true;
}

// 告知承诺: the deciding organ's reviewer verifies each commitment, most in good time, some
// after the rules' days; a few commitments turn out false and the organ's head revokes the
// approval.
void BackOffice::verify_commitments(Date day) {
  CaseFilter due;
  due.verification_due = true;
  for (const CaseView& c : engine_.list(due)) {
    auto [it, fresh] = checks_.try_emplace(c.id);
    Check& check = it->second;
    if (fresh) {
      const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
      const Date from = c.accepted.value_or(day);
      check.found_false = r >= 0.94;
      check.on = r < 0.86 || check.found_false
                     ? cal_.add_working_days(from, uniform(rng_, 2, 15))
                     : cal_.add_working_days(*c.verification_deadline, uniform(rng_, 1, 5));
    }
    if (check.on > day) continue;
    const Matter& m = rules_.matter(*rules_.find_matter(c.matter));
    std::string reviewer, head;
    for (const Post& p : rules_.posts()) {
      if (p.department != m.department) continue;
      const std::string& who = rules_.staff(away_(rules_.staff(p.a).id) ? p.b : p.a).id;
      if (p.role == PostRole::back_office && reviewer.empty()) reviewer = who;
      if (p.approves_extensions && head.empty()) head = who;
    }
    if (reviewer.empty()) continue;
    if (!check.found_false) {
      engine_.act(c.id, Verb::confirm_promise, {.actor = reviewer, .reason = "核查属实"});
      ++counts_["confirm_promise"];
      continue;
    }
    engine_.act(c.id, Verb::false_promise, {.actor = reviewer, .reason = "现场核查：承诺内容不实"});
    ++counts_["false_promise"];
    if (!head.empty()) {
      engine_.act(c.id, Verb::revoke, {.actor = head, .reason = "申请人作出虚假承诺，依法撤销"});
      ++counts_["revoke"];
    }
  }
}

}  // namespace workflow::cli::sim
