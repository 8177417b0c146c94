// The Engine facade: one lock around the core, observers notified after each commit and
// outside the lock (so an observer may call back into the engine).
#include "workflow/engine.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <variant>

#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow {

namespace detail {

struct Observers {
  std::mutex mutex;
  std::vector<std::pair<std::uint64_t, Observer>> list;
  std::uint64_t next_id = 1;
};

}  // namespace detail

namespace {

void notify(detail::Observers& observers, const std::vector<Event>& events) {
  if (events.empty()) return;
  std::vector<Observer> targets;
  {
    std::lock_guard lock(observers.mutex);
    for (const auto& [id, o] : observers.list) targets.push_back(o);
  }
  for (const Event& e : events) {
    for (const Observer& o : targets) o(e);
  }
}

// What one command produced under the lock: its result or failure, the events committed
// meanwhile (timers included) and the store ticket to wait for.
template <class Result>
struct Outcome {
  Result result{};
  std::exception_ptr failure;
  std::vector<Event> events;
  std::uint64_t ticket = 0;
};

// The timers a midnight fires under one hold of the lock (a few milliseconds of work):
// Engine::advance_to releases the lock between such slices so commands are not held up.
constexpr std::size_t kTimerSlice = 2048;
// How long the drain waits between two slices for a command that waits for the lock to take
// it: a wake-up takes tens of microseconds; one the host has not run by then gets the next turn.
constexpr std::chrono::microseconds kTurnOfWaitingCommands{1000};

// What a command on case `id` is about, for catching up with time before it: 0 for a new
// case, nullopt for a command about no single case (the status board, rules, calendar).
using Subject = std::optional<CaseId>;
constexpr Subject kNoSingleCase = std::nullopt;

void refuse_if_read_only(detail::EngineCore& core) {
  if (core.store().read_only()) {
    throw Error(ErrorCode::store_error,
                "the engine is open read-only (its store was opened for reading): commands, "
                "timers and rule or calendar changes are refused; open the store for writing");
  }
}

// Fires the timers due by the clock's time before a command (docs/engine.md, "A long
// midnight"). A command about one case never waits for a whole midnight: while
// Engine::advance_to drains one in slices on another thread, it fires only its own case's
// due timers; with no one draining and more than a slice due (a real-time clock that struck
// midnight before the driver woke), it fires one slice and then its own case's, and the rest
// follow with the next commands and advance_to. A command about no single case, one arriving
// while an absence is due, and every command on a ManualClock (tests, simulations: one
// thread, no driver) fire everything due first.
void catch_up(detail::EngineCore& core, Subject subject) {
  const DateTime now = core.now();
  if (subject && core.draining) {
    if (core.fire_due_of(*subject, now)) return;
  } else if (subject && !core.on_manual_clock()) {
    if (core.advance_some(now, kTimerSlice) || core.fire_due_of(*subject, now)) return;
  }
  core.advance_to(now);
}

// Runs `command` on the core under its lock, after firing the timers due by the clock's
// time. A refused command may still have committed events (an audited attempt, timers).
// An engine on a read-only store refuses every command before looking at it: its timers
// would need commits too, and a reader must not pretend a command could have happened.
template <class Result, class F>
Outcome<Result> apply(detail::EngineCore& core, Subject subject, F&& command) {
  Outcome<Result> out;
  std::lock_guard lock(core.mutex);
  try {
    refuse_if_read_only(core);
    catch_up(core, subject);
    if constexpr (std::is_same_v<Result, std::monostate>) {
      command();
    } else {
      out.result = command();
    }
  } catch (...) {
    out.failure = std::current_exception();
  }
  out.events = core.take_committed();
  out.ticket = core.take_ticket();
  return out;
}

// The synchronous path: wait until the commit is durable (sharing the sync with whatever
// other threads queued meanwhile), then tell the observers, then answer.
template <class Result, class F>
Result run(detail::EngineCore& core, detail::Observers& observers, Subject subject,
           F&& command) {
  Outcome<Result> out = apply<Result>(core, subject, std::forward<F>(command));
  if (out.ticket != 0) core.store().wait_durable(out.ticket);
  notify(observers, out.events);
  if (out.failure) std::rethrow_exception(out.failure);
  return out.result;
}

// The asynchronous path: the same, but the wait happens on the store's side and `done`
// runs when the commit is durable (or at once if nothing was committed).
template <class Result, class F, class Done>
void run_async(detail::EngineCore& core, std::shared_ptr<detail::Observers> observers,
               Subject subject, F&& command, Done done) {
  auto out =
      std::make_shared<Outcome<Result>>(apply<Result>(core, subject, std::forward<F>(command)));
  auto finish = [out, observers, done = std::move(done)](std::exception_ptr store_failure) {
    if (!store_failure) notify(*observers, out->events);
    done(out->result, store_failure ? store_failure : out->failure);
  };
  if (out->ticket == 0) {
    finish(nullptr);
  } else {
    core.store().on_durable(out->ticket, std::move(finish));
  }
}

}  // namespace

Engine::Engine(RuleSet rules, Calendar calendar, std::shared_ptr<Clock> clock, Options options)
    : core_(std::make_unique<detail::EngineCore>(std::move(rules), std::move(calendar),
                                                 std::move(clock), std::move(options))),
      observers_(std::make_shared<detail::Observers>()) {
  // Opening may commit (an install asked for by Options, deadlines recomputed for a calendar
  // whose official years arrived): durable before the engine is handed out.
  if (const std::uint64_t ticket = core_->take_ticket()) core_->store().wait_durable(ticket);
}

Engine::~Engine() = default;

CaseId Engine::submit(const Submission& s) {
  return run<CaseId>(*core_, *observers_, 0, [&] { return core_->submit(s); });
}

void Engine::act(CaseId id, Verb verb, const Action& a) {
  run<std::monostate>(*core_, *observers_, id, [&] { core_->act(id, verb, a); });
}

BundleId Engine::submit_bundle(const BundleSubmission& s) {
  return run<BundleId>(*core_, *observers_, kNoSingleCase,
                       [&] { return core_->submit_bundle(s); });
}

void Engine::act_bundle(BundleId id, Verb verb, const Action& a) {
  run<std::monostate>(*core_, *observers_, kNoSingleCase,
                      [&] { core_->act_bundle(id, verb, a); });
}

BundleView Engine::get_bundle(BundleId id) const {
  std::lock_guard lock(core_->mutex);
  return core_->bundle_view(id);
}

std::vector<BundleView> Engine::list_bundles() const {
  std::lock_guard lock(core_->mutex);
  return core_->list_bundles();
}

void Engine::rate(CaseId id, const Rating& rating) {
  run<std::monostate>(*core_, *observers_, id, [&] { core_->rate(id, rating); });
}

void Engine::submit_async(Submission s, std::function<void(CaseId, std::exception_ptr)> done) {
  run_async<CaseId>(*core_, observers_, 0, [&] { return core_->submit(s); }, std::move(done));
}

void Engine::act_async(CaseId id, Verb verb, Action a,
                       std::function<void(std::exception_ptr)> done) {
  run_async<std::monostate>(
      *core_, observers_, id, [&] { core_->act(id, verb, a); },
      [done = std::move(done)](std::monostate, std::exception_ptr e) { done(e); });
}

void Engine::mark_away(std::string_view staff, AbsenceKind kind, DateTime from, DateTime until,
                       std::string_view actor, std::string_view request_id) {
  run<std::monostate>(*core_, *observers_, kNoSingleCase,
                      [&] { core_->mark_away(staff, kind, from, until, actor, request_id); });
}

void Engine::mark_back(std::string_view staff, std::string_view actor,
                       std::string_view request_id) {
  run<std::monostate>(*core_, *observers_, kNoSingleCase,
                      [&] { core_->mark_back(staff, actor, request_id); });
}

std::vector<Verb> Engine::available_actions(CaseId id, std::string_view actor) const {
  std::lock_guard lock(core_->mutex);
  return core_->available_actions(id, actor);
}

CaseView Engine::get(CaseId id) const {
  std::lock_guard lock(core_->mutex);
  return core_->view(id, true);
}

CaseView Engine::view(CaseId id) const {
  std::lock_guard lock(core_->mutex);
  return core_->view(id, false);
}

std::string Engine::holder(CaseId id) const {
  std::lock_guard lock(core_->mutex);
  return core_->holder(id);
}

std::vector<CaseView> Engine::list(const CaseFilter& filter) const {
  std::lock_guard lock(core_->mutex);
  return core_->list(filter);
}

// In slices of kTimerSlice timers, the lock released between them: a midnight of a million
// open cases takes seconds, and commands meanwhile fire their own case's timers and go on.
void Engine::advance_to(DateTime t) {
  for (bool done = false; !done;) {
    Outcome<std::monostate> out;
    {
      std::lock_guard lock(core_->mutex);
      try {
        refuse_if_read_only(*core_);
        const DateTime target = std::max(t, core_->now());  // what was due by now, too
        if (!core_->draining || *core_->draining < target) core_->start_draining(target);
        done = core_->advance_some(target, kTimerSlice);
        if (done && *core_->draining <= target) core_->draining.reset();
      } catch (...) {
        out.failure = std::current_exception();
        core_->draining.reset();  // no one drains now: commands advance fully again
        done = true;
      }
      out.events = core_->take_committed();
      out.ticket = core_->take_ticket();
    }
    // A command that waited for this slice takes the lock first (engine_lock.hpp); this
    // thread tells the observers about the slice while it runs.
    if (!done) core_->mutex.let_waiting_in(kTurnOfWaitingCommands);
    if (out.ticket != 0) core_->store().wait_durable(out.ticket);
    notify(*observers_, out.events);
    if (out.failure) std::rethrow_exception(out.failure);
  }
}

std::optional<DateTime> Engine::next_due() const {
  std::lock_guard lock(core_->mutex);
  return core_->next_due();
}

DateTime Engine::now() const { return core_->now(); }

bool Engine::read_only() const noexcept { return core_->store().read_only(); }

std::uint64_t Engine::subscribe(Observer observer) {
  if (!observer) throw Error(ErrorCode::invalid_argument, "an observer must be callable");
  std::lock_guard lock(observers_->mutex);
  const std::uint64_t id = observers_->next_id++;
  observers_->list.emplace_back(id, std::move(observer));
  core_->set_observed(true);
  return id;
}

void Engine::unsubscribe(std::uint64_t subscription) {
  std::lock_guard lock(observers_->mutex);
  std::erase_if(observers_->list, [&](const auto& p) { return p.first == subscription; });
  core_->set_observed(!observers_->list.empty());
}

InstallPlan Engine::plan_rules(const RuleSet& next, std::string_view actor) const {
  std::lock_guard lock(core_->mutex);
  return core_->plan_install(next, actor);
}

InstallPlan Engine::install_rules(const RuleSet& next, std::string_view actor) {
  return run<InstallPlan>(*core_, *observers_, kNoSingleCase,
                          [&] { return core_->install_rules(next, actor); });
}

std::vector<InstalledRules> Engine::installed_rules() const {
  std::lock_guard lock(core_->mutex);
  return core_->installed_rules();
}

void Engine::update_calendar(Calendar calendar) {
  run<std::monostate>(*core_, *observers_, kNoSingleCase,
                      [&] { core_->update_calendar(std::move(calendar)); });
}

const RuleSet& Engine::rules() const noexcept { return core_->rules(); }
const Calendar& Engine::calendar() const noexcept { return core_->calendar(); }

}  // namespace workflow
