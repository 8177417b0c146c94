#include "support/yaml_documents.hpp"

#include <algorithm>

namespace workflow::detail {

std::optional<int> second_document_line(std::string_view s) {
  bool content = false, ended = false;
  int line = 0;
  for (std::size_t at = 0; at <= s.size(); ++line) {
    const std::size_t end = std::min(s.find('\n', at), s.size());
    std::string_view l = s.substr(at, end - at);
    at = end + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    const bool marker = l.substr(0, 3) == "---" && (l.size() == 3 || l[3] == ' ' || l[3] == '\t');
    if (marker && (content || ended)) return line;
    if (l.substr(0, 3) == "..." && (l.size() == 3 || l[3] == ' ' || l[3] == '\t')) {
      ended = true;
      continue;
    }
    const std::size_t first = l.find_first_not_of(" \t");
    if (marker || first == std::string_view::npos || l[first] == '#' || l[0] == '%') continue;
    if (ended) return line;
    content = true;
  }
  return std::nullopt;
}

}  // namespace workflow::detail
