// The compact in-memory record of one case: what the engine needs on the hot path, with
// every rule-set entity held as a 4-byte interned reference. Cold data (the applicant's
// name, the history) lives elsewhere: the applicant table and the store.
#pragma once

#include <cstdint>

#include "deadlines/deadlines.hpp"
#include "lifecycle/lifecycle.hpp"
#include "workflow/case.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// CaseRecord::law_flags: which overruns are recorded (each event once), and which days a
// snapshot older than format 4 did not keep (those limits are then not timed).
enum LawFlag : std::uint8_t {
  kEscalationReviewOverdue = 1u << 0,  // escalation_review_overdue recorded
  kIssueOverdue = 1u << 1,             // issue_overdue recorded
  kVerificationOverdue = 1u << 2,      // verification_overdue recorded
  kDecidedOnUnknown = 1u << 3,         // decided before format 4: no §44 deadline
  kStageSinceUnknown = 1u << 4,        // at its stage since before format 4: no stage deadline
};

// Fields are grouped by size, widest first, so the record has no padding holes (168 bytes,
// one byte of tail padding).
struct CaseRecord {
  CaseId id = 0;
  std::uint64_t materials = 0;  // bit i: matter.materials[i] handed in
  DateTime received;

  MatterRef matter{};
  OfficeRef accepting_office{};  // where the application was accepted
  OfficeRef issue_office{};      // where the result is issued (跨域通办: as the applicant asks)
  OfficeRef office{};            // office of the current post
  PostRef intake_post{};         // the window that received it; decisions return here
  PostRef post{};                // the post holding the current stage
  StaffRef holder{};             // who acts on it now
  StaffRef first_handler{};      // 首问负责制: who first received it
  // PostRef of the agent post a village agent handed the case in through (帮办代办), or kNone.
  // The agent is the first handler; whoever holds the post now follows the case.
  std::uint32_t agent_post = kNone;
  std::uint32_t bundle = 0;          // BundleId of the bundle it is a part of, 0 if none
  std::uint32_t delegation = kNone;  // DelegationRef the case runs under, if any
  std::uint32_t applicant = 0;       // index into the engine's applicant table
  std::uint32_t opinions_answered = 0;  // bit i: stage i gave its opinion
  std::uint32_t opinions_agreed = 0;    // bit i: ... and agreed (or was deemed to)
  std::uint32_t timer_generation = 0;   // light timers older than this are stale
  std::uint32_t last_seq = 0;           // seq of the last event
  // While the 办不成事 window holds the stage because A and B of this post (a PostRef) are
  // both away: the post whose work it is, which takes it back when one of them returns and
  // whose holders keep their rights on it meanwhile. kNone otherwise.
  std::uint32_t home_post = kNone;

  Date accepted;           // valid once life.phase is past awaiting_materials
  Date suspended_since;    // valid while suspended
  Date supplement_due;     // valid while tolerance
  Date opinions_since;     // valid in the opinions phase, and in back_office_review: the
                           // day the current stage began
  Date concluded;          // valid once concluded (cases stored before format 2: unset)
  // §32: the day the last material arrived after a notice (valid while received, notified
  // and complete): the office must accept or refuse within the notice period from it.
  Date materials_completed;
  Deadlines deadlines{};   // valid once accepted

  // --- Time limits of the law beyond the case's deadlines (snapshot format 4) -------------
  // §43 上报件 review, §44 issuing, stage shares (环节时限) and the verification of a
  // 告知承诺 approval: what the engine needs to time them and to record each overrun once.
  // (The day the current back-office stage began is opinions_since, and the days suspended
  // by then suspended_at_opinions: the phases are exclusive, so they share those fields.)
  // The two one-byte fields sit in the tail's padding: the record grows by 8 bytes.
  Date decided_on;                   // valid once decided: the §44 issue days count from it
  std::uint32_t stages_overdue = 0;  // bit i: stage i overran its share (event recorded)

  std::uint16_t suspended_days = 0;          // working days not counted so far
  std::uint16_t suspended_at_opinions = 0;   // suspended_days when opinions (or the
                                             // current back-office stage) began
  // The rule set the case was accepted under: an index into the engine's installed rule
  // versions (its matter's terms stay those of that version).
  std::uint16_t rules_version = 0;
  LifecycleState life{};
  Holding holding = Holding::a_holder;
  Decision decision = Decision::none;
  Light light = Light::none;
  std::uint8_t stage = 0;           // current back-office stage (ordered stages)
  std::uint8_t extension_days = 0;  // the one §42 extension, 0 if not used
  bool notified = false;            // a notice of missing materials was given
  bool on_promise = false;          // approved under 告知承诺制, to be verified
  bool tolerance = false;           // accepted under 容缺 with materials owed
  // A deadline reaches into a provisional calendar year (statutory days only): recomputed
  // once that year's official notice is loaded.
  bool deadlines_provisional = false;
  std::uint8_t law_flags = 0;  // LawFlag bits (format 4, with decided_on above)
  Verification verification = Verification::none;  // 告知承诺 approvals only (format 4)
  SubmissionChannel channel = SubmissionChannel::window;  // how the application came (渠道, format 5)
  Assistance assisted = Assistance::none;                 // 帮办, and at which level (format 5)
};

}  // namespace workflow::detail
