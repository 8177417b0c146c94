// Small helpers the report's parts share (report.hpp): reading event details and writing the
// text and JSON forms.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace workflow::cli {

// "key=value; key=value" → the value of `key` ("" if absent).
std::string detail_value(std::string_view detail, std::string_view key);

// n / d, 0 when d is 0.
inline double rate(int n, int d) { return d == 0 ? 0.0 : double(n) / d; }

// A JSON string literal, escaped.
std::string json_string(std::string_view s);
// {"key": count, ...} in key order.
std::string json_counts(const std::map<std::string, int>& m);
// "key N, key N" in key order, or "none".
std::string counts_line(const std::map<std::string, int>& m);

}  // namespace workflow::cli
