// The engine-state decoder (engine/case_codec.cpp) on arbitrary bytes, as recovery reads the
// blob the store keeps beside the cases. A state it accepts, encoded again (through a roster
// of its absences), must decode and encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/case_codec.hpp"
#include "workflow/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  workflow::detail::EngineState state;
  try {
    state = workflow::detail::decode_engine_state(bytes);
  } catch (const workflow::Error&) {
    return 0;
  }
  using namespace workflow::detail;
  const auto encode = [](const EngineState& s) {
    Roster roster(s.absences.size());
    for (std::uint32_t i = 0; i < s.absences.size(); ++i) roster.set(workflow::StaffRef{i}, s.absences[i]);
    return encode_engine_state(s.rules_version, roster);
  };
  const std::string once = encode(state);
  if (encode(decode_engine_state(once)) != once) std::abort();  // decode must not throw
  return 0;
}
