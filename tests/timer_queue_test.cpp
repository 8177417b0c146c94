// detail::TimerQueue: the engine's pending timers fire in one fixed order (due, subject,
// kind, insertion), so the same inputs always give the same history.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "deadlines/timer_queue.hpp"

using workflow::DateTime;
using workflow::detail::Timer;
using workflow::detail::TimerKind;
using workflow::detail::TimerQueue;

namespace {

DateTime T(const char* text) { return DateTime::parse(text); }

Timer timer(const char* due, std::uint64_t subject, TimerKind kind = TimerKind::light,
            std::uint32_t arg = 0) {
  Timer t;
  t.due = T(due);
  t.subject = subject;
  t.kind = kind;
  t.arg = arg;
  return t;
}

std::vector<Timer> drain(TimerQueue& q, DateTime bound) {
  std::vector<Timer> out;
  while (auto t = q.pop_due(bound)) out.push_back(*t);
  return out;
}

}  // namespace

TEST_CASE("TimerQueue: an empty queue has nothing due") {
  TimerQueue q;
  CHECK(q.empty());
  CHECK(q.size() == 0);
  CHECK_FALSE(q.next_due().has_value());
  CHECK_FALSE(q.pop_due(T("2099-01-01")).has_value());
}

TEST_CASE("TimerQueue: timers pop in due order and next_due follows the earliest") {
  TimerQueue q;
  q.push(timer("2025-10-14", 1));
  q.push(timer("2025-10-09T08:00", 2));
  q.push(timer("2025-11-05", 3));
  q.push(timer("2025-10-09T07:59:59", 4));
  CHECK(q.size() == 4);
  REQUIRE(q.next_due().has_value());
  CHECK(*q.next_due() == T("2025-10-09T07:59:59"));

  const std::vector<Timer> fired = drain(q, T("2030-01-01"));
  REQUIRE(fired.size() == 4);
  CHECK(fired[0].subject == 4);
  CHECK(fired[1].subject == 2);
  CHECK(fired[2].subject == 1);
  CHECK(fired[3].subject == 3);
  CHECK(q.empty());
}

TEST_CASE("TimerQueue: ties break by subject, then kind, then insertion order") {
  TimerQueue q;
  const char* due = "2025-10-15";
  q.push(timer(due, 7, TimerKind::light, 1));
  q.push(timer(due, 3, TimerKind::opinion_share, 1));
  q.push(timer(due, 3, TimerKind::notice_window, 1));
  q.push(timer(due, 7, TimerKind::light, 2));  // same key as the first: inserted later
  q.push(timer(due, 3, TimerKind::supplement_due, 1));
  q.push(timer(due, 7, TimerKind::notice_window, 1));
  q.push(timer(due, 7, TimerKind::light, 3));

  const std::vector<Timer> fired = drain(q, T(due));
  std::vector<std::tuple<std::uint64_t, TimerKind, std::uint32_t>> got;
  for (const Timer& t : fired) got.emplace_back(t.subject, t.kind, t.arg);
  const std::vector<std::tuple<std::uint64_t, TimerKind, std::uint32_t>> want{
      {3, TimerKind::notice_window, 1}, {3, TimerKind::supplement_due, 1},
      {3, TimerKind::opinion_share, 1}, {7, TimerKind::notice_window, 1},
      {7, TimerKind::light, 1},         {7, TimerKind::light, 2},
      {7, TimerKind::light, 3}};
  CHECK(got == want);
}

TEST_CASE("TimerQueue: pop_due respects the bound: due at or before it, never after") {
  TimerQueue q;
  q.push(timer("2025-10-14T00:00:00", 1));
  q.push(timer("2025-10-14T00:00:01", 2));
  q.push(timer("2025-10-13T23:59:59", 3));

  CHECK_FALSE(q.pop_due(T("2025-10-13T23:59:58")).has_value());
  CHECK(q.size() == 3);  // a refused pop leaves the queue as it was

  const std::vector<Timer> first = drain(q, T("2025-10-14T00:00:00"));
  REQUIRE(first.size() == 2);
  CHECK(first[0].subject == 3);
  CHECK(first[1].subject == 1);  // due exactly at the bound: fires
  REQUIRE(q.next_due().has_value());
  CHECK(*q.next_due() == T("2025-10-14T00:00:01"));

  const std::vector<Timer> rest = drain(q, T("2025-10-14T00:00:01"));
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].subject == 2);
}

TEST_CASE("TimerQueue: the timer comes back whole") {
  TimerQueue q;
  Timer t = timer("2025-10-09", 42, TimerKind::absence_end, 9);
  t.generation = 17;
  q.push(t);
  const auto got = q.pop_due(T("2025-10-09"));
  REQUIRE(got.has_value());
  CHECK(got->due == t.due);
  CHECK(got->subject == 42);
  CHECK(got->kind == TimerKind::absence_end);
  CHECK(got->generation == 17);
  CHECK(got->arg == 9);
}

TEST_CASE("TimerQueue: clear empties the queue") {
  TimerQueue q;
  q.push(timer("2025-10-09", 1));
  q.push(timer("2025-10-10", 2));
  q.clear();
  CHECK(q.empty());
  CHECK_FALSE(q.next_due().has_value());
}

TEST_CASE("TimerQueue: many random pushes, interleaved with pops, come out in the total order") {
  // A reference model: every timer with its insertion number, sorted by the documented key.
  struct Ref {
    Timer timer;
    std::uint64_t order;
  };
  const auto key = [](const Ref& r) {
    return std::tuple(r.timer.due, r.timer.subject, r.timer.kind, r.order);
  };

  std::mt19937_64 rng(20251001);  // fixed seed: the test is deterministic
  std::uniform_int_distribution<int> second(0, 2000);  // narrow: many equal due times
  std::uniform_int_distribution<std::uint64_t> subject(1, 5);
  std::uniform_int_distribution<int> kind(0, 5);

  TimerQueue q;
  std::vector<Ref> pending;
  std::uint64_t inserted = 0;
  const DateTime base = T("2025-10-09");
  DateTime bound = base;
  std::size_t popped = 0;

  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 200; ++i) {
      Timer t;
      t.due = base.plus_seconds(second(rng));
      t.subject = subject(rng);
      t.kind = static_cast<TimerKind>(kind(rng));
      t.arg = static_cast<std::uint32_t>(inserted);  // identifies the timer
      q.push(t);
      pending.push_back(Ref{t, inserted++});
    }
    // Pop everything due by a moving bound and compare with the model's order.
    bound = bound.plus_seconds(40);
    std::sort(pending.begin(), pending.end(),
              [&](const Ref& a, const Ref& b) { return key(a) < key(b); });
    std::vector<std::uint32_t> want;
    auto first_later = std::find_if(pending.begin(), pending.end(),
                                    [&](const Ref& r) { return r.timer.due > bound; });
    for (auto it = pending.begin(); it != first_later; ++it) want.push_back(it->timer.arg);
    pending.erase(pending.begin(), first_later);

    std::vector<std::uint32_t> got;
    for (const Timer& t : drain(q, bound)) got.push_back(t.arg);
    REQUIRE(got == want);
    popped += got.size();
    REQUIRE(q.size() == pending.size());
  }
  CHECK(popped > 0);

  // The rest drains fully sorted.
  std::sort(pending.begin(), pending.end(),
            [&](const Ref& a, const Ref& b) { return key(a) < key(b); });
  std::vector<std::uint32_t> want;
  for (const Ref& r : pending) want.push_back(r.timer.arg);
  std::vector<std::uint32_t> got;
  for (const Timer& t : drain(q, T("2099-01-01"))) got.push_back(t.arg);
  CHECK(got == want);
  CHECK(q.empty());
}

TEST_CASE("TimerQueue: the day wheel drains midnights of many runs in the total order, and a "
          "case's own timers can be taken first") {
  // Tens of thousands of timers per midnight (several sorted runs of kRun), a few at other
  // times of day (absences: the heap beside the wheel), pushes for a day being drained, and
  // pop_due_of for random cases, all checked against a model ordered by the documented key.
  using Key = std::tuple<DateTime, std::uint64_t, TimerKind, std::uint64_t>;
  std::set<Key> all;
  std::map<std::uint64_t, std::set<Key>> by_case;
  std::mt19937_64 rng(20261201);
  const DateTime base = T("2026-12-01");
  std::uint64_t inserted = 0;
  TimerQueue q;
  const auto push = [&](int first_day) {
    Timer t;
    const int day = first_day + static_cast<int>(rng() % 3);
    const bool absence = rng() % 50 == 0;
    const int hour = absence ? 1 + static_cast<int>(rng() % 20) : 0;
    t.due = base.plus_seconds(day * 86400 + hour * 3600);
    t.kind = absence ? TimerKind::absence_start : static_cast<TimerKind>(rng() % 4);
    t.subject = 1 + rng() % 4000;
    t.arg = static_cast<std::uint32_t>(inserted);  // identifies the timer
    q.push(t);
    const Key k{t.due, t.subject, t.kind, inserted++};
    all.insert(k);
    if (!absence) by_case[t.subject].insert(k);
  };
  const auto take = [&](const Key& k) {
    all.erase(k);
    if (std::get<2>(k) != TimerKind::absence_start) by_case[std::get<1>(k)].erase(k);
  };
  for (int i = 0; i < 60'000; ++i) push(0);  // ~20,000 a midnight: more than one run
  CHECK(q.size() == all.size());
  DateTime bound = base;
  int taken_first = 0;
  for (int step = 0; step < 200'000 && !all.empty(); ++step) {
    const unsigned op = static_cast<unsigned>(rng() % 100);
    if (op < 3) {
      bound = bound.plus_seconds(7200);
    } else if (op < 8) {
      push(static_cast<int>((bound.seconds() - base.seconds()) / 86400));  // today's too
    } else if (op < 12) {
      const std::uint64_t id = 1 + rng() % 4000;
      const std::optional<Timer> got = q.pop_due_of(id, bound);
      const std::set<Key>& mine = by_case[id];
      if (mine.empty() || std::get<0>(*mine.begin()) > bound) {
        CHECK_FALSE(got.has_value());
      } else {
        const Key want = *mine.begin();
        REQUIRE(got.has_value());
        CHECK(got->arg == static_cast<std::uint32_t>(std::get<3>(want)));
        take(want);
        ++taken_first;
      }
    } else {
      const std::optional<Timer> got = q.pop_due(bound);
      if (std::get<0>(*all.begin()) > bound) {
        CHECK_FALSE(got.has_value());
        REQUIRE(q.next_due().has_value());
        CHECK(*q.next_due() == std::get<0>(*all.begin()));
      } else {
        const Key want = *all.begin();
        REQUIRE(got.has_value());
        REQUIRE(got->arg == static_cast<std::uint32_t>(std::get<3>(want)));
        take(want);
      }
    }
    REQUIRE(q.size() == all.size());
  }
  CHECK(taken_first > 100);
}

TEST_CASE("TimerQueue: absence_due sees only the status board's timers") {
  TimerQueue q;
  q.push(timer("2026-12-02", 7, TimerKind::light));
  CHECK_FALSE(q.absence_due(T("2026-12-03")));
  q.push(timer("2026-12-02T08:00", 3, TimerKind::absence_start));
  CHECK_FALSE(q.absence_due(T("2026-12-02T07:59")));
  CHECK(q.absence_due(T("2026-12-02T08:00")));
  // pop_due_of takes case timers only: subject 3 of an absence is a staff index.
  CHECK_FALSE(q.pop_due_of(3, T("2026-12-03")).has_value());
  CHECK(q.pop_due_of(7, T("2026-12-03"))->kind == TimerKind::light);
}

TEST_CASE("TimerQueue: a wheel slot is 16 bytes, and case ids past 32 and 48 bits come back "
          "whole, in order") {
  // Two timers per open case: the slot's size is a million open cases' memory.
  CHECK(TimerQueue::slot_bytes() == 16);

  constexpr std::uint64_t k32 = std::uint64_t{1} << 32;
  constexpr std::uint64_t k48 = std::uint64_t{1} << 48;
  const std::vector<std::uint64_t> ids = {UINT64_MAX, k48 + 5, k48, k48 - 1, k32 + 7, k32, 3};
  TimerQueue q;
  // Midnight timers (the wheel), a light and a §32 window each, plus one at 10:00 (the heap).
  for (const std::uint64_t id : ids) {
    q.push(timer("2027-01-05", id, TimerKind::light, 2));
    q.push(timer("2027-01-05", id, TimerKind::notice_window, 1));
  }
  q.push(timer("2027-01-04T10:00", k32 + 7, TimerKind::light, 9));
  Timer g = timer("2027-01-05", k48 + 5, TimerKind::opinion_share, 4);
  g.generation = 0xFFFFFFFFu;
  q.push(g);
  CHECK(q.size() == 2 * ids.size() + 2);

  // A command on case 2^32 + 7 fires its own timers first, the heap's earlier one first.
  const std::optional<Timer> own = q.pop_due_of(k32 + 7, T("2027-01-05"));
  REQUIRE(own.has_value());
  CHECK(own->subject == k32 + 7);
  CHECK(own->due == T("2027-01-04T10:00"));
  CHECK(own->arg == 9);
  const std::optional<Timer> own2 = q.pop_due_of(k32 + 7, T("2027-01-05"));
  REQUIRE(own2.has_value());
  CHECK(own2->subject == k32 + 7);
  CHECK(own2->kind == TimerKind::notice_window);
  CHECK(own2->arg == 1);

  const std::vector<Timer> fired = drain(q, T("2027-01-05"));
  std::vector<std::tuple<std::uint64_t, TimerKind, std::uint32_t, std::uint32_t>> got;
  for (const Timer& t : fired) {
    CHECK(t.due == T("2027-01-05"));
    got.emplace_back(t.subject, t.kind, t.generation, t.arg);
  }
  using K = TimerKind;
  const decltype(got) want = {
      {3, K::notice_window, 0, 1},          {3, K::light, 0, 2},
      {k32, K::notice_window, 0, 1},        {k32, K::light, 0, 2},
      {k32 + 7, K::light, 0, 2},            {k48 - 1, K::notice_window, 0, 1},
      {k48 - 1, K::light, 0, 2},            {k48, K::notice_window, 0, 1},
      {k48, K::light, 0, 2},                {k48 + 5, K::notice_window, 0, 1},
      {k48 + 5, K::light, 0, 2},            {k48 + 5, K::opinion_share, 0xFFFFFFFFu, 4},
      {UINT64_MAX, K::notice_window, 0, 1}, {UINT64_MAX, K::light, 0, 2},
  };
  CHECK(got == want);
  CHECK(q.empty());
}

TEST_CASE("TimerQueue: a day emptied out of order and pushed to again keeps its new timers") {
  // The wheel remembers the last buckets it pushed to; a day whose every timer was taken by
  // pop_due_of is dropped when the front is next looked at, and a later push for that day
  // must start a new bucket, not reach the dropped one (under ASan: a use after free).
  TimerQueue q;
  q.push(timer("2026-12-03T00:00", 7));
  q.push(timer("2026-12-05T00:00", 8));
  const auto taken = q.pop_due_of(7, T("2026-12-03T00:00"));
  REQUIRE(taken);
  CHECK(taken->subject == 7);
  CHECK(q.front()->subject == 8);  // 2026-12-03's bucket, left empty, is dropped here
  for (std::uint64_t s : {9, 3}) q.push(timer("2026-12-03T00:00", s));
  CHECK(q.size() == 3);
  const std::vector<Timer> got = drain(q, T("2026-12-05T00:00"));
  REQUIRE(got.size() == 3);
  CHECK(got[0].subject == 3);
  CHECK(got[1].subject == 9);
  CHECK(got[2].subject == 8);
  CHECK(q.empty());
}

TEST_CASE("TimerQueue: next_case_hint names the case the day being drained gives next") {
  TimerQueue q;
  CHECK(q.next_case_hint() == 0);  // nothing is being drained
  q.push(timer("2026-12-03T00:00", 12));
  q.push(timer("2026-12-03T00:00", 4));
  q.push(timer("2026-12-03T00:00", 2, TimerKind::absence_end));  // a staff index, not a case
  CHECK(q.pop_due(T("2026-12-03T00:00"))->subject == 2);
  CHECK(q.next_case_hint() == 4);
  CHECK(q.pop_due(T("2026-12-03T00:00"))->subject == 4);
  CHECK(q.next_case_hint() == 12);
  CHECK(q.pop_due(T("2026-12-03T00:00"))->subject == 12);
  CHECK(q.next_case_hint() == 0);
}
