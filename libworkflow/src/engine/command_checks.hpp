// What every command is checked for before anything changes: required details, known
// material names, and the fingerprint that ties a request id to one command.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

// The verbs that work a bad rating's rectification task rather than the case lifecycle.
constexpr bool is_rectification_verb(Verb v) noexcept {
  return v >= Verb::verify && v <= Verb::close_rectification;
}
// The verbs that follow up an approval on commitment (告知承诺): verification, revocation.
constexpr bool is_promise_verb(Verb v) noexcept {
  return v >= Verb::confirm_promise && v <= Verb::revoke;
}
// The centre's oversight: supervision orders (督办) and reassignment (改派).
constexpr bool is_oversight_verb(Verb v) noexcept { return v >= Verb::order; }
// The verbs of the 办不成事反映窗口's path: send there, hand to a unit, record the outcome.
constexpr bool is_unresolved_verb(Verb v) noexcept {
  return v >= Verb::send_unresolved && v <= Verb::settle_unresolved;
}

// "a; b; c": how lists of materials read in events and messages.
std::string join(const std::vector<std::string>& items);

// Bit i set for each named material of the matter. Unknown names throw invalid_argument
// listing the matter's materials, so the window can correct the entry.
std::uint64_t material_bits(const Matter& m, const std::vector<std::string>& names);

// Throws invalid_argument when a detail the verb needs is missing or out of range.
void check_details(Verb verb, const Action& a, const Policy& policy);

// What identifies a command for its request id: every field that changes what it does.
std::string fingerprint(std::initializer_list<std::string_view> parts,
                        const std::vector<std::string>& materials);

// The fingerprint of act(id, verb, a).
std::string action_fingerprint(std::string_view scope, std::uint64_t id, Verb verb,
                               const Action& a);

}  // namespace workflow::detail
