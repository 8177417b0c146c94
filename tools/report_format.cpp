// The report's shared helpers (report_format.hpp).
#include "report_format.hpp"

#include <fmt/format.h>

#include "workflow/error.hpp"

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
  const auto put = [&out](char c) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        // C0 controls must be escaped in JSON; DEL is escaped too, so no control reaches a
        // terminal that shows the JSON.
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += fmt::format("\\u{:04x}", int(c));
        else out += c;
    }
  };
  const auto c1_at = [&s](std::size_t i) {  // U+0080..U+009F, a C1 control, starts at s[i]
    return i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
           static_cast<unsigned char>(s[i + 1]) >= 0x80 && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
  };
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      put(s[i++]);
    } else if (c1_at(i)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[i + 1]));
      i += 2;
    } else {
      // Other non-ASCII bytes: well-formed UTF-8 stays as it is; bytes that are not UTF-8
      // (JSON text must be UTF-8) become printable's \xNN text.
      std::size_t end = i + 1;
      while (end < s.size() && static_cast<unsigned char>(s[end]) >= 0x80 && !c1_at(end)) ++end;
      for (char c : printable(s.substr(i, end - i))) put(c);
      i = end;
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
