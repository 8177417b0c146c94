// The engine's pending timers: a min-heap of (due time, subject, kind), fired in a fixed
// order so the same inputs always give the same history.
#pragma once

#include <cstdint>
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
  void push(const Timer& t);
  // Removes and returns the earliest timer due at or before `t`, if any. Order: due time,
  // then subject, then kind, then insertion order.
  std::optional<Timer> pop_due(DateTime t);
  std::optional<DateTime> next_due() const noexcept;
  // The earliest timer, left in the queue.
  std::optional<Timer> front() const noexcept;
  std::size_t size() const noexcept { return heap_.size(); }
  bool empty() const noexcept { return heap_.empty(); }
  void clear() noexcept { heap_.clear(); }

 private:
  struct Entry {
    Timer timer;
    std::uint64_t order;  // insertion counter, the last tie-breaker
  };
  std::vector<Entry> heap_;
  std::uint64_t pushed_ = 0;
};

}  // namespace workflow::detail
