// A case snapshot's bytes, for the tests that edit a stored snapshot or store one as an older
// libworkflow wrote it (engine/case_codec.hpp).
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include "engine/case_codec.hpp"
#include "workflow/store.hpp"

// A snapshot decoded: the case, its applicant and what else it carries.
struct DecodedSnapshot {
  workflow::detail::CaseRecord c;
  std::string applicant;
  workflow::detail::DecodedExtras x;
  // What encode_case takes to write the same snapshot again.
  workflow::detail::CaseExtras extras() const {
    return {x.bundle_def, x.rating ? &*x.rating : nullptr, x.oversight ? &*x.oversight : nullptr,
            x.coordination ? &*x.coordination : nullptr};
  }
};

inline DecodedSnapshot decoded(const workflow::CaseSnapshot& s) {
  DecodedSnapshot d;
  workflow::detail::decode_case(s, d.c, d.applicant, &d.x);
  return d;
}

// The snapshot `s` (any format this library reads) written again in format 7, the last
// fixed-width format: each format before it is a prefix of it, cut by the test.
inline workflow::CaseSnapshot as_format7(const workflow::CaseSnapshot& s) {
  const DecodedSnapshot d = decoded(s);
  return {s.id, s.last_seq, workflow::detail::encode_case_format7(d.c, d.applicant, d.extras())};
}

// Where case `id`'s phase is in its snapshot `encoded` (one byte in every format; its offset
// in the packed format depends on the numbers before it): the one byte that changes when the
// phase alone does.
inline std::size_t phase_offset(const std::string& encoded, workflow::CaseId id) {
  using workflow::detail::Phase;
  DecodedSnapshot d = decoded(workflow::CaseSnapshot{id, 0, encoded});
  REQUIRE(workflow::detail::encode_case(d.c, d.applicant, d.extras()) == encoded);  // current format
  d.c.life.phase = d.c.life.phase == Phase::received ? Phase::on_the_spot : Phase::received;
  const std::string other = workflow::detail::encode_case(d.c, d.applicant, d.extras());
  REQUIRE(other.size() == encoded.size());
  std::size_t at = 0;
  while (other[at] == encoded[at]) ++at;
  REQUIRE(other.substr(at + 1) == encoded.substr(at + 1));
  return at;
}
