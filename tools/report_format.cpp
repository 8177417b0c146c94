// The report's shared helpers (report_format.hpp).
#include "report_format.hpp"

#include <fmt/format.h>

namespace workflow::cli {

std::string detail_value(std::string_view detail, std::string_view key) {
  std::size_t pos = 0;
  while (pos < detail.size()) {
    std::size_t end = detail.find("; ", pos);
    if (end == std::string_view::npos) end = detail.size();
    const std::string_view item = detail.substr(pos, end - pos);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=')
      return std::string(item.substr(key.size() + 1));
    pos = end + 2;
  }
  return {};
}

std::string pct_text(const Rate& r) {
  const auto v = r.value();
  return v ? fmt::format("{:.1f}%", 100 * *v) : "no data";
}

std::string json_rate(const Rate& r) {
  const auto v = r.value();
  return v ? fmt::format("{:.4f}", *v) : "null";
}

std::string plural(long long n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", int(c));
        else out += c;
    }
  }
  return out + "\"";
}

std::string json_counts(const std::map<std::string, int>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("{}: {}", json_string(k), v);
  }
  return out + "}";
}

std::string counts_line(const std::map<std::string, int>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", k, v);
  return out.empty() ? "none" : out;
}

}  // namespace workflow::cli
