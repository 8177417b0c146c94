// Personal data: resident identity numbers (居民身份证号码) never appear in plain text in
// error messages, logs or tool output. They are masked as 3607**********1234.
#pragma once

#include <string>
#include <string_view>

namespace workflow::detail {

// Replaces every 18-character identity number (17 digits and a digit or X, not part of a
// longer run of digits) and every 15-digit first-generation number with its first and last
// four characters around asterisks.
std::string mask_identity_numbers(std::string_view text);

}  // namespace workflow::detail
