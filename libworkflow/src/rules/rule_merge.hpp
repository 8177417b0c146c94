// An engine's running rule set across installs. Cases refer to rule entries by index, so the
// running set only ever appends: an install updates organisation entries (offices,
// departments, staff, posts) in place by id, appends new ones, and keeps removed ones as
// retired; a matter, delegation or bundle whose contents changed is appended as a new entry
// and the old one stays for the cases recorded under it. The id look-ups name the installed
// set's entries, so new cases use the new version.
#pragma once

#include "workflow/rules.hpp"

namespace workflow::detail {

// `running` is the engine's set (the first installed set itself, or an earlier merge);
// `next` the set being installed. The result has next's version, files, policy and
// warnings, and every entry of `running` at the same index.
RuleSet merge_rules(const RuleSet& running, const RuleSet& next);

// True if the entry was removed by a later install (always false on a set as loaded).
bool retired(const RuleSet& rules, OfficeRef ref) noexcept;
bool retired(const RuleSet& rules, PostRef ref) noexcept;
bool retired(const RuleSet& rules, StaffRef ref) noexcept;
bool retired(const RuleSet& rules, MatterRef ref) noexcept;

}  // namespace workflow::detail
