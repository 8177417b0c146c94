#include "deadlines/timer_queue.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace workflow::detail {
namespace {

constexpr std::int64_t kDaySeconds = 86400;

std::int32_t day_of(DateTime t) noexcept {
  const std::int64_t s = t.seconds();
  const std::int64_t day = s >= 0 ? s / kDaySeconds : -((-s + kDaySeconds - 1) / kDaySeconds);
  return static_cast<std::int32_t>(day);
}

DateTime midnight(std::int32_t day) noexcept {
  return DateTime::from_seconds(static_cast<std::int64_t>(day) * kDaySeconds);
}

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

// Within a day every wheel timer is due at 00:00: subject, then kind; a stable sort keeps
// the insertion order of equal keys, and earlier runs hold earlier insertions.
struct SlotBefore {
  template <typename Slot>
  bool operator()(const Slot& a, const Slot& b) const noexcept {
    return a.order() < b.order();
  }
};

}  // namespace

static_assert(TimerQueue::slot_bytes() == 16, "a wheel slot grew: a million open cases keep two");

TimerQueue::Bucket& TimerQueue::bucket(std::int32_t day) {
  Recent& r = recent_[static_cast<std::uint32_t>(day) % recent_.size()];
  if (r.day != day) r = Recent{day, &days_[day]};
  return *r.bucket;
}

void TimerQueue::forget(std::int32_t day) const noexcept {
  Recent& r = recent_[static_cast<std::uint32_t>(day) % recent_.size()];
  if (r.day == day) r = Recent{};
}

void TimerQueue::push(const Timer& t) {
  ++size_;
  if (t.due.seconds() % kDaySeconds == 0 && t.subject >> kSubjectBits == 0) {
    const std::int32_t day = day_of(t.due);
    // A day already being drained takes late pushes in the heap: they were pushed after
    // every timer of its bucket, so on equal keys the bucket's fire first.
    if (day > active_day_) {
      Bucket& b = bucket(day);
      RunSlots* tail = b.tail();
      if (tail == nullptr) {  // a new run: the first grows as a vector does, the next are whole
        const bool first = b.runs.empty();
        tail = &b.runs.emplace_back();
        if (!first) tail->reserve(kRun);
      }
      tail->push_back(Slot::of(t));
      if (tail->size() == kRun) {  // full: sorted now, and no longer the tail
        std::stable_sort(tail->begin(), tail->end(), SlotBefore{});
        b.tail_min = 0;
      } else if (tail->size() == 1 || (*tail)[b.tail_min].gone() ||
                 SlotBefore{}(tail->back(), (*tail)[b.tail_min])) {
        b.tail_min = tail->size() - 1;  // strictly before: an equal key pushed first stays
      }
      return;
    }
  }
  heap_.push_back(Entry{t, pushed_++});
  std::push_heap(heap_.begin(), heap_.end(), FiresLater{});
}

bool TimerQueue::run_after(std::uint32_t a, std::uint32_t b) const noexcept {
  const Slot& x = *runs_[a].pos;
  const Slot& y = *runs_[b].pos;
  return x.order() != y.order() ? x.order() > y.order() : a > b;
}

void TimerQueue::skip_gone(std::uint32_t r) const noexcept {
  while (runs_[r].pos < runs_[r].end && runs_[r].pos->gone()) ++runs_[r].pos;
}

void TimerQueue::activate() const {
  if (merge_.empty() && !days_.empty()) {
    const auto it = days_.begin();
    Bucket& b = it->second;
    if (RunSlots* tail = b.tail()) std::stable_sort(tail->begin(), tail->end(), SlotBefore{});
    active_day_ = it->first;
    active_ = std::move(b.runs);
    forget(it->first);
    days_.erase(it);
    runs_.clear();
    for (RunSlots& run : active_) runs_.push_back(Run{run.data(), run.data() + run.size()});
    for (std::uint32_t r = 0; r < runs_.size(); ++r) {
      skip_gone(r);
      if (runs_[r].pos < runs_[r].end) merge_.push_back(r);
    }
    std::make_heap(merge_.begin(), merge_.end(),
                   [this](std::uint32_t a, std::uint32_t b) { return run_after(a, b); });
    if (merge_.empty()) active_.clear();
  }
}

Timer TimerQueue::slot_timer(std::int32_t day, const Slot& s) const {
  return Timer{midnight(day), s.subject(), s.kind(), s.generation, s.arg};
}

void TimerQueue::advance_top() const {
  const auto after = [this](std::uint32_t a, std::uint32_t b) { return run_after(a, b); };
  std::pop_heap(merge_.begin(), merge_.end(), after);
  const std::uint32_t r = merge_.back();
  ++runs_[r].pos;
  skip_gone(r);
  if (runs_[r].pos < runs_[r].end) {
    std::push_heap(merge_.begin(), merge_.end(), after);
  } else {
    merge_.pop_back();
    if (merge_.empty()) std::vector<RunSlots>().swap(active_);  // the day is over: give it back
  }
}

void TimerQueue::find_tail_min(Bucket& b) {
  b.tail_min = 0;
  const RunSlots* tail = b.tail();
  if (tail == nullptr) return;
  for (std::size_t p = 0; p < tail->size(); ++p) {
    const Slot& s = (*tail)[p];
    if ((*tail)[b.tail_min].gone() || (!s.gone() && SlotBefore{}(s, (*tail)[b.tail_min]))) {
      b.tail_min = p;
    }
  }
}

const TimerQueue::Slot* TimerQueue::bucket_front(const Bucket& b) {
  const Slot* best = nullptr;
  const std::size_t sorted = b.sorted_runs();
  for (std::size_t r = 0; r < sorted; ++r) {  // each sorted run's first slot left
    for (const Slot& s : b.runs[r]) {
      if (s.gone()) continue;
      if (best == nullptr || SlotBefore{}(s, *best)) best = &s;
      break;
    }
  }
  const RunSlots* tail = b.tail();
  if (tail != nullptr && !(*tail)[b.tail_min].gone() &&
      (best == nullptr || SlotBefore{}((*tail)[b.tail_min], *best))) {
    best = &(*tail)[b.tail_min];
  }
  return best;
}

std::optional<Timer> TimerQueue::wheel_front(std::optional<DateTime> bound) const {
  for (;;) {
    if (merge_.empty()) {
      if (days_.empty()) return std::nullopt;
      const auto it = days_.begin();
      if (bound && midnight(it->first) > *bound) {
        // Not due yet: left unsorted (a drained day takes its late pushes in the heap, and
        // tomorrow's bucket must keep taking today's pushes).
        if (const Slot* s = bucket_front(it->second)) return slot_timer(it->first, *s);
        forget(it->first);
        days_.erase(it);  // every timer of the day was taken out of order
        continue;
      }
      activate();
      continue;
    }
    const Slot& s = *runs_[merge_.front()].pos;
    if (!s.gone()) return slot_timer(active_day_, s);
    advance_top();
  }
}

std::optional<Timer> TimerQueue::front() const {
  std::optional<Timer> w = wheel_front(DateTime::from_seconds(INT64_MIN));
  if (heap_.empty()) return w;
  const Timer& h = heap_.front().timer;
  // On equal keys the wheel's timer was pushed first (see push).
  if (!w || std::tie(h.due, h.subject, h.kind) < std::tie(w->due, w->subject, w->kind)) return h;
  return w;
}

std::optional<Timer> TimerQueue::pop_due(DateTime t) {
  const std::optional<Timer> w = wheel_front(t);
  const bool from_heap =
      !heap_.empty() && (!w || std::tie(heap_.front().timer.due, heap_.front().timer.subject,
                                        heap_.front().timer.kind) <
                                   std::tie(w->due, w->subject, w->kind));
  if (from_heap) {
    if (heap_.front().timer.due > t) return std::nullopt;
    std::pop_heap(heap_.begin(), heap_.end(), FiresLater{});
    const Timer fired = heap_.back().timer;
    heap_.pop_back();
    --size_;
    return fired;
  }
  if (!w || w->due > t) return std::nullopt;
  advance_top();  // due by t: its bucket is the one being drained
  --size_;
  return w;
}

std::optional<DateTime> TimerQueue::next_due() const {
  const std::optional<Timer> f = front();
  if (!f) return std::nullopt;
  return f->due;
}

std::optional<Timer> TimerQueue::pop_due_of(std::uint64_t id, DateTime t) {
  // The heap: small (absences, late pushes), looked through.
  std::size_t h = heap_.size();
  for (std::size_t i = 0; i < heap_.size(); ++i) {
    const Entry& e = heap_[i];
    if (e.timer.subject != id || !is_case_timer(e.timer.kind) || e.timer.due > t) continue;
    if (h == heap_.size() || FiresLater{}(heap_[h], e)) h = i;
  }
  // The wheel: the first day (the drained one first) with a timer of the case; within a
  // day, the lowest kind, then the earliest pushed (the lowest position: runs are in push
  // order, and each run is sorted by kind within a case).
  Slot* best = nullptr;
  std::int32_t best_day = 0;
  Bucket* best_bucket = nullptr;
  const auto look = [&](Slot* from, Slot* end) {  // a sorted run
    Slot* it = std::lower_bound(from, end, id,
                                [](const Slot& s, std::uint64_t v) { return s.subject() < v; });
    for (; it != end && it->subject() == id; ++it) {
      if (it->gone()) continue;
      if (best == nullptr || it->kind() < best->kind()) best = it;
      break;
    }
  };
  if (!merge_.empty() && midnight(active_day_) <= t) {
    for (const Run& r : runs_) look(r.pos, r.end);
    if (best != nullptr) best_day = active_day_;
  }
  if (best == nullptr) {
    for (auto& [day, b] : days_) {
      if (midnight(day) > t) break;
      const std::size_t sorted = b.sorted_runs();
      for (std::size_t r = 0; r < sorted; ++r) look(b.runs[r].data(), b.runs[r].data() + kRun);
      if (RunSlots* tail = b.tail()) {
        for (Slot& s : *tail) {  // unsorted
          if (s.subject() != id || s.gone()) continue;
          if (best == nullptr || s.kind() < best->kind()) best = &s;
        }
      }
      if (best != nullptr) {
        best_day = day;
        best_bucket = &b;
        break;
      }
    }
  }
  const bool from_heap =
      h != heap_.size() &&
      (best == nullptr ||
       std::make_pair(heap_[h].timer.due, heap_[h].timer.kind) <
           std::make_pair(midnight(best_day), best->kind()));
  if (from_heap) {
    const Timer fired = heap_[h].timer;
    heap_[h] = heap_.back();
    heap_.pop_back();
    std::make_heap(heap_.begin(), heap_.end(), FiresLater{});
    --size_;
    return fired;
  }
  if (best == nullptr) return std::nullopt;
  best->set_gone();  // skipped when its run gets there
  --size_;
  const Timer fired = slot_timer(best_day, *best);
  if (const RunSlots* tail = best_bucket != nullptr ? best_bucket->tail() : nullptr;
      tail != nullptr && best == &(*tail)[best_bucket->tail_min]) {
    find_tail_min(*best_bucket);
  }
  return fired;
}

bool TimerQueue::absence_due(DateTime t) const noexcept {
  for (const Entry& e : heap_) {
    if (!is_case_timer(e.timer.kind) && e.timer.due <= t) return true;
  }
  return false;
}

void TimerQueue::clear() noexcept {
  days_.clear();
  recent_.fill(Recent{});
  active_day_ = INT32_MIN;
  active_.clear();
  runs_.clear();
  merge_.clear();
  heap_.clear();
  size_ = 0;
}

}  // namespace workflow::detail
