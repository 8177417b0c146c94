// The engine facade: commands in, events out. Every command is checked (state, permission,
// required details) before anything changes; a refused command throws a typed Error and
// leaves the cases and the store as they were.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "workflow/calendar.hpp"
#include "workflow/case.hpp"
#include "workflow/clock.hpp"
#include "workflow/rule_changes.hpp"
#include "workflow/rules.hpp"
#include "workflow/store.hpp"
#include "workflow/export.hpp"

namespace workflow {

namespace detail {
class EngineCore;
struct Observers;
}

// How an engine is built. A plain value type, read once by the Engine constructor.
struct WORKFLOW_EXPORT Options {
  // Where cases and events are kept: make_memory_store() or open_sqlite_store(path). An
  // engine given a store that already holds cases recovers them (and their timers) under the
  // rule sets the store keeps; the rule set given must be the store's installed one, unless
  // install_rules below asks to install it. Default: nullptr, meaning a fresh in-memory store.
  std::shared_ptr<CaseStore> store;
  // If the store runs under another rule set than the one given to the constructor, install
  // the given one (as install_rules() does, recorded as done by `rules_installer`) instead
  // of refusing. Default: false: the constructor throws store_error naming both versions,
  // a summary of the differences, and this option.
  bool install_rules = false;
  // The staff id an install on opening is recorded under (see install_rules). Default: "".
  std::string rules_installer;
  // Record refused attempts by people who do not hold the stage as `permission_denied`
  // events in the case history (the attempt is audited; the case does not change).
  // Default: true.
  bool record_denied_attempts = true;
  // The actor named on events the engine causes itself (timers, deemed approvals).
  // Default: "system".
  std::string system_actor = "system";
};

// Called after a command's events are committed, once per event, in order.
using Observer = std::function<void(const Event&)>;

// The back office of one hall system: its rule set, calendar, clock and cases.
//
// An Engine is safe for concurrent access from multiple threads without any external
// synchronization; commands are applied one at a time, and a command returns only once its
// events are durable in the store (commands from several threads share one sync). Observers
// run after the commit is durable, outside the engine's lock (on the commanding thread, or
// the store's for async commands), so they may call back into the engine. If the store
// fails, every later command fails with store_error: reopen the engine on the store.
class WORKFLOW_EXPORT Engine {
 public:
  // Throws Error(invalid_argument) if the clock is null.
  Engine(RuleSet rules, Calendar calendar, std::shared_ptr<Clock> clock, Options options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Receives an application at a window or village station and returns its case id. The
  // case is routed to the office that handles the matter (a township under a delegation in
  // force, else the matter's own office). Throws not_found for an unknown matter, office or
  // staff, permission_denied if the actor holds no window or agent post there, and
  // invalid_argument if the matter is not handled from that office.
  CaseId submit(const Submission& submission);

  // Receives a bundle (一件事一次办): one form, one set of materials, one window. Creates one
  // case per matter of the bundle, in the rule's order, each routed to its department and
  // given the materials it needs from the shared set; all in one unit (every part or none).
  // Throws like submit, and not_found for an unknown bundle, invalid_argument if the bundle
  // is not accepted at that office.
  BundleId submit_bundle(const BundleSubmission& submission);
  // Gives a window command to every part of the bundle it applies to now (accept,
  // notify_missing, supplement, issue, withdraw, refuse): one notice of missing materials
  // lists everything the bundle lacks. All parts or none: throws if the actor may not act on
  // one of them, invalid_transition if the verb applies to no part. Materials brought are
  // shared out to the parts that need them.
  void act_bundle(BundleId id, Verb verb, const Action& action);
  BundleView get_bundle(BundleId id) const;
  // Every bundle, in id order.
  std::vector<BundleView> list_bundles() const;

  // Records the applicant's rating of a concluded case (好差评), once per case. A rating of
  // 1-2 opens a rectification task for the unit that handled the case, due within
  // policy.rectification_days working days, worked with the rectification verbs. Throws
  // not_found, invalid_transition (not concluded, already rated) or invalid_argument (score
  // outside 1-5).
  void rate(CaseId id, const Rating& rating);

  // Gives a command on a case. Throws not_found (case, actor), permission_denied (the actor
  // does not hold the stage), invalid_transition (not allowed in the case's state) or
  // invalid_argument (a required detail missing or out of range). The rectification verbs
  // (verify ... close_rectification) work the open task of a badly rated case: anyone holding
  // a post of the unit that handled it (A, or B while A is away) or such a post's supervisor
  // may give them; all but close_rectification need a reason.
  void act(CaseId id, Verb verb, const Action& action);

  // The same, without blocking until the commit is durable: `done` runs once it is (on a
  // store thread, or at once on this one if the command was refused or wrote nothing), with
  // the case id and nullptr, or with the failure. Observers run just before `done`. Lets a
  // hall server keep many commands in flight; see workflow/asio.hpp for Asio completion
  // tokens. `done` must not block.
  void submit_async(Submission submission, std::function<void(CaseId, std::exception_ptr)> done);
  void act_async(CaseId id, Verb verb, Action action, std::function<void(std::exception_ptr)> done);

  // The named forms of act().
  void accept(CaseId id, const Action& a) { act(id, Verb::accept, a); }
  void refuse(CaseId id, const Action& a) { act(id, Verb::refuse, a); }
  void notify_missing(CaseId id, const Action& a) { act(id, Verb::notify_missing, a); }
  void supplement(CaseId id, const Action& a) { act(id, Verb::supplement, a); }
  void suspend(CaseId id, const Action& a) { act(id, Verb::suspend, a); }
  void resume(CaseId id, const Action& a) { act(id, Verb::resume, a); }
  void extend(CaseId id, const Action& a) { act(id, Verb::extend, a); }
  void withdraw(CaseId id, const Action& a) { act(id, Verb::withdraw, a); }
  void issue(CaseId id, const Action& a) { act(id, Verb::issue, a); }

  // The status board (去向牌): `staff` is away from `from` until `until` (exclusive). Work
  // of posts they hold as A passes to B from `from` (at once if `from` is not in the future).
  // `actor` is who records it (the duty officer, or the person themselves): named in the
  // handoff events; empty means not recorded. A `request_id` makes a retry harmless, as for
  // commands on cases. Throws not_found for unknown staff or actor, invalid_argument if
  // until <= from.
  void mark_away(std::string_view staff, AbsenceKind kind, DateTime from, DateTime until,
                 std::string_view actor = {}, std::string_view request_id = {});
  // Ends the staff's absence now: new work goes to them again. Same `actor` and `request_id`.
  void mark_back(std::string_view staff, std::string_view actor = {},
                 std::string_view request_id = {});

  // The verbs `actor` may give on the case now (empty if none; for a concluded case, the
  // rectification verbs of its open task).
  std::vector<Verb> available_actions(CaseId id, std::string_view actor) const;
  // A case with its full history. Throws not_found.
  CaseView get(CaseId id) const;
  // The same case without its history (CaseView::history empty): nothing is read from the
  // store and no event is copied, so it costs a small fraction of get(). Throws not_found.
  CaseView view(CaseId id) const;
  // The staff id acting on the case now (CaseView::holder): the cheapest look-up, for a
  // client that must know who acts next. Throws not_found.
  std::string holder(CaseId id) const;
  // Cases matching the filter, in id order, without history.
  std::vector<CaseView> list(const CaseFilter& filter = {}) const;

  // Fires every timer due at or before `t`, in due-time order (ties by case id), each event
  // stamped with its due time; if the engine runs on a ManualClock, that clock is moved to
  // `t` first. Going back is a no-op. Every command first advances to the clock's time, so
  // timers due before a command always fire before it. The timers fire in slices of 2,048,
  // the engine's lock released between slices: commands given meanwhile on other threads
  // fire their own case's due timers and go on, so a midnight of a million open cases holds
  // no one up for more than a slice (docs/engine.md, "A long midnight", says what they see).
  void advance_to(DateTime t);
  // The earliest pending timer, if any (what a real-time driver sleeps until).
  std::optional<DateTime> next_due() const;
  // The engine clock's current time.
  DateTime now() const;
  // True if the engine runs on a read-only store (a report reader; SqliteOptions::read_only
  // or PostgresOptions::read_only): it serves the queries (get, list, bundles, installed
  // rules) over the cases as they were when it opened, and refuses every command,
  // advance_to, install_rules and update_calendar with Error(store_error) before looking at
  // them. To see a writer's later commits, open a new engine on the store.
  bool read_only() const noexcept;

  std::uint64_t subscribe(Observer observer);
  void unsubscribe(std::uint64_t subscription);

  // Changing the rules of a live hall (docs/engine.md, "Installing rules"). plan_rules says
  // what installing `next` would do, changing nothing. install_rules does it in one audited
  // commit: a `rules_installed` event (case 0) by `actor`, the new set's files kept in the
  // store, and a `rerouted` event for each open case moved. Open cases keep the terms of the
  // version they were accepted under; new cases take the new one. Throws invalid_argument
  // listing every problem (unknown actor, an office with open cases removed, another hall's
  // rules, ...) and then changes nothing.
  InstallPlan plan_rules(const RuleSet& next, std::string_view actor) const;
  InstallPlan install_rules(const RuleSet& next, std::string_view actor);
  // Every rule set the store's cases have run under, in install order (the last is rules()).
  std::vector<InstalledRules> installed_rules() const;

  // Replaces the working-day calendar, typically when the State Council's notice for a year
  // that was provisional is loaded. Every open case whose deadlines reached into a year that
  // is now official has them recomputed once, with a `deadlines_recomputed` event giving the
  // old and new dates (timers and lights follow). An engine opened with such a calendar does
  // the same on opening. Throws invalid_argument if the new calendar lacks a year the old one
  // had (open cases may count on it), and then changes nothing.
  void update_calendar(Calendar calendar);

  // The installed rule set. The reference is replaced by install_rules(): a thread that may
  // race with an install copies the RuleSet (cheap: shared data).
  const RuleSet& rules() const noexcept;
  const Calendar& calendar() const noexcept;

 private:
  std::unique_ptr<detail::EngineCore> core_;
  std::shared_ptr<detail::Observers> observers_;
};

}  // namespace workflow
