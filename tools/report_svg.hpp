// The HTML report's building blocks (report_html.cpp, report_html_services.cpp): escaping,
// and horizontal bar charts as inline SVG. Chart colours are fixed (the screenshot test looks
// for them): blue for counts, green for rates, the light colours for lights.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "workflow/supervision.hpp"

namespace workflow::cli {

inline constexpr const char* kBlue = "#2f6fb0";
inline constexpr const char* kGreen = "#2e9d4f";
inline constexpr const char* kGrey = "#b8c0c8";
inline constexpr const char* kYellow = "#e0b000";
inline constexpr const char* kRed = "#d0302a";
inline constexpr const char* kDarkRed = "#7a0010";

// HTML-escapes text and attribute values.
std::string esc(std::string_view s);

struct Bar {
  std::string label;
  double value = 0;
  std::string color = kBlue;
  std::string text;  // shown after the bar; default: the value
  double second = -1;  // a thin second bar below (e.g. the promise), -1 for none
};

// The approximate width of `text` in pixels at `font_px`: ASCII 0.6 em, anything wider
// (CJK) 1.05 em. Used to size the label and text columns so nothing is cut.
int text_width(std::string_view text, int font_px = 13);

// A horizontal bar chart. `max` 0 = the largest value; `target` >= 0 draws a dashed line.
// The label column is as wide as the widest label and the texts after the bars get the room
// they need; the SVG scales to the page width (viewBox), never cutting text.
std::string hbar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                       double max = 0, double target = -1, const std::string& target_label = "",
                       int unused_text_w = 0);

// A line chart of one or more series over the same x labels (e.g. weeks); values in
// [0, max]; a point without data (nullopt) breaks the line.
struct Series {
  std::string name;
  std::string color;
  std::vector<std::optional<double>> values;
};
std::string line_chart(const std::string& id, const std::string& title,
                       const std::vector<std::string>& x_labels, const std::vector<Series>& series,
                       double max, const std::string& unit);

// One bar per key (label: its name from `names`, else the key), largest first when `top` > 0.
std::vector<Bar> count_bars(const std::map<std::string, int>& m, const char* color,
                            const std::map<std::string, std::string>& names = {}, std::size_t top = 0);

// "12.3%", or `none` when the rate has no data.
std::string pct(const Rate& r, const char* none = "暂无数据");
// 100 * value, 0 when there is no data (bar lengths only; the text says 暂无数据).
double pct_value(const Rate& r);

}  // namespace workflow::cli
