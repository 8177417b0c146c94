// A case snapshot's bytes, for the tests that edit a stored snapshot or store one as an older
// libworkflow wrote it (engine/case_codec.hpp).
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "engine/case_codec.hpp"
#include "workflow/store.hpp"

// The snapshot `s` (any format this library reads) written again in format 7, the last
// fixed-width format: each format before it is a prefix of it, cut by the test.
inline workflow::CaseSnapshot as_format7(const workflow::CaseSnapshot& s) {
  using namespace workflow::detail;
  CaseRecord c;
  std::string applicant;
  DecodedExtras x;
  decode_case(s, c, applicant, &x);
  const CaseExtras extras{x.bundle_def, x.rating ? &*x.rating : nullptr,
                          x.oversight ? &*x.oversight : nullptr,
                          x.coordination ? &*x.coordination : nullptr};
  return {s.id, s.last_seq, encode_case_format7(c, applicant, extras)};
}

// Where case `id`'s phase is in its snapshot `encoded` (one byte in every format; its offset
// in the packed format depends on the numbers before it): the one byte that changes when the
// phase alone does.
inline std::size_t phase_offset(const std::string& encoded, workflow::CaseId id) {
  using namespace workflow::detail;
  CaseRecord c;
  std::string applicant;
  DecodedExtras x;
  decode_case(workflow::CaseSnapshot{id, 0, encoded}, c, applicant, &x);
  const CaseExtras extras{x.bundle_def, x.rating ? &*x.rating : nullptr,
                          x.oversight ? &*x.oversight : nullptr,
                          x.coordination ? &*x.coordination : nullptr};
  REQUIRE(encode_case(c, applicant, extras) == encoded);  // the current format
  c.life.phase = c.life.phase == Phase::received ? Phase::on_the_spot : Phase::received;
  const std::string other = encode_case(c, applicant, extras);
  REQUIRE(other.size() == encoded.size());
  std::size_t at = 0;
  while (other[at] == encoded[at]) ++at;
  REQUIRE(other.substr(at + 1) == encoded.substr(at + 1));
  return at;
}
