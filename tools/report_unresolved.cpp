// The 办不成事反映窗口 section of the report (issue 14) as text, JSON and HTML: cases sent
// there, handed to a unit, settled (on time or late) and still open, from each case's
// coordination record. The seeds set no target for it (seed 000 附件1 事项办理 3 only sends such
// cases there "协调处理"): the report says "none set". Kept apart from the other sections so
// each part of the report can change on its own. The keys are documented in docs/cli.md.
#include <fmt/format.h>

#include "report.hpp"
#include "report_format.hpp"
#include "report_svg.hpp"

namespace workflow::cli {

std::string unresolved_path_text(const Figures& f) {
  const UnresolvedPathFigures& u = f.unresolved_path;
  std::string o = fmt::format(
      "办不成事反映窗口 (sent there to be coordinated): {} sent, {} handed to a unit, {} settled "
      "({} on time, {} late; on time {}; target: {}), {} open ({} not yet handed, {} overdue)\n",
      u.sent, u.handed, u.settled, u.settled_on_time, u.settled_late, pct_text(u.on_time_rate),
      f.targets.unresolved_on_time ? fmt::format("{:.0f}%", *f.targets.unresolved_on_time * 100)
                                   : std::string("none set"),
      u.open, u.coordinating, u.open_overdue);
  if (!u.by_unit.empty()) o += fmt::format("  handed to: {}\n", counts_line(u.by_unit));
  return o;
}

std::string unresolved_path_json(const Figures& f) {
  const UnresolvedPathFigures& u = f.unresolved_path;
  return fmt::format(
      "  \"unresolved_path\": {{\"sent\": {}, \"handed\": {}, \"settled\": {}, "
      "\"settled_on_time\": {}, \"settled_late\": {}, \"on_time_rate\": {}, \"on_time_target\": "
      "{}, \"open\": {}, \"coordinating\": {}, \"open_overdue\": {}, \"by_unit\": {}, "
      "\"by_window\": {}}}",
      u.sent, u.handed, u.settled, u.settled_on_time, u.settled_late, json_rate(u.on_time_rate),
      f.targets.unresolved_on_time ? fmt::format("{:.2f}", *f.targets.unresolved_on_time)
                                   : std::string("null"),
      u.open, u.coordinating, u.open_overdue, json_counts(u.by_unit), json_counts(u.by_window));
}

std::string unresolved_path_html(const Figures& f, const Names& names) {
  const UnresolvedPathFigures& u = f.unresolved_path;
  std::string h = "<h2>办不成事反映窗口：协调、转交责任单位、办结</h2>\n";
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>转办不成事窗口（件）</span><span class=\"kpi\"><b>{}"
      "</b>已办结（件）</span><span class=\"kpi\"><b>{}</b>按期办结率（种子未设目标）</span>"
      "<span class=\"kpi\"><b>{}</b>未办结（件）</span></div>\n",
      u.sent, u.settled, pct(u.on_time_rate), u.open);
  h += hbar_chart("chart-unresolved-path", "转办不成事窗口的办件现状（件）",
                  {{"按期办结", double(u.settled_on_time), kGreen},
                   {"逾期办结", double(u.settled_late), kRed},
                   {"已转交，办理中", double(u.open - u.coordinating - u.open_overdue), kBlue},
                   {"已转交，已逾期", double(u.open_overdue), kRed},
                   {"协调中，未转交", double(u.coordinating), kBlue}});
  if (!u.by_unit.empty()) {
    std::vector<Bar> units;
    for (const auto& [id, n] : u.by_unit) units.push_back({names.office(id), double(n), kBlue});
    h += hbar_chart("chart-unresolved-units", "转交各责任单位（件）", units);
  }
  return h;
}

}  // namespace workflow::cli
