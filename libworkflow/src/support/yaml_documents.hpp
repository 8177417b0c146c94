// Finding a second YAML document in a file by scanning its lines: the rule and calendar
// loaders each read one document per file, and yaml-cpp's LoadAll, which would find it, can
// allocate without bound on hostile input (a file holding only "," takes gigabytes).
#pragma once

#include <optional>
#include <string_view>

namespace workflow::detail {

// The 0-based line where a second YAML document starts ("---" after content, or content
// after "..."), if any.
std::optional<int> second_document_line(std::string_view s);

}  // namespace workflow::detail
