// The supervision figures (report.hpp): computed from the cases and their histories, printed
// as text or JSON.
#include "report.hpp"

#include "report_format.hpp"
#include "report_services.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace workflow::cli {
namespace {

bool is_decision(EventKind k) {
  return k == EventKind::approve || k == EventKind::deny || k == EventKind::higher_approve ||
         k == EventKind::higher_deny;
}

int light_rank(std::string_view light) {
  return light == "escalated_red" ? 3 : light == "red" ? 2 : light == "yellow" ? 1 : 0;
}

}  // namespace

// A 办不成事 window: where a rule install sends the stages of a removed post.
static bool is_unresolved_post(const RuleSet& rules, const std::string& id) {
  const auto post = rules.find_post(id);
  return post && rules.post(*post).role == PostRole::unresolved;
}

Figures compute_figures(const Engine& engine) {
  const Calendar& cal = engine.calendar();
  Figures f;
  f.rules_version = engine.rules().version().substr(0, 12);
  std::map<std::string, MatterTiming> timing;
  std::map<std::string, long long> timing_sum;
  DateTime as_of;
  struct Pending {
    FlaggedCase flag;
    std::optional<Date> promised, decision;
    int worst = 0;
  };
  std::vector<Pending> flagged;
  ServiceTally services(engine);
  for (const CaseView& summary : engine.list()) {
    const CaseView c = engine.get(summary.id);
    services.add(c);
    ++f.cases;
    ++f.by_kind[std::string(to_string(c.kind))];
    ++f.by_state[std::string(to_string(c.state))];
    ++f.by_office[c.accepting_office];
    ++f.light_now[std::string(to_string(c.light))];
    if (c.kind == MatterKind::instant) ++f.instant;
    if (c.state == CaseState::terminated) ++f.terminated;
    if (!c.delegation.empty()) {
      ++f.delegated_by_township[c.accepting_office];
      if (c.delegation_mode) ++f.delegated_by_mode[std::string(to_string(*c.delegation_mode))];
    }
    bool notified = false, tolerated = false, suspended = false, reported = false, unresolved = false;
    bool recomputed = false;
    int worst = 0;
    std::optional<Date> decision;
    for (const Event& e : c.history) {
      as_of = std::max(as_of, e.time);
      switch (e.kind) {
        case EventKind::submitted: {
          if (e.reason.starts_with("no delegation")) ++f.delegation_lapsed;
          break;
        }
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
          if (is_unresolved_post(engine.rules(), detail_value(e.detail, "to_post"))) {
            if (!unresolved) ++f.unresolved_by_office[e.office];
            unresolved = true;
          }
          break;
        case EventKind::deadlines_recomputed: recomputed = true; break;
        case EventKind::handoff: {
          ++f.handoffs;
          std::string post = detail_value(e.detail, "post");
          ++f.handoffs_by_post[post.empty() ? e.post : post];
          break;
        }
        case EventKind::light_changed:
          // A rectification task's own light (差评整改) is not the case's.
          if (detail_value(e.detail, "task").empty())
            worst = std::max(worst, light_rank(detail_value(e.detail, "to")));
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
    if (c.deadlines_provisional && c.state < CaseState::issued) ++f.provisional_now;
    if ((c.holding == Holding::unresolved || is_unresolved_post(engine.rules(), c.post)) &&
        c.state < CaseState::issued)
      ++f.unresolved_now;
    for (int r = 1; r <= 3; ++r)
      if (worst >= r) ++f.ever_light[r == 1 ? "yellow" : r == 2 ? "red" : "escalated_red"];
    if (c.accepted) {
      ++f.accepted;
      if (!notified) ++f.first_time_right;
    }
    if (decision && c.accepted) {
      ++f.decided;
      const bool on_time = !c.promised_deadline || *decision <= *c.promised_deadline;
      f.decided_on_time += on_time;
      if (c.kind != MatterKind::instant) {
        MatterTiming& t = timing[c.matter];
        if (t.code.empty()) {
          t.code = c.matter;
          t.name = c.matter_name;
          t.kind = std::string(to_string(c.kind));
          if (auto m = engine.rules().find_matter(c.matter)) t.promised_limit = engine.rules().matter(*m).promised_limit;
        }
        const int used = cal.working_days_between(*c.accepted, *decision);
        ++t.decided;
        t.on_time += on_time;
        t.max_days_used = std::max(t.max_days_used, used);
        timing_sum[c.matter] += used;
      }
    }
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
  f.on_time_rate = rate(f.decided_on_time, f.decided);
  f.instant_share = rate(f.instant, f.cases);
  f.first_time_right_rate = rate(f.first_time_right, f.accepted);
  return f;
}

std::string report_text(const Figures& f) {
  std::string o;
  auto line = [&o](const std::string& s) { o += s + "\n"; };
  line(fmt::format("== Supervision report (电子监察), as of {}, rules {}", f.as_of, f.rules_version));
  line(fmt::format("cases: {}", f.cases));
  line(fmt::format("  by kind:   {}", counts_line(f.by_kind)));
  line(fmt::format("  by state:  {}", counts_line(f.by_state)));
  line(fmt::format("  by office: {}", counts_line(f.by_office)));
  line(fmt::format("on-time rate: {:.1f}% ({} of {} decided within the promised deadline)",
                   100 * f.on_time_rate, f.decided_on_time, f.decided));
  line(fmt::format("instant-case share: {:.1f}% ({} of {}; target >= 40%)", 100 * f.instant_share,
                   f.instant, f.cases));
  line(fmt::format("一次办好 rate: {:.1f}% ({} of {} accepted without a notice of missing "
                   "materials; target >= 90%)",
                   100 * f.first_time_right_rate, f.first_time_right, f.accepted));
  line(fmt::format("notices {}, 容缺 acceptances {}, §45 suspensions {}, terminated {}", f.notices,
                   f.tolerated, f.suspended, f.terminated));
  auto ever = [&f](const char* k) {
    auto it = f.ever_light.find(k);
    return it == f.ever_light.end() ? 0 : it->second;
  };
  line(fmt::format("lights (cases that ever showed): yellow {}, red {}, escalated red {}",
                   ever("yellow"), ever("red"), ever("escalated_red")));
  line(fmt::format("lights now: {}", counts_line(f.light_now)));
  if (!f.worst.empty()) line("worst cases:");
  for (const FlaggedCase& c : f.worst)
    line(fmt::format("  case {:>5} {:<13} {:>2} days over  {} {} [{}] at {}, promised {}", c.id,
                     c.worst_light, c.days_over, c.matter, c.matter_name, c.state, c.office,
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
  line(fmt::format("办不成事 window: {} cases routed there ({}), {} still held",
                   f.unresolved, counts_line(f.unresolved_by_office), f.unresolved_now));
  line(fmt::format("provisional deadlines (next year's holiday notice not out): {} open {}; "
                   "recomputed on the official calendar: {}",
                   f.provisional_now, f.provisional_now == 1 ? "case" : "cases",
                   f.deadlines_recomputed));
  return o + services_text(f);
}

std::string report_json(const Figures& f) {
  std::string o = "{\n";
  auto key = [&o](const char* k, const std::string& v, bool last = false) {
    o += fmt::format("  \"{}\": {}{}\n", k, v, last ? "" : ",");
  };
  key("as_of", json_string(f.as_of));
  key("rules_version", json_string(f.rules_version));
  key("cases", std::to_string(f.cases));
  key("by_kind", json_counts(f.by_kind));
  key("by_state", json_counts(f.by_state));
  key("by_office", json_counts(f.by_office));
  key("accepted", std::to_string(f.accepted));
  key("decided", std::to_string(f.decided));
  key("decided_on_time", std::to_string(f.decided_on_time));
  key("on_time_rate", fmt::format("{:.4f}", f.on_time_rate));
  key("instant", std::to_string(f.instant));
  key("instant_share", fmt::format("{:.4f}", f.instant_share));
  key("first_time_right", std::to_string(f.first_time_right));
  key("first_time_right_rate", fmt::format("{:.4f}", f.first_time_right_rate));
  key("notices", std::to_string(f.notices));
  key("tolerated", std::to_string(f.tolerated));
  key("suspended", std::to_string(f.suspended));
  key("terminated", std::to_string(f.terminated));
  key("ever_light", json_counts(f.ever_light));
  key("light_now", json_counts(f.light_now));
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
  o += services_json(f);
  return o + "}\n";
}

}  // namespace workflow::cli
