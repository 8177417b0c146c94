// Counts in the tool's English output: "1 bundle", "2 bundles", "0 bundles".
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace workflow::cli {

// `n` followed by `noun`, with an "s" unless n is 1 (every noun the tool counts takes "s").
inline std::string plural(long long n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

}  // namespace workflow::cli
