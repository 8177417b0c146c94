// Columns in diagnostics count characters, as editors do. yaml-cpp reports byte offsets, which
// on a line of Chinese (综合受理窗口) would point three times too far right.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace workflow::detail {

inline std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
}

// The 1-based character column of the 0-based byte offset `byte_column` into `line_text`
// (the text from the start of the line on). Offsets past the end count one each.
inline int character_column(std::string_view line_text, int byte_column) {
  const std::string_view before = line_text.substr(0, static_cast<std::size_t>(byte_column));
  const std::size_t past_end = static_cast<std::size_t>(byte_column) - before.size();
  return static_cast<int>(utf8_length(before) + past_end) + 1;
}

// The same for a 1-based line and byte column into a whole file's `content`.
inline int character_column_in(std::string_view content, int line, int byte_column) {
  std::size_t start = 0;
  for (int l = 1; l < line && start < content.size(); ++l) {
    const std::size_t nl = content.find('\n', start);
    start = nl == std::string_view::npos ? content.size() : nl + 1;
  }
  return character_column(content.substr(start), byte_column - 1);
}

}  // namespace workflow::detail
