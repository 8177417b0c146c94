// The supervision report as one self-contained HTML page: inline CSS and inline SVG charts,
// no scripts, no fonts, no network. Chart colours are fixed (the screenshot test looks for
// them): blue #2f6fb0 for counts, green #2e9d4f for rates, the light colours for lights.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "report.hpp"

namespace workflow::cli {
namespace {

constexpr const char* kBlue = "#2f6fb0";
constexpr const char* kGreen = "#2e9d4f";
constexpr const char* kGrey = "#b8c0c8";
constexpr const char* kYellow = "#e0b000";
constexpr const char* kRed = "#d0302a";
constexpr const char* kDarkRed = "#7a0010";

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Bar {
  std::string label;
  double value = 0;
  std::string color = kBlue;
  std::string text;  // shown after the bar; default: the value
  double second = -1;  // a thin second bar below (e.g. the promise), -1 for none
};

// A horizontal bar chart. `max` 0 = the largest value; `target` >= 0 draws a dashed line.
std::string hbar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                       double max = 0, double target = -1, const std::string& target_label = "") {
  const int label_w = 300, bar_w = 520, row = 30, top = 34;
  for (const Bar& b : bars) max = std::max({max, b.value, b.second});
  if (max <= 0) max = 1;
  const int height = top + row * int(std::max<std::size_t>(bars.size(), 1)) + 24;
  std::string s = fmt::format(
      "<figure><svg id=\"{}\" class=\"chart\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n"
      "<text x=\"0\" y=\"20\" class=\"t\">{}</text>\n",
      id, label_w + bar_w + 90, height, label_w + bar_w + 90, height, esc(title), esc(title));
  if (bars.empty()) s += fmt::format("<text x=\"0\" y=\"{}\">none</text>\n", top + 18);
  int y = top;
  for (const Bar& b : bars) {
    const int w = std::max(b.value > 0 ? 2 : 0, int(bar_w * b.value / max));
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 8, y + 17,
                     esc(b.label));
    const int h = b.second >= 0 ? 14 : 22;
    const int w2 = b.second >= 0 ? int(bar_w * b.second / max) : 0;
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>", label_w,
                     y + 2, w, h, b.color);
    if (b.second >= 0)
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" fill=\"{}\"/>", label_w,
                       y + 18, w2, kGrey);
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", label_w + std::max(w, w2) + 6, y + 17,
                     esc(b.text.empty() ? fmt::format("{:g}", b.value) : b.text));
    y += row;
  }
  if (target >= 0) {
    const int x = label_w + int(bar_w * target / max);
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
        "<text x=\"{}\" y=\"{}\" class=\"small\">{}</text>\n",
        x, top - 4, x, y, x + 4, y + 14, esc(target_label));
  }
  return s + "</svg></figure>\n";
}

std::vector<Bar> count_bars(const std::map<std::string, int>& m, const char* color,
                            const std::map<std::string, std::string>& names = {}, std::size_t top = 0) {
  std::vector<Bar> bars;
  for (const auto& [k, v] : m) {
    auto it = names.find(k);
    bars.push_back({it == names.end() ? k : it->second + " (" + k + ")", double(v), color});
  }
  if (top > 0) {
    std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
    if (bars.size() > top) bars.resize(top);
  }
  return bars;
}

std::string pct(double r) { return fmt::format("{:.1f}%", 100 * r); }

}  // namespace

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
  h += "</body></html>\n";
  return h;
}

}  // namespace workflow::cli
