// Small helpers the report's parts share (report.hpp): reading event details and writing the
// text and JSON forms.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "workflow/supervision.hpp"

namespace workflow::cli {

// "key=value; key=value" → the value of `key` ("" if absent).
std::string detail_value(std::string_view detail, std::string_view key);

// "12.3%" or "no data" (a rate without a denominator is never 0 %).
std::string pct_text(const Rate& r);
// "0.1234" or "null".
std::string json_rate(const Rate& r);
// "1 case" / "2 cases": the noun given in singular and plural.
std::string plural(long long n, std::string_view one, std::string_view many);

// A JSON string literal, escaped.
std::string json_string(std::string_view s);
// {"key": count, ...} in key order.
std::string json_counts(const std::map<std::string, int>& m);
// "key N, key N" in key order, or "none".
std::string counts_line(const std::map<std::string, int>& m);

}  // namespace workflow::cli
