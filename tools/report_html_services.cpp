// The HTML report's ratings, bundles, cross-region and proxy sections (report.hpp), in the
// page's style: inline SVG bar charts (report_svg.hpp), dashed lines at the targets.
#include <algorithm>

#include <fmt/format.h>

#include "report.hpp"
#include "report_svg.hpp"

namespace workflow::cli {
namespace {

constexpr const char* kScoreNames[] = {"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"};

std::string office_label(const std::string& id, const Names& names) { return names.office(id); }

std::string zh_channel(const std::string& c) {
  return c == "window_device" ? "窗口评价器" : c == "online" ? "网上" : c == "phone" ? "电话" : c;
}

std::string zh_task_state(const std::string& s) {
  return s == "verifying"      ? "核实中"
         : s == "resolving"    ? "整改中"
         : s == "calling_back" ? "待回访"
         : s == "called_back"  ? "已回访"
         : s == "closed"       ? "已办结"
                               : s;
}

std::string zh_part_state(const std::string& s) {
  return s == "denied" ? "不予许可" : s == "refused" ? "不予受理" : s == "terminated" ? "已终止" : s;
}

std::string yes_no(bool b) { return b ? "是" : "否"; }

std::string ratings_html(const RatingFigures& r, const Names& names) {
  std::string h = "<h2>好差评与差评整改</h2>\n";
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>评价（次）</span><span class=\"kpi\"><b>{}</b>差评（1–2 分）"
      "</span><span class=\"kpi\"><b>{}</b>按期整改率</span><span class=\"kpi\"><b>{}</b>实名差评回访率"
      "</span></div>\n",
      r.rated, r.bad, pct(r.on_time), pct(r.call_back));
  std::vector<Bar> scores;
  for (int s = 5; s >= 1; --s) {
    const int n = r.by_score.count(std::to_string(s)) ? r.by_score.at(std::to_string(s)) : 0;
    scores.push_back({fmt::format("{} 分 {}", s, kScoreNames[s]), double(n), s <= 2 ? kRed : kBlue});
  }
  h += hbar_chart("chart-ratings-score", "按评分（红色：差评，每条生成一项整改任务）", scores);
  std::vector<Bar> channels;
  for (const auto& [c, n] : r.by_channel) channels.push_back({zh_channel(c), double(n), kBlue});
  h += hbar_chart("chart-ratings-channel", "按评价渠道", channels);
  h += hbar_chart("chart-call-back", "实名差评回访率（虚线：目标 100%）",
                  {{fmt::format("已回访（{} / {}）", r.named_called_back, r.bad_named),
                    pct_value(r.call_back), r.call_back.value().value_or(1) >= 1 ? kGreen : kRed,
                    pct(r.call_back)}},
                  100, 100, "100%");
  h += hbar_chart("chart-rectification",
                  fmt::format("整改任务：生成 {} 项，办结 {} 项，在办 {} 项（其中超期 {} 项）",
                              r.tasks_opened, r.tasks_closed, r.tasks_open, r.open_overdue),
                  {{fmt::format("按期办结（{} / {}）", r.closed_on_time, r.tasks_closed),
                    pct_value(r.on_time), kGreen, pct(r.on_time)}},
                  100);
  std::vector<const RectificationTask*> watch;
  for (const RectificationTask& t : r.tasks)
    if (t.closed.empty() || !t.on_time) watch.push_back(&t);
  const std::size_t watched = watch.size();
  if (watch.size() > 15) watch.resize(15);
  if (!watch.empty()) {
    h += fmt::format("<h3>在办或逾期的整改任务（{}）</h3>\n",
                     watched > watch.size() ? fmt::format("共 {} 项，列前 {} 项", watched, watch.size())
                                            : fmt::format("共 {} 项", watched));
    h += "<table id=\"rectification-tasks\"><tr><th>办件</th><th>评分</th><th>渠道</th><th>实名</th>"
         "<th>责任单位</th><th>状态</th><th>整改期限</th><th>办结日期</th><th>灯色</th><th>已回访</th>"
         "</tr>\n";
    for (const RectificationTask* t : watch)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       t->id, t->score, esc(zh_channel(t->channel)), yes_no(t->named),
                       esc(names.office(t->department)), esc(zh_task_state(t->state)), esc(t->due),
                       esc(t->closed.empty() ? "—" : t->closed), esc(zh_light(t->light)),
                       yes_no(t->called_back));
    h += "</table>\n";
  }
  return h;
}

std::string bundles_html(const BundleFigures& b) {
  std::string h = "<h2>一件事一次办</h2>\n";
  int promise = 0;
  for (const auto& [rule, days] : b.promised_limit) promise = std::max(promise, days);
  h += hbar_chart("chart-bundles", "“一件事”办理情况（件）",
                  {{"申请", double(b.count), kBlue},
                   {"一次性告知", double(b.notified), kBlue},
                   {"已受理", double(b.accepted), kBlue},
                   {"已办结", double(b.done), kBlue},
                   {"在办", double(b.open), kBlue},
                   {"含不予许可的部分", double(b.with_denied), kBlue}});
  h += hbar_chart("chart-bundle-on-time", "“一件事”按自身承诺时限办结率（虚线：目标 100%）",
                  {{fmt::format("按时办结（{} / {}）", b.on_time, b.done), pct_value(b.on_time_rate),
                    b.on_time_rate.value().value_or(1) >= 1 ? kGreen : kRed, pct(b.on_time_rate)}},
                  100, 100, "100%");
  std::vector<Bar> days;
  for (const auto& [d, n] : b.days_used)
    days.push_back({fmt::format("{} 个工作日", d), double(n), d > promise ? kRed : kBlue});
  h += hbar_chart("chart-bundle-days",
                  fmt::format("已办结“一件事”按实际用时（承诺 {} 个工作日；红色：超过承诺）", promise),
                  days);
  if (!b.denied.empty()) {
    h += "<h3>含不予许可或终止部分的“一件事”</h3>\n";
    h += "<table id=\"bundle-denied\"><tr><th>一件事</th><th>办件</th><th>事项</th><th>状态</th></tr>\n";
    for (const DeniedPart& d : b.denied)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr>\n", d.bundle, d.id,
                       esc(d.matter_name), esc(d.matter), esc(zh_part_state(d.state)));
    h += "</table>\n";
  }
  return h;
}

std::string cross_region_html(const CrossRegionFigures& x, const Names& names) {
  std::string h = "<h2>跨域通办</h2>\n";
  h += fmt::format("<p>异地受理、属地办理 {} 件，已出件 {} 件；申请人要求在受理地以外出件 {} 件"
                   "（其中在第三地出件 {} 件）。</p>\n",
                   x.cases, x.issued, x.issue_elsewhere, x.third_office);
  std::vector<Bar> bars;
  for (const auto& [office, n] : x.by_office)
    bars.push_back({office_label(office, names), double(n.accepted_for_others), kBlue,
                    fmt::format("代收 {} · 代办 {} · 出件 {}", n.accepted_for_others,
                                n.handled_for_others, n.issued_here),
                    double(n.handled_for_others)});
  h += hbar_chart("chart-cross-region", "各受理点：为外地代收（色条）、为外地办理（灰条）", bars);
  return h;
}

std::string proxy_html(const ProxyFigures& p, const Names& names) {
  std::string h = "<h2>帮办代办</h2>\n";
  h += fmt::format("<p>村代办员代交办件 {} 件；送达代办员的通知 {} 条（其中送 B 岗 {} 条）；"
                   "A 岗不在时由 B 岗跟进的办件 {} 件。</p>\n",
                   p.cases, p.notices, p.notices_to_b, p.followed_by_b);
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
                    fmt::format("{} 件 · 通知 {} 条 · B 岗跟进 {} 件", s.cases, s.notices,
                                s.followed_by_b),
                    double(s.followed_by_b)});
  h += hbar_chart("chart-proxy", "各村便民服务站：代交办件（色条）、B 岗跟进（灰条）", bars);
  if (!p.by_post.empty()) {
    h += "<h3>各代办岗位</h3>\n";
    h += "<table id=\"agent-posts\"><tr><th>代办岗位</th><th>便民服务站</th><th>办件</th><th>通知</th>"
         "<th>送 B 岗</th><th>B 岗跟进</th></tr>\n";
    for (const auto& [post, a] : p.by_post)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(names.post(post)), esc(office_label(a.station, names)), a.cases,
                       a.notices, a.notices_to_b, a.followed_by_b);
    h += "</table>\n";
  }
  return h;
}

}  // namespace

std::string services_html(const Figures& f, const Names& office_names) {
  return ratings_html(f.ratings, office_names) + bundles_html(f.bundles) +
         cross_region_html(f.cross_region, office_names) + proxy_html(f.proxy, office_names);
}

}  // namespace workflow::cli
