// The HTML report's ratings, bundles, cross-region and proxy sections (report.hpp), in the
// page's style: inline SVG bar charts (report_svg.hpp), dashed lines at the targets.
#include <algorithm>

#include <fmt/format.h>

#include "report.hpp"
#include "report_format.hpp"
#include "report_svg.hpp"

namespace workflow::cli {
namespace {

constexpr const char* kScoreNames[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};

std::string office_label(const std::string& id, const Names& names) { return names.office(id); }

std::string zh_channel(const std::string& c) {
  return c == "window_device" ? "窗口评价器" : c == "online" ? "网上" : c == "phone" ? "电话" : c;
}

std::string ratings_html(const RatingFigures& r) {
  std::string h = "<h2>Ratings (好差评) and rectification (差评整改)</h2>\n";
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>rated</span><span class=\"kpi\"><b>{}</b>bad (1–2)</span>"
      "<span class=\"kpi\"><b>{}</b>rectified on time</span><span class=\"kpi\"><b>{}</b>named "
      "called back</span></div>\n",
      r.rated, r.bad, pct(r.on_time), pct(r.call_back));
  std::vector<Bar> scores;
  for (int s = 5; s >= 1; --s) {
    const int n = r.by_score.count(std::to_string(s)) ? r.by_score.at(std::to_string(s)) : 0;
    scores.push_back({fmt::format("{} {}", s, kScoreNames[s]), double(n), s <= 2 ? kRed : kBlue});
  }
  h += hbar_chart("chart-ratings-score", "Ratings by score (red: bad, a rectification task each)", scores);
  h += hbar_chart("chart-ratings-channel", "Ratings by channel", [&] { std::vector<Bar> v; for (const auto& [c, n] : r.by_channel) v.push_back({zh_channel(c), double(n), kBlue}); return v; }());
  h += hbar_chart("chart-call-back",
                  "Call-back rate of named bad ratings (dashed: the target, 100%)",
                  {{fmt::format("called back ({} of {})", r.named_called_back, r.bad_named),
                    pct_value(r.call_back), r.call_back.value().value_or(1) >= 1 ? kGreen : kRed, pct(r.call_back)}},
                  100, 100, "100%");
  h += hbar_chart("chart-rectification",
                  fmt::format("Rectification tasks: {} opened, {} closed, {} open ({} overdue)",
                              r.tasks_opened, r.tasks_closed, r.tasks_open, r.open_overdue),
                  {{fmt::format("closed by the due day ({} of {})", r.closed_on_time, r.tasks_closed),
                    pct_value(r.on_time), kGreen, pct(r.on_time)}},
                  100);
  std::vector<const RectificationTask*> watch;
  for (const RectificationTask& t : r.tasks)
    if (t.closed.empty() || !t.on_time) watch.push_back(&t);
  if (watch.size() > 15) watch.resize(15);
  if (!watch.empty()) {
    h += "<p>Open or late rectification tasks:</p>\n<table><tr><th>case</th><th>score</th>"
         "<th>channel</th><th>named</th><th>unit</th><th>state</th><th>due</th><th>closed</th>"
         "<th>light</th><th>called back</th></tr>\n";
    for (const RectificationTask* t : watch)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       t->id, t->score, esc(t->channel), t->named ? "yes" : "no", esc(t->department),
                       esc(t->state), esc(t->due), esc(t->closed), esc(t->light),
                       t->called_back ? "yes" : "no");
    h += "</table>\n";
  }
  return h;
}

std::string bundles_html(const BundleFigures& b) {
  std::string h = "<h2>Bundles (一件事一次办)</h2>\n";
  int promise = 0;
  for (const auto& [rule, days] : b.promised_limit) promise = std::max(promise, days);
  h += hbar_chart("chart-bundles", "Bundles",
                  {{"submitted", double(b.count), kBlue},
                   {"given the one notice", double(b.notified), kBlue},
                   {"accepted", double(b.accepted), kBlue},
                   {"done", double(b.done), kBlue},
                   {"still open", double(b.open), kBlue},
                   {"with a denied part", double(b.with_denied), kBlue}});
  h += hbar_chart("chart-bundle-on-time",
                  "Bundles done within their own promise (dashed: the target, 100%)",
                  {{fmt::format("on time ({} of {} done)", b.on_time, b.done), pct_value(b.on_time_rate),
                    b.on_time_rate.value().value_or(1) >= 1 ? kGreen : kRed, pct(b.on_time_rate)}},
                  100, 100, "100%");
  std::vector<Bar> days;
  for (const auto& [d, n] : b.days_used)
    days.push_back({fmt::format("{} 个工作日", d), double(n),
                    d > promise ? kRed : kBlue});
  h += hbar_chart("chart-bundle-days",
                  fmt::format("Done bundles by working days used (promise: {}; red: over it)", promise),
                  days);
  if (!b.denied.empty()) {
    h += "<table><tr><th>bundle</th><th>part (case)</th><th>matter</th><th>state</th></tr>\n";
    for (const DeniedPart& d : b.denied)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>\n", d.bundle, d.id,
                       esc(d.matter), esc(d.matter_name), esc(d.state));
    h += "</table>\n";
  }
  return h;
}

std::string cross_region_html(const CrossRegionFigures& x,
                              const Names& names) {
  std::string h = "<h2>Cross-region handling (跨域通办)</h2>\n";
  h += fmt::format("<p>{} accepted at one office and handled at another; {} issued; {} to be "
                   "issued away from the accepting office ({} at a third office).</p>\n",
                   plural(x.cases, "case", "cases"), x.issued, x.issue_elsewhere, x.third_office);
  std::vector<Bar> bars;
  for (const auto& [office, n] : x.by_office)
    bars.push_back({office_label(office, names), double(n.accepted_for_others), kBlue,
                    fmt::format("accepted {} · handled {} · issued {}", n.accepted_for_others,
                                n.handled_for_others, n.issued_here),
                    double(n.handled_for_others)});
  h += hbar_chart("chart-cross-region",
                  "Per office: accepted here for others (bar), handled here for others (grey)", bars,
                  0, -1, "", 230);
  return h;
}

std::string proxy_html(const ProxyFigures& p, const Names& names) {
  std::string h = "<h2>Village proxy (帮办代办)</h2>\n";
  h += fmt::format("<p>{} handed in by village agents; {} delivered to agents ({} to "
                   "B); {} followed by B while A was away.</p>\n",
                   plural(p.cases, "case", "cases"), plural(p.notices, "notice", "notices"),
                   p.notices_to_b, plural(p.followed_by_b, "case", "cases"));
  std::map<std::string, AgentPostFigures> stations;
  for (const auto& [post, a] : p.by_post) {
    AgentPostFigures& s = stations[a.station];
    s.cases += a.cases;
    s.notices += a.notices;
    s.followed_by_b += a.followed_by_b;
  }
  std::vector<Bar> bars;
  for (const auto& [station, s] : stations)
    bars.push_back({office_label(station, names), double(s.cases), kBlue,
                    fmt::format("{} · {} · {} followed by B", plural(s.cases, "case", "cases"),
                                plural(s.notices, "notice", "notices"), s.followed_by_b),
                    double(s.followed_by_b)});
  h += hbar_chart("chart-proxy", "Per village station: cases handed in (bar), followed by B (grey)",
                  bars, 0, -1, "", 230);
  if (!p.by_post.empty()) {
    h += "<table><tr><th>agent post</th><th>station</th><th>cases</th><th>notices</th>"
         "<th>to B</th><th>followed by B</th></tr>\n";
    for (const auto& [post, a] : p.by_post)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(post), esc(a.station), a.cases, a.notices, a.notices_to_b, a.followed_by_b);
    h += "</table>\n";
  }
  return h;
}

}  // namespace

std::string services_html(const Figures& f, const Names& office_names) {
  return ratings_html(f.ratings) + bundles_html(f.bundles) +
         cross_region_html(f.cross_region, office_names) + proxy_html(f.proxy, office_names);
}

}  // namespace workflow::cli
