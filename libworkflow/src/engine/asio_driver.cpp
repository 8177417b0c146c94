#include "workflow/asio_driver.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>

#include "workflow/engine.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace {

// One sleep never lasts longer than this: the steady timer does not follow the wall clock,
// so after a wall-clock jump (NTP step, manual correction) the driver notices within a
// minute instead of sleeping to a moment that no longer means what it meant.
constexpr std::int64_t kMaxSleepSeconds = 60;
// How long to wait before retrying after the engine refused to advance.
constexpr std::int64_t kRetrySeconds = 1;

}  // namespace

// Shared so that handlers queued on the io_context and the engine observer (which may run
// on any thread) can hold it weakly and find out that the driver is gone, instead of
// touching freed memory when they run after stop() or destruction.
struct AsioDriver::Impl : std::enable_shared_from_this<AsioDriver::Impl> {
  Impl(boost::asio::io_context& io_, Engine& engine_) : io(io_), engine(engine_), timer(io_) {}

  boost::asio::io_context& io;
  Engine& engine;
  boost::asio::steady_timer timer;
  std::optional<std::uint64_t> subscription;
  std::atomic<std::uint64_t> advances{0};
  // Only touched on the io_context's thread (start, stop and handlers run there).
  bool running = false;
  // Bumped on every arm and on stop: a wait whose completion was already queued when the
  // timer was re-armed must not fire (cancel() cannot recall a queued completion).
  std::uint64_t generation = 0;
  // Set by the observer, cleared by the re-arm handler: one command emits several events,
  // and they need one re-arm, not one queued handler each. Shared on its own so that the
  // observer never owns the Impl: the Impl (and its timer) is then always destroyed by the
  // AsioDriver on the io_context's thread, never by a command thread.
  std::shared_ptr<std::atomic<bool>> rearm_pending = std::make_shared<std::atomic<bool>>(false);

  void start() {
    if (running) return;
    running = true;
    subscription = engine.subscribe(
        [io = &io, weak = weak_from_this(), pending = rearm_pending](const Event&) {
          // Runs on whatever thread gave the command: hand over to the io_context's thread
          // (post is thread-safe; the io_context outlives the driver).
          if (pending->exchange(true)) return;
          boost::asio::post(*io, [weak, pending] {
            pending->store(false);
            if (auto self = weak.lock()) self->arm();
          });
        });
    arm();
  }

  void stop() {
    if (!running) return;
    running = false;
    ++generation;
    timer.cancel();
    if (subscription) engine.unsubscribe(*subscription);
    subscription.reset();
  }

  // Sleeps until the engine's next due timer, or idles (no wait pending) when there is
  // none: the next engine event re-arms.
  void arm() {
    if (!running) return;
    const std::optional<DateTime> next = engine.next_due();
    if (!next) {
      ++generation;
      timer.cancel();
      return;
    }
    const std::int64_t delay = next->seconds() - engine.now().seconds();
    sleep_for(std::clamp<std::int64_t>(delay, 0, kMaxSleepSeconds));
  }

  void sleep_for(std::int64_t seconds) {
    const std::uint64_t gen = ++generation;
    timer.expires_after(std::chrono::seconds(seconds));
    std::weak_ptr<Impl> weak = weak_from_this();
    timer.async_wait([weak, gen](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || !self->running || gen != self->generation) return;
      self->on_expiry();
    });
  }

  void on_expiry() {
    // A capped sleep can end before anything is due: then only re-check. Advancing only
    // when a timer is due keeps advances() a count of real firings.
    const DateTime now = engine.now();
    const std::optional<DateTime> next = engine.next_due();
    if (next && *next <= now) {
      try {
        engine.advance_to(now);
        advances.fetch_add(1, std::memory_order_relaxed);
      } catch (const Error& e) {
        sleep_for(kRetrySeconds);  // either way the driver stays armed
        // invalid_argument: the clock is behind the time the engine last advanced to (the
        // wall clock was stepped back, or someone advanced further): wait for it to catch
        // up. Anything else (e.g. the store failed) the application sees from run().
        if (e.code() != ErrorCode::invalid_argument) throw;
        return;
      } catch (...) {
        sleep_for(kRetrySeconds);
        throw;
      }
    }
    arm();
  }
};

AsioDriver::AsioDriver(boost::asio::io_context& io, Engine& engine)
    : impl_(std::make_shared<Impl>(io, engine)) {}

AsioDriver::~AsioDriver() {
  // Safe only after stop() or once the io_context has stopped (see the header): then no
  // handler runs concurrently, and queued ones find the weak pointer expired.
  if (impl_->running) impl_->stop();
}

void AsioDriver::start() { impl_->start(); }
void AsioDriver::stop() { impl_->stop(); }

std::uint64_t AsioDriver::advances() const noexcept {
  return impl_->advances.load(std::memory_order_relaxed);
}

}  // namespace workflow
