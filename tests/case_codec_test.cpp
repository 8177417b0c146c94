// detail::encode_case_into: the commit path encodes each snapshot into a buffer the store
// handed back (CaseStore::append_reusing). Whatever buffer it is given, the bytes are those
// of encode_case, and a buffer far larger than a snapshot is not kept.
#include <doctest/doctest.h>

#include <string>

#include "engine/case_codec.hpp"

using workflow::DateTime;
using workflow::detail::CaseRecord;
using workflow::detail::decode_case;
using workflow::detail::encode_case;
using workflow::detail::encode_case_into;

namespace {

CaseRecord a_case(workflow::CaseId id) {
  CaseRecord c;
  c.id = id;
  c.materials = 0b1011;
  c.received = DateTime::parse("2026-12-01T09:30");
  c.last_seq = 4;
  return c;
}

}  // namespace

TEST_CASE("encode_case_into: the same bytes as encode_case, whatever buffer it is given") {
  const CaseRecord c = a_case(7);
  const std::string want = encode_case(c, "宁都县某某商行");
  REQUIRE(want.size() > 100);
  // Empty; holding a longer snapshot of another case; holding a short text; a buffer that
  // once held a snapshot with a very long applicant (1 MiB).
  std::string empty;
  std::string longer = encode_case(a_case(8), std::string(600, 'x'));
  std::string short_text = "abc";
  std::string huge;
  huge.reserve(1 << 20);
  huge = "left over";
  for (std::string* buffer : {&empty, &longer, &short_text, &huge}) {
    encode_case_into(*buffer, c, "宁都县某某商行");
    CHECK(*buffer == want);
    CHECK(buffer->capacity() < 4096);  // the 1 MiB buffer was let go, not passed on
    CaseRecord back;
    std::string applicant;
    decode_case(workflow::CaseSnapshot{7, 4, *buffer}, back, applicant);
    CHECK(back.materials == c.materials);
    CHECK(applicant == "宁都县某某商行");
  }
}
