// The conversion of workflow/supervision.hpp figures to plain dicts; see supervision_dicts.hpp.
#include "supervision_dicts.hpp"

#include <map>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "py_engine.hpp"

namespace workflow::python {
namespace {

py::dict rate(const Rate& r) {
  py::dict d;
  d["numerator"] = r.numerator;
  d["denominator"] = r.denominator;
  d["value"] = r.value();
  return d;
}

template <class V>
py::dict counts(const std::map<std::string, V>& m) {
  py::dict d;
  for (const auto& [k, v] : m) d[py::str(k)] = v;
  return d;
}

py::object period(const std::optional<Period>& p) {
  if (!p) return py::none();
  py::dict d;
  d["from"] = p->from;
  d["to"] = p->to;
  return d;
}

py::dict flagged(const FlaggedCase& c) {
  py::dict d;
  d["id"] = c.id;
  d["matter"] = c.matter;
  d["matter_name"] = c.matter_name;
  d["office"] = c.office;
  d["state"] = c.state;
  d["light"] = c.light;
  d["worst_light"] = c.worst_light;
  d["promised_deadline"] = c.promised_deadline;
  d["days_over"] = c.days_over;
  return d;
}

py::dict timing(const MatterTiming& m) {
  py::dict d;
  d["code"] = m.code;
  d["name"] = m.name;
  d["kind"] = m.kind;
  d["office"] = m.office;
  d["promised_limit"] = m.promised_limit;
  d["decided"] = m.decided;
  d["on_time"] = m.on_time;
  d["mean_days_used"] = m.mean_days_used;
  d["max_days_used"] = m.max_days_used;
  return d;
}

py::dict ratings(const RatingFigures& r) {
  py::dict d;
  d["rated"] = r.rated;
  d["by_score"] = counts(r.by_score);
  d["by_channel"] = counts(r.by_channel);
  d["satisfaction"] = rate(r.satisfaction);
  d["bad"] = r.bad;
  d["bad_named"] = r.bad_named;
  d["tasks_opened"] = r.tasks_opened;
  d["tasks_closed"] = r.tasks_closed;
  d["tasks_open"] = r.tasks_open;
  d["handled"] = rate(r.handled);
  d["closed_on_time"] = r.closed_on_time;
  d["on_time"] = rate(r.on_time);
  d["open_overdue"] = r.open_overdue;
  d["by_resolution"] = counts(r.by_resolution);
  d["by_department"] = counts(r.by_department);
  d["named_called_back"] = r.named_called_back;
  d["call_back"] = rate(r.call_back);
  d["named_pending"] = r.named_pending;
  d["anonymous_closed_without_call_back"] = r.anonymous_closed_without_call_back;
  py::list tasks;
  for (const RectificationTask& t : r.tasks) {
    py::dict x;
    x["id"] = t.id;
    x["matter"] = t.matter;
    x["matter_name"] = t.matter_name;
    x["score"] = t.score;
    x["channel"] = t.channel;
    x["named"] = t.named;
    x["department"] = t.department;
    x["state"] = t.state;
    x["resolution"] = t.resolution;
    x["opened"] = t.opened;
    x["due"] = t.due;
    x["closed"] = t.closed;
    x["light"] = t.light;
    x["called_back"] = t.called_back;
    x["on_time"] = t.on_time;
    tasks.append(std::move(x));
  }
  d["tasks"] = std::move(tasks);
  return d;
}

py::dict bundles(const BundleFigures& b) {
  py::dict d;
  d["count"] = b.count;
  d["by_rule"] = counts(b.by_rule);
  d["promised_limit"] = counts(b.promised_limit);
  d["accepted"] = b.accepted;
  d["notified"] = b.notified;
  d["done"] = b.done;
  d["on_time"] = b.on_time;
  d["on_time_rate"] = rate(b.on_time_rate);
  d["open"] = b.open;
  py::dict days;
  for (const auto& [k, v] : b.days_used) days[py::int_(k)] = v;
  d["days_used"] = std::move(days);
  d["light_now"] = counts(b.light_now);
  d["with_denied"] = b.with_denied;
  py::list denied;
  for (const DeniedPart& p : b.denied) {
    py::dict x;
    x["bundle"] = p.bundle;
    x["id"] = p.id;
    x["matter"] = p.matter;
    x["matter_name"] = p.matter_name;
    x["state"] = p.state;
    denied.append(std::move(x));
  }
  d["denied"] = std::move(denied);
  return d;
}

py::dict cross_region(const CrossRegionFigures& c) {
  py::dict d;
  d["cases"] = c.cases;
  d["issue_elsewhere"] = c.issue_elsewhere;
  d["third_office"] = c.third_office;
  d["issued"] = c.issued;
  d["by_matter"] = counts(c.by_matter);
  py::dict offices;
  for (const auto& [id, o] : c.by_office) {
    py::dict x;
    x["accepted_for_others"] = o.accepted_for_others;
    x["handled_for_others"] = o.handled_for_others;
    x["issued_here"] = o.issued_here;
    offices[py::str(id)] = std::move(x);
  }
  d["by_office"] = std::move(offices);
  return d;
}

py::dict proxy(const ProxyFigures& p) {
  py::dict d;
  d["cases"] = p.cases;
  d["notices"] = p.notices;
  d["notices_to_b"] = p.notices_to_b;
  d["followed_by_b"] = p.followed_by_b;
  py::dict posts;
  for (const auto& [id, a] : p.by_post) {
    py::dict x;
    x["station"] = a.station;
    x["cases"] = a.cases;
    x["notices"] = a.notices;
    x["notices_to_b"] = a.notices_to_b;
    x["followed_by_b"] = a.followed_by_b;
    posts[py::str(id)] = std::move(x);
  }
  d["by_post"] = std::move(posts);
  return d;
}

py::dict law_limits(const LawLimitFigures& l) {
  py::dict d;
  d["escalation_review_overdue"] = l.escalation_review_overdue;
  d["issue_overdue"] = l.issue_overdue;
  d["stage_overdue"] = l.stage_overdue;
  d["stage_overdue_by_unit"] = counts(l.stage_overdue_by_unit);
  d["on_promise"] = l.on_promise;
  d["verified"] = l.verified;
  d["false_commitments"] = l.false_commitments;
  d["verification_overdue"] = l.verification_overdue;
  d["revoked"] = l.revoked;
  return d;
}

py::dict oversight(const OversightFigures& o) {
  py::dict d;
  d["orders"] = o.orders;
  d["cases_ordered"] = o.cases_ordered;
  d["replied"] = o.replied;
  d["replied_on_time"] = o.replied_on_time;
  d["overdue"] = o.overdue;
  d["reply_on_time_rate"] = rate(o.reply_on_time_rate);
  d["open"] = o.open;
  d["closed"] = o.closed;
  d["escalated"] = o.escalated;
  d["orders_by_unit"] = counts(o.orders_by_unit);
  d["reassignments"] = o.reassignments;
  d["reassignments_by_unit"] = counts(o.reassignments_by_unit);
  return d;
}

py::dict unit(const UnitFigures& u) {
  py::dict d;
  d["id"] = u.id;
  d["name"] = u.name;
  d["office"] = u.office;
  d["cases"] = u.cases;
  d["decided"] = u.decided;
  d["on_time"] = rate(u.on_time);
  d["instant_share"] = rate(u.instant_share);
  d["first_time_right"] = rate(u.first_time_right);
  d["satisfaction"] = rate(u.satisfaction);
  d["bad_ratings"] = u.bad_ratings;
  d["red_ever"] = u.red_ever;
  d["red_now"] = u.red_now;
  d["handoffs"] = u.handoffs;
  return d;
}

py::dict week(const WeekFigures& w) {
  py::dict d;
  d["from"] = w.from;
  d["to"] = w.to;
  d["received"] = w.received;
  d["decided"] = w.decided;
  d["on_time"] = rate(w.on_time);
  d["first_time_right"] = rate(w.first_time_right);
  return d;
}

py::dict targets(const SupervisionTargets& t) {
  py::dict d;
  d["on_time"] = t.on_time;
  d["instant_share"] = t.instant_share;
  d["first_time_right"] = t.first_time_right;
  d["satisfaction"] = t.satisfaction;
  d["call_back"] = t.call_back;
  d["bundle_on_time"] = t.bundle_on_time;
  return d;
}

}  // namespace

// Every field of SupervisionFigures, under its C++ name.
py::dict figures_dict(const SupervisionFigures& f) {
  py::dict d;
  d["period"] = period(f.period);
  d["office"] = f.office;
  d["office_name"] = f.office_name;
  d["hall"] = f.hall;
  d["as_of"] = f.as_of;
  d["rules_version"] = f.rules_version;
  d["cases"] = f.cases;
  d["by_kind"] = counts(f.by_kind);
  d["by_state"] = counts(f.by_state);
  d["by_office"] = counts(f.by_office);
  d["accepted"] = f.accepted;
  d["decided"] = f.decided;
  d["decided_on_time"] = f.decided_on_time;
  d["on_time"] = rate(f.on_time);
  d["instant"] = f.instant;
  d["instant_share"] = rate(f.instant_share);
  d["instant_matters"] = rate(f.instant_matters);
  d["first_time_right"] = f.first_time_right;
  d["first_time_right_rate"] = rate(f.first_time_right_rate);
  d["notices"] = f.notices;
  d["tolerated"] = f.tolerated;
  d["suspended"] = f.suspended;
  d["terminated"] = f.terminated;
  d["ever_light"] = counts(f.ever_light);
  d["light_now"] = counts(f.light_now);
  d["red_ever"] = f.red_ever;
  d["red_now"] = f.red_now;
  py::list worst, times, units, weeks;
  for (const FlaggedCase& c : f.worst) worst.append(flagged(c));
  for (const MatterTiming& m : f.timing) times.append(timing(m));
  for (const UnitFigures& u : f.units) units.append(unit(u));
  for (const WeekFigures& w : f.weeks) weeks.append(week(w));
  d["worst"] = std::move(worst);
  d["timing"] = std::move(times);
  d["handoffs_by_post"] = counts(f.handoffs_by_post);
  d["handoffs"] = f.handoffs;
  d["delegated"] = f.delegated;
  d["delegated_by_township"] = counts(f.delegated_by_township);
  d["delegated_by_mode"] = counts(f.delegated_by_mode);
  d["delegation_lapsed"] = f.delegation_lapsed;
  d["escalated"] = f.escalated;
  d["unresolved"] = f.unresolved;
  d["unresolved_now"] = f.unresolved_now;
  d["unresolved_by_office"] = counts(f.unresolved_by_office);
  d["provisional_now"] = f.provisional_now;
  d["deadlines_recomputed"] = f.deadlines_recomputed;
  d["ratings"] = ratings(f.ratings);
  d["bundles"] = bundles(f.bundles);
  d["cross_region"] = cross_region(f.cross_region);
  d["proxy"] = proxy(f.proxy);
  d["law"] = law_limits(f.law);
  d["oversight"] = oversight(f.oversight);
  d["units"] = std::move(units);
  d["last_three"] = f.last_three;
  d["weeks"] = std::move(weeks);
  d["targets"] = targets(f.targets);
  return d;
}

}  // namespace workflow::python
