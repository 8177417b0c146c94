// The hall-operations sections of the report (issue 14) as text, JSON and HTML: how
// applications came (渠道), the seeds' rates over it (一次不跑, 网上可办, 全程网办) against
// their targets, and assistance (帮办) per level. Kept apart from the other sections so each
// part of the report can change on its own. The keys are documented in docs/cli.md.
#include <fmt/format.h>

#include "report.hpp"
#include "report_format.hpp"
#include "report_svg.hpp"

namespace workflow::cli {
namespace {

std::string target_text(const std::optional<double>& t) {
  return t ? fmt::format("target >= {:.0f}%", *t * 100) : std::string("no target set");
}

std::string json_target(const std::optional<double>& t) {
  return t ? fmt::format("{:.2f}", *t) : std::string("null");
}

std::string zh_submission_channel(const std::string& c) {
  return c == "window"         ? "窗口"
         : c == "online"       ? "政务服务网"
         : c == "mobile"       ? "赣服通"
         : c == "self_service" ? "自助终端"
         : c == "post"         ? "邮寄"
         : c == "village_agent" ? "村代办员"
                                : c;
}

}  // namespace

std::string operations_text(const Figures& f) {
  std::string o;
  auto line = [&o](const std::string& s) { o += s + "\n"; };
  const ChannelFigures& c = f.channels;
  line(fmt::format("channels (渠道): {}", counts_line(c.by_channel)));
  line(fmt::format("  一次不跑 (applied from home, result by post or e-certificate, or by village agent): {} ({} of {} "
                   "issued; {})",
                   pct_text(c.zero_trip_rate), c.zero_trips, c.issued,
                   target_text(f.targets.zero_trips)));
  line(fmt::format("  网上可办 (applied online or on mobile): {} ({} of {} cases; {}); 全程网办 "
                   "(result as an e-certificate): {} ({} of {} issued online applications)",
                   pct_text(c.online_rate), c.applied_online, c.online_rate.denominator,
                   target_text(f.targets.applied_online), pct_text(c.fully_online_rate),
                   c.fully_online, c.issued_online));
  line(fmt::format("  帮办 (staff assisted): county {}, township {}", c.assisted.at("county"),
                   c.assisted.at("township")));
  return o;
}

std::string operations_json(const Figures& f) {
  const ChannelFigures& c = f.channels;
  return fmt::format(
      "  \"channels\": {{\n    \"by_channel\": {}, \"issued\": {}, \"zero_trips\": {}, "
      "\"zero_trip_rate\": {}, \"zero_trip_target\": {},\n    \"applied_online\": {}, "
      "\"online_rate\": {}, \"online_target\": {}, \"issued_online\": {}, \"fully_online\": {}, "
      "\"fully_online_rate\": {},\n    \"assisted\": {}\n  }}\n",
      json_counts(c.by_channel), c.issued, c.zero_trips, json_rate(c.zero_trip_rate),
      json_target(f.targets.zero_trips), c.applied_online, json_rate(c.online_rate),
      json_target(f.targets.applied_online), c.issued_online, c.fully_online,
      json_rate(c.fully_online_rate), json_counts(c.assisted));
}

std::string operations_html(const Figures& f) {
  const ChannelFigures& c = f.channels;
  std::string h = "<h2>申请渠道：一次不跑、网上可办、全程网办、帮办</h2>\n";
  h += fmt::format(
      "<div><span class=\"kpi\"><b>{}</b>一次不跑（种子目标 ≥ 50%）</span><span class=\"kpi\"><b>{}"
      "</b>网上可办</span><span class=\"kpi\"><b>{}</b>全程网办</span></div>\n",
      pct(c.zero_trip_rate), pct(c.online_rate), pct(c.fully_online_rate));
  std::vector<Bar> channels;
  for (const auto& [name, n] : c.by_channel) {
    channels.push_back({std::string(zh_submission_channel(name)), double(n), kBlue});
  }
  h += hbar_chart("chart-channels", "按申请渠道（件）", channels);
  const double target = f.targets.zero_trips.value_or(0) * 100;
  h += hbar_chart(
      "chart-zero-trips", "种子指标（虚线：一次不跑目标 50%）",
      {{fmt::format("一次不跑（出件 {} 件中 {} 件）", c.issued, c.zero_trips),
        pct_value(c.zero_trip_rate),
        c.zero_trip_rate.value().value_or(0) * 100 >= target ? kGreen : kRed, pct(c.zero_trip_rate)},
       {fmt::format("网上可办（{} 件中 {} 件）", c.online_rate.denominator, c.applied_online),
        pct_value(c.online_rate), kGreen, pct(c.online_rate)},
       {fmt::format("全程网办（网上申请出件 {} 件中 {} 件）", c.issued_online, c.fully_online),
        pct_value(c.fully_online_rate), kGreen, pct(c.fully_online_rate)}},
      100, target, "50%");
  h += hbar_chart("chart-assisted", "帮办（件，按层级）",
                  {{"县级帮办", double(c.assisted.at("county")), kBlue},
                   {"乡镇帮办", double(c.assisted.at("township")), kBlue}});
  return h;
}

}  // namespace workflow::cli
