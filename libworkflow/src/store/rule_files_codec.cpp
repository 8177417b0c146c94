// The blob a store keeps a rule set's files in (see store/hash_chain.hpp).
#include <charconv>

#include <fmt/format.h>

#include "store/hash_chain.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

std::string encode_rule_files(std::span<const RuleFile> files) {
  std::string out;
  for (const RuleFile& f : files) {
    out += f.name;
    out += '\0';
    out += std::to_string(f.text.size());
    out += '\0';
    out += f.text;
  }
  return out;
}

std::vector<RuleFile> decode_rule_files(std::string_view bytes, std::int64_t position) {
  const auto bad = [&](std::string_view what) -> std::vector<RuleFile> {
    throw Error(ErrorCode::store_error,
                fmt::format("the stored rule set {} is damaged: {}", position, what));
  };
  std::vector<RuleFile> out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t name_end = bytes.find('\0', at);
    if (name_end == std::string_view::npos || name_end == at) return bad("a file has no name");
    const std::size_t length_end = bytes.find('\0', name_end + 1);
    if (length_end == std::string_view::npos) return bad("a file has no length");
    std::size_t length = 0;
    const char* first = bytes.data() + name_end + 1;
    const char* last = bytes.data() + length_end;
    const auto [ptr, ec] = std::from_chars(first, last, length);
    if (ec != std::errc() || ptr != last || first == last) return bad("a file length is not a number");
    if (length > bytes.size() - length_end - 1) return bad("a file is cut short");
    out.push_back(RuleFile{std::string(bytes.substr(at, name_end - at)),
                           std::string(bytes.substr(length_end + 1, length))});
    at = length_end + 1 + length;
  }
  if (out.empty()) return bad("it has no files");
  return out;
}

}  // namespace workflow::detail
