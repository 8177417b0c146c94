// The oversight sections of the report (issue 14) as text, JSON and HTML: supervision orders
// (督办件数), the units' replies and 按期回复率, the orders closed and escalated, and the
// reassignments (改派) per unit. Kept apart from the other sections so each part of the report
// can change on its own. The keys are documented in docs/cli.md.
#include <fmt/format.h>

#include "report.hpp"
#include "report_format.hpp"
#include "report_svg.hpp"

namespace workflow::cli {

std::string oversight_text(const Figures& f) {
  const OversightFigures& o = f.oversight;
  std::string t;
  t += fmt::format("督办 (supervision orders): {} on {} ({} replied, {} on time, {} overdue "
                   "without a reply; {} open, {} closed, {} escalated)\n",
                   o.orders, plural(o.cases_ordered, "case", "cases"), o.replied,
                   o.replied_on_time, o.overdue, o.open, o.closed, o.escalated);
  t += fmt::format("  按期回复率 (replied by the due day, of the replies due): {} ({} of {}; no "
                   "target set); orders by unit: {}\n",
                   pct_text(o.reply_on_time_rate), o.reply_on_time_rate.numerator,
                   o.reply_on_time_rate.denominator, counts_line(o.orders_by_unit));
  t += fmt::format("改派 (reassignments): {}; by unit: {}\n", o.reassignments,
                   counts_line(o.reassignments_by_unit));
  return t;
}

std::string oversight_json(const Figures& f) {
  const OversightFigures& o = f.oversight;
  return fmt::format(
      "  \"oversight\": {{\n    \"orders\": {}, \"cases_ordered\": {}, \"replied\": {}, "
      "\"replied_on_time\": {}, \"overdue\": {}, \"reply_on_time_rate\": {}, "
      "\"reply_on_time_target\": null,\n    \"open\": {}, \"closed\": {}, \"escalated\": {}, "
      "\"orders_by_unit\": {},\n    \"reassignments\": {}, \"reassignments_by_unit\": {}\n  }}\n",
      o.orders, o.cases_ordered, o.replied, o.replied_on_time, o.overdue,
      json_rate(o.reply_on_time_rate), o.open, o.closed, o.escalated,
      json_counts(o.orders_by_unit), o.reassignments, json_counts(o.reassignments_by_unit));
}

std::string oversight_html(const Figures& f, const Names& names) {
  const OversightFigures& o = f.oversight;
  std::string h = "<h2>督办与改派</h2>\n";
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>督办件数</span><span class=\"kpi\"><b>{}</b>按期回复率"
      "</span><span class=\"kpi\"><b>{}</b>回复</span><span class=\"kpi\"><b>{}</b>改派</span>"
      "</div>\n",
      o.orders, pct(o.reply_on_time_rate), o.replied, o.reassignments);
  h += hbar_chart("chart-orders", "督办件办理情况（按期回复率暂无目标）",
                  {{"按期回复", double(o.replied_on_time), kGreen},
                   {"逾期回复", double(o.replied - o.replied_on_time), kRed},
                   {"逾期未回复", double(o.overdue), kRed},
                   {"已销号", double(o.closed), kBlue},
                   {"已提级督办", double(o.escalated), kRed}});
  std::vector<Bar> units;
  for (const auto& [id, n] : o.orders_by_unit) {
    units.push_back({names.office(id), double(n), kBlue});
  }
  if (!units.empty()) h += hbar_chart("chart-orders-by-unit", "各单位督办件数", units);
  std::vector<Bar> moves;
  for (const auto& [id, n] : o.reassignments_by_unit) {
    moves.push_back({names.office(id), double(n), kBlue});
  }
  if (!moves.empty()) h += hbar_chart("chart-reassignments", "各单位改派次数", moves);
  return h;
}

}  // namespace workflow::cli
