// The case snapshot codec (engine/case_codec.hpp). Format 8 packs the fields of format 7:
// every value comes back as written, at its extremes too; a hall's case takes well under half
// the bytes; format 7's bytes of a case decode to the same case; damaged packed bytes are
// refused by name. And detail::encode_case_into: the commit path encodes each snapshot into a
// buffer the store handed back (CaseStore::append_reusing). Whatever buffer it is given, the
// bytes are those of encode_case, and the buffer holds them within the allocator's 16-byte
// step (a buffer far larger is let go).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "engine/case_codec.hpp"
#include "engine/snapshot_writer.hpp"
#include "error_of.hpp"
#include "snapshot_bytes.hpp"
#include "workflow/error.hpp"

using workflow::Date;
using workflow::DateTime;
using workflow::detail::CaseRecord;
using workflow::detail::decode_case;
using workflow::detail::encode_case;
using workflow::detail::encode_case_format7;
using workflow::detail::encode_case_into;
using workflow::detail::kNone;
using workflow::detail::Phase;
using workflow::testing::error_of;

namespace {

CaseRecord a_case(workflow::CaseId id) {
  CaseRecord c;
  c.id = id;
  c.materials = 0b1011;
  c.received = DateTime::parse("2026-12-01T09:30");
  c.last_seq = 4;
  return c;
}

// A case as a hall has them: accepted at a window, at its second review stage, its deadlines
// set, no delegation, agent or held post.
CaseRecord a_hall_case(workflow::CaseId id) {
  CaseRecord c = a_case(id);
  c.matter = workflow::MatterRef{41};
  c.accepting_office = c.issue_office = c.office = workflow::OfficeRef{3};
  c.intake_post = workflow::PostRef{12};
  c.post = workflow::PostRef{57};
  c.holder = workflow::StaffRef{133};
  c.first_handler = workflow::StaffRef{9};
  c.life.phase = Phase::back_office_review;
  c.stage = 1;
  c.opinions_answered = c.opinions_agreed = 1;
  c.timer_generation = 3;
  c.last_seq = 6;
  c.accepted = Date::parse("2026-12-01");
  c.opinions_since = Date::parse("2026-12-03");
  c.deadlines.promised_due = Date::parse("2026-12-15");
  c.deadlines.legal_due = Date::parse("2027-01-12");
  c.deadlines.yellow_from = Date::parse("2026-12-11");
  c.deadlines.red_from = Date::parse("2026-12-16");
  c.deadlines.escalated_red_from = Date::parse("2027-01-13");
  c.rules_version = 1;
  return c;
}

// Decodes `bytes` as case `id`'s snapshot and encodes the result again (in the current
// format): equal bytes mean equal fields, since the encoding is one per value.
std::string round_trip(workflow::CaseId id, const std::string& bytes, std::string* applicant = nullptr) {
  const DecodedSnapshot d = decoded(workflow::CaseSnapshot{id, 0, bytes});
  if (applicant) *applicant = d.applicant;
  return encode_case(d.c, d.applicant, d.extras());
}

}  // namespace

TEST_CASE("format 8: every value comes back as written, at its extremes too") {
  using Lim32 = std::numeric_limits<std::int32_t>;
  using Lim64 = std::numeric_limits<std::int64_t>;
  const Date days[] = {Date{},
                       Date::from_day_number(-1),
                       Date::from_day_number(1),
                       Date::from_day_number(Lim32::min()),
                       Date::from_day_number(Lim32::max()),
                       Date::from_day_number(workflow::detail::kPackedDayBase),
                       Date::from_day_number(workflow::detail::kPackedDayBase - 1),
                       Date::parse("2027-12-31")};
  const DateTime times[] = {DateTime{}, DateTime::from_seconds(-1), DateTime::from_seconds(Lim64::min()),
                            DateTime::from_seconds(Lim64::max()),
                            DateTime::from_seconds(workflow::detail::kPackedSecondBase),
                            DateTime::parse("2027-01-04T08:30")};
  for (const Date day : days) {
    for (const DateTime time : times) {
      CaseRecord c = a_hall_case(std::uint64_t{1} << 40);
      c.materials = ~std::uint64_t{0};
      c.delegation = kNone;
      c.agent_post = 127;
      c.home_post = 128;
      c.holder = workflow::StaffRef{kNone - 1};
      c.timer_generation = kNone;
      c.suspended_days = 0xFFFF;
      c.received = time;
      c.accepted = day;
      c.deadlines.legal_due = day;
      c.decided_on = day;
      const std::string bytes = encode_case(c, "宁都县某某商行");
      REQUIRE(static_cast<std::uint8_t>(bytes[0]) == workflow::detail::kCaseFormat);
      CaseRecord back;
      std::string applicant;
      decode_case(workflow::CaseSnapshot{c.id, 0, bytes}, back, applicant);
      CHECK(back.id == c.id);
      CHECK(back.materials == c.materials);
      CHECK(back.delegation == kNone);
      CHECK(back.agent_post == 127);
      CHECK(back.home_post == 128);
      CHECK(back.holder == c.holder);
      CHECK(back.timer_generation == kNone);
      CHECK(back.suspended_days == 0xFFFF);
      CHECK(back.received == time);
      CHECK(back.accepted == day);
      CHECK(back.deadlines.legal_due == day);
      CHECK(back.decided_on == day);
      CHECK(back.deadlines.promised_due == c.deadlines.promised_due);
      CHECK(back.concluded == Date{});
      CHECK(applicant == "宁都县某某商行");
      CHECK(round_trip(c.id, bytes) == bytes);
    }
  }
}

TEST_CASE("format 8: a hall's case takes under half the bytes of format 7, and format 7's decode alike") {
  const CaseRecord c = a_hall_case(123'456);
  const std::string packed = encode_case(c, "刘某");
  const std::string fixed = encode_case_format7(c, "刘某");
  MESSAGE(packed.size(), " bytes packed, ", fixed.size(), " in format 7");
  CHECK(fixed.size() > 170);
  CHECK(packed.size() * 2 < fixed.size());
  // What makes it small: an unset day takes one byte, a day of this era two; "none" takes one
  // byte, as a small reference does.
  CaseRecord concluded = c;
  concluded.concluded = Date::parse("2026-12-20");
  CHECK(encode_case(concluded, "刘某").size() == packed.size() + 1);
  CaseRecord delegated = c;
  REQUIRE(c.delegation == kNone);
  delegated.delegation = 5;
  CHECK(encode_case(delegated, "刘某").size() == packed.size());
  // The same case stored by a library before format 8 reads back as the same case.
  std::string applicant;
  CHECK(round_trip(c.id, fixed, &applicant) == packed);
  CHECK(applicant == "刘某");
}

TEST_CASE("format 8: damaged bytes are refused, naming the case and what is wrong") {
  const CaseRecord c = a_hall_case(77);
  const std::string good = encode_case(c, "刘某");
  const auto refusal = [](const std::string& bytes) {
    return std::string(error_of([&] { round_trip(77, bytes); }).what());
  };
  // Cut anywhere: never read past the end.
  for (std::size_t n = 1; n < good.size(); ++n) {
    const std::string why = refusal(good.substr(0, n));
    CHECK_MESSAGE(why.find("the snapshot of case 77 is corrupt") != std::string::npos, why);
  }
  CHECK(refusal(good + '\0').find("1 trailing bytes") != std::string::npos);
  // A number longer than its width: the id (a 64-bit number) with eleven bytes.
  std::string long_id = good.substr(0, 1) + std::string(10, '\x80') + '\x01' + good.substr(2);
  CHECK(refusal(long_id).find("a number out of range") != std::string::npos);
  // A 32-bit reference (the matter, right after the id) over 2^32.
  std::string wide = good.substr(0, 2) + "\x80\x80\x80\x80\x10" + good.substr(3);
  CHECK(refusal(wide).find("a number out of range") != std::string::npos);
  // A value out of range for the engine, in the packed form as in the fixed one.
  CaseRecord bad = c;
  bad.life.phase = static_cast<Phase>(99);
  CHECK(refusal(encode_case(bad, "刘某")).find("phase 99 is out of range") != std::string::npos);
}

TEST_CASE("encode_case_into: the same bytes as encode_case, whatever buffer it is given") {
  const CaseRecord c = a_case(7);
  const std::string want = encode_case(c, "宁都县某某商行");
  REQUIRE(want.size() > 40);
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
    // The 1 MiB buffer was let go, not passed on; and no buffer keeps the room the encoder
    // needed for the longest numbers (a store keeps a million of these).
    CHECK(buffer->capacity() < want.size() + 16);
    CaseRecord back;
    std::string applicant;
    decode_case(workflow::CaseSnapshot{7, 4, *buffer}, back, applicant);
    CHECK(back.materials == c.materials);
    CHECK(applicant == "宁都县某某商行");
  }
}
