// The engine's private byte formats in the store: a case snapshot and the engine-wide state
// (the roster). Field by field and little-endian, so the bytes do not depend on struct
// padding (the same inputs give the same database) and a format change is explicit.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/case_record.hpp"
#include "lifecycle/order_record.hpp"
#include "lifecycle/coordination_record.hpp"
#include "lifecycle/rating_record.hpp"
#include "routing/routing.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// Bump when a field is added or its meaning changes. Format 2 added the issue office, the
// agent post, the bundle and the rating; format 3 the case's rule version and its
// provisional-deadline flag; format 4 the law's time limits (§43, §44, stage shares, 告知承诺
// verification); format 5 the hall-operations block at the end: the channel (渠道), the
// assistance (帮办) and the post whose stage the 办不成事 window holds; format 6 the oversight
// block at the very end: the case's supervision orders (督办) and reassignments (改派);
// format 7 the coordination block after it: the coordination of a case sent to the
// 办不成事反映窗口; format 8 the fields of 7, packed (snapshot_writer.hpp: small numbers,
// "none" and unset days in a byte each; about 80 bytes a case instead of 180).
// decode reads formats 1 to 8. A case stored in an older format gets the defaults of what it
// lacks: issued where accepted, no agent post, no bundle, not rated, the first rule version,
// no provisional deadline, no §44/stage timing it cannot know, a window application without
// assistance, no held post, no orders or reassignments, no coordination.
inline constexpr std::uint8_t kCaseFormat = 8;
inline constexpr std::uint8_t kEngineStateFormat = 1;

// What a snapshot carries besides the hot record.
struct CaseExtras {
  std::uint32_t bundle_def = kNone;      // BundleRef of the case's bundle, if any
  const RatingRecord* rating = nullptr;  // the case's rating, if rated
  const OversightRecord* oversight = nullptr;  // its orders and reassignments, if any
  const CoordinationRecord* coordination = nullptr;  // if sent to the 办不成事 window
};
struct DecodedExtras {
  std::uint32_t bundle_def = kNone;
  // Format 1 named the village agent but not their post: recovery finds the post.
  std::uint32_t format1_agent = kNone;
  std::optional<RatingRecord> rating;
  std::optional<OversightRecord> oversight;
  std::optional<CoordinationRecord> coordination;
};

std::string encode_case(const CaseRecord& c, std::string_view applicant,
                        const CaseExtras& extras = {});
// The same bytes, written over `out` in its own storage (the commit path reuses the buffers
// the store hands back).
void encode_case_into(std::string& out, const CaseRecord& c, std::string_view applicant,
                      const CaseExtras& extras = {});
// The same case in format 7, the last fixed-width one, from which the tests of the formats
// before it cut their older snapshots (each earlier format is a prefix of it).
std::string encode_case_format7(const CaseRecord& c, std::string_view applicant,
                                const CaseExtras& extras = {});
// Throws Error(store_error) naming the case if the bytes are not a case of a known format.
void decode_case(const CaseSnapshot& s, CaseRecord& c, std::string& applicant,
                 DecodedExtras* extras = nullptr);

struct EngineState {
  std::string rules_version;  // cases refer to this rule set's entities by index
  std::vector<Roster::Absence> absences;  // by staff index
};
std::string encode_engine_state(std::string_view rules_version, const Roster& roster);
// Throws Error(store_error) if the bytes are not an engine state of this format.
EngineState decode_engine_state(std::string_view bytes);

}  // namespace workflow::detail
