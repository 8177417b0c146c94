#include "deadlines/timer_queue.hpp"

#include <algorithm>
#include <tuple>

namespace workflow::detail {
namespace {

// The std heap algorithms build a max-heap under `less`; ordering by "fires later" puts the
// timer that fires first at the front. The key is a total order (the insertion counter is
// unique), so the sequence of pops never depends on how the heap happened to be laid out:
// the same pushes always fire in the same order, which is what makes histories replayable.
struct FiresLater {
  template <typename Entry>
  bool operator()(const Entry& a, const Entry& b) const noexcept {
    return std::tie(a.timer.due, a.timer.subject, a.timer.kind, a.order) >
           std::tie(b.timer.due, b.timer.subject, b.timer.kind, b.order);
  }
};

}  // namespace

void TimerQueue::push(const Timer& t) {
  heap_.push_back(Entry{t, pushed_++});
  std::push_heap(heap_.begin(), heap_.end(), FiresLater{});
}

std::optional<Timer> TimerQueue::pop_due(DateTime t) {
  if (heap_.empty() || heap_.front().timer.due > t) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), FiresLater{});
  const Timer fired = heap_.back().timer;
  heap_.pop_back();
  return fired;
}

std::optional<Timer> TimerQueue::front() const noexcept {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().timer;
}

std::optional<DateTime> TimerQueue::next_due() const noexcept {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().timer.due;
}

}  // namespace workflow::detail
