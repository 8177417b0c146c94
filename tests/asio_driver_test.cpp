// workflow::AsioDriver: fires the engine's timers in real time on an io_context.
//
// The clock runs at real speed but starts where the test says (just before midnight), so a
// supervision-light timer of a real case comes due within seconds. The rule set is
// tests/data/rules/driver: one committed matter, promised 1 / legal 2 working days. Accepted
// on Monday 2025-10-13 its promised deadline is Tuesday 10-14, so with yellow_days_left = 1
// the light turns yellow at 2025-10-14T00:00 (derived by hand: 10-14 is a plain working day).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>

#include "workflow/asio_driver.hpp"
#include "workflow/engine.hpp"
#include "workflow/error.hpp"

using workflow::Action;
using workflow::AsioDriver;
using workflow::Calendar;
using workflow::CaseId;
using workflow::DateTime;
using workflow::Engine;
using workflow::Event;
using workflow::EventKind;
using workflow::Light;
using workflow::RuleSet;
using workflow::Submission;

namespace {

// Real time from a chosen start; jump() steps it like an NTP correction would.
class RunningClock final : public workflow::Clock {
 public:
  explicit RunningClock(DateTime start) : start_(start), origin_(std::chrono::steady_clock::now()) {}
  DateTime now() const override {
    const auto elapsed = std::chrono::floor<std::chrono::seconds>(
        std::chrono::steady_clock::now() - origin_);
    return start_.plus_seconds(elapsed.count() + offset_.load());
  }
  void jump(std::int64_t seconds) { offset_.fetch_add(seconds); }

 private:
  const DateTime start_;
  const std::chrono::steady_clock::time_point origin_;
  std::atomic<std::int64_t> offset_{0};
};

struct Hall {
  std::shared_ptr<RunningClock> clock;
  Engine engine;

  explicit Hall(DateTime start)
      : clock(std::make_shared<RunningClock>(start)),
        engine(RuleSet::load(WORKFLOW_TEST_DATA_DIR "/rules/driver"),
               Calendar::load(WORKFLOW_SOURCE_DIR "/rules/calendar"), clock) {}

  CaseId accept_one() {
    Submission s;
    s.matter = "DRV-1";
    s.office = "county";
    s.actor = "w1a";
    s.applicant = "张三";
    s.materials = {"申请书"};
    const CaseId id = engine.submit(s);
    Action a;
    a.actor = "w1a";
    engine.accept(id, a);
    return id;
  }
};

// Stops the driver and the io_context when the engine reports a light change.
std::uint64_t stop_on_light_change(Engine& engine, boost::asio::io_context& io,
                                   AsioDriver& driver, std::atomic<int>& seen) {
  return engine.subscribe([&](const Event& e) {
    if (e.kind != EventKind::light_changed) return;
    ++seen;
    boost::asio::post(io, [&] {
      driver.stop();
      io.stop();
    });
  });
}

}  // namespace

TEST_CASE("AsioDriver: fires a light timer when it comes due, stamped with the due time") {
  Hall hall(DateTime::parse("2025-10-13T23:59:58"));
  const CaseId id = hall.accept_one();
  REQUIRE(hall.engine.next_due().has_value());
  CHECK(*hall.engine.next_due() <= DateTime::parse("2025-10-14T00:00:00"));

  boost::asio::io_context io;
  AsioDriver driver(io, hall.engine);
  std::atomic<int> seen{0};
  const auto sub = stop_on_light_change(hall.engine, io, driver, seen);
  driver.start();
  const auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::seconds(15));
  const auto waited = std::chrono::steady_clock::now() - started;
  hall.engine.unsubscribe(sub);

  CHECK(seen.load() >= 1);
  CHECK(driver.advances() >= 1);
  CHECK(waited < std::chrono::seconds(10));  // woke for the timer, not on the 60 s re-check
  const workflow::CaseView view = hall.engine.get(id);
  CHECK(view.light == Light::yellow);
  bool stamped = false;
  for (const Event& e : view.history) {
    if (e.kind == EventKind::light_changed) stamped = e.time == DateTime::parse("2025-10-14");
  }
  CHECK(stamped);
}

TEST_CASE("AsioDriver: a command on another thread re-arms an idle driver") {
  Hall hall(DateTime::parse("2025-10-13T23:59:57"));
  REQUIRE_FALSE(hall.engine.next_due().has_value());  // nothing pending: the driver idles

  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);  // keep run() going while idle
  AsioDriver driver(io, hall.engine);
  std::atomic<int> seen{0};
  const auto sub = stop_on_light_change(hall.engine, io, driver, seen);
  driver.start();

  CaseId id = 0;
  std::thread window([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    id = hall.accept_one();  // observers (and the driver's re-arm) run on this thread
  });
  io.run_for(std::chrono::seconds(15));
  window.join();
  hall.engine.unsubscribe(sub);

  CHECK(seen.load() >= 1);
  CHECK(driver.advances() >= 1);
  CHECK(hall.engine.get(id).light == Light::yellow);
}

TEST_CASE("AsioDriver: an overdue timer fires at once after a wall-clock jump and start()") {
  Hall hall(DateTime::parse("2025-10-13T10:00"));
  const CaseId id = hall.accept_one();
  hall.clock->jump(14 * 3600 + 5);  // now 2025-10-14T00:00:05: the yellow timer is overdue

  boost::asio::io_context io;
  AsioDriver driver(io, hall.engine);
  std::atomic<int> seen{0};
  const auto sub = stop_on_light_change(hall.engine, io, driver, seen);
  driver.start();
  const auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::seconds(10));
  hall.engine.unsubscribe(sub);

  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
  CHECK(driver.advances() >= 1);
  CHECK(hall.engine.get(id).light == Light::yellow);
}

TEST_CASE("AsioDriver: stop() leaves nothing armed; destroying with handlers queued is safe") {
  Hall hall(DateTime::parse("2025-10-13T10:00"));
  hall.accept_one();  // a timer 14 h away: the driver sleeps (capped at 60 s)

  boost::asio::io_context io;
  {
    AsioDriver driver(io, hall.engine);
    driver.start();
    io.run_for(std::chrono::milliseconds(200));
    // An event after stop() must not re-arm: the subscription is gone.
    driver.stop();
    driver.stop();  // idempotent
    hall.accept_one();
    CHECK(driver.advances() == 0);
  }
  // The io_context may still hold the cancelled wait; running it after the driver is gone
  // must be harmless, and it must then run out of work (no timer left armed).
  io.restart();
  const auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::seconds(5));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}
