// The case lifecycle: the small interface in front of the one Boost.MSM state machine.
//
// lifecycle.cpp is the only translation unit that includes Boost.MSM. It is compiled as
// C++17 because Boost 1.74's MSM does not compile as C++20 (boostorg/msm#38, fixed in
// 1.77), so this header must stay C++17-clean: no <compare>, no public workflow headers.
// The enums mirror the public ones in order; engine code static_asserts that.
#pragma once

#include <cstdint>

namespace workflow::detail {

// Mirrors workflow::CaseState, same order.
enum class Phase : std::uint8_t {
  received, awaiting_materials, on_the_spot, preliminary_review, back_office_review,
  opinions, escalated, decided, issued, refused, withdrawn, terminated, revoked,
};
inline constexpr int phase_count = 13;

// The first 19 mirror workflow::Verb, same order; the rest are the engine's own triggers.
enum class Trigger : std::uint8_t {
  accept, refuse, notify_missing, supplement, review_pass, review_return, approve, deny,
  report_up, higher_approve, higher_deny, opinion_agree, opinion_disagree, issue, suspend,
  resume, extend, withdraw, terminate,
  deemed_accept,       // §32: notice window passed without notice: accepted as of receipt
  opinion_deemed,      // 超时默许: a silent department's share of time ran out
  supplement_overdue,  // 容缺: the promised materials did not come in time
  revoke,              // 撤销: an approval on a false commitment (告知承诺) is revoked
};
inline constexpr int trigger_count = 23;

// Mirrors workflow::MatterKind, same order.
enum class Path : std::uint8_t { instant, committed, escalated, joint };

// What the guards need to know about the case at the moment of the trigger. The engine
// fills it; the machine never looks at rules or time itself.
struct Facts {
  Path path = Path::committed;
  // Intake.
  bool materials_complete = false;      // every material of the matter handed in
  bool only_tolerable_missing = false;  // something missing, and all of it 容缺-eligible
  bool tolerate_missing = false;        // the accept command asks for 容缺受理
  bool on_promise = false;              // the accept command asks for 告知承诺 approval
  bool promise_allowed = false;         // the matter allows 告知承诺
  bool tolerance_pending = false;       // accepted under 容缺 and materials still owed
  // Back-office stages (committed, escalated).
  bool has_stages = false;              // the matter has back-office stages
  bool at_first_stage = false;
  bool at_last_stage = false;
  // Joint opinions.
  bool opinions_pending = false;        // some department has not answered yet
  bool opinions_all_agree = false;      // every answer so far is agree (deemed counts)
  // Anywhere.
  bool extended_already = false;        // the one extension has been used
  // After the decision.
  bool false_commitment = false;        // 告知承诺: the verification found the commitment false
};

// The whole per-case state of the machine: two bytes in the case record.
struct LifecycleState {
  Phase phase = Phase::received;
  bool suspended = false;  // §45 special procedure under way: the clock is stopped
};

// The result of a trigger. When `fired` is false nothing changed.
struct Step {
  bool fired = false;
  Phase from = Phase::received;
  Phase to = Phase::received;
  bool suspended = false;  // after the step
};

// Applies the trigger to `state` (updated in place only if the step fires).
Step fire(LifecycleState& state, Trigger trigger, const Facts& facts);

// Whether the trigger would fire now, without changing anything.
bool can_fire(const LifecycleState& state, Trigger trigger, const Facts& facts);

// True for issued, refused, withdrawn, terminated and revoked.
constexpr bool is_concluded(Phase p) noexcept { return p >= Phase::issued; }
// True where the time limit runs: accepted and not yet decided.
constexpr bool clock_runs_in(Phase p) noexcept {
  return p >= Phase::on_the_spot && p <= Phase::escalated;
}

}  // namespace workflow::detail
