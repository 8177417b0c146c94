// The engine's lock, and the turn a long midnight gives the commands that wait for it.
//
// Engine::advance_to fires a midnight of a million open cases in slices and releases the lock
// between them, so that a clerk's command waits one slice, not the whole midnight. A plain
// mutex keeps that promise badly: released and taken again at once by the same thread, it
// goes back to the drain before a waiting thread has even woken up (a wake-up takes tens of
// microseconds on a virtual machine, more when the host is busy), and the command waits
// another slice, and another. So a thread that finds the lock taken says so, and the drain,
// between two slices, waits until one of those waiting has had the lock. Measured: a clerk
// got 1.8 times as many commands in during a week of midnights, and its slowest one went
// from 6-13 ms to 6-9 ms (docs/performance.md, "Issue 19, the midnight's slowest command").
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>

namespace workflow::detail {

// Lockable, for std::lock_guard. Safe for concurrent use from any number of threads.
class EngineLock {
 public:
  // Uncontended: one try_lock, as a mutex's lock costs. Contended: counted as waiting
  // until it holds the lock.
  void lock() {
    if (mutex_.try_lock()) return;
    waiting_.fetch_add(1, std::memory_order_acq_rel);
    mutex_.lock();
    waiting_.fetch_sub(1, std::memory_order_acq_rel);
    entered_.fetch_add(1, std::memory_order_acq_rel);
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }
  // Threads blocked in lock() now.
  std::uint32_t waiting() const noexcept { return waiting_.load(std::memory_order_acquire); }

  // Called without the lock, between two slices of long work: if anyone waits for the lock,
  // waits until one of them has taken it, or `at_most` passed (a waiter the host has not
  // run yet must not stop the midnight). Returns at once when no one waits.
  void let_waiting_in(std::chrono::microseconds at_most) {
    if (waiting() == 0) return;
    const std::uint64_t seen = entered_.load(std::memory_order_acquire);
    const auto until = std::chrono::steady_clock::now() + at_most;
    while (entered_.load(std::memory_order_acquire) == seen && waiting() != 0) {
      if (std::chrono::steady_clock::now() >= until) return;
      std::this_thread::yield();
    }
  }

 private:
  std::mutex mutex_;
  std::atomic<std::uint32_t> waiting_{0};  // threads blocked in lock()
  std::atomic<std::uint64_t> entered_{0};  // of those, how many have taken the lock so far
};

}  // namespace workflow::detail
