// The HTML report's building blocks (report_html.cpp, report_html_services.cpp): escaping,
// and horizontal bar charts as inline SVG. Chart colours are fixed (the screenshot test looks
// for them): blue for counts, green for rates, the light colours for lights.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

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

// A horizontal bar chart. `max` 0 = the largest value; `target` >= 0 draws a dashed line;
// `text_w` is the room kept right of the bars for their texts (the bars get the rest).
std::string hbar_chart(const std::string& id, const std::string& title, const std::vector<Bar>& bars,
                       double max = 0, double target = -1, const std::string& target_label = "",
                       int text_w = 90);

// One bar per key (label: the name from `names` and the key), largest first when `top` > 0.
std::vector<Bar> count_bars(const std::map<std::string, int>& m, const char* color,
                            const std::map<std::string, std::string>& names = {}, std::size_t top = 0);

// "12.3%"
std::string pct(double r);

}  // namespace workflow::cli
