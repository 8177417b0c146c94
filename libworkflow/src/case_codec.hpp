// The engine's private byte formats in the store: a case snapshot and the engine-wide state
// (the roster). Field by field and little-endian, so the bytes do not depend on struct
// padding (the same inputs give the same database) and a format change is explicit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "case_record.hpp"
#include "routing.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// Bump when a field is added or its meaning changes; decode refuses other versions.
inline constexpr std::uint8_t kCaseFormat = 1;
inline constexpr std::uint8_t kEngineStateFormat = 1;

std::string encode_case(const CaseRecord& c, std::string_view applicant);
// Throws Error(store_error) naming the case if the bytes are not a case of this format.
void decode_case(const CaseSnapshot& s, CaseRecord& c, std::string& applicant);

struct EngineState {
  std::string rules_version;  // cases refer to this rule set's entities by index
  std::vector<Roster::Absence> absences;  // by staff index
};
std::string encode_engine_state(std::string_view rules_version, const Roster& roster);
// Throws Error(store_error) if the bytes are not an engine state of this format.
EngineState decode_engine_state(std::string_view bytes);

}  // namespace workflow::detail
