// The engine's private core: cases, timers, roster and the command logic. Engine (the
// facade in engine.cpp) owns one, serialises access with its mutex and notifies observers
// after each commit. Everything here runs under that mutex.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <atomic>
#include <map>

#include "engine/applicant_table.hpp"
#include "engine/case_table.hpp"
#include "engine/engine_lock.hpp"
#include "lifecycle/case_record.hpp"
#include "lifecycle/order_record.hpp"
#include "lifecycle/coordination_record.hpp"
#include "lifecycle/rating_record.hpp"
#include "routing/routing.hpp"
#include "deadlines/timer_queue.hpp"
#include "workflow/engine.hpp"
#include "workflow/rule_changes.hpp"

namespace workflow::detail {

class EngineCore {
 public:
  EngineCore(RuleSet rules, Calendar calendar, std::shared_ptr<Clock> clock, Options options);

  // --- commands (engine_commands.cpp) -------------------------------------------------
  CaseId submit(const Submission& s);
  // Cross-county handoffs on a submission: its request id, and the checks before it runs.
  static std::string handoff_request_id(const Submission& s);
  void check_handoffs(const Submission& s) const;
  void act(CaseId id, Verb verb, const Action& a);
  void mark_away(std::string_view staff, AbsenceKind kind, DateTime from, DateTime until,
                 std::string_view actor, std::string_view request_id);
  void mark_back(std::string_view staff, std::string_view actor, std::string_view request_id);

  // --- bundles (engine_bundles.cpp) -----------------------------------------------------
  BundleId submit_bundle(const BundleSubmission& s);
  void act_bundle(BundleId id, Verb verb, const Action& a);
  BundleView bundle_view(BundleId id) const;
  std::vector<BundleView> list_bundles() const;

  // --- ratings (engine_ratings.cpp) -----------------------------------------------------
  void rate(CaseId id, const Rating& rating);

  // --- time (engine_timers.cpp) ---------------------------------------------------------
  // Fires every timer due at or before t; each timer's effect is committed on its own.
  void advance_to(DateTime t);
  // The same, at most `budget` timers: true once nothing due by t is left. The facade drains
  // a midnight in such slices, releasing its lock between them (docs/engine.md).
  bool advance_some(DateTime t, std::size_t budget);
  // Before a command while a midnight is being drained: fires the due timers of case `id`
  // only (0: none), ahead of the other cases'. False if that is not enough, because an
  // absence is due (it reroutes cases): then the command must advance fully.
  bool fire_due_of(CaseId id, DateTime t);
  // Set while Engine::advance_to drains timers due by this time in slices.
  std::optional<DateTime> draining;
  // Sets `draining`; a ManualClock moves to `t` now, so commands between slices are at `t`.
  void start_draining(DateTime t) {
    draining = t;
    if (manual_clock_ != nullptr && manual_clock_->now() < t) manual_clock_->set(t);
  }
  // The earliest timer that will act when it fires (stale ones are dropped on the way).
  std::optional<DateTime> next_due() const;
  DateTime now() const { return clock_->now(); }
  bool on_manual_clock() const noexcept { return manual_clock_ != nullptr; }

  // --- provisional calendar years (engine_calendar.cpp) ---------------------------------
  void update_calendar(Calendar calendar);
  // Recomputes the deadlines of open cases that were provisional and no longer are.
  void recompute_provisional(DateTime at);

  // --- queries (case_view.cpp) ----------------------------------------------------------
  CaseView view(CaseId id, bool with_history) const;
  const std::string& holder(CaseId id) const { return rules_.staff(record(id).holder).id; }
  std::vector<CaseView> list(const CaseFilter& f) const;
  std::vector<Verb> available_actions(CaseId id, std::string_view actor) const;

  // Events committed since the last call, for the facade to hand to observers once durable.
  // Kept only while someone observes: otherwise a commit moves its events to the store.
  std::vector<Event> take_committed() { return std::exchange(committed_, {}); }
  void set_observed(bool observed) noexcept { observed_ = observed; }
  // The store ticket of the last commit since the last call (0 if nothing was committed):
  // the facade waits for it outside the lock, so concurrent commands share one sync.
  std::uint64_t take_ticket() { return std::exchange(ticket_, 0); }
  CaseStore& store() noexcept { return *store_; }

  // The installed rule set, as loaded (rules_ is the running set: see engine_rules.cpp).
  const RuleSet& rules() const noexcept { return current_; }
  const Calendar& calendar() const noexcept { return calendar_; }

  // --- rule sets over the store's life (engine_rules.cpp) -------------------------------
  InstallPlan plan_install(const RuleSet& next, std::string_view actor) const;
  InstallPlan install_rules(const RuleSet& next, std::string_view actor);
  std::vector<InstalledRules> installed_rules() const;

  EngineLock mutex;  // the facade's lock (engine_lock.hpp: a midnight lets waiting commands in)

 private:

  // Lookups that throw not_found with a clear message.
  CaseRecord& record(CaseId id);
  const CaseRecord& record(CaseId id) const;
  StaffRef staff_ref(std::string_view id) const;
  // "unknown matter", or that an install removed it.
  std::string unknown_matter(std::string_view code) const;

  // --- rule history (engine_rules.cpp) ---------------------------------------------------
  // Before recovery: rebuilds the running set from the store's rule sets (or records the
  // given set as the store's first); refuses a different set unless asked to install it.
  void open_rule_history(RuleSet given);
  // After recovery: installs the set given to the constructor, if Options asked for that.
  void finish_rule_history();
  void reconcile_after_install(CaseRecord& c, DateTime at, std::string_view actor);
  std::string case_rules_version(const CaseRecord& c) const;

  // --- idempotency and recovery (engine_recovery.cpp) -----------------------------------
  // For a command carrying a request id: the case of the earlier identical command if this
  // is a retry, nothing if the id is new; throws invalid_argument if the id was used for a
  // different command. A retry's answer waits for the original's durability: the earlier
  // command may still be queued in the store (group commit), so the unit's ticket becomes
  // the latest one appended, which covers it (commits become durable in ticket order).
  std::optional<CaseId> replayed(const std::string& request_id, const std::string& fingerprint);
  // Rebuilds cases, roster and pending timers from the store (the constructor calls it).
  void recover();
  void rearm_timers(const CaseRecord& c);

  // --- commands (engine_commands.cpp) --------------------------------------------------
  // Receives one application inside the current unit: checks, creates the case, routes it
  // to its window and arms the §32 timer. `bundle` is the bundle it belongs to (0 if none);
  // `bundle_note` is added to the submitted event's detail.
  CaseId open_case(MatterRef matter, const Submission& s, std::uint64_t materials,
                   DateTime now, BundleId bundle, std::string bundle_note);
  // Applies a lifecycle verb inside the current unit, after checking the state and the
  // lifecycle's guards; the caller has checked the actor's permission (act records a refused
  // attempt, act_bundle refuses the whole bundle). `extra_detail` is appended to the detail.
  void act_on(CaseRecord& c, Verb verb, const Action& a, StaffRef actor, DateTime now,
              std::string extra_detail = {});
  std::string denial(const CaseRecord& c, Verb verb, std::string_view actor) const;
  // accept with both tolerate_missing and on_promise: only where the matter allows 告知承诺
  // and some 容缺-eligible material is missing (throws invalid_argument otherwise).
  void check_promise_with_tolerance(const CaseRecord& c) const;
  // The channel (渠道) and assistance (帮办) of a submission received at `at`, checked
  // against how it came in: throws invalid_argument naming the contradiction.
  std::pair<SubmissionChannel, Assistance> intake_channel(const Submission& s,
                                                          const Intake& intake,
                                                          OfficeRef at) const;

  // --- ratings and rectification (engine_ratings.cpp) ----------------------------------
  void act_on_rectification(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                            DateTime now);
  std::vector<Verb> rectification_actions(const CaseRecord& c, StaffRef actor,
                                          DateTime now) const;
  void fire_rectification_light(const Timer& t);
  void arm_rectification_light(const RatingRecord& r, CaseId id);
  // The case's open rectification task; throws invalid_transition if there is none.
  const RatingRecord& open_task(const CaseRecord& c) const;
  // The post through which `actor` may work the task: one of the unit's posts they hold now
  // (A, or B while A is away), or such a post's supervisor.
  std::optional<PostRef> rectification_post(const RatingRecord& r, StaffRef actor,
                                            DateTime now) const;
  // Saves the case's rating before its first change in this unit (for rollback).
  RatingRecord& touch_rating(CaseId id);
  void fill_rating(CaseView& v) const;

  // --- the unit of work: a command or a timer ------------------------------------------
  // Saves the case's record before its first change in this unit (for rollback). Inline for
  // the usual call, the case touched last (a command touches its case a dozen times).
  CaseRecord& touch(CaseRecord& c) {
    if (!touched_.empty() && touched_.back() == c.id) return c;
    return touch_first(c);
  }
  CaseRecord& touch_first(CaseRecord& c);
  Event& emit(CaseRecord& c, EventKind kind, DateTime at, std::string actor, PostRef post,
              std::string reason = {}, std::string detail = {});
  Event& emit_system(CaseRecord& c, EventKind kind, DateTime at, std::string reason,
                     std::string detail = {});
  // Starts a unit of work; commit() makes it durable, rollback() undoes its changes to the
  // records (a refused or failed command leaves the cases as they were).
  void begin() noexcept;
  void commit();
  void rollback() noexcept;
  // Runs `body` as one unit: commit on success, rollback and rethrow on any exception.
  template <class F>
  void unit(F&& body) {
    begin();
    try {
      body();
      commit();
    } catch (...) {
      rollback();
      throw;
    }
  }

  // --- case mechanics (engine_effects.cpp) ----------------------------------------------
  // Records that c.holder now holds case c (the index begin_absence reads), and that the
  // 办不成事 window holds it for its home post, if it does (the list end_absence reads).
  void note_holder(const CaseRecord& c);
  void note_away_from_home(const CaseRecord& c);
  // The open cases `staff` holds, in id order (the index, checked against the records).
  std::vector<CaseId> held_by(StaffRef staff);
  // Moves the case's current stage to `post` (with AB handoff / unresolved routing).
  // `why` becomes the reason of the events the move causes, if any: most moves stay within
  // an office and cause none, so callers pass a view, not a string built for nothing.
  void route_to(CaseRecord& c, PostRef post, DateTime at, std::string_view why);
  // The window of `office` that takes case `id`: cases are spread over the office's windows
  // by id, so the choice needs no state and a reopened engine makes the same one.
  PostRef window_for(OfficeRef office, CaseId id) const;
  // The office's window posts, in rule order (computed once: asked on every intake).
  const std::vector<PostRef>& windows_of(OfficeRef office) const {
    return index_.offices[index_of(office)].windows;
  }
  // The office's window and agent posts, retired ones too, in rule order: where a receiving
  // clerk's post is looked for (the same order as a scan of every post, a fraction of it).
  const std::vector<PostRef>& intake_posts_of(OfficeRef office) const {
    return index_.offices[index_of(office)].intake;
  }
  void index_rules();
  // §32 after a notice answered in full: 00:00 after the last day to accept or refuse.
  DateTime completion_window_end(const CaseRecord& c) const {
    return DateTime::at(
        calendar_.add_working_days(c.materials_completed, rules_.policy().notify_missing_days) +
        1);
  }
  // The case reaches back-office stage c.stage today: its share of time starts.
  void enter_stage(CaseRecord& c, DateTime at);
  // Starts the clock: acceptance date, deadlines, first light, timers.
  void start_clock(CaseRecord& c, Date accepted, DateTime at);
  // Recomputes deadlines and the light after suspension/extension; re-arms the light timer.
  void refresh_light(CaseRecord& c, DateTime at);
  // Stops light timers (decided, concluded, suspended).
  void freeze_light(CaseRecord& c);
  void arm_light_timer(const CaseRecord& c, DateTime after);
  void arm_opinion_timers(const CaseRecord& c);
  // Applies the effects of a fired lifecycle step (stage moves, decisions, clocks).
  // `action` is null for the engine's own triggers; `opinion_stage` names the joint stage an
  // opinion (given or deemed) is for.
  void apply_step(CaseRecord& c, Trigger trigger, Phase from, Phase to, DateTime at,
                  const Action* action, std::optional<std::uint8_t> opinion_stage = {});
  // Who takes the licensing decision of the case, for refusals ("post X of the higher level").
  std::string deciding_post_text(const CaseRecord& c) const;
  // Why a verb cannot be given now, in the hall's terms.
  std::string explain_refusal(const CaseRecord& c, Verb verb, const Facts& f) const;
  Facts facts_for(const CaseRecord& c, const Action* a) const;
  std::vector<std::string> missing_materials(const CaseRecord& c, bool tolerable_only) const;

  // --- 办不成事反映窗口 as a path (engine_unresolved.cpp) ---------------------------------
  // send_unresolved, hand_to_unit, settle_unresolved. check_unresolved_step throws, naming
  // why, if the verb cannot be given on the case now (invalid_transition), or names a unit
  // that does not exist (not_found) or does not handle the matter (invalid_argument).
  void check_unresolved_step(const CaseRecord& c, Verb verb, const Action& a) const;
  // The post `actor` gives the verb through, if they may: a post with sends_unresolved at
  // the case's offices (send); the window's holders or its supervisor (hand, settle); the
  // unit's own A and B, whoever holds its posts now, or their supervisor (settle).
  std::optional<PostRef> unresolved_post(const CaseRecord& c, StaffRef actor, Verb verb,
                                         DateTime at) const;
  std::string unresolved_denial(const CaseRecord& c, Verb verb, std::string_view actor) const;
  void act_on_unresolved(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                         DateTime now);
  std::vector<Verb> unresolved_actions(const CaseRecord& c, StaffRef actor, DateTime now) const;
  void arm_coordination_light(const CoordinationRecord& r, CaseId id);
  bool coordination_timer_live(const Timer& t) const;
  void fire_coordination_light(const Timer& t);
  void fill_coordination(CaseView& v) const;
  // Saves the case's coordination before its first change in this unit (for rollback).
  CoordinationRecord& touch_coordination(CaseId id);

  // --- permissions (engine_permissions.cpp) --------------------------------------------
  bool holds_now(StaffRef staff, PostRef post, DateTime at) const;
  bool permitted(const CaseRecord& c, StaffRef actor, Verb verb, DateTime at) const;
  // The organ whose head approves the case's extension (§42): the higher level's department
  // for an escalated matter, the township's under a full delegation, else the matter's.
  DepartmentRef deciding_department(const CaseRecord& c) const;
  // The stage (joint case) whose opinion `actor` may give now, if any.
  std::optional<std::uint8_t> opinion_stage_of(const CaseRecord& c, StaffRef actor,
                                               DateTime at) const;

  // --- supervision orders (督办) and reassignment (改派) (engine_orders.cpp) ---------------
  // Checks the oversight verb completely (recording a refused attempt by someone without the
  // right), then applies it as one unit answering `print`'s request id.
  void act_oversight(CaseRecord& c, Verb verb, const Action& a, StaffRef actor, DateTime now,
                     const std::string& print);
  std::vector<Verb> oversight_actions(const CaseRecord& c, StaffRef actor, DateTime now) const;
  // The unit an order on the case is addressed to: the department of the post whose stage it
  // is, or of a concluded case the unit rectifying its bad rating.
  DepartmentRef order_unit(const CaseRecord& c) const;
  // A post with issues_orders `actor` holds now at the unit's office or above it.
  std::optional<PostRef> issuer_post(DepartmentRef unit, StaffRef actor, DateTime now) const;
  // A post of the unit `actor` holds now (A, or B while A is away), or such a post's supervisor.
  std::optional<PostRef> unit_post(DepartmentRef unit, StaffRef actor, DateTime now) const;
  // The stage post's supervisor, or a post with reassigns in its unit, that `actor` holds now.
  std::optional<PostRef> reassigner_post(const CaseRecord& c, StaffRef actor, DateTime now) const;
  // Why the case's stage cannot move to `to` (empty if it can).
  std::string reassign_target_problem(const CaseRecord& c, PostRef to) const;
  // The order a reply/close/escalate is for: number `number`, or the one it applies to.
  const OrderRecord* find_order(const CaseRecord& c, Verb verb, std::uint32_t number,
                                std::uint32_t* index) const;
  Deadlines order_deadlines(const OrderRecord& r) const;
  // Saves the case's oversight record before its first change in this unit (for rollback).
  OversightRecord& touch_oversight(CaseId id);
  void arm_order_light(CaseId id, std::uint32_t index);
  bool order_timer_live(const Timer& t) const;
  void fire_order_light(const Timer& t);
  // Recovery: checks the record's references against the rule set, keeps it, re-arms lights.
  void restore_oversight(const CaseRecord& c, OversightRecord o);
  void fill_oversight(CaseView& v) const;

  // --- time limits of the law beyond the deadlines (engine_law_limits.cpp) --------------
  // §43 上报件 review, §44 issuing, stage shares (环节时限), 告知承诺 verification. Each
  // *_due is the last day of its limit, nullopt where it does not apply to the case now (or
  // falls past the loaded calendar).
  std::optional<Date> escalation_review_due(const CaseRecord& c) const;
  std::optional<Date> issue_due(const CaseRecord& c) const;
  std::optional<Date> stage_due(const CaseRecord& c) const;
  std::optional<Date> verification_due(const CaseRecord& c) const;
  // Pushes a timer for each of those limits that applies now (stale ones die in live()).
  void arm_law_timers(const CaseRecord& c);
  bool law_timer_live(const Timer& t) const;
  void fire_law_timer(const Timer& t);
  void fill_law_view(CaseView& v, const CaseRecord& c) const;
  // 告知承诺 follow-up: confirm_promise, false_promise, revoke (engine_promise.cpp).
  // Throws invalid_transition, naming why, if the verb cannot be given on the case now.
  void check_promise_step(const CaseRecord& c, Verb verb) const;
  bool promise_permitted(const CaseRecord& c, StaffRef actor, Verb verb, DateTime at) const;
  void act_on_promise(CaseRecord& c, Verb verb, const Action& a, StaffRef actor, DateTime now);
  std::vector<Verb> promise_actions(const CaseRecord& c, StaffRef actor, DateTime now) const;
  // Materials still owed: every missing one, but for an approval on commitment only the
  // 容缺 ones it was accepted owing (the commitment excuses the rest).
  std::vector<std::string> owed_materials(const CaseRecord& c) const;

  // --- timers (engine_timers.cpp) -------------------------------------------------------
  void fire(const Timer& t);
  bool live(const Timer& t) const;
  // `recorded_by`: who put it on the status board, if known (named in the handoff events).
  void begin_absence(StaffRef staff, DateTime at, std::string_view recorded_by = {});
  // The staff member is back (mark_back, or the absence's end): every open case the 办不成事
  // window holds for a post they hold returns to that post. `recorded_by` is appended to the
  // reason (", as recorded by X"), may be empty.
  void end_absence(StaffRef staff, DateTime at, std::string_view recorded_by = {});
  // The status board (去向牌): throws permission_denied unless `actor` is the person, the
  // leader of their unit or the duty officer of their office (rules decide), not_found if
  // the actor is unknown.
  void check_board_recorder(StaffRef staff, std::string_view actor, std::string_view verb,
                            DateTime now) const;

  RuleSet current_;  // the installed set as loaded: what rules() shows, diffs compare
  // The running set: every entry of every installed version at a stable index (cases refer
  // to entries by index); its look-ups by id name the installed version's entries.
  RuleSet rules_;
  std::vector<std::string> versions_;      // installed versions; CaseRecord::rules_version
  std::vector<InstalledRules> installed_;  // the same, with when and by whom
  std::optional<StoredRuleSet> pending_rules_;  // to go out with the next commit
  std::optional<RuleSet> install_on_open_;      // Options::install_rules: after recovery
  Calendar calendar_;
  std::shared_ptr<Clock> clock_;
  ManualClock* manual_clock_ = nullptr;  // clock_ if it is one: advance_to moves it
  Options options_;
  std::shared_ptr<CaseStore> store_;

  CaseTable cases_;                      // case id i is cases_[i - 1]
  ApplicantTable applicants_;            // CaseRecord::applicant indexes this
  std::vector<BundleRecord> bundles_;    // bundle id i is bundles_[i - 1]
  std::map<CaseId, RatingRecord> ratings_;  // rated cases only (cold data)
  std::map<CaseId, OversightRecord> oversight_;  // cases with orders or reassignments only
  std::map<CaseId, CoordinationRecord> coordinations_;  // cases sent to 办不成事 (cold data)
  // What the hot paths ask of rules_, worked out once: built when the engine opens and when
  // a rule set is installed (index_rules), restored with the old rules if an install fails.
  struct OfficePosts {
    std::vector<PostRef> windows;  // window_posts(): the windows that serve, in rule order
    std::vector<PostRef> intake;   // its window and agent posts, retired too, in rule order
  };
  // A matter's materials as bit sets over Matter::materials (at most 64, checked when the
  // rules are taken): what facts_for counts on every command, without walking the list.
  struct MatterMaterials {
    std::uint64_t all = 0;
    std::uint64_t tolerable = 0;  // 容缺: may be missing at acceptance
  };
  struct RuleIndex {
    std::vector<OfficePosts> offices;          // by office
    std::vector<MatterMaterials> materials;    // by matter
  };
  RuleIndex index_;
  Roster roster_;
  std::vector<std::uint32_t> absence_generation_;  // per staff: stale absence timers
  // Per staff, the cases routed to them: a superset of what they hold (entries go stale as
  // cases move on or conclude, and are dropped when a list doubles), so an absence reroutes
  // what the person holds without scanning every case.
  std::vector<std::vector<CaseId>> held_by_;
  std::vector<std::size_t> held_by_compacted_;  // each list's size after its last clean-up
  // The cases routed to the 办不成事 window because their post's holders were away (home_post
  // set), in no order: a superset like held_by_ (entries go stale as cases go home or
  // conclude, and are dropped when the list doubles or an absence ends), so the end of an
  // absence gives cases back without scanning every case.
  std::vector<CaseId> away_from_home_;
  std::size_t away_from_home_compacted_ = 0;
  // Mutable: next_due() drops stale timers from the front, which changes nothing observable.
  mutable TimerQueue timers_;
  DateTime advanced_;  // the latest time advance_to reached

  // The unit of work in progress.
  std::vector<Event> pending_;
  // The rule set version the unit's events leave empty (StoreCommit::rules_version), set at
  // its first event; null if the store wants every event complete or no event was emitted.
  std::shared_ptr<const std::string> unit_version_;
  std::shared_ptr<const std::string> shared_version_;  // rules_.version(), shared
  bool share_version_ = false;  // store_->takes_commit_rules_version()
  std::vector<CaseRecord> undo_;  // records as they were before this unit touched them
  std::vector<CaseId> touched_;   // cases changed by this unit (their snapshots are written)
  bool roster_dirty_ = false;     // the roster changed: write the engine state
  std::optional<RequestRecord> request_;  // the request id this unit answers, if any
  std::vector<HandoffOut> handoffs_;       // outbox rows this unit writes (submit)
  std::optional<HandoffReceipt> receipt_;  // the handoff this unit takes in, if any
  // The commit handed to the store, kept from unit to unit: a store that takes it through
  // append_reusing leaves its vectors' capacity and snapshot buffers here for the next one.
  StoreCommit out_;
  std::uint64_t ticket_ = 0;
  std::uint64_t appended_ = 0;  // the highest ticket store_->append has given us
  bool state_written_ = false;  // the store has our engine state (and rules version)
  std::size_t cases_before_ = 0;       // cases_.size() when the unit began (submit rollback)
  std::size_t applicants_before_ = 0;  // applicants_.size() likewise
  std::size_t bundles_before_ = 0;     // bundles_.size() likewise
  // Ratings as they were before this unit touched them (nullopt: there was none).
  std::vector<std::pair<CaseId, std::optional<RatingRecord>>> rating_undo_;
  std::vector<std::pair<CaseId, std::optional<OversightRecord>>> oversight_undo_;  // likewise
  // Coordinations likewise.
  std::vector<std::pair<CaseId, std::optional<CoordinationRecord>>> coordination_undo_;
  std::vector<Event> committed_;
  std::atomic<bool> observed_{false};
};

}  // namespace workflow::detail
