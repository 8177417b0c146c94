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
#include "workflow/export.hpp"

namespace workflow {

// Case ids are assigned by the engine, starting at 1, in submission order.
using CaseId = std::uint64_t;
// Bundle ids (一件事一次办) likewise, counted separately; 0 means "not part of a bundle".
using BundleId = std::uint64_t;

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
  // 撤销: an approval on the applicant's written commitment (告知承诺) found to rest on a
  // false commitment, revoked by the deciding organ: concluded.
  revoked,
};

// The commands a person gives on a case. Their lower-case names are canonical: the Python
// layer, the store and later tools use exactly these strings. The last six work the
// rectification task a bad rating opens on a concluded case (好差评整改), in this order:
// verify, then one of rectify / explain / appeal, then call_back (required for every bad
// rating, named or anonymous: 件件有回访), then close_rectification. The last three follow up an approval on the
// applicant's written commitment (告知承诺, 国办发〔2020〕42号): the deciding organ records its
// verification as confirmed or as a false commitment, and revokes the approval (撤销) after a
// false one. The next three are the 办不成事 window's path. The last five are the centre's oversight of the work (docs/engine.md,
// "Supervision orders and reassignment"): a supervision order (督办) issued on a case to the
// unit holding it, the unit's reply, the order closed or escalated; and the move of a stage
// to another post of the same unit (改派).
enum class Verb : std::uint8_t {
  accept, refuse, notify_missing, supplement, review_pass, review_return, approve, deny,
  report_up, higher_approve, higher_deny, opinion_agree, opinion_disagree, issue, suspend,
  resume, extend, withdraw, terminate,
  verify, rectify, explain, appeal, call_back, close_rectification,
  confirm_promise, false_promise, revoke,
  // 办不成事反映窗口 as a path (issue 14): a case no single window can settle is sent there
  // with a reason (send_unresolved), handed by the window to a unit with a due date in
  // working days (hand_to_unit), and its outcome recorded (settle_unresolved).
  send_unresolved, hand_to_unit, settle_unresolved,
  order, reply_order, close_order, escalate_order, reassign,
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

// How an application came in (渠道): at a hall window, online on the 政务服务网 or 赣服通's
// web side, on the 赣服通 mobile app, at a self-service terminal, by post, or handed in by a
// village agent (帮办代办). Applications that come online, on mobile or by post are received
// into the case system by a window clerk of the accepting office (the actor of submit).
enum class SubmissionChannel : std::uint8_t {
  window, online, mobile, self_service, post, village_agent,
};

// Whether hall staff helped the applicant prepare and hand in the application (帮办), and at
// which level: the county's 帮(代)办 centre or a township's 帮(代)办 window.
enum class Assistance : std::uint8_t { none, county, township };

// How an applicant rates a service (好差评 channels).
enum class RatingChannel : std::uint8_t { window_device, online, phone };

// Where the rectification task of a bad rating stands.
enum class RectificationState : std::uint8_t {
  verifying,     // opened: the unit that handled the case verifies the complaint (核实)
  resolving,     // verified: rectify, explain, or appeal a mistaken or malicious rating
  calling_back,  // resolved: call the applicant back (回访), anonymous ones through their channel
  called_back,   // the applicant was called back: ready to close
  closed,
};

// What an event records. The verbs are the commands; the rest are the engine's own doings.
enum class EventKind : std::uint8_t {
  submitted,
  accept, refuse, notify_missing, supplement, review_pass, review_return, approve, deny,
  report_up, higher_approve, higher_deny, opinion_agree, opinion_disagree, issue, suspend,
  resume, extend, withdraw, terminate,
  verify, rectify, explain, appeal, call_back, close_rectification,
  confirm_promise, false_promise, revoke,
  send_unresolved, hand_to_unit, settle_unresolved,
  deemed_accepted,     // §32: no notice within the policy days, accepted as of receipt
  opinion_deemed,      // 超时默许: a silent department deemed to agree
  supplement_overdue,  // 容缺 materials not supplied in time; the case is terminated
  handoff,             // AB岗: the stage passed to B while A is away (or back to A, at
                       // work, when B goes away with it); detail post=; from=; to=
  routed_unresolved,   // A and B both away: sent to the 办不成事 window
  routed,              // the case moved to another post or office (stage change, delegation)
  light_changed,       // yellow, red or escalated-red
  permission_denied,   // someone without the stage tried to act; nothing changed
  rated,               // the applicant rated the service (好差评)
  rectification_opened,  // a bad rating (1-2) opened a rectification task
  // A new rule set was installed (an engine event: case 0, seq = the install's number).
  rules_installed,
  // An install removed the post holding the case's stage: moved to the fallback named.
  rerouted,
  // The official notice of a year replaced its provisional calendar: the case's deadlines
  // were recomputed (detail: old and new dates).
  deadlines_recomputed,
  // Time limits of the law beyond the case's own deadlines; each is recorded once, on the
  // day after its last day (detail names the deadline):
  escalation_review_overdue,  // §43: the lower level did not report up within its days
  issue_overdue,              // §44: an approval not issued within policy.issue_days
  stage_overdue,              // 环节超时: a stage overran its share_days (detail: stage, unit)
  verification_overdue,       // 告知承诺: the commitment not verified within its days
  // The oversight verbs (督办, 改派), in the order of Verb's last five; detail names the order
  // (order=N) or the posts (from_post, to_post).
  order, reply_order, close_order, escalate_order, reassign,
};

// Where a supervision order (督办) stands: issued and awaiting the unit's reply; replied;
// closed by the office that issued it, satisfied; or escalated (to the leadership, e.g. for
// 问责) because the reply was missing, late or unsatisfactory.
enum class OrderState : std::uint8_t { open, replied, closed, escalated };

// Where the verification of an approval on commitment (告知承诺) stands.
enum class Verification : std::uint8_t {
  none,       // not an approval on commitment
  pending,    // to be verified by CaseView::verification_deadline
  confirmed,  // the commitment was found true
  false_commitment,  // found false: the approval is to be revoked (revoke)
};

// Where the coordination of a case sent to the 办不成事反映窗口 stands.
enum class CoordinationState : std::uint8_t {
  coordinating,  // sent there: the window coordinates and picks the unit to settle it
  handed,        // handed to a unit, to be settled by CoordinationView::due
  settled,       // its outcome recorded
};

WORKFLOW_EXPORT std::string_view to_string(CaseState s) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Verb v) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Light l) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Decision d) noexcept;
WORKFLOW_EXPORT std::string_view to_string(IssueChannel c) noexcept;
WORKFLOW_EXPORT std::string_view to_string(SpecialProcedure p) noexcept;
WORKFLOW_EXPORT std::string_view to_string(AbsenceKind k) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Holding h) noexcept;
WORKFLOW_EXPORT std::string_view to_string(EventKind k) noexcept;
WORKFLOW_EXPORT std::string_view to_string(RatingChannel c) noexcept;
WORKFLOW_EXPORT std::string_view to_string(SubmissionChannel c) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Assistance a) noexcept;
WORKFLOW_EXPORT std::string_view to_string(RectificationState s) noexcept;
WORKFLOW_EXPORT std::string_view to_string(Verification v) noexcept;
WORKFLOW_EXPORT std::string_view to_string(OrderState s) noexcept;
WORKFLOW_EXPORT std::string_view to_string(CoordinationState s) noexcept;
// Parse the canonical names; nullopt for anything else.
WORKFLOW_EXPORT std::optional<CaseState> parse_case_state(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<Verb> parse_verb(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<Light> parse_light(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<IssueChannel> parse_issue_channel(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<SpecialProcedure> parse_special_procedure(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<AbsenceKind> parse_absence_kind(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<EventKind> parse_event_kind(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<RatingChannel> parse_rating_channel(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<SubmissionChannel> parse_submission_channel(std::string_view s) noexcept;
WORKFLOW_EXPORT std::optional<Assistance> parse_assistance(std::string_view s) noexcept;

// One entry of a case's history: every state change and every refused attempt.
struct WORKFLOW_EXPORT Event {
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
  // 帮办代办: the village agent to tell, when the case was handed in by one and the event is
  // news for the applicant (a notice, acceptance, decision, result, suspension, extension,
  // termination): whoever holds the case's agent post now (B while A is away). Else empty.
  std::string notify;
};

// 跨县通办 between partitions (docs/deployment.md, "Cross-county handoff"): a message to the
// engine of another partition of the same PostgreSQL database, kept in its outbox in the same
// transaction as the command that carries it, so it is sent if and only if the command
// committed. The payload is the hall systems' own (e.g. the application to take in).
struct WORKFLOW_EXPORT HandoffOut {
  std::string to_partition;
  std::string payload;
};

// Which handoff a command takes in: the row (from_partition, seq) of the outbox is marked
// received, with the receiver's log position, in the same transaction as the command.
struct WORKFLOW_EXPORT HandoffReceipt {
  std::string from_partition;
  std::uint64_t seq = 0;
};

// A new application as received at a window or a village station.
struct WORKFLOW_EXPORT Submission {
  std::string matter;     // matter code
  std::string office;     // office where it is handed in (county, township or village station)
  std::string actor;      // staff id of the receiving window clerk, or of the village agent
  std::string applicant;  // the applicant (name or identifier); recorded, never interpreted
  std::vector<std::string> materials;  // names of the materials handed in
  // 跨域通办: the office whose window issues the result, where the applicant asks for it.
  // Empty: the accepting office. Another office is allowed for cross-region matters only.
  std::string issue_office;
  // Optional client request id: a retry with the same id returns the first result and
  // changes nothing, once the first command is durable; the same id with a different command
  // is an error.
  std::string request_id;
  // Handoffs to other partitions written with this submission (PostgreSQL store only; any
  // other store refuses the command with store_error). Default: none.
  std::vector<HandoffOut> hand_over;
  // The handoff this submission takes in (PostgreSQL store only). Its request id is
  // "handoff/FROM/SEQ" (set by the engine if empty; another is invalid_argument), so a
  // handoff delivered again after a crash is answered with the case it made, not taken in
  // twice. Default: none.
  std::optional<HandoffReceipt> received_from;
  // How the application came (渠道). Default: window; a submission by a village agent at a
  // village station is village_agent (the default window is read as that there), and only
  // such a submission may say village_agent.
  SubmissionChannel channel = SubmissionChannel::window;
  // 帮办: staff helped the applicant, at county level (an office of county level or above) or
  // township level (a township, or a village station under it). Default: none.
  Assistance assisted = Assistance::none;
};

// The details a command may carry. Which are required depends on the verb (Engine::act).
struct WORKFLOW_EXPORT Action {
  std::string actor;   // staff id of the person acting: always required
  std::string reason;  // refuse, review_return, deny, higher_deny, opinion_disagree, suspend,
                       // extend, withdraw, terminate: required
  std::vector<std::string> materials;  // supplement: the materials brought
  int days = 0;                        // suspend: expected working days; extend: added days
  std::optional<SpecialProcedure> procedure;  // suspend: required
  bool tolerate_missing = false;  // accept: 容缺受理 with only tolerable materials missing
  bool on_promise = false;        // accept: 告知承诺制 approval, where the matter allows it;
                                  // with tolerate_missing too, the tolerable materials
                                  // missing are owed (容缺) and the rest excused
  IssueChannel channel = IssueChannel::pickup;  // issue
  // hand_to_unit: the id of the department (unit) asked to settle the case; required. With
  // it, `days` is the settle limit in working days (0: the rules' unresolved_settle_days).
  std::string unit;
  // Optional client request id, as for Submission::request_id.
  std::string request_id;
  // reassign: the post (id) to move the stage to, another post of the same unit and role.
  // Default: "" (required by reassign, refused by every other verb).
  std::string to_post;
  // reply_order, close_order, escalate_order: the order's number on the case (1, 2, ...).
  // Default: 0, meaning the case's one order that the verb applies to (refused with
  // invalid_argument if there are several). `days` gives an order's reply days (督办 reply
  // limit; default 0: the rules' policy.order_reply_days).
  std::uint32_t order = 0;
};

// An application for a bundle of matters (一件事一次办): one form, one set of materials,
// one window. Fields as for Submission; `materials` are shared by every part.
struct WORKFLOW_EXPORT BundleSubmission {
  std::string bundle;  // bundle id in the rule set
  std::string office;
  std::string actor;
  std::string applicant;
  std::vector<std::string> materials;
  std::string issue_office;
  std::string request_id;
  // As for Submission; every part records them. Defaults: window, none.
  SubmissionChannel channel = SubmissionChannel::window;
  Assistance assisted = Assistance::none;
};

// An applicant's rating of a concluded case (好差评): one per case.
struct WORKFLOW_EXPORT Rating {
  int score = 0;  // 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
  RatingChannel channel = RatingChannel::window_device;
  bool named = false;   // 实名: the applicant left a name and contact to be called back on
  std::string comment;  // what the applicant wrote, if anything
  std::string request_id;
};

struct WORKFLOW_EXPORT RatingView {
  int score = 0;
  RatingChannel channel = RatingChannel::window_device;
  bool named = false;
  std::string comment;
  DateTime time;
};

// The task a bad rating (1-2) opens for the unit that handled the case (谁办理谁负责).
struct WORKFLOW_EXPORT RectificationView {
  RectificationState state = RectificationState::verifying;
  std::string department;    // the unit that handled the case and owns the task
  Date opened;
  Date due;                  // opened + policy.rectification_days working days
  std::optional<Date> closed;
  Light light = Light::green;  // green, yellow, red (overdue); frozen when closed
  std::string resolution;    // "rectify", "explain" or "appeal" once resolved
  bool called_back = false;
};

// A supervision order (督办) on a case: a first-class record of the case, numbered 1, 2, ...
struct WORKFLOW_EXPORT OrderView {
  std::uint32_t number = 0;
  std::string issued_by;    // staff id
  std::string issuer_post;  // the post they issued it through (issues_orders)
  std::string department;   // the unit it is addressed to: the one holding the case
  std::string reason;
  Date issued;
  int reply_days = 0;       // working days
  Date due;                 // issued + reply_days working days: the reply is due by this day
  OrderState state = OrderState::open;
  Light light = Light::green;  // green, yellow on the last day, red after; frozen at the reply
  std::optional<Date> replied;
  std::string replied_by;
  std::string reply;
  bool replied_on_time = false;  // replied by `due`
  std::optional<Date> ended;     // closed or escalated on
  std::string ended_by;
  std::string outcome;           // the reason given when closing or escalating
};

// A stage moved from one post to another of the same unit (改派).
struct WORKFLOW_EXPORT ReassignmentView {
  DateTime time;
  std::string actor;       // staff id
  std::string actor_post;  // the stage's supervisor post, or the unit leader's (reassigns)
  std::string department;  // the unit
  std::string from_post;
  std::string to_post;
  std::string reason;
};

// The coordination of a case at the 办不成事反映窗口 (send_unresolved, hand_to_unit,
// settle_unresolved): who sent it and why, the unit it was handed to, the due date in
// working days and the outcome.
struct WORKFLOW_EXPORT CoordinationView {
  CoordinationState state = CoordinationState::coordinating;
  std::string window;         // the 办不成事 window's post id
  std::string window_office;  // and its office
  std::string reason;         // why it was sent there
  std::string sent_by;        // staff id of the sender (a window clerk or a supervisor)
  std::string sent_by_post;   // the post they sent it through
  Date sent;
  std::string unit;           // department id it was handed to (once handed)
  std::string handed_by;      // staff id at the window who handed it
  std::optional<Date> handed;
  int settle_days = 0;        // the limit given, in working days (once handed)
  std::optional<Date> due;    // handed + settle_days working days
  Light light = Light::none;  // green, yellow, red (overdue) once handed; frozen when settled
  std::string outcome;        // what was settled (once settled)
  std::string settled_by;     // staff id who recorded it
  std::optional<Date> settled;
  bool on_time = false;       // settled on or before due
};

// A case as seen now. History is filled by Engine::get, left empty by Engine::list.
struct WORKFLOW_EXPORT CaseView {
  CaseId id = 0;
  std::string matter;  // code
  std::string matter_name;
  MatterKind kind = MatterKind::committed;
  CaseState state = CaseState::received;
  bool suspended = false;
  Decision decision = Decision::none;
  std::string office;        // the office handling the current stage
  std::string accepting_office;  // where the application was accepted (the applicant's window)
  std::string handling_office;   // the office that reviews and decides it
  std::string issuing_office;    // where the result is issued (跨域通办: as the applicant asked)
  bool cross_region = false;     // accepted in one office, handled by another (跨域通办)
  std::string post;          // the post holding the current stage
  std::string holder;        // staff id acting on it now
  Holding holding = Holding::a_holder;
  std::string applicant;
  std::string agent;         // village agent who submitted it, if any (帮办代办)
  std::string agent_post;    // that agent's post: its holder now follows the case (AB岗)
  std::string following_agent;  // who holds agent_post now (B while A is away)
  BundleId bundle = 0;       // the bundle this case is a part of, if any
  std::string first_handler; // staff who first received it (首问负责制)
  SubmissionChannel channel = SubmissionChannel::window;  // how the application came (渠道)
  Assistance assisted = Assistance::none;                 // 帮办, and at which level
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
  // Materials a 告知承诺 approval excused (the commitment stands in for them): never in
  // missing_materials. Empty for other cases.
  std::vector<std::string> excused_materials;

  // --- time limits of the law beyond the case's deadlines (each with its own light: green,
  // yellow on its last day, red from the day after, when its *_overdue event is recorded;
  // none where it does not apply) ---
  // §43 上报件: the lower level reviews and reports up within policy.escalation_review_days
  // working days of acceptance (plus suspended days). Set for accepted escalated cases; the
  // light runs until the case is reported up, then freezes (red if it was late).
  std::optional<Date> escalation_review_deadline;
  Light escalation_review_light = Light::none;
  // §44: an approval is issued within policy.issue_days working days of the decision. Set
  // for approved cases; the light runs while decided and not issued, then freezes.
  std::optional<Date> issue_deadline;
  Light issue_light = Light::none;
  // 环节超时: the current back-office stage's share of time (its share_days, counted from the
  // day the case reached it, plus days suspended since), where the stage sets one.
  std::string stage;  // the current ordered stage's name (back-office review only)
  std::optional<Date> stage_deadline;
  Light stage_light = Light::none;
  // Stages that overran their share so far (names, in rule order).
  std::vector<std::string> overdue_stages;
  // 告知承诺: the verification of the commitment, due verification_deadline.
  Verification verification = Verification::none;
  std::optional<Date> verification_deadline;
  Light verification_light = Light::none;
  // A deadline above reaches into a calendar year whose State Council notice is not out yet:
  // it counts the statutory holidays only (docs/calendar.md). The engine recomputes it, once,
  // when that year's official calendar is loaded (a deadlines_recomputed event).
  bool deadlines_provisional = false;
  std::optional<RatingView> rating;
  std::optional<RectificationView> rectification;
  // Supervision orders (督办) issued on the case and its reassignments (改派), oldest first.
  std::vector<OrderView> orders;
  std::vector<ReassignmentView> reassignments;
  // Its coordination at the 办不成事反映窗口, once sent there (the path, not the A/B
  // fallback that Holding::unresolved shows).
  std::optional<CoordinationView> coordination;
  std::string rules_version;
  std::vector<Event> history;
};

// A bundle as seen now: its parts and what they add up to.
struct WORKFLOW_EXPORT BundleView {
  BundleId id = 0;
  std::string bundle;  // bundle id in the rule set
  std::string name;
  std::string office;  // accepting office
  std::string applicant;
  std::vector<CaseId> parts;  // in the rule's order of matters
  DateTime received;
  // The day the last part was accepted (the bundle's clock starts when all materials are
  // in); unset while a part still awaits materials.
  std::optional<Date> accepted;
  std::optional<Date> promised_deadline;  // accepted + the bundle's promised limit
  bool done = false;                      // every part concluded
  std::optional<Date> finished;           // the day the last part concluded
  Light light = Light::none;  // against the bundle's own promise; frozen when done
  std::vector<std::string> missing_materials;  // everything any part still lacks
  std::vector<CaseId> denied;  // parts denied, refused or terminated
};

// Which cases Engine::list returns; empty fields match everything.
struct WORKFLOW_EXPORT CaseFilter {
  std::optional<CaseState> state;
  std::optional<bool> suspended;
  std::string office;  // the office it is at now, or where it is accepted, handled or issued
  std::string post;
  std::string agent;   // village agent following the case now (holder of its agent post)
  std::optional<BundleId> bundle;
  std::optional<Light> light;
  std::string matter;
  // Approved on the applicant's written commitment (告知承诺), or not.
  std::optional<bool> on_promise;
  // The commitment's verification is still to be recorded (true), or is not (false).
  std::optional<bool> verification_due;
};

}  // namespace workflow
