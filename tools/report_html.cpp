// The supervision report as one self-contained HTML page: inline CSS and inline SVG charts
// (report_svg.hpp), no scripts, no fonts, no network. The ratings, bundles, cross-region and
// proxy sections are in report_html_services.cpp.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "report.hpp"
#include "report_svg.hpp"

namespace workflow::cli {

std::string report_html(const Figures& f, const std::map<std::string, std::string>& office_names) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
      "<title>电子监察 supervision report</title>\n<style>\n"
      "body{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}\n"
      "h1{font-size:22px}h2{font-size:17px;margin-top:28px}\n"
      "svg text{font-size:13px;fill:#222}svg text.t{font-size:15px;font-weight:bold}\n"
      "svg text.small{font-size:11px}figure{margin:8px 0}\n"
      "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px}\n"
      ".kpi{display:inline-block;margin-right:28px;font-size:14px}.kpi b{font-size:22px;display:block}\n"
      "</style></head><body>\n";
  h += fmt::format("<h1>政务服务电子监察 · supervision report</h1>\n<p>As of {} · rules {} · {} cases</p>\n",
                   esc(f.as_of), esc(f.rules_version), f.cases);
  auto ever = [&f](const char* k) {
    auto it = f.ever_light.find(k);
    return it == f.ever_light.end() ? 0 : it->second;
  };
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>on time</span><span class=\"kpi\"><b>{}</b>instant share"
      "</span><span class=\"kpi\"><b>{}</b>一次办好</span><span class=\"kpi\"><b>{}</b>red</span>"
      "<span class=\"kpi\"><b>{}</b>AB handoffs</span></div>\n",
      pct(f.on_time_rate), pct(f.instant_share), pct(f.first_time_right_rate), ever("red"), f.handoffs);

  h += "<h2>Targets</h2>\n";
  // Each rate against its own seed target (a bar is red when it falls short); the seeds set
  // none for the on-time rate, so it is drawn without a line.
  const auto meets = [](double rate, double target) { return rate >= target ? kGreen : kRed; };
  h += hbar_chart("chart-targets", "一次办好 rate (dashed: the seed target, 90%)",
                  {{"一次办好 rate", 100 * f.first_time_right_rate,
                    meets(f.first_time_right_rate, 0.9), pct(f.first_time_right_rate)}},
                  100, 90, "90%");
  h += hbar_chart("chart-instant", "Instant-case share (dashed: the seed target, 40%)",
                  {{"instant-case share", 100 * f.instant_share, meets(f.instant_share, 0.4),
                    pct(f.instant_share)}},
                  100, 40, "40%");
  h += hbar_chart("chart-on-time", "On-time rate of decided cases",
                  {{"on-time rate", 100 * f.on_time_rate, kGreen, pct(f.on_time_rate)}}, 100);

  h += "<h2>Lights (电子监察)</h2>\n";
  h += hbar_chart("chart-lights", "Cases that ever showed each light",
                  {{"yellow", double(ever("yellow")), kYellow},
                   {"red", double(ever("red")), kRed},
                   {"escalated red", double(ever("escalated_red")), kDarkRed}});
  if (!f.worst.empty()) {
    h += "<table><tr><th>case</th><th>light</th><th>days over</th><th>matter</th><th>office</th>"
         "<th>state</th><th>promised</th></tr>\n";
    for (const FlaggedCase& c : f.worst)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td>"
                       "<td>{}</td></tr>\n",
                       c.id, esc(c.worst_light), c.days_over, esc(c.matter), esc(c.matter_name),
                       esc(c.office), esc(c.state), esc(c.promised_deadline));
    h += "</table>\n";
  }

  h += "<h2>Cases</h2>\n";
  h += hbar_chart("chart-kinds", "Cases by kind", count_bars(f.by_kind, kBlue));
  h += hbar_chart("chart-states", "Cases by state", count_bars(f.by_state, kBlue));
  h += hbar_chart("chart-offices", "Cases by accepting office", count_bars(f.by_office, kBlue, office_names));

  h += "<h2>Working days used vs promised</h2>\n";
  std::vector<MatterTiming> timing = f.timing;
  std::stable_sort(timing.begin(), timing.end(),
                   [](const MatterTiming& a, const MatterTiming& b) { return a.decided > b.decided; });
  if (timing.size() > 15) timing.resize(15);
  std::vector<Bar> days;
  for (const MatterTiming& t : timing)
    days.push_back({t.name, t.mean_days_used,
                    t.mean_days_used > t.promised_limit ? kRed : kBlue,
                    fmt::format("{:.1f} of {} ({} decided)", t.mean_days_used, t.promised_limit, t.decided),
                    double(t.promised_limit)});
  h += hbar_chart("chart-days", "Mean working days used (bar) and promised (grey), by matter", days);

  h += "<h2>AB posts, delegation, 办不成事 window</h2>\n";
  h += hbar_chart("chart-handoffs", "AB handoffs per post (top 15)",
                  count_bars(f.handoffs_by_post, kBlue, {}, 15));
  h += hbar_chart("chart-delegated", "Delegated cases per township",
                  count_bars(f.delegated_by_township, kBlue, office_names));
  h += fmt::format("<p>Township cases sent back to the county (no delegation in force): {}. "
                   "Escalated (上报): {}. Sent to the 办不成事 window: {} ({} still held).</p>\n",
                   f.delegation_lapsed, f.escalated, f.unresolved, f.unresolved_now);
  h += fmt::format("<p>暂定期限（次年放假安排通知尚未发布）: {} 件在办; 正式日历发布后重算: {} 件.</p>\n",
                   f.provisional_now, f.deadlines_recomputed);
  h += services_html(f, office_names);
  h += "</body></html>\n";
  return h;
}

}  // namespace workflow::cli
