// The HTML report's inline SVG charts (report_svg.hpp).
#include "report_svg.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace workflow::cli {

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

std::string hbar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                       double max, double target, const std::string& target_label, int text_w) {
  const int label_w = 300, bar_w = 610 - text_w, row = 30, top = 34;
  for (const Bar& b : bars) max = std::max({max, b.value, b.second});
  if (max <= 0) max = 1;
  const int height = top + row * int(std::max<std::size_t>(bars.size(), 1)) + 24;
  std::string s = fmt::format(
      "<figure><svg id=\"{}\" class=\"chart\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n"
      "<text x=\"0\" y=\"20\" class=\"t\">{}</text>\n",
      id, label_w + bar_w + text_w, height, label_w + bar_w + text_w, height, esc(title), esc(title));
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
                            const std::map<std::string, std::string>& names, std::size_t top) {
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

}  // namespace workflow::cli
