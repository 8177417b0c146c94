// Cases (办件) as the engine shows them: states, verbs, lights, events and the views
// returned by Engine. All are plain value types, safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/clock.hpp"
#include "workflow/date.hpp"
#include "workflow/rules.hpp"

namespace workflow {

// Case ids are assigned by the engine, starting at 1, in submission order.
using CaseId = std::uint64_t;

// Where a case stands in its lifecycle. A §45 suspension is not a state: the case keeps its
// state and CaseView::suspended says the clock is stopped.
enum class CaseState : std::uint8_t {
  received,            // submitted; the window checks the materials
  awaiting_materials,  // one complete notice given (一次性告知); clock not started
  on_the_spot,         // instant case accepted; the window decides now
  preliminary_review,  // 初审 at the window (committed, escalated, joint)
  back_office_review,  // the matter's back-office stages, in order
  opinions,            // joint case: departments give opinions in parallel, then the lead decides
  escalated,           // reported up; the higher-level post decides
  decided,             // approved or denied; waiting to be issued at the window
  issued,              // result issued (出件): concluded
  refused,             // not accepted (不予受理): concluded
  withdrawn,           // withdrawn by the applicant: concluded
  terminated,          // terminated (e.g. 容缺 materials not supplied in time): concluded
};

// The commands a person gives on a case. Their lower-case names are canonical: the Python
// layer, the store and later tools use exactly these strings.
enum class Verb : std::uint8_t {
  accept, refuse, notify_missing, supplement, review_pass, review_return, approve, deny,
  report_up, higher_approve, higher_deny, opinion_agree, opinion_disagree, issue, suspend,
  resume, extend, withdraw, terminate,
};

// Supervision light (电子监察). `none` until the clock starts; frozen once decided.
enum class Light : std::uint8_t { none, green, yellow, red, escalated_red };

enum class Decision : std::uint8_t { none, approved, denied };

// How the result leaves the window (综合窗口出件).
enum class IssueChannel : std::uint8_t { pickup, post, e_certificate };

// §45 special procedures whose time is not counted.
enum class SpecialProcedure : std::uint8_t {
  hearing, tender, auction, inspection, appraisal, expert_review,
};

// Absence states of the hall's status board (去向牌).
enum class AbsenceKind : std::uint8_t { leave, vacation, out, field_work };

// Who currently has a case's stage: the A holder, B covering for an absent A, or nobody
// available (both away) so the case sits at the office's 办不成事 window.
enum class Holding : std::uint8_t { a_holder, b_covering, unresolved };

// What an event records. The verbs are the commands; the rest are the engine's own doings.
enum class EventKind : std::uint8_t {
  submitted,
  accept, refuse, notify_missing, supplement, review_pass, review_return, approve, deny,
  report_up, higher_approve, higher_deny, opinion_agree, opinion_disagree, issue, suspend,
  resume, extend, withdraw, terminate,
  deemed_accepted,     // §32: no notice within the policy days, accepted as of receipt
  opinion_deemed,      // 超时默许: a silent department deemed to agree
  supplement_overdue,  // 容缺 materials not supplied in time; the case is terminated
  handoff,             // the stage passed from A to B (AB岗)
  routed_unresolved,   // A and B both away: sent to the 办不成事 window
  routed,              // the case moved to another post or office (stage change, delegation)
  light_changed,       // yellow, red or escalated-red
  permission_denied,   // someone without the stage tried to act; nothing changed
};

std::string_view to_string(CaseState s) noexcept;
std::string_view to_string(Verb v) noexcept;
std::string_view to_string(Light l) noexcept;
std::string_view to_string(Decision d) noexcept;
std::string_view to_string(IssueChannel c) noexcept;
std::string_view to_string(SpecialProcedure p) noexcept;
std::string_view to_string(AbsenceKind k) noexcept;
std::string_view to_string(Holding h) noexcept;
std::string_view to_string(EventKind k) noexcept;
// Parse the canonical names; nullopt for anything else.
std::optional<CaseState> parse_case_state(std::string_view s) noexcept;
std::optional<Verb> parse_verb(std::string_view s) noexcept;
std::optional<Light> parse_light(std::string_view s) noexcept;
std::optional<IssueChannel> parse_issue_channel(std::string_view s) noexcept;
std::optional<SpecialProcedure> parse_special_procedure(std::string_view s) noexcept;
std::optional<AbsenceKind> parse_absence_kind(std::string_view s) noexcept;
std::optional<EventKind> parse_event_kind(std::string_view s) noexcept;

// One entry of a case's history: every state change and every refused attempt.
struct Event {
  CaseId case_id = 0;
  std::uint32_t seq = 0;  // 1, 2, ... within the case
  EventKind kind = EventKind::submitted;
  DateTime time;
  std::string actor;   // staff id, or "system" for timers
  std::string office;  // office id where it happened
  std::string post;    // post id the actor acted for (empty for system events)
  std::string reason;  // the reason given, or the engine's explanation
  std::string detail;  // kind-specific facts, "key=value; ..." (e.g. "missing=营业执照; 章程")
  std::string rules_version;
};

// A new application as received at a window or a village station.
struct Submission {
  std::string matter;     // matter code
  std::string office;     // office where it is handed in (county, township or village station)
  std::string actor;      // staff id of the receiving window clerk, or of the village agent
  std::string applicant;  // the applicant (name or identifier); recorded, never interpreted
  std::vector<std::string> materials;  // names of the materials handed in
  // Optional client request id: a retry with the same id returns the first result and
  // changes nothing; the same id with a different command is an error.
  std::string request_id;
};

// The details a command may carry. Which are required depends on the verb (Engine::act).
struct Action {
  std::string actor;   // staff id of the person acting: always required
  std::string reason;  // refuse, review_return, deny, higher_deny, opinion_disagree, suspend,
                       // extend, withdraw, terminate: required
  std::vector<std::string> materials;  // supplement: the materials brought
  int days = 0;                        // suspend: expected working days; extend: added days
  std::optional<SpecialProcedure> procedure;  // suspend: required
  bool tolerate_missing = false;  // accept: 容缺受理 with only tolerable materials missing
  bool on_promise = false;        // accept: 告知承诺制 approval, where the matter allows it
  IssueChannel channel = IssueChannel::pickup;  // issue
  // Optional client request id, as for Submission::request_id.
  std::string request_id;
};

// A case as seen now. History is filled by Engine::get, left empty by Engine::list.
struct CaseView {
  CaseId id = 0;
  std::string matter;  // code
  std::string matter_name;
  MatterKind kind = MatterKind::committed;
  CaseState state = CaseState::received;
  bool suspended = false;
  Decision decision = Decision::none;
  std::string office;        // the office handling the current stage
  std::string accepting_office;  // where the applicant is served and the result issued
  std::string post;          // the post holding the current stage
  std::string holder;        // staff id acting on it now
  Holding holding = Holding::a_holder;
  std::string applicant;
  std::string agent;         // village agent who submitted it, if any (帮办代办)
  std::string first_handler; // staff who first received it (首问负责制)
  std::string delegation;    // delegation id the case runs under, if any
  std::optional<DelegationMode> delegation_mode;
  DateTime received;
  std::optional<Date> accepted;
  std::optional<Date> promised_deadline;
  std::optional<Date> legal_deadline;
  std::optional<Date> supplement_deadline;  // 容缺: materials due by this day
  std::vector<std::string> missing_materials;
  Light light = Light::none;
  int suspended_working_days = 0;
  int extension_days = 0;
  bool on_promise = false;          // approved under 告知承诺制: to be verified later
  std::string rules_version;
  std::vector<Event> history;
};

// Which cases Engine::list returns; empty fields match everything.
struct CaseFilter {
  std::optional<CaseState> state;
  std::optional<bool> suspended;
  std::string office;  // handling or accepting office
  std::string post;
  std::optional<Light> light;
  std::string matter;
};

}  // namespace workflow
