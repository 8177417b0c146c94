// The HTML report's inline SVG charts (report_svg.hpp).
#include "report_svg.hpp"

#include "workflow/error.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace workflow::cli {

std::string esc(std::string_view s) {
  std::string out;
  for (char c : printable(s)) {  // control characters cannot be written in HTML, even as &#x1B;
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

int text_width(std::string_view text, int font_px) {
  double em = 0;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    em += c < 0x80 ? 0.6 : 1.05;
    i += len;
  }
  return static_cast<int>(em * font_px + 0.999);
}

std::string hbar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                       double max, double target, const std::string& target_label, int) {
  int label_w = 40, text_w = 40;
  for (const Bar& b : bars) {
    label_w = std::max(label_w, text_width(b.label) + 16);
    text_w = std::max(text_w, text_width(b.text.empty() ? fmt::format("{:g}", b.value) : b.text) + 12);
  }
  const int bar_w = 420, row = 30, top = 34;
  const int width = std::max(label_w + bar_w + text_w, text_width(title, 15) + 8);
  for (const Bar& b : bars) max = std::max({max, b.value, b.second});
  if (max <= 0) max = 1;
  const int height = top + row * int(std::max<std::size_t>(bars.size(), 1)) + 24;
  std::string s = fmt::format(
      "<figure><svg id=\"{}\" class=\"chart\" width=\"{}\" style=\"max-width:100%;height:auto\" "
      "viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n"
      "<text x=\"0\" y=\"20\" class=\"t\">{}</text>\n",
      id, width, width, height, esc(title), esc(title));
  if (bars.empty()) s += fmt::format("<text x=\"0\" y=\"{}\">暂无数据</text>\n", top + 18);
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
    // The text goes after the bar, or after the dashed target line when that line would
    // cross it (a bar just short of its target).
    const std::string text = b.text.empty() ? fmt::format("{:g}", b.value) : b.text;
    int end = std::max(w, w2);
    const int line_x = target >= 0 ? int(bar_w * target / max) : -1;
    if (line_x > end && line_x < end + 6 + text_width(text)) end = line_x;
    s += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", label_w + end + 6, y + 17, esc(text));
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

std::string line_chart(const std::string& id, const std::string& title,
                       const std::vector<std::string>& x_labels, const std::vector<Series>& series,
                       double max, const std::string& unit) {
  const int left = 48, top = 34, plot_h = 160, step = 64;
  const int n = static_cast<int>(x_labels.size());
  int legend_w = 0;
  for (const Series& se : series) legend_w += text_width(se.name) + 40;
  const int width = std::max({left + step * std::max(n, 1) + 40, text_width(title, 15) + 8, legend_w + left});
  const int height = top + plot_h + 60;
  if (max <= 0) max = 1;
  std::string s = fmt::format(
      "<figure><svg id=\"{}\" class=\"chart\" width=\"{}\" style=\"max-width:100%;height:auto\" "
      "viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n"
      "<text x=\"0\" y=\"20\" class=\"t\">{}</text>\n",
      id, width, width, height, esc(title), esc(title));
  if (n == 0) return s + fmt::format("<text x=\"0\" y=\"{}\">暂无数据</text></svg></figure>\n", top + 18);
  const auto y_of = [&](double v) { return top + plot_h - int(plot_h * v / max); };
  for (int t = 0; t <= 4; ++t) {
    const double v = max * t / 4;
    s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>"
                     "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"small\">{:g}{}</text>\n",
                     left, y_of(v), left + step * n, y_of(v), left - 4, y_of(v) + 4, v, unit);
  }
  for (int i = 0; i < n; ++i)
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"small\">{}</text>\n",
                     left + step * i + step / 2, top + plot_h + 16, esc(x_labels[i]));
  int lx = left;
  for (const Series& se : series) {
    std::string path;
    for (int i = 0; i < n && i < int(se.values.size()); ++i) {
      if (!se.values[i]) continue;
      const int x = left + step * i + step / 2, y = y_of(*se.values[i]);
      path += fmt::format("{}{} {} ", path.empty() || !se.values[i - (i > 0)] ? "M" : "L", x, y);
      s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>", x, y, se.color);
    }
    if (!path.empty())
      s += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n", path, se.color);
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{}\"/>"
                     "<text x=\"{}\" y=\"{}\">{}</text>\n",
                     lx, top + plot_h + 34, se.color, lx + 18, top + plot_h + 40, esc(se.name));
    lx += text_width(se.name) + 40;
  }
  return s + "</svg></figure>\n";
}

std::vector<Bar> count_bars(const std::map<std::string, int>& m, const char* color,
                            const std::map<std::string, std::string>& names, std::size_t top) {
  std::vector<Bar> bars;
  for (const auto& [k, v] : m) {
    auto it = names.find(k);
    bars.push_back({it == names.end() ? k : it->second, double(v), color});
  }
  if (top > 0) {
    std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
    if (bars.size() > top) bars.resize(top);
  }
  return bars;
}

std::string pct(const Rate& r, const char* none) {
  const auto v = r.value();
  return v ? fmt::format("{:.1f}%", 100 * *v) : none;
}

double pct_value(const Rate& r) { return 100 * r.value().value_or(0); }

}  // namespace workflow::cli
