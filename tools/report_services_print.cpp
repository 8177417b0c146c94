// The ratings, bundles, cross-region and proxy sections of the report as text and JSON
// (report.hpp; the keys are documented in docs/cli.md).
#include <fmt/format.h>

#include "report.hpp"
#include "report_format.hpp"

namespace workflow::cli {
namespace {

std::string json_bool(bool b) { return b ? "true" : "false"; }

std::string json_int_counts(const std::map<int, int>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) out += fmt::format("{}\"{}\": {}", out.size() > 1 ? ", " : "", k, v);
  return out + "}";
}

std::string days_line(const std::map<int, int>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += fmt::format("{}{} d: {}", out.empty() ? "" : ", ", k, v);
  return out.empty() ? "none" : out;
}

}  // namespace

std::string services_text(const Figures& f) {
  std::string o;
  auto line = [&o](const std::string& s) { o += s + "\n"; };
  const RatingFigures& r = f.ratings;
  line(fmt::format("ratings (好差评): {} rated; by score: 5 {}, 4 {}, 3 {}, 2 {}, 1 {}; by channel: {}",
                   r.rated, r.by_score.at("5"), r.by_score.at("4"), r.by_score.at("3"),
                   r.by_score.at("2"), r.by_score.at("1"), counts_line(r.by_channel)));
  line(fmt::format("  bad ratings (1-2): {} ({} named); rectification tasks: {} opened, {} closed, "
                   "{} open ({} overdue); by resolution: {}",
                   r.bad, r.bad_named, r.tasks_opened, r.tasks_closed, r.tasks_open,
                   r.open_overdue, counts_line(r.by_resolution)));
  line(fmt::format("  rectification on time: {} ({} of {} closed by the due day)",
                   pct_text(r.on_time), r.closed_on_time, r.tasks_closed));
  line(fmt::format("  call-back rate of named bad ratings: {} ({} of {}; target 100%; {} "
                   "not yet, their tasks open); anonymous closed without a call-back: {}",
                   pct_text(r.call_back), r.named_called_back, r.bad_named, r.named_pending,
                   r.anonymous_closed_without_call_back));

  const BundleFigures& b = f.bundles;
  line(fmt::format("bundles (一件事一次办): {} ({}), {} accepted, {} given the one notice; {} done, "
                   "{} open",
                   b.count, counts_line(b.by_rule), b.accepted, b.notified, b.done, b.open));
  line(fmt::format("  on time against the bundle's own promise (working days: {}): {} ({} of "
                   "{} done; target 100%)",
                   counts_line(b.promised_limit), pct_text(b.on_time_rate), b.on_time, b.done));
  line(fmt::format("  working days used (acceptance to the last part concluded): {}",
                   days_line(b.days_used)));
  std::string denied;
  for (const DeniedPart& d : b.denied)
    denied += fmt::format("{}bundle {}: case {} {} {} ({})", denied.empty() ? "" : "; ", d.bundle,
                          d.id, d.matter, d.matter_name, d.state);
  line(fmt::format("  bundles with a denied part: {}{}", b.with_denied,
                   denied.empty() ? "" : " (" + denied + ")"));

  const CrossRegionFigures& x = f.cross_region;
  line(fmt::format("cross-region (跨域通办): {}, {} issued; {} to be issued away from the "
                   "accepting office ({} at a third office); by matter: {}",
                   plural(x.cases, "case", "cases"), x.issued, x.issue_elsewhere, x.third_office, counts_line(x.by_matter)));
  for (const auto& [office, n] : x.by_office)
    line(fmt::format("  {:<10} accepted for others {:>3}, handled for others {:>3}, issued here {:>3}",
                     office, n.accepted_for_others, n.handled_for_others, n.issued_here));
  const ProxyFigures& p = f.proxy;
  line(fmt::format("village proxy (帮办代办): {} handed in by agents, {} delivered to "
                   "agents ({} to B), {} followed by B while A was away",
                   plural(p.cases, "case", "cases"), plural(p.notices, "notice", "notices"),
                   p.notices_to_b, plural(p.followed_by_b, "case", "cases")));
  std::map<std::string, AgentPostFigures> stations;
  for (const auto& [post, a] : p.by_post) {
    AgentPostFigures& s = stations[a.station];
    s.cases += a.cases;
    s.notices += a.notices;
    s.notices_to_b += a.notices_to_b;
    s.followed_by_b += a.followed_by_b;
  }
  for (const auto& [station, s] : stations)
    line(fmt::format("  {:<10} cases {:>3}, notices {:>3} ({} to B), followed by B {:>2}", station,
                     s.cases, s.notices, s.notices_to_b, s.followed_by_b));
  return o;
}

std::string services_json(const Figures& f) {
  std::string o;
  const RatingFigures& r = f.ratings;
  std::string tasks = "[";
  for (const RectificationTask& t : r.tasks)
    tasks += fmt::format(
        "{}\n      {{\"id\": {}, \"matter\": {}, \"score\": {}, \"channel\": {}, \"named\": {}, "
        "\"department\": {}, \"state\": {}, \"resolution\": {}, \"opened\": {}, \"due\": {}, "
        "\"closed\": {}, \"light\": {}, \"called_back\": {}, \"on_time\": {}}}",
        tasks.size() > 1 ? "," : "", t.id, json_string(t.matter), t.score, json_string(t.channel),
        json_bool(t.named), json_string(t.department), json_string(t.state),
        json_string(t.resolution), json_string(t.opened), json_string(t.due),
        json_string(t.closed), json_string(t.light), json_bool(t.called_back), json_bool(t.on_time));
  tasks += r.tasks.empty() ? "]" : "\n    ]";
  o += fmt::format(
      "  \"ratings\": {{\n    \"rated\": {}, \"by_score\": {}, \"by_channel\": {}, \"satisfaction\": {}, \"handled\": {},\n"
      "    \"bad\": {}, \"bad_named\": {}, \"tasks_opened\": {}, \"tasks_closed\": {}, "
      "\"tasks_open\": {}, \"open_overdue\": {},\n"
      "    \"closed_on_time\": {}, \"on_time_rate\": {}, \"named_called_back\": {}, "
      "\"call_back_rate\": {}, \"call_back_target\": 1.0, \"named_pending\": {},\n"
      "    \"anonymous_closed_without_call_back\": {}, \"by_resolution\": {}, \"by_department\": {},\n"
      "    \"tasks\": {}\n  }},\n",
      r.rated, json_counts(r.by_score), json_counts(r.by_channel), json_rate(r.satisfaction),
      json_rate(r.handled), r.bad, r.bad_named,
      r.tasks_opened, r.tasks_closed, r.tasks_open, r.open_overdue, r.closed_on_time,
      json_rate(r.on_time), r.named_called_back, json_rate(r.call_back), r.named_pending,
      r.anonymous_closed_without_call_back,
      json_counts(r.by_resolution), json_counts(r.by_department), tasks);

  const BundleFigures& b = f.bundles;
  std::string denied = "[";
  for (const DeniedPart& d : b.denied)
    denied += fmt::format("{}\n      {{\"bundle\": {}, \"id\": {}, \"matter\": {}, \"matter_name\": {}, "
                          "\"state\": {}}}",
                          denied.size() > 1 ? "," : "", d.bundle, d.id, json_string(d.matter),
                          json_string(d.matter_name), json_string(d.state));
  denied += b.denied.empty() ? "]" : "\n    ]";
  o += fmt::format(
      "  \"bundles\": {{\n    \"count\": {}, \"by_rule\": {}, \"promised_limit\": {}, "
      "\"accepted\": {}, \"notified\": {},\n    \"done\": {}, \"on_time\": {}, "
      "\"on_time_rate\": {}, \"on_time_target\": 1.0, \"open\": {},\n"
      "    \"days_used\": {}, \"light_now\": {}, \"with_denied\": {},\n    \"denied\": {}\n  }},\n",
      b.count, json_counts(b.by_rule), json_counts(b.promised_limit), b.accepted, b.notified,
      b.done, b.on_time, json_rate(b.on_time_rate), b.open, json_int_counts(b.days_used),
      json_counts(b.light_now), b.with_denied, denied);

  const CrossRegionFigures& x = f.cross_region;
  std::string offices = "{";
  for (const auto& [office, n] : x.by_office)
    offices += fmt::format("{}\n      {}: {{\"accepted_for_others\": {}, \"handled_for_others\": {}, "
                           "\"issued_here\": {}}}",
                           offices.size() > 1 ? "," : "", json_string(office),
                           n.accepted_for_others, n.handled_for_others, n.issued_here);
  offices += x.by_office.empty() ? "}" : "\n    }";
  o += fmt::format(
      "  \"cross_region\": {{\n    \"cases\": {}, \"issued\": {}, \"issue_elsewhere\": {}, "
      "\"third_office\": {}, \"by_matter\": {},\n    \"by_office\": {}\n  }},\n",
      x.cases, x.issued, x.issue_elsewhere, x.third_office, json_counts(x.by_matter), offices);

  const ProxyFigures& p = f.proxy;
  std::string posts = "{";
  for (const auto& [post, a] : p.by_post)
    posts += fmt::format("{}\n      {}: {{\"station\": {}, \"cases\": {}, \"notices\": {}, "
                         "\"notices_to_b\": {}, \"followed_by_b\": {}}}",
                         posts.size() > 1 ? "," : "", json_string(post), json_string(a.station),
                         a.cases, a.notices, a.notices_to_b, a.followed_by_b);
  posts += p.by_post.empty() ? "}" : "\n    }";
  o += fmt::format(
      "  \"proxy\": {{\n    \"cases\": {}, \"notices\": {}, \"notices_to_b\": {}, "
      "\"followed_by_b\": {},\n    \"by_post\": {}\n  }}\n",
      p.cases, p.notices, p.notices_to_b, p.followed_by_b, posts);
  return o;
}

}  // namespace workflow::cli
