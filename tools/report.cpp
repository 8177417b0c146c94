// The supervision figures (workflow/supervision.hpp) printed as text or JSON (report.hpp).
#include "report.hpp"

#include "report_format.hpp"
#include "workflow/error.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace workflow::cli {

std::string report_text(const Figures& f) {
  std::string o;
  auto line = [&o](const std::string& s) { o += s + "\n"; };
  line(fmt::format("== Supervision report (电子监察), as of {}, rules {}",
                   f.as_of.empty() ? "no data" : f.as_of, f.rules_version));
  line(fmt::format("hall: {}; period: {}; office: {}", f.hall,
                   f.period ? f.period->to_string() : "all cases",
                   f.office.empty() ? "the whole hall" : f.office_name + " (" + f.office + ")"));
  line(fmt::format("cases: {}", f.cases));
  line(fmt::format("  by kind:   {}", counts_line(f.by_kind)));
  line(fmt::format("  by state:  {}", counts_line(f.by_state)));
  line(fmt::format("  by office: {}", counts_line(f.by_office)));
  line(fmt::format("on-time rate: {} ({} of {} decided within the promised deadline)",
                   pct_text(f.on_time), f.decided_on_time, f.decided));
  line(fmt::format("instant-case share: {} ({} of {}; target >= 40%); by matters: {} ({} of {} "
                   "matters in scope)",
                   pct_text(f.instant_share), f.instant, f.cases, pct_text(f.instant_matters),
                   f.instant_matters.numerator, f.instant_matters.denominator));
  line(fmt::format("一次办好 rate: {} ({} of {} accepted without a notice of missing "
                   "materials; target >= 90%)",
                   pct_text(f.first_time_right_rate), f.first_time_right, f.accepted));
  line(fmt::format("满意率 (ratings 4-5): {} ({} of {}); 差评 handled: {} ({} of {} tasks closed)",
                   pct_text(f.ratings.satisfaction), f.ratings.satisfaction.numerator,
                   f.ratings.satisfaction.denominator, pct_text(f.ratings.handled),
                   f.ratings.handled.numerator, f.ratings.handled.denominator));
  line(fmt::format("notices {}, 容缺 acceptances {}, §45 suspensions {}, terminated {}", f.notices,
                   f.tolerated, f.suspended, f.terminated));
  auto ever = [&f](const char* k) {
    auto it = f.ever_light.find(k);
    return it == f.ever_light.end() ? 0 : it->second;
  };
  line(fmt::format("lights (cases that ever showed): yellow {}, red {}, escalated red {}",
                   ever("yellow"), ever("red"), ever("escalated_red")));
  line(fmt::format("lights now: {}", counts_line(f.light_now)));
  line(fmt::format("red: {} ever red (or escalated), {} red now and undecided", plural(f.red_ever, "case", "cases"),
                   f.red_now));
  if (!f.worst.empty()) line("worst cases:");
  for (const FlaggedCase& c : f.worst)
    line(fmt::format("  case {:>5} {:<13} {:>2} {} over  {} {} [{}] at {}, promised {}", c.id,
                     c.worst_light, c.days_over, c.days_over == 1 ? "day " : "days", c.matter,
                     c.matter_name, c.state, c.office,
                     c.promised_deadline));
  line("working days used vs promised (acceptance to decision, decided cases):");
  for (const MatterTiming& t : f.timing)
    line(fmt::format("  {:<22} promised {:>2}  mean {:>5.1f}  max {:>2}  on time {}/{}  {}", t.code,
                     t.promised_limit, t.mean_days_used, t.max_days_used, t.on_time, t.decided,
                     t.name));
  line(fmt::format("AB handoffs: {} ({})", f.handoffs, counts_line(f.handoffs_by_post)));
  line(fmt::format("delegated cases by township: {} (by mode: {}); sent back to the county "
                   "(no delegation in force): {}",
                   counts_line(f.delegated_by_township), counts_line(f.delegated_by_mode),
                   f.delegation_lapsed));
  line(fmt::format("escalated (上报): {}", f.escalated));
  line(fmt::format("办不成事 window: {} routed there ({}), {} still held",
                   plural(f.unresolved, "case", "cases"), counts_line(f.unresolved_by_office),
                   f.unresolved_now));
  line(fmt::format("provisional deadlines (next year's holiday notice not out): {} open {}; "
                   "recomputed on the official calendar: {}",
                   f.provisional_now, f.provisional_now == 1 ? "case" : "cases",
                   f.deadlines_recomputed));
  const LawLimitFigures& law = f.law;
  line(fmt::format("time limits of the law: §43 reported up late {}, §44 issued late {}, "
                   "环节超时 {} ({}), 告知承诺 verification overdue {}",
                   law.escalation_review_overdue, law.issue_overdue, law.stage_overdue,
                   law.stage_overdue_by_unit.empty() ? "none"
                                                     : counts_line(law.stage_overdue_by_unit),
                   law.verification_overdue));
  line(fmt::format("告知承诺: {} approved on commitment, {} verified, {} false, {} revoked",
                   law.on_promise, law.verified, law.false_commitments, law.revoked));
  // Names and ids come from rule files and the store: escaped once here, for every section.
  return printable(o + services_text(f) + operations_text(f) + unresolved_path_text(f) +
                   oversight_text(f) + ranking_text(f));
}

std::string ranking_text(const Figures& f) {
  std::string o = "units ranked by on-time rate (ties: more decided cases first):\n";
  if (f.units.empty()) return o + "  no data\n";
  int rank = 0;
  for (const UnitFigures& u : f.units)
    o += fmt::format("  {:>2}. {:<14} on time {:>8} ({}/{})  cases {:>4}  一次办好 {:>8}  满意率 {:>8}  "
                     "red ever {} / now {}  {}\n",
                     ++rank, u.id, pct_text(u.on_time), u.on_time.numerator, u.on_time.denominator,
                     u.cases, pct_text(u.first_time_right), pct_text(u.satisfaction), u.red_ever,
                     u.red_now, u.name);
  std::string last;
  for (const std::string& id : f.last_three) last += (last.empty() ? "" : ", ") + id;
  return o + fmt::format("  last three: {}\n", last.empty() ? "no data" : last);
}

std::string report_json(const Figures& f) {
  std::string o = "{\n";
  auto key = [&o](const char* k, const std::string& v, bool last = false) {
    o += fmt::format("  \"{}\": {}{}\n", k, v, last ? "" : ",");
  };
  key("as_of", json_string(f.as_of));
  key("rules_version", json_string(f.rules_version));
  key("hall", json_string(f.hall));
  key("period", f.period ? fmt::format("{{\"from\": {}, \"to\": {}}}",
                                       json_string(f.period->from.to_string()),
                                       json_string(f.period->to.to_string()))
                         : "null");
  key("office", json_string(f.office));
  key("cases", std::to_string(f.cases));
  key("by_kind", json_counts(f.by_kind));
  key("by_state", json_counts(f.by_state));
  key("by_office", json_counts(f.by_office));
  key("accepted", std::to_string(f.accepted));
  key("decided", std::to_string(f.decided));
  key("decided_on_time", std::to_string(f.decided_on_time));
  key("on_time_rate", json_rate(f.on_time));
  key("instant", std::to_string(f.instant));
  key("instant_share", json_rate(f.instant_share));
  key("instant_matters_share", json_rate(f.instant_matters));
  key("first_time_right", std::to_string(f.first_time_right));
  key("first_time_right_rate", json_rate(f.first_time_right_rate));
  key("notices", std::to_string(f.notices));
  key("tolerated", std::to_string(f.tolerated));
  key("suspended", std::to_string(f.suspended));
  key("terminated", std::to_string(f.terminated));
  key("ever_light", json_counts(f.ever_light));
  key("light_now", json_counts(f.light_now));
  key("red_ever", std::to_string(f.red_ever));
  key("red_now", std::to_string(f.red_now));
  std::string units = "[";
  for (const UnitFigures& u : f.units)
    units += fmt::format(
        "{}\n    {{\"id\": {}, \"name\": {}, \"office\": {}, \"cases\": {}, \"decided\": {}, "
        "\"on_time_rate\": {}, \"instant_share\": {}, \"first_time_right_rate\": {}, "
        "\"satisfaction\": {}, \"bad_ratings\": {}, \"red_ever\": {}, \"red_now\": {}, "
        "\"handoffs\": {}}}",
        units.size() > 1 ? "," : "", json_string(u.id), json_string(u.name), json_string(u.office),
        u.cases, u.decided, json_rate(u.on_time), json_rate(u.instant_share),
        json_rate(u.first_time_right), json_rate(u.satisfaction), u.bad_ratings, u.red_ever,
        u.red_now, u.handoffs);
  key("units", units + (f.units.empty() ? "]" : "\n  ]"));
  std::string last = "[";
  for (const std::string& id : f.last_three) last += (last.size() > 1 ? ", " : "") + json_string(id);
  key("last_three", last + "]");
  std::string weeks = "[";
  for (const WeekFigures& w : f.weeks)
    weeks += fmt::format("{}\n    {{\"from\": {}, \"to\": {}, \"received\": {}, \"decided\": {}, "
                         "\"on_time_rate\": {}, \"first_time_right_rate\": {}}}",
                         weeks.size() > 1 ? "," : "", json_string(w.from.to_string()),
                         json_string(w.to.to_string()), w.received, w.decided,
                         json_rate(w.on_time), json_rate(w.first_time_right));
  key("weeks", weeks + (f.weeks.empty() ? "]" : "\n  ]"));
  std::string worst = "[";
  for (const FlaggedCase& c : f.worst) {
    worst += fmt::format(
        "{}\n    {{\"id\": {}, \"matter\": {}, \"matter_name\": {}, \"office\": {}, \"state\": {}, "
        "\"light\": {}, \"worst_light\": {}, \"promised_deadline\": {}, \"days_over\": {}}}",
        worst.size() > 1 ? "," : "", c.id, json_string(c.matter), json_string(c.matter_name),
        json_string(c.office), json_string(c.state), json_string(c.light),
        json_string(c.worst_light), json_string(c.promised_deadline), c.days_over);
  }
  key("worst", worst + (f.worst.empty() ? "]" : "\n  ]"));
  std::string timing = "[";
  for (const MatterTiming& t : f.timing) {
    timing += fmt::format(
        "{}\n    {{\"matter\": {}, \"name\": {}, \"kind\": {}, \"promised_limit\": {}, "
        "\"decided\": {}, \"on_time\": {}, \"mean_days_used\": {:.2f}, \"max_days_used\": {}}}",
        timing.size() > 1 ? "," : "", json_string(t.code), json_string(t.name),
        json_string(t.kind), t.promised_limit, t.decided, t.on_time, t.mean_days_used,
        t.max_days_used);
  }
  key("working_days", timing + (f.timing.empty() ? "]" : "\n  ]"));
  key("handoffs", std::to_string(f.handoffs));
  key("handoffs_by_post", json_counts(f.handoffs_by_post));
  key("delegated_by_township", json_counts(f.delegated_by_township));
  key("delegated_by_mode", json_counts(f.delegated_by_mode));
  key("delegation_lapsed", std::to_string(f.delegation_lapsed));
  key("escalated", std::to_string(f.escalated));
  key("unresolved", std::to_string(f.unresolved));
  key("unresolved_now", std::to_string(f.unresolved_now));
  key("unresolved_by_office", json_counts(f.unresolved_by_office));
  key("provisional_now", std::to_string(f.provisional_now));
  key("deadlines_recomputed", std::to_string(f.deadlines_recomputed));
  key("law_limits",
      fmt::format("{{\"escalation_review_overdue\": {}, \"issue_overdue\": {}, "
                  "\"stage_overdue\": {}, \"stage_overdue_by_unit\": {}, \"on_promise\": {}, "
                  "\"verified\": {}, \"false_commitments\": {}, \"verification_overdue\": {}, "
                  "\"revoked\": {}}}",
                  f.law.escalation_review_overdue, f.law.issue_overdue, f.law.stage_overdue,
                  json_counts(f.law.stage_overdue_by_unit), f.law.on_promise, f.law.verified,
                  f.law.false_commitments, f.law.verification_overdue, f.law.revoked));
  o += services_json(f);
  o.insert(o.size() - 1, ",");  // the services' last section ends the object: ours follow
  o += operations_json(f);
  o.insert(o.size() - 1, ",");  // the operations' section ends the object: ours follows
  o += unresolved_path_json(f) + "\n";
  o.insert(o.size() - 1, ",");  // the oversight block comes last
  o += oversight_json(f);
  return o + "}\n";
}

}  // namespace workflow::cli
