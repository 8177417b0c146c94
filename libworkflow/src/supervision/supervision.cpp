// supervise() (workflow/supervision.hpp): one pass over the cases in scope, each read with its
// history; the ratings, bundles, cross-region and proxy figures are gathered on the way
// (services.cpp), the per-unit ranking and the weeks afterwards (units.cpp).
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "supervision/tally.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace {

using detail::event_detail;

bool is_decision(EventKind k) {
  return k == EventKind::approve || k == EventKind::deny || k == EventKind::higher_approve ||
         k == EventKind::higher_deny;
}

int light_rank(std::string_view light) {
  return light == "escalated_red" ? 3 : light == "red" ? 2 : light == "yellow" ? 1 : 0;
}

// A 办不成事 window: where a rule install sends the stages of a removed post.
bool is_unresolved_post(const RuleSet& rules, const std::string& id) {
  const auto post = rules.find_post(id);
  return post && rules.post(*post).role == PostRole::unresolved;
}

// Which cases count (supervision.hpp).
struct Scope {
  std::optional<Period> period;
  std::set<std::string> offices;  // the office asked for and those under it
  std::string department;         // or the department asked for
  bool all = true;

  bool office_in(const std::string& id) const { return offices.count(id) != 0; }
  bool matches(const CaseView& c, const std::string& unit) const {
    if (period && !period->contains(c.received.date())) return false;
    if (all) return true;
    if (!department.empty()) return unit == department;
    return office_in(c.accepting_office) || office_in(c.handling_office);
  }
};

Scope make_scope(const RuleSet& rules, const SupervisionQuery& q, SupervisionFigures& f) {
  Scope s;
  s.period = q.period;
  if (q.period && q.period->to < q.period->from)
    throw Error(ErrorCode::invalid_argument,
                fmt::format("the period {} ends before it starts", q.period->to_string()));
  // The hall: the root office, or, while that is a city with a single office under it (there
  // only to decide escalated matters), that office.
  const Office* hall = nullptr;
  for (const Office& o : rules.offices())
    if (!o.parent && !hall) hall = &o;
  while (hall && hall->level == Level::city) {
    const Office* only = nullptr;
    int children = 0;
    for (const Office& o : rules.offices())
      if (o.parent && &rules.office(*o.parent) == hall) {
        ++children;
        only = &o;
      }
    if (children != 1) break;
    hall = only;
  }
  if (hall) f.hall = hall->name;
  if (q.office.empty()) return s;
  s.all = false;
  if (const auto office = rules.find_office(q.office)) {
    f.office_name = rules.office(*office).name;
    // An office is under the one asked for if a chain of parents leads to it.
    for (const Office& o : rules.offices()) {
      const Office* at = &o;
      for (;;) {
        if (at->id == q.office) {
          s.offices.insert(o.id);
          break;
        }
        if (!at->parent) break;
        at = &rules.office(*at->parent);
      }
    }
  } else if (const auto dept = rules.find_department(q.office)) {
    f.office_name = rules.department(*dept).name;
    s.department = q.office;
  } else {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("'{}' is neither an office nor a department of the rule set", q.office));
  }
  return s;
}

}  // namespace

SupervisionFigures supervise(const Engine& engine, const SupervisionQuery& query) {
  const RuleSet rules = engine.rules();  // a copy: an install may race with us
  const Calendar& cal = engine.calendar();
  SupervisionFigures f;
  f.period = query.period;
  f.office = query.office;
  const Scope scope = make_scope(rules, query, f);
  f.rules_version = rules.version().substr(0, 12);

  // 即办件 by matters: the rule set's matters of the units in scope.
  for (const Matter& m : rules.matters()) {
    const Department& d = rules.department(m.department);
    const bool in = scope.all || (!scope.department.empty() ? d.id == scope.department
                                                            : scope.office_in(rules.office(d.office).id));
    if (in) f.instant_matters.add(m.kind == MatterKind::instant);
  }

  std::map<std::string, MatterTiming> timing;
  std::map<std::string, long long> timing_sum;
  DateTime as_of;
  struct Pending {
    FlaggedCase flag;
    std::optional<Date> promised, decision;
    int worst = 0;
  };
  std::vector<Pending> flagged;
  std::vector<detail::CaseFacts> facts;
  detail::ServiceTally services(engine);
  detail::OperationsTally operations;
  detail::OversightTally oversight;
  detail::UnresolvedTally unresolved_path;
  for (const CaseView& summary : engine.list()) {
    const std::string unit = detail::case_unit(rules, summary);
    if (!scope.matches(summary, unit)) continue;
    const CaseView c = engine.get(summary.id);
    services.add(c);
    operations.add(c);
    oversight.add(c);
    unresolved_path.add(c);
    detail::CaseFacts fact;
    fact.unit = unit;
    fact.received = c.received.date();
    fact.instant = c.kind == MatterKind::instant;
    ++f.cases;
    ++f.by_kind[std::string(to_string(c.kind))];
    ++f.by_state[std::string(to_string(c.state))];
    ++f.by_office[c.accepting_office];
    ++f.light_now[std::string(to_string(c.light))];
    // Red now: still waiting for its decision and past its deadline. A decided case keeps
    // its light frozen (light_now), but it is no longer late work a supervisor can chase.
    const bool waiting = c.state != CaseState::decided && c.state != CaseState::issued &&
                         c.state != CaseState::refused && c.state != CaseState::withdrawn &&
                         c.state != CaseState::terminated;
    if (waiting && (c.light == Light::red || c.light == Light::escalated_red)) {
      ++f.red_now;
      fact.red_now = true;
    }
    if (c.kind == MatterKind::instant) ++f.instant;
    if (c.state == CaseState::terminated) ++f.terminated;
    if (!c.delegation.empty()) {
      ++f.delegated;
      ++f.delegated_by_township[c.accepting_office];
      if (c.delegation_mode) ++f.delegated_by_mode[std::string(to_string(*c.delegation_mode))];
    }
    bool notified = false, tolerated = false, suspended = false, reported = false, unresolved = false;
    bool recomputed = false, stage_late = false;
    int worst = 0;
    std::optional<Date> decision;
    for (const Event& e : c.history) {
      as_of = std::max(as_of, e.time);
      switch (e.kind) {
        case EventKind::submitted:
          if (e.reason.starts_with("no delegation")) ++f.delegation_lapsed;
          break;
        case EventKind::notify_missing: notified = true; break;
        case EventKind::accept:
          // The accept event names the materials accepted as owed (容缺受理).
          tolerated = tolerated || e.detail.starts_with("tolerate_missing=");
          break;
        case EventKind::suspend: suspended = true; break;
        case EventKind::report_up: reported = true; break;
        case EventKind::routed_unresolved:
          if (!unresolved) ++f.unresolved_by_office[e.office];
          unresolved = true;
          break;
        case EventKind::rerouted:
          // A rule install moved the case: to the 办不成事 window if its post was removed.
          if (is_unresolved_post(rules, event_detail(e.detail, "to_post"))) {
            if (!unresolved) ++f.unresolved_by_office[e.office];
            unresolved = true;
          }
          break;
        case EventKind::deadlines_recomputed: recomputed = true; break;
        case EventKind::escalation_review_overdue: ++f.law.escalation_review_overdue; break;
        case EventKind::issue_overdue: ++f.law.issue_overdue; break;
        case EventKind::verification_overdue: ++f.law.verification_overdue; break;
        case EventKind::false_promise: ++f.law.false_commitments; break;
        case EventKind::revoke: ++f.law.revoked; break;
        case EventKind::stage_overdue:
          stage_late = true;
          ++f.law.stage_overdue_by_unit[event_detail(e.detail, "unit")];
          break;
        case EventKind::handoff: {
          ++f.handoffs;
          ++fact.handoffs;
          std::string post = event_detail(e.detail, "post");
          ++f.handoffs_by_post[post.empty() ? e.post : post];
          break;
        }
        case EventKind::light_changed:
          // A rectification task's own light (差评整改) is not the case's.
          if (event_detail(e.detail, "task").empty())
            worst = std::max(worst, light_rank(event_detail(e.detail, "to")));
          break;
        default:
          if (is_decision(e.kind) && !decision) decision = e.time.date();
      }
    }
    f.notices += notified;
    f.tolerated += tolerated;
    f.suspended += suspended;
    f.escalated += reported;
    f.unresolved += unresolved;
    f.deadlines_recomputed += recomputed;
    f.law.stage_overdue += stage_late;
    if (c.on_promise) {
      ++f.law.on_promise;
      if (c.verification == Verification::confirmed ||
          c.verification == Verification::false_commitment) {
        ++f.law.verified;
      }
    }
    if (c.deadlines_provisional && c.state < CaseState::issued) ++f.provisional_now;
    if ((c.holding == Holding::unresolved || is_unresolved_post(rules, c.post)) &&
        c.state < CaseState::issued)
      ++f.unresolved_now;
    for (int r = 1; r <= 3; ++r)
      if (worst >= r) ++f.ever_light[r == 1 ? "yellow" : r == 2 ? "red" : "escalated_red"];
    if (worst >= 2) ++f.red_ever;
    fact.worst_light = worst;
    if (c.accepted) {
      ++f.accepted;
      fact.accepted = true;
      fact.first_time_right = !notified;
      if (!notified) ++f.first_time_right;
      f.first_time_right_rate.add(!notified);
    }
    if (c.rating) fact.score = c.rating->score;
    if (decision && c.accepted) {
      ++f.decided;
      const bool on_time = !c.promised_deadline || *decision <= *c.promised_deadline;
      f.decided_on_time += on_time;
      f.on_time.add(on_time);
      fact.decision = decision;
      fact.on_time = on_time;
      if (c.kind != MatterKind::instant) {
        MatterTiming& t = timing[c.matter];
        if (t.code.empty()) {
          t.code = c.matter;
          t.name = c.matter_name;
          t.kind = std::string(to_string(c.kind));
          if (auto m = rules.find_matter(c.matter)) {
            t.promised_limit = rules.matter(*m).promised_limit;
            t.office = rules.office(rules.department(rules.matter(*m).department).office).id;
          }
        }
        const int used = cal.working_days_between(*c.accepted, *decision);
        ++t.decided;
        t.on_time += on_time;
        t.max_days_used = std::max(t.max_days_used, used);
        timing_sum[c.matter] += used;
      }
    }
    f.instant_share.add(c.kind == MatterKind::instant);
    if (worst > 0 || c.light == Light::yellow) {
      Pending p;
      p.flag = {c.id, c.matter, c.matter_name, c.office, std::string(to_string(c.state)),
                std::string(to_string(c.light)), "", "", 0};
      p.worst = std::max(worst, light_rank(to_string(c.light)));
      p.flag.worst_light = p.worst == 3 ? "escalated_red" : p.worst == 2 ? "red" : "yellow";
      p.promised = c.promised_deadline;
      p.decision = decision;
      if (c.promised_deadline) p.flag.promised_deadline = c.promised_deadline->to_string();
      flagged.push_back(std::move(p));
    }
    facts.push_back(std::move(fact));
  }
  f.as_of = f.cases ? as_of.to_string() : "";
  for (Pending& p : flagged) {
    if (!p.promised) continue;
    const Date end = p.decision ? *p.decision : as_of.date();
    p.flag.days_over = end > *p.promised ? cal.working_days_between(*p.promised, end) : 0;
  }
  std::sort(flagged.begin(), flagged.end(), [](const Pending& a, const Pending& b) {
    if (a.worst != b.worst) return a.worst > b.worst;
    if (a.flag.days_over != b.flag.days_over) return a.flag.days_over > b.flag.days_over;
    return a.flag.id < b.flag.id;
  });
  for (std::size_t i = 0; i < flagged.size() && i < 10; ++i) f.worst.push_back(flagged[i].flag);
  for (auto& [code, t] : timing) {
    t.mean_days_used = double(timing_sum[code]) / t.decided;
    f.timing.push_back(t);
  }
  services.finish(f);
  operations.finish(f);
  oversight.finish(f);
  unresolved_path.finish(f);
  detail::rank_units(rules, facts, f);
  detail::weekly(facts, f);
  return f;
}

}  // namespace workflow
