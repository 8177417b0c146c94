// detail::drop_stale_holds and drop_gone_home: the clean-ups of the engine's lists of cases
// by holder and of cases waiting for their home post. A stale entry is dropped, a live one
// kept in order, and a case the unit in progress touched is kept whatever its record says,
// because rolling that unit back gives the case back to the list's holder.
#include <doctest/doctest.h>

#include <vector>

#include "engine/case_table.hpp"
#include "engine/holder_lists.hpp"

using workflow::CaseId;
using workflow::StaffRef;
using workflow::detail::CaseRecord;
using workflow::detail::CaseTable;
using workflow::detail::drop_gone_home;
using workflow::detail::drop_stale_holds;
using workflow::detail::kNone;
using workflow::detail::Phase;

namespace {

constexpr StaffRef kClerk{4};
constexpr StaffRef kOther{7};

// Cases 1..n, all held by kClerk in back-office review, none away from home.
void open_cases(CaseTable& t, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    CaseRecord& c = t.emplace_back();
    c.id = t.size();
    c.holder = kClerk;
    c.life.phase = Phase::back_office_review;
  }
}

}  // namespace

TEST_CASE("drop_stale_holds keeps the clerk's live cases in order and drops the rest") {
  CaseTable t;
  open_cases(t, 6);
  t[1].holder = kOther;              // case 2: routed on to someone else
  t[3].life.phase = Phase::issued;   // case 4: concluded
  std::vector<CaseId> held = {1, 2, 3, 4, 5, 6, 9};  // 9: no such case
  drop_stale_holds(held, t, {}, kClerk);
  CHECK(held == std::vector<CaseId>{1, 3, 5, 6});
}

TEST_CASE("drop_stale_holds keeps a case the unit in progress routed away: a rollback gives it "
          "back") {
  // The unit routed case 2 away from the clerk and concluded case 4; before it commits, a
  // third case reaches the clerk and the list is cleaned up. Were 2 and 4 dropped, rolling
  // the unit back would return them to the clerk unlisted, and the clerk's going away
  // would leave them behind.
  CaseTable t;
  open_cases(t, 5);
  t[1].holder = kOther;
  t[3].life.phase = Phase::issued;
  std::vector<CaseId> held = {1, 2, 3, 4, 5};
  drop_stale_holds(held, t, {4, 2}, kClerk);
  CHECK(held == std::vector<CaseId>{1, 2, 3, 4, 5});
  // Once the unit is over (nothing touched), the same entries go.
  drop_stale_holds(held, t, {}, kClerk);
  CHECK(held == std::vector<CaseId>{1, 3, 5});
}

TEST_CASE("drop_stale_holds over a list longer than its look-ahead") {
  CaseTable t;
  open_cases(t, 100);
  std::vector<CaseId> held;
  std::vector<CaseId> expected;
  for (CaseId id = 1; id <= 100; ++id) {
    held.push_back(id);
    if (id % 3 == 0) t[id - 1].holder = kOther;
    else expected.push_back(id);
  }
  held.push_back(1000);  // past the table, at the end where the look-ahead stops
  drop_stale_holds(held, t, {}, kClerk);
  CHECK(held == expected);
}

TEST_CASE("drop_gone_home keeps cases still waiting for their home post, and those the unit "
          "touched") {
  CaseTable t;
  open_cases(t, 5);
  for (CaseRecord& c : t) c.home_post = 3;
  t[0].home_post = kNone;            // case 1: its post took it back
  t[2].life.phase = Phase::withdrawn;  // case 3: withdrawn while it waited
  std::vector<CaseId> list = {1, 2, 3, 4, 5, 8};
  std::vector<CaseId> same = list;
  drop_gone_home(list, t, {});
  CHECK(list == std::vector<CaseId>{2, 4, 5});
  drop_gone_home(same, t, {1, 3});
  CHECK(same == std::vector<CaseId>{1, 2, 3, 4, 5});
}
