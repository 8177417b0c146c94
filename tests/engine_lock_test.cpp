// detail::EngineLock: the engine's lock, and the turn a drain in slices (a long midnight)
// gives the commands that wait for it between two slices.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "engine/engine_lock.hpp"

using workflow::detail::EngineLock;
using namespace std::chrono_literals;

namespace {

// A slice of drain work under the lock, as a midnight's 2,048 timers are: busy, not asleep.
void busy_for(std::chrono::microseconds d) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

}  // namespace

TEST_CASE("EngineLock: a command waiting for the lock gets it between the drain's next two "
          "slices") {
  // A plain mutex, released and taken again at once by the drain, goes back to the drain
  // before the waiter has woken: the command waited slice after slice, to the end.
  EngineLock lock;
  constexpr int kCommands = 20;
  std::atomic<int> done{0};            // slices finished
  std::atomic<bool> in_slice{false};   // the drain holds the lock for a slice
  std::atomic<bool> asking{false};     // the command is about to ask for the lock
  std::atomic<bool> finished{false};
  std::atomic<int> seen_at{-1};        // `done` when the drain saw the command waiting
  std::thread drain([&] {
    // Slices until the commands are done (a scheduler may run the command thread late).
    for (int s = 0; !finished.load(); ++s) {
      {
        std::lock_guard g(lock);
        in_slice.store(true);
        busy_for(200us);
        // A command that asked during the slice waits for the lock before the slice ends
        // (on a loaded machine it may not have run yet): the test does not rest on timing.
        while (asking.load() && lock.waiting() == 0) std::this_thread::yield();
        in_slice.store(false);
        done.store(s + 1);
        // Noted before the lock is released: a waiter woken by the release may run at once.
        if (lock.waiting() > 0 && seen_at.load() < 0) seen_at.store(s + 1);
      }
      lock.let_waiting_in(10s);  // long enough never to run out here
    }
  });
  // Commands arrive while a slice runs, so they find the lock taken (one that still slips
  // into the gap between two slices did not wait, and is not counted).
  int waited = 0;
  for (int command = 0; command < kCommands; ++command) {
    while (!in_slice.load()) std::this_thread::yield();
    asking.store(true);
    std::lock_guard g(lock);
    asking.store(false);
    const int entered_at = done.load();
    const int seen = seen_at.exchange(-1);
    if (seen < 0) continue;
    ++waited;
    CAPTURE(command);
    CAPTURE(seen);
    CHECK(entered_at - seen <= 1);
  }
  finished.store(true);
  drain.join();
  CHECK(waited >= kCommands / 2);
  CHECK(lock.waiting() == 0);
}

TEST_CASE("EngineLock: with no one waiting the drain goes on at once; a waiter that cannot "
          "take the lock holds it up no longer than asked") {
  EngineLock lock;
  auto t0 = std::chrono::steady_clock::now();
  lock.let_waiting_in(10s);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
  {
    std::lock_guard g(lock);  // uncontended: not counted as waiting
    CHECK(lock.waiting() == 0);
  }

  // A waiter blocked behind a lock this thread still holds cannot get in: the turn ends
  // after `at_most`, and the waiter gets the lock once it is released.
  lock.lock();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    std::lock_guard g(lock);
    got.store(true);
  });
  while (lock.waiting() == 0) std::this_thread::yield();
  t0 = std::chrono::steady_clock::now();
  lock.let_waiting_in(50ms);
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(waited >= 50ms);
  CHECK(waited < 5s);
  CHECK_FALSE(got.load());
  lock.unlock();
  waiter.join();
  CHECK(got.load());
  CHECK(lock.waiting() == 0);
}
