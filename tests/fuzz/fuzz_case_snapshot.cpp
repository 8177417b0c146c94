// The case snapshot decoder (engine/case_codec.cpp) on arbitrary bytes, as recovery reads a
// store's cases table. A snapshot it accepts, encoded again, must decode to a record that
// encodes to the same bytes: decode and encode share their field lists, so a difference means
// the two drifted apart. (Not the input's bytes: decode reads any nonzero byte as true.)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/case_codec.hpp"
#include "workflow/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // The stored id must match the one inside, which follows the format byte: in 8 bytes
  // (formats 1 to 7), or packed as id + 1 in 7-bit groups (format 8).
  workflow::CaseId id = 1;
  if (size >= 2 && data[0] >= 8) {
    std::uint64_t packed = 0;
    for (std::size_t i = 1; i < size && i <= 10; ++i) {
      packed |= static_cast<std::uint64_t>(data[i] & 0x7F) << (7 * (i - 1));
      if ((data[i] & 0x80) == 0) break;
    }
    id = packed - 1;
  } else if (size >= 9) {
    id = 0;
    for (int i = 8; i >= 1; --i) id = (id << 8) | data[i];
  }
  workflow::detail::CaseRecord c;
  std::string applicant;
  workflow::detail::DecodedExtras extras;
  try {
    workflow::detail::decode_case(workflow::CaseSnapshot{id, 1, bytes}, c, applicant, &extras);
  } catch (const workflow::Error&) {
    return 0;
  }
  using namespace workflow::detail;
  const auto encode = [](const CaseRecord& r, const std::string& a, const DecodedExtras& x) {
    return encode_case(r, a, CaseExtras{x.bundle_def, x.rating ? &*x.rating : nullptr});
  };
  const std::string once = encode(c, applicant, extras);
  CaseRecord c2;
  std::string applicant2;
  DecodedExtras extras2;
  decode_case(workflow::CaseSnapshot{id, 1, once}, c2, applicant2, &extras2);  // must not throw
  if (encode(c2, applicant2, extras2) != once) std::abort();
  return 0;
}
