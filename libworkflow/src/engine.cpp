// The Engine facade: one lock around the core, observers notified after each commit and
// outside the lock (so an observer may call back into the engine).
#include "workflow/engine.hpp"

#include <atomic>
#include <exception>

#include "engine_core.hpp"
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

// Runs `command` on the core under its lock (after firing the timers due by the clock's
// time), then hands every event committed meanwhile to the observers, also when the command
// failed (a refused attempt may still have been recorded).
template <class F>
auto run(detail::EngineCore& core, detail::Observers& observers, F&& command) {
  std::vector<Event> events;
  std::exception_ptr failure;
  using Result = decltype(command());
  std::conditional_t<std::is_void_v<Result>, int, Result> result{};
  {
    std::lock_guard lock(core.mutex);
    try {
      core.advance_to(core.now());
      if constexpr (std::is_void_v<Result>) {
        command();
      } else {
        result = command();
      }
    } catch (...) {
      failure = std::current_exception();
    }
    events = core.take_committed();
  }
  if (!events.empty()) {
    std::vector<Observer> targets;
    {
      std::lock_guard lock(observers.mutex);
      for (const auto& [id, o] : observers.list) targets.push_back(o);
    }
    for (const Event& e : events) {
      for (const Observer& o : targets) o(e);
    }
  }
  if (failure) std::rethrow_exception(failure);
  if constexpr (!std::is_void_v<Result>) return result;
}

}  // namespace

Engine::Engine(RuleSet rules, Calendar calendar, std::shared_ptr<Clock> clock, Options options)
    : core_(std::make_unique<detail::EngineCore>(std::move(rules), std::move(calendar),
                                                 std::move(clock), std::move(options))),
      observers_(std::make_unique<detail::Observers>()) {}

Engine::~Engine() = default;

CaseId Engine::submit(const Submission& s) {
  return run(*core_, *observers_, [&] { return core_->submit(s); });
}

void Engine::act(CaseId id, Verb verb, const Action& a) {
  run(*core_, *observers_, [&] { core_->act(id, verb, a); });
}

void Engine::mark_away(std::string_view staff, AbsenceKind kind, DateTime from, DateTime until) {
  run(*core_, *observers_, [&] { core_->mark_away(staff, kind, from, until); });
}

void Engine::mark_back(std::string_view staff) {
  run(*core_, *observers_, [&] { core_->mark_back(staff); });
}

std::vector<Verb> Engine::available_actions(CaseId id, std::string_view actor) const {
  std::lock_guard lock(core_->mutex);
  return core_->available_actions(id, actor);
}

CaseView Engine::get(CaseId id) const {
  std::lock_guard lock(core_->mutex);
  return core_->view(id, true);
}

std::vector<CaseView> Engine::list(const CaseFilter& filter) const {
  std::lock_guard lock(core_->mutex);
  return core_->list(filter);
}

void Engine::advance_to(DateTime t) {
  run(*core_, *observers_, [&] { core_->advance_to(t); });
}

std::optional<DateTime> Engine::next_due() const {
  std::lock_guard lock(core_->mutex);
  return core_->next_due();
}

DateTime Engine::now() const { return core_->now(); }

std::uint64_t Engine::subscribe(Observer observer) {
  if (!observer) throw Error(ErrorCode::invalid_argument, "an observer must be callable");
  std::lock_guard lock(observers_->mutex);
  const std::uint64_t id = observers_->next_id++;
  observers_->list.emplace_back(id, std::move(observer));
  return id;
}

void Engine::unsubscribe(std::uint64_t subscription) {
  std::lock_guard lock(observers_->mutex);
  std::erase_if(observers_->list, [&](const auto& p) { return p.first == subscription; });
}

const RuleSet& Engine::rules() const noexcept { return core_->rules(); }
const Calendar& Engine::calendar() const noexcept { return core_->calendar(); }

}  // namespace workflow
