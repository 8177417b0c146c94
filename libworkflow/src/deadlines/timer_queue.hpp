// The engine's pending timers, fired in a fixed order so the same inputs always give the same
// history: by due time, then subject, then kind, then insertion order.
//
// Nearly every case timer is due at 00:00 of some day (a light changes, a window closes), and
// a county holds a million of them. Those live in a day wheel: one bucket per day, appended to
// in insertion order and sorted in runs of kRun as they fill, so a push is an append and a
// midnight is drained by merging a few dozen sorted runs (sequential reads, no sift-down
// through a heap of millions). Timers due at another time of day (the status board's absences)
// and timers pushed for a day already being drained go to a small binary heap beside it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "workflow/clock.hpp"

namespace workflow::detail {

enum class TimerKind : std::uint8_t {
  notice_window,   // §32: the days to notify missing materials are over
  supplement_due,  // 容缺: the promised materials are due
  light,           // the supervision light changes
  opinion_share,   // joint: a department's share of time is over
  absence_start,   // a staff member's absence begins (subject is a staff index)
  absence_end,     // a staff member's absence ends
  rectification_light,  // a bad rating's rectification task turns yellow or red
  escalation_review,    // §43: the lower level's days to report up are over
  issue_window,         // §44: the days to issue an approval are over
  stage_share,          // 环节时限: an ordered stage's share of time is over (arg: stage)
  verification_window,  // 告知承诺: the days to verify the commitment are over
  order_light,          // a supervision order (督办) turns yellow or red (arg: its index)
  coordination_light,   // 办不成事: the unit's days to settle a case turn yellow or red
};

// Whether the timer's subject is a case id (every kind but the absences, whose subject is a
// staff index).
constexpr bool is_case_timer(TimerKind k) noexcept {
  return k != TimerKind::absence_start && k != TimerKind::absence_end;
}

struct Timer {
  DateTime due;
  std::uint64_t subject = 0;  // case id, or staff index for absence timers
  TimerKind kind = TimerKind::light;
  std::uint32_t generation = 0;  // the engine ignores a timer whose generation is stale
  std::uint32_t arg = 0;         // kind-specific (e.g. the stage index of an opinion share)
};

// Not thread-safe: owned and guarded by the engine.
class TimerQueue {
 public:
  TimerQueue() = default;
  // Not copied or moved: recent_ points into days_.
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // A bucket's timers are sorted in runs of this many (the sort of one run is a bounded
  // pause, ~1 ms, paid by the push that fills it).
  static constexpr std::size_t kRun = 16384;

  void push(const Timer& t);
  // Removes and returns the earliest timer due at or before `t`, if any. Order: due time,
  // then subject, then kind, then insertion order.
  std::optional<Timer> pop_due(DateTime t);
  // Removes and returns the earliest timer of case `id` due at or before `t` (any case
  // kind, never an absence), ahead of the other cases' timers: a command on the case fires
  // its own due timers first while a long midnight is still being drained.
  std::optional<Timer> pop_due_of(std::uint64_t id, DateTime t);
  // Whether an absence timer (the status board's, which reroutes cases) is due at or
  // before `t`.
  bool absence_due(DateTime t) const noexcept;
  std::optional<DateTime> next_due() const;
  // The earliest timer, left in the queue.
  std::optional<Timer> front() const;
  // The case whose timer the day being drained gives next (0: none, or not a case timer), a
  // hint to prefetch its record while the current one fires: nearly all of a midnight's
  // timers are stale, and reading each one's case to find out was a cache miss apiece. The
  // heap beside the wheel is not looked at; pop_due alone says what comes next.
  std::uint64_t next_case_hint() const noexcept {
    if (merge_.empty()) return 0;
    const Slot& s = *runs_[merge_.front()].pos;
    return is_case_timer(s.kind()) ? s.subject() : 0;
  }
  std::size_t size() const noexcept { return size_; }
  // Bytes a timer takes in the day wheel (tests hold it to 16).
  static constexpr std::size_t slot_bytes() noexcept { return sizeof(Slot); }
  bool empty() const noexcept { return size_ == 0; }
  void clear() noexcept;

 private:
  // A wheel entry, 16 bytes (a million open cases keep two each): the due time is its
  // bucket's day at 00:00; subject, kind and the `gone` flag share one word, so that the
  // order within a day, (subject, kind), is the order of `key >> kKeyShift`. A subject of
  // kSubjectBits or more (a case id past 2^48: never given in practice) does not fit and
  // waits in the heap instead, which keeps the full 64 bits.
  static constexpr unsigned kSubjectBits = 48;
  static constexpr unsigned kKeyShift = 8;  // bits 0-7: gone; 8-15: kind; 16-63: subject
  struct Slot {
    std::uint64_t key;
    std::uint32_t generation;
    std::uint32_t arg;
    std::uint64_t subject() const noexcept { return key >> 16; }
    TimerKind kind() const noexcept { return static_cast<TimerKind>((key >> 8) & 0xFF); }
    std::uint64_t order() const noexcept { return key >> kKeyShift; }  // (subject, kind)
    bool gone() const noexcept { return (key & 1) != 0; }  // taken out of order by pop_due_of
    void set_gone() noexcept { key |= 1; }
    static Slot of(const Timer& t) noexcept {
      return Slot{t.subject << 16 | std::uint64_t{static_cast<std::uint8_t>(t.kind)} << 8,
                  t.generation, t.arg};
    }
  };
  // A day's slots in runs of kRun, each run its own block (256 KiB): a day of a million
  // timers grows a run at a time and never copies what it holds. In one vector, the doubling
  // past a million moved 16 MiB into 32 MiB of new pages under the engine's lock, and a
  // clerk's command waited 70-155 ms behind it on a virtual machine (docs/performance.md,
  // "Issue 19, the midnight's slowest command"). The first run grows as a vector does (a day
  // of a few timers keeps a few); the next ones are reserved whole.
  using RunSlots = std::vector<Slot>;
  struct Bucket {
    // Full runs, each sorted by (subject, kind) when it filled; then the tail, if any.
    std::vector<RunSlots> runs;
    std::size_t tail_min = 0;  // in the tail, its first slot in that order
    // The last run while it is not full: unsorted, in push order.
    RunSlots* tail() noexcept {
      return !runs.empty() && runs.back().size() < kRun ? &runs.back() : nullptr;
    }
    const RunSlots* tail() const noexcept { return const_cast<Bucket*>(this)->tail(); }
    std::size_t sorted_runs() const noexcept { return runs.size() - (tail() ? 1 : 0); }
  };
  struct Entry {  // the heap beside the wheel
    Timer timer;
    std::uint64_t order;  // insertion counter, the last tie-breaker
  };
  struct Run {  // one run of the drained day: its next slot, and its end
    Slot* pos;
    Slot* end;
  };

  // Makes the earliest bucket the drained one, if nothing is being drained.
  void activate() const;
  // The run of the active bucket whose current slot comes first (runs_ is a heap of these).
  bool run_after(std::uint32_t a, std::uint32_t b) const noexcept;
  void skip_gone(std::uint32_t r) const noexcept;
  // Moves the first run of the merge past its current slot.
  void advance_top() const;
  // The wheel's first timer; the first bucket is activated only if it is due by `bound`.
  std::optional<Timer> wheel_front(std::optional<DateTime> bound) const;
  // A bucket not being drained: its first slot (the runs' heads and the tail's minimum).
  static const Slot* bucket_front(const Bucket& b);
  static void find_tail_min(Bucket& b);
  Timer slot_timer(std::int32_t day, const Slot& s) const;

  // The bucket of `day`, created if need be. A command pushes to the same few days again and
  // again (the light's next change, the law's windows): the last buckets found are kept by
  // day, so most pushes skip the walk down the map. Map nodes never move; an erased day
  // leaves the cache (forget).
  Bucket& bucket(std::int32_t day);
  void forget(std::int32_t day) const noexcept;

  mutable std::map<std::int32_t, Bucket> days_;  // days after active_day_
  struct Recent {
    std::int32_t day = INT32_MIN;  // INT32_MIN: empty (no bucket is ever that day)
    Bucket* bucket = nullptr;
  };
  mutable std::array<Recent, 8> recent_{};  // by day mod 8
  mutable std::int32_t active_day_ = INT32_MIN;  // days up to this one go to the heap
  mutable std::vector<RunSlots> active_;         // the drained bucket's runs (never grown)
  mutable std::vector<Run> runs_;                // its sorted runs
  mutable std::vector<std::uint32_t> merge_;     // heap of runs_ indexes, first slot on top
  std::vector<Entry> heap_;
  std::uint64_t pushed_ = 0;
  std::size_t size_ = 0;
};

}  // namespace workflow::detail
