// Supervision figures (电子监察统计): what a county supervision office reads about a hall, for a
// period and an office or department, computed from a running Engine (and so from any store an
// engine can open, including a read-only SQLite store that another engine is writing).
//
// Which cases count: those *received* (submitted) within the period, whose accepting or
// handling office is the office asked for or under it in the office tree, or whose unit is
// the department asked for. Every figure below is about those cases, as they stand now.
//
// Definitions (the same as `workflow report`, docs/cli.md):
//  - on time: a decided case (approve, deny, or the higher level's decision) whose first
//    decision fell on or before its promised deadline (承诺时限); a case without one is on time.
//  - 即办件 share: instant cases / cases; by matters: instant matters / matters, over the rule
//    set's matters of the units in scope.
//  - 一次办好 (done in one go): an accepted case that was never given a notice of missing
//    materials (一次性告知), i.e. accepted on the materials first handed in (容缺 included).
//    Rate: such cases / accepted cases.
//  - 满意率: ratings of 4 or 5 / all ratings. 差评 handled: rectification tasks closed / tasks
//    opened (a bad rating, 1-2, opens one).
//  - lights: "ever" counts the cases that ever showed yellow, red or escalated red
//    (light_changed events); "now" the light each case shows now (frozen at the decision).
//    Red now (red_now): cases still waiting for their decision (not decided, issued, refused,
//    withdrawn or terminated) that show red or escalated red: the late work to chase today.
//  - a unit (单位) is the department that handled the case (谁办理谁负责): the matter's
//    department, or under a full delegation the township department that decided in its name.
//
//  - channels (渠道, issue 14), over the cases in scope, each rate numerator / denominator:
//    - 一次不跑 (zero trips): concluded-by-issue cases whose applicant never came to a hall:
//      applied online, on mobile or by post and the result went out by post or as an
//      e-certificate, or handed in by a village agent (who carries the result back too) /
//      cases issued. (A self-service terminal or a window is a trip; so is picking the
//      result up.)
//    - 网上可办 (applied online): cases applied for online or on mobile / cases. The seeds
//      measure 网上可办 by matter; the rule set does not mark matters online, so this is the
//      share of applications that actually came online.
//    - 全程网办 (fully online): issued cases applied online or on mobile whose result went out
//      as an e-certificate / issued cases applied online or on mobile.
//    - 帮办: cases where staff assisted, per level (county, township).
//
// A rate with no cases behind it has no value ("no data"): never 0 %.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/date.hpp"
#include "workflow/engine.hpp"
#include "workflow/export.hpp"

namespace workflow {

// numerator / denominator; value() is empty when the denominator is 0 ("no data").
struct Rate {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> value() const noexcept {
    if (denominator == 0) return std::nullopt;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  void add(bool counted) noexcept {
    ++denominator;
    numerator += counted;
  }
};

// Calendar days from `from` to `to`, both inclusive.
struct WORKFLOW_EXPORT Period {
  Date from;
  Date to;
  // The whole month or quarter (1-4). Throw Error(invalid_argument) for a bad month/quarter.
  static Period month(int year, int month);
  static Period quarter(int year, int quarter);
  // "2026Q1", "2026-03" (a month) or "2026" (a year). Throws Error(invalid_argument).
  static Period parse(std::string_view text);
  bool contains(Date d) const noexcept { return from <= d && d <= to; }
  // "2026-01-01..2026-03-31"
  std::string to_string() const;
};

struct SupervisionQuery {
  std::optional<Period> period;  // cases received in it; empty: every case
  std::string office;            // an office id (with the offices under it) or a department id
};

// The seed documents' targets (domain.md, "Targets the seeds set"); empty where none is set.
struct SupervisionTargets {
  std::optional<double> on_time;               // none: the promise itself is the commitment
  std::optional<double> instant_share = 0.40;  // instant cases >= 40 % of applications
  std::optional<double> first_time_right = 0.90;  // 一次办好 >= 90 %
  std::optional<double> satisfaction;          // none set
  std::optional<double> call_back = 1.0;       // named bad ratings called back: 100 %
  std::optional<double> bundle_on_time = 1.0;  // bundles within their own promise: 100 %
  std::optional<double> zero_trips = 0.50;     // 一次不跑 >= 50 % (宁都县 plan, seed 002)
  std::optional<double> applied_online;        // 网上可办: the seeds set no share
  std::optional<double> fully_online;          // 全程网办: pushed, no share set
  // 办不成事反映窗口: cases settled by their due date. The seeds set none (seed 000 附件1
  // 事项办理 3 sends such cases there "协调处理" without a number).
  std::optional<double> unresolved_on_time;
};

// One case the supervisor should look at: late (or nearly), worst first.
struct FlaggedCase {
  CaseId id = 0;
  std::string matter;  // code
  std::string matter_name;
  std::string office;  // the office holding it now
  std::string state;
  std::string light;        // the light now (frozen at the decision)
  std::string worst_light;  // the worst light it ever had
  std::string promised_deadline;
  int days_over = 0;  // working days past the promised deadline (decision date or as-of)
};

// Per matter: working days used (acceptance → decision) against the promise.
struct MatterTiming {
  std::string code;
  std::string name;
  std::string kind;
  std::string office;  // the matter's department's office
  int promised_limit = 0;
  int decided = 0;
  int on_time = 0;
  double mean_days_used = 0;
  int max_days_used = 0;
};

// 差评整改: the task a bad rating opened, as it stands.
struct RectificationTask {
  CaseId id = 0;
  std::string matter, matter_name;
  int score = 0;
  std::string channel;
  bool named = false;
  std::string department;  // the unit that handled the case and owns the task
  std::string state;       // verifying, resolving, calling_back, called_back, closed
  std::string resolution;  // rectify, explain, appeal ("" until resolved)
  std::string opened, due, closed;  // ISO dates; closed "" while open
  std::string light;                // green, yellow, red (frozen when closed)
  bool called_back = false;
  bool on_time = false;  // closed on or before the due day
};

// 好差评 (ratings) and the rectification of bad ones.
struct RatingFigures {
  int rated = 0;
  std::map<std::string, int> by_score;    // "1".."5", every score present
  std::map<std::string, int> by_channel;  // window_device, online, phone
  Rate satisfaction;                      // 满意率: scores 4-5 / rated
  int bad = 0;                            // scores 1-2
  int bad_named = 0;                      // of them, named (实名): must be called back
  int tasks_opened = 0, tasks_closed = 0, tasks_open = 0;
  Rate handled;                           // 差评 handled: tasks closed / tasks opened
  int closed_on_time = 0;                 // closed on or before the due day
  Rate on_time;                           // closed_on_time / tasks_closed
  int open_overdue = 0;                   // open tasks past their due day (light red)
  std::map<std::string, int> by_resolution;  // rectify, explain, appeal
  std::map<std::string, int> by_department;  // tasks opened per unit
  int named_called_back = 0;
  Rate call_back;                         // named_called_back / bad_named (target 1)
  int named_pending = 0;                  // named, not called back yet, task still open
  int anonymous_closed_without_call_back = 0;
  std::vector<RectificationTask> tasks;   // every task, by case id
};

// A part of a bundle that was denied, refused or terminated.
struct DeniedPart {
  BundleId bundle = 0;
  CaseId id = 0;
  std::string matter, matter_name, state;
};

// 一件事一次办: bundles (with a part in scope) measured against their own promise.
struct BundleFigures {
  int count = 0;
  std::map<std::string, int> by_rule;         // bundle rule id → bundles
  std::map<std::string, int> promised_limit;  // bundle rule id → its promise (working days)
  int accepted = 0;  // every part accepted (the bundle's clock started)
  int notified = 0;  // given the one complete notice (一次性告知) for the bundle
  int done = 0;      // every part concluded
  int on_time = 0;   // done on or before the bundle's promised deadline
  Rate on_time_rate;  // on_time / done
  int open = 0;       // not done
  std::map<int, int> days_used;  // done bundles: working days from acceptance to the last part
  std::map<std::string, int> light_now;
  int with_denied = 0;  // bundles with a denied, refused or terminated part
  std::vector<DeniedPart> denied;
};

// 跨域通办 at one office.
struct OfficeCrossRegion {
  int accepted_for_others = 0;  // accepted at this office's windows, handled by another
  int handled_for_others = 0;   // handled here, accepted at another office
  int issued_here = 0;          // results of cross-region cases issued at this office
};

struct CrossRegionFigures {
  int cases = 0;
  int issue_elsewhere = 0;  // the applicant asked for the result away from the accepting office
  int third_office = 0;     // ... at an office that neither accepted nor handled it
  int issued = 0;
  std::map<std::string, int> by_matter;
  std::map<std::string, OfficeCrossRegion> by_office;
};

// 帮办代办 at one village agent post.
struct AgentPostFigures {
  std::string station;    // the village station (office id)
  int cases = 0;          // cases handed in under this post
  int notices = 0;        // events whose news went to the post's holder (Event::notify)
  int notices_to_b = 0;   // of them, to the post's B holder (A was away)
  int followed_by_b = 0;  // cases with at least one notice to B
};

struct ProxyFigures {
  int cases = 0, notices = 0, notices_to_b = 0, followed_by_b = 0;
  std::map<std::string, AgentPostFigures> by_post;
};

// The law's time limits beyond a case's own deadlines (docs/engine.md): cases whose overrun
// was recorded (each an *_overdue event), and the follow-up of approvals on commitment.
struct LawLimitFigures {
  int escalation_review_overdue = 0;  // §43: the lower level did not report up in its days
  int issue_overdue = 0;              // §44: an approval not issued within issue_days
  int stage_overdue = 0;              // 环节超时: cases with a stage over its share_days
  std::map<std::string, int> stage_overdue_by_unit;  // unit (department id) → stages overrun
  int on_promise = 0;                 // approvals on commitment (告知承诺)
  int verified = 0;                   // of them, verification recorded (true or false)
  int false_commitments = 0;          // found false
  int verification_overdue = 0;       // not verified within the rules' days
  int revoked = 0;                    // approvals revoked (撤销)
};

// How applications came (渠道) and what the seeds measure of it (see "channels" above).
struct ChannelFigures {
  std::map<std::string, int> by_channel;  // window, online, mobile, self_service, post,
                                          // village_agent: every channel present
  int issued = 0;          // cases concluded by issuing the result
  int zero_trips = 0;      // of them, the applicant never came (一次不跑)
  Rate zero_trip_rate;     // zero_trips / issued
  int applied_online = 0;  // applied online or on mobile
  Rate online_rate;        // 网上可办: applied_online / cases
  int issued_online = 0;   // issued cases applied online or on mobile
  int fully_online = 0;    // of them, the result went out as an e-certificate (全程网办)
  Rate fully_online_rate;  // fully_online / issued_online
  std::map<std::string, int> assisted;  // 帮办 per level: county, township (both present)
};

// Supervision orders (督办) and reassignments (改派) on the cases in scope (issue 14), read from
// each case's records (CaseView::orders, CaseView::reassignments).
struct OversightFigures {
  int orders = 0;           // 督办件数: orders issued
  int cases_ordered = 0;    // cases with at least one order
  int replied = 0;          // orders the unit replied to
  int replied_on_time = 0;  // of them, by their due day
  int overdue = 0;          // orders not replied to and past their due day (red) now
  // 按期回复率: replied_on_time / (replied + overdue): every order whose reply fell due or came.
  Rate reply_on_time_rate;
  int open = 0;             // awaiting a reply now
  int closed = 0;           // closed by the issuing side after a reply
  int escalated = 0;        // escalated (with or without a reply)
  std::map<std::string, int> orders_by_unit;  // unit (department id) → orders addressed to it
  int reassignments = 0;    // 改派
  std::map<std::string, int> reassignments_by_unit;  // unit (department id) → reassignments
};

// The 办不成事反映窗口 as a path (issue 14), from each case's coordination record: cases
// sent there, handed to a unit, settled (on time or late) and still open.
struct UnresolvedPathFigures {
  int sent = 0;            // cases sent to a 办不成事 window (send_unresolved)
  int handed = 0;          // of them, handed to a unit (hand_to_unit)
  int settled = 0;         // of them, the outcome recorded (settle_unresolved)
  int settled_on_time = 0; // settled by the due date
  int settled_late = 0;
  Rate on_time_rate;       // settled_on_time / settled
  int open = 0;            // sent and not settled: coordinating or handed
  int coordinating = 0;    // of them, not handed to a unit yet
  int open_overdue = 0;    // of them, handed and past the due date (red)
  std::map<std::string, int> by_unit;    // unit (department id) → cases handed to it
  std::map<std::string, int> by_window;  // window post id → cases sent there
};

// One unit's figures (see "a unit" above), for the ranking.
struct UnitFigures {
  std::string id;      // department id
  std::string name;    // department name
  std::string office;  // the office it sits in
  int cases = 0;
  int decided = 0;
  Rate on_time;           // decided on time / decided
  Rate instant_share;     // instant cases / cases
  Rate first_time_right;  // 一次办好 / accepted
  Rate satisfaction;      // ratings 4-5 / ratings
  int bad_ratings = 0;
  int red_ever = 0;       // cases that ever showed red or escalated red
  int red_now = 0;        // undecided cases showing red or escalated red now
  int handoffs = 0;
};

// One week of the period (Monday to Sunday; the first and last may be cut by the period).
struct WeekFigures {
  Date from, to;
  int received = 0;        // cases received that week
  int decided = 0;         // of the cases in scope, decided that week
  Rate on_time;            // of those, on time
  Rate first_time_right;   // cases received that week and accepted: 一次办好
};

struct SupervisionFigures {
  std::optional<Period> period;  // as asked
  std::string office;            // as asked ("" for the whole hall)
  std::string office_name;       // its name (the office's or department's)
  // The hall: the rule set's root office, or, if that is a city with one office under it,
  // that office (宁都县政务服务中心 under 赣州市, which is there only to decide escalated matters).
  std::string hall;
  std::string as_of;             // the latest event time of the cases counted ("" if none)
  std::string rules_version;     // first 12 hex digits
  int cases = 0;
  std::map<std::string, int> by_kind, by_state, by_office;  // office: accepting office
  int accepted = 0;  // cases accepted (clock started)
  int decided = 0;
  int decided_on_time = 0;
  Rate on_time;      // decided_on_time / decided
  int instant = 0;
  Rate instant_share;         // 即办件 by cases: instant / cases
  Rate instant_matters;       // 即办件 by matters: instant matters / matters in scope
  int first_time_right = 0;   // accepted without any notice of missing materials
  Rate first_time_right_rate; // 一次办好: first_time_right / accepted
  int notices = 0;            // cases given the one complete notice
  int tolerated = 0;          // 容缺 acceptances
  int suspended = 0;          // cases with a §45 suspension
  int terminated = 0;
  // Cases that ever showed each light (yellow, red, escalated_red), and the lights shown now
  // (none, green, yellow, red, escalated_red).
  std::map<std::string, int> ever_light;
  std::map<std::string, int> light_now;
  int red_ever = 0;  // ever red or escalated red
  int red_now = 0;   // undecided cases red or escalated red now (see "Red now" above)
  std::vector<FlaggedCase> worst;    // up to 10
  std::vector<MatterTiming> timing;  // committed/escalated/joint matters with decisions
  std::map<std::string, int> handoffs_by_post;
  int handoffs = 0;
  int delegated = 0;
  std::map<std::string, int> delegated_by_township;  // accepting township → cases
  std::map<std::string, int> delegated_by_mode;
  int delegation_lapsed = 0;  // township cases sent back up: no delegation in force
  int escalated = 0;          // cases reported up (上报)
  int unresolved = 0;         // cases sent to a 办不成事 window
  int unresolved_now = 0;     // still held there
  std::map<std::string, int> unresolved_by_office;
  int provisional_now = 0;       // open cases with deadlines in a provisional calendar year
  int deadlines_recomputed = 0;  // cases whose deadlines were recomputed on an official year
  LawLimitFigures law;
  RatingFigures ratings;
  BundleFigures bundles;
  CrossRegionFigures cross_region;
  ProxyFigures proxy;
  ChannelFigures channels;  // 渠道, 一次不跑, 网上可办, 全程网办, 帮办 (issue 14)
  OversightFigures oversight;  // 督办 and 改派 (issue 14)
  UnresolvedPathFigures unresolved_path;  // 办不成事反映窗口 as a path (issue 14)
  // Per unit, ranked best to worst: by on-time rate (units without a decided case last), ties
  // by more decided cases, then by id. last_three: the ids of the last three ranked units
  // that have data (fewer if fewer units do), worst last.
  std::vector<UnitFigures> units;
  std::vector<std::string> last_three;
  std::vector<WeekFigures> weeks;  // from the first to the last week with a case received
  SupervisionTargets targets;
};

// Reads every case (engine.list(), then engine.get(id) for its history) and the bundles.
// Throws Error(invalid_argument) for an office that is neither an office nor a department of
// the engine's rule set, or a period whose end is before its start.
WORKFLOW_EXPORT SupervisionFigures supervise(const Engine& engine, const SupervisionQuery& query = {});

}  // namespace workflow
