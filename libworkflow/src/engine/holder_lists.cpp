// The clean-ups of the engine's holder lists (holder_lists.hpp).
#include "engine/holder_lists.hpp"

#include <algorithm>

#include "lifecycle/lifecycle.hpp"

namespace workflow::detail {

// One pass in place, no sort: a list of a million entries is cleaned up in milliseconds
// under the lock of the command that doubled it.
void drop_stale_holds(std::vector<CaseId>& held, const CaseTable& cases,
                      const std::vector<CaseId>& touched, StaffRef staff) {
  // The listed records lie scattered over the table, each a miss: asked for a few entries
  // ahead, the misses overlap instead of waiting one after another (the clean-up scans
  // about two entries per entry added).
  constexpr std::size_t kAhead = 8;
  const std::size_t n = held.size();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n && held[i + kAhead] - 1 < cases.size()) {
      const CaseRecord& ahead = cases[held[i + kAhead] - 1];
      __builtin_prefetch(&ahead.holder);
      __builtin_prefetch(&ahead.life);
    }
    const CaseId id = held[i];
    if (id > cases.size()) continue;
    const CaseRecord& c = cases[id - 1];
    if ((c.holder == staff && !is_concluded(c.life.phase)) ||
        std::find(touched.begin(), touched.end(), id) != touched.end()) {
      held[kept++] = id;
    }
  }
  held.resize(kept);
}

void drop_gone_home(std::vector<CaseId>& list, const CaseTable& cases,
                    const std::vector<CaseId>& touched) {
  std::erase_if(list, [&](CaseId id) {
    if (id > cases.size()) return true;
    const CaseRecord& c = cases[id - 1];
    if (c.home_post != kNone && !is_concluded(c.life.phase)) return false;
    return std::find(touched.begin(), touched.end(), id) == touched.end();
  });
}

}  // namespace workflow::detail
