// The engine's lists of cases by who holds them (EngineCore::held_by_, one per person) and
// of cases waiting at the 办不成事 window for their home post (EngineCore::away_from_home_).
// Both are appended to as cases move and cleaned up now and then, never kept exact: an
// entry may be stale, and a reader checks the case record. The clean-ups live here, apart
// from the engine, so that their one subtle rule can be tested alone: an entry whose case
// the unit in progress touched stays listed even when it looks stale, because a rollback
// of that unit gives the case back to the list's holder, and nothing would list it again.
#pragma once

#include <vector>

#include "engine/case_table.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

// Drops the entries of `staff`'s list whose case that person no longer holds, or which is
// concluded, or whose id the table does not have; keeps the rest in their order, and keeps
// every case in `touched` (the unit in progress) whatever its record says now.
void drop_stale_holds(std::vector<CaseId>& held, const CaseTable& cases,
                      const std::vector<CaseId>& touched, StaffRef staff);

// Drops the entries whose case no longer waits for its home post (home_post unset, or the
// case concluded), or whose id the table does not have; keeps those in `touched` as above.
void drop_gone_home(std::vector<CaseId>& list, const CaseTable& cases,
                    const std::vector<CaseId>& touched);

}  // namespace workflow::detail
