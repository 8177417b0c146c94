#include "support/identity_mask.hpp"

namespace workflow::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string mask_identity_numbers(std::string_view text) {
  std::string out(text);
  std::size_t i = 0;
  while (i < out.size()) {
    if (!is_digit(out[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.size() && is_digit(out[end])) ++end;
    std::size_t length = end - i;
    // The 18th character of a second-generation number may be the check letter X.
    if (length == 17 && end < out.size() && (out[end] == 'X' || out[end] == 'x')) {
      ++end;
      ++length;
    }
    const bool letter_follows = end < out.size() && ((out[end] >= 'A' && out[end] <= 'Z') ||
                                                     (out[end] >= 'a' && out[end] <= 'z'));
    if ((length == 18 || length == 15) && !letter_follows) {
      for (std::size_t k = i + 4; k < end - 4; ++k) out[k] = '*';
    }
    i = end;
  }
  return out;
}

}  // namespace workflow::detail
