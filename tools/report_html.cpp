// The supervision report as one self-contained HTML page: inline CSS and inline SVG charts
// (report_svg.hpp), no scripts, no fonts, no network; zh-CN labels from the rule set. The
// ratings, bundles, cross-region and proxy sections are in report_html_services.cpp.
#include <algorithm>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "report.hpp"
#include "report_svg.hpp"

namespace workflow::cli {
namespace {

std::string zh_state(const std::string& s) {
  static const std::map<std::string, std::string> names = {
      {"received", "已收件"}, {"awaiting_materials", "待补正材料"}, {"on_the_spot", "即办"},
      {"preliminary_review", "初审"}, {"back_office_review", "后台审查"}, {"opinions", "会签"},
      {"escalated", "已上报"}, {"decided", "已决定待出件"}, {"issued", "已出件"},
      {"refused", "不予受理"}, {"withdrawn", "已撤回"}, {"terminated", "已终止"},
      {"revoked", "已撤销"}};
  auto it = names.find(s);
  return it == names.end() ? s : it->second;
}

std::string zh_kind(const std::string& s) {
  static const std::map<std::string, std::string> names = {
      {"instant", "即办件"}, {"committed", "承诺件"}, {"escalated", "上报件"}, {"joint", "联办件"}};
  auto it = names.find(s);
  return it == names.end() ? s : it->second;
}

std::vector<Bar> zh_bars(const std::map<std::string, int>& m, std::string (*name)(const std::string&)) {
  std::vector<Bar> bars;
  for (const auto& [k, v] : m) bars.push_back({name(k), double(v), kBlue});
  return bars;
}

// "2026-01-13" → "2026年1月13日"; "2026-01-13T08:30:00" → "2026年1月13日 08:30" (the reader's
// way of writing a date); anything else as it is.
std::string zh_when(const std::string& iso) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0;
  if (iso.size() >= 10 && std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3) {
    std::string out = fmt::format("{}年{}月{}日", y, m, d);
    if (iso.size() >= 16 && std::sscanf(iso.c_str() + 10, "T%2d:%2d", &hh, &mm) == 2)
      out += fmt::format(" {:02}:{:02}", hh, mm);
    return out;
  }
  return iso;
}

std::string target_text(const std::optional<double>& t) {
  return t ? fmt::format("目标 ≥ {:g}%", 100 * *t) : "无目标";
}

}  // namespace

std::string zh_light(const std::string& s) {
  static const std::map<std::string, std::string> names = {
      {"none", "未计时"}, {"green", "绿灯"}, {"yellow", "黄灯"}, {"red", "红灯"},
      {"escalated_red", "升级红灯"}};
  auto it = names.find(s);
  return it == names.end() ? s : it->second;
}

// The page is read in Chinese: an office or department shows its name only (the rule set's
// names are unique); an id is shown only for something the rule set does not name.
std::string Names::office(const std::string& id) const {
  auto it = offices.find(id);
  if (it != offices.end()) return it->second;
  it = departments.find(id);
  return it == departments.end() ? id : it->second;
}

std::string Names::post(const std::string& id) const {
  const auto it = posts.find(id);
  return it == posts.end() ? id : it->second;
}

Names names_of(const RuleSet& rules) {
  Names n;
  for (const Office& o : rules.offices()) n.offices[o.id] = o.name;
  for (const Department& d : rules.departments()) n.departments[d.id] = d.name;
  // Many townships have a 民政办审核岗 or a 分管领导审批岗: a post's label is its name, with its
  // office's name before it when another post has the same name.
  std::map<std::string, int> post_names;
  for (const Post& p : rules.posts()) ++post_names[p.name];
  for (const Post& p : rules.posts()) {
    n.posts[p.id] = post_names[p.name] > 1 ? rules.office(p.office).name + " · " + p.name : p.name;
  }
  for (const Matter& m : rules.matters()) n.matters[m.code] = m.name;
  return n;
}

std::string report_html(const Figures& f, const Names& names, const std::string& generated) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
      "<title>政务服务电子监察报告</title>\n<style>\n"
      "body{font-family:\"Noto Sans CJK SC\",sans-serif;margin:24px;color:#222;max-width:1220px}\n"
      "h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}\n"
      "svg text{font-size:13px;fill:#222}svg text.t{font-size:15px;font-weight:bold}\n"
      "svg text.small{font-size:11px}figure{margin:8px 0}\n"
      "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
      "white-space:nowrap}\n"
      ".kpi{display:inline-block;margin:0 28px 8px 0;font-size:14px;white-space:nowrap}"
      ".kpi b{font-size:22px;display:block}\n"
      "</style></head><body>\n";
  const std::string scope =
      (f.period ? fmt::format("统计期 {}至{}", zh_when(f.period->from.to_string()),
                              zh_when(f.period->to.to_string()))
                : std::string("全部办件")) +
      (f.office.empty() ? "" : " · " + names.office(f.office));
  h += fmt::format("<h1>{} · 政务服务电子监察报告</h1>\n<p class=\"meta\">{} · 数据截至 {} · "
                   "生成于 {} · 规则版本 {} · 共 {} 件</p>\n",
                   esc(f.hall), esc(scope), esc(f.as_of.empty() ? "暂无数据" : zh_when(f.as_of)), esc(generated),
                   esc(f.rules_version), f.cases);
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>按时办结率</span><span class=\"kpi\"><b>{}</b>即办件占比"
      "</span><span class=\"kpi\"><b>{}</b>一次办好率</span><span class=\"kpi\"><b>{}</b>满意率</span>"
      "<span class=\"kpi\"><b>{}</b>曾亮红灯（件）</span><span class=\"kpi\"><b>{}</b>在办红灯（件）</span>"
      "<span class=\"kpi\"><b>{}</b>AB岗转办（次）</span></div>\n",
      pct(f.on_time), pct(f.instant_share), pct(f.first_time_right_rate), pct(f.ratings.satisfaction),
      f.red_ever, f.red_now, f.handoffs);

  h += "<h2>指标与目标</h2>\n";
  // Each rate against its seed target (red when short of it; no line where the seeds set none).
  const auto bar = [](const std::string& label, const Rate& r, const std::optional<double>& target) {
    const bool short_of = target && r.value() && *r.value() < *target;
    return Bar{label, pct_value(r), short_of ? kRed : kGreen,
               fmt::format("{} ({}/{}; {})", pct(r), r.numerator, r.denominator, target_text(target))};
  };
  const SupervisionTargets& t = f.targets;
  h += hbar_chart("chart-targets", "一次办好率（虚线：种子目标 90%）",
                  {bar("一次办好率", f.first_time_right_rate, t.first_time_right)}, 100, 90, "90%");
  h += hbar_chart("chart-instant", "即办件占比（虚线：种子目标 40%）",
                  {bar("即办件占比（按件）", f.instant_share, t.instant_share),
                   bar("即办件占比（按事项）", f.instant_matters, std::nullopt)},
                  100, 40, "40%");
  h += hbar_chart("chart-on-time", "按时办结率（承诺时限即承诺，种子未另设目标）",
                  {bar("按时办结率", f.on_time, t.on_time), bar("满意率（4–5 分）", f.ratings.satisfaction, t.satisfaction),
                   bar("差评整改完成率", f.ratings.handled, std::nullopt),
                   bar("实名差评回访率", f.ratings.call_back, t.call_back),
                   bar("一件事按承诺办结率", f.bundles.on_time_rate, t.bundle_on_time)},
                  100);

  h += "<h2>电子监察亮灯</h2>\n";
  const auto ever = [&f](const char* k) {
    auto it = f.ever_light.find(k);
    return it == f.ever_light.end() ? 0 : it->second;
  };
  h += hbar_chart("chart-lights", "曾亮过各色灯的办件（件）",
                  {{"黄灯", double(ever("yellow")), kYellow},
                   {"红灯（含升级）", double(ever("red")), kRed},
                   {"升级红灯", double(ever("escalated_red")), kDarkRed}});
  std::vector<Bar> now;
  for (const auto& [light, n] : f.light_now)
    now.push_back({zh_light(light), double(n),
                   light == "red" ? kRed : light == "escalated_red" ? kDarkRed
                                   : light == "yellow" ? kYellow : kBlue});
  h += hbar_chart("chart-lights-now", "当前亮灯（件；已决定的办件灯色冻结）", now);
  h += "<h3>最需关注的办件（最坏灯色、超期工作日最多者在前）</h3>\n";
  if (f.worst.empty()) {
    h += f.cases == 0 ? "<p>暂无数据</p>\n" : "<p>无</p>\n";
  } else {
    h += "<table id=\"worst\"><tr><th>办件</th><th>最坏灯色</th><th>当前灯色</th><th>超期工作日</th>"
         "<th>事项</th><th>所在</th><th>状态</th><th>承诺期限</th></tr>\n";
    for (const FlaggedCase& c : f.worst)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td>"
                       "<td>{}</td><td>{}</td></tr>\n",
                       c.id, esc(zh_light(c.worst_light)), esc(zh_light(c.light)), c.days_over,
                       esc(c.matter_name), esc(c.matter), esc(names.office(c.office)),
                       esc(zh_state(c.state)), esc(c.promised_deadline));
    h += "</table>\n";
  }

  h += "<h2>办件</h2>\n";
  h += hbar_chart("chart-kinds", "按办件类型", zh_bars(f.by_kind, zh_kind));
  h += hbar_chart("chart-states", "按办件状态", zh_bars(f.by_state, zh_state));
  h += hbar_chart("chart-offices", "按受理地点", count_bars(f.by_office, kBlue, names.offices));

  h += "<h2>实际用时与承诺时限（工作日，受理至决定）</h2>\n";
  std::vector<MatterTiming> timing = f.timing;
  std::stable_sort(timing.begin(), timing.end(),
                   [](const MatterTiming& a, const MatterTiming& b) { return a.decided > b.decided; });
  std::vector<Bar> days;
  for (const MatterTiming& m : timing)
    days.push_back({fmt::format("{} · {} · {}", m.name,
                                names.offices.count(m.office) ? names.offices.at(m.office) : m.office,
                                m.code),
                    m.mean_days_used, m.mean_days_used > m.promised_limit ? kRed : kBlue,
                    fmt::format("平均 {:.1f} / 承诺 {} 个工作日（{} 件办结）", m.mean_days_used,
                                m.promised_limit, m.decided),
                    double(m.promised_limit)});
  h += hbar_chart("chart-days",
                  fmt::format("全部 {} 个有办结的承诺类事项：平均用时（色条）与承诺时限（灰条）",
                              days.size()),
                  days);

  h += "<h2>AB岗、赋权乡镇与“办不成事”窗口</h2>\n";
  std::map<std::string, int> handoffs;
  for (const auto& [post, n] : f.handoffs_by_post)
    handoffs[names.post(post)] += n;
  h += hbar_chart("chart-handoffs",
                  fmt::format("各岗位AB岗转办次数（前 15 位，共 {} 个岗位）", f.handoffs_by_post.size()),
                  count_bars(handoffs, kBlue, {}, 15));
  h += hbar_chart("chart-delegated", "各乡镇赋权事项办件", count_bars(f.delegated_by_township, kBlue, names.offices));
  h += fmt::format("<p>无有效赋权、退回县级办理的乡镇办件：{} 件。上报件：{} 件。转“办不成事”窗口：{} 件"
                   "（仍在该窗口 {} 件）。</p>\n",
                   f.delegation_lapsed, f.escalated, f.unresolved, f.unresolved_now);
  h += fmt::format("<p>暂定期限（次年放假安排通知尚未发布）: {} 件在办; 正式日历发布后重算: {} 件.</p>\n",
                   f.provisional_now, f.deadlines_recomputed);
  h += "<h2>法定时限（上报、发证、环节、告知承诺核查）</h2>\n";
  h += fmt::format("<p>上报件下级超过初审期限（§43）：{} 件；批准后超过颁证期限（§44）：{} 件；"
                   "环节超时：{} 件；告知承诺核查超期：{} 件。告知承诺审批 {} 件，已核查 {} 件，"
                   "虚假承诺 {} 件，撤销 {} 件。</p>\n",
                   f.law.escalation_review_overdue, f.law.issue_overdue, f.law.stage_overdue,
                   f.law.verification_overdue, f.law.on_promise, f.law.verified,
                   f.law.false_commitments, f.law.revoked);
  if (!f.law.stage_overdue_by_unit.empty()) {
    // A unit by its name; a township's 民政办 shares its name with the others', so the
    // office it sits in comes first when the name alone would be ambiguous.
    std::map<std::string, int> same_name, by_unit;
    for (const auto& [id, name] : names.departments) ++same_name[name];
    for (const auto& [unit, n] : f.law.stage_overdue_by_unit) {
      std::string label = names.office(unit);
      const auto u = std::find_if(f.units.begin(), f.units.end(),
                                  [&](const UnitFigures& x) { return x.id == unit; });
      if (same_name[label] > 1 && u != f.units.end()) label = names.office(u->office) + " · " + label;
      by_unit[label] += n;
    }
    h += hbar_chart("chart-stage-overdue", "各单位环节超时次数", count_bars(by_unit, kRed, {}));
  }
  h += "<h2>按周走势</h2>\n";
  std::vector<std::string> weeks;
  Series received{"收件（件）", kBlue, {}}, on_time{"按时办结率 %", kGreen, {}},
      ftr{"一次办好率 %", kYellow, {}};
  double most = 0;
  for (const WeekFigures& w : f.weeks) {
    weeks.push_back(w.from.to_string().substr(5));
    received.values.push_back(w.received);
    most = std::max(most, double(w.received));
    on_time.values.push_back(w.on_time.value() ? std::optional(100 * *w.on_time.value()) : std::nullopt);
    ftr.values.push_back(w.first_time_right.value() ? std::optional(100 * *w.first_time_right.value())
                                                    : std::nullopt);
  }
  h += line_chart("chart-weeks-rates", "每周按时办结率与一次办好率（按周一起始；无办结的周不画点）",
                  weeks, {on_time, ftr}, 100, "%");
  h += line_chart("chart-weeks-volume", "每周收件量", weeks, {received}, std::max(most, 1.0), "");

  h += "<h2>单位排名（按时办结率从高到低，并列时办结量多者在前）</h2>\n";
  if (f.units.empty()) {
    h += "<p>暂无数据</p>\n";
  } else {
    h += "<table id=\"ranking\"><tr><th>名次</th><th>单位</th><th>所在</th><th>办件</th><th>办结</th>"
         "<th>按时办结率</th><th>一次办好率</th><th>即办件占比</th><th>满意率</th><th>曾亮红灯</th>"
         "<th>在办红灯</th></tr>\n";
    int rank = 0;
    for (const UnitFigures& u : f.units) {
      const bool last = std::find(f.last_three.begin(), f.last_three.end(), u.id) != f.last_three.end();
      h += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       last ? " style=\"background:#fbe3e1\"" : "", ++rank, esc(u.name),
                       esc(names.offices.count(u.office) ? names.offices.at(u.office) : u.office),
                       u.cases, u.decided, pct(u.on_time), pct(u.first_time_right),
                       pct(u.instant_share), pct(u.satisfaction), u.red_ever, u.red_now);
    }
    h += "</table>\n";
    std::string last;
    for (const std::string& id : f.last_three)
      last += (last.empty() ? "" : "、") + (names.departments.count(id) ? names.departments.at(id) : id);
    h += fmt::format("<p>排名末三位（有办结数据的单位）：{}</p>\n", esc(last.empty() ? "暂无数据" : last));
  }

  h += services_html(f, names);
  h += operations_html(f);
  h += unresolved_path_html(f, names);
  h += oversight_html(f, names);
  h += "</body></html>\n";
  return h;
}

}  // namespace workflow::cli
