// Finding the shipped rules from the command-line tool.
#pragma once

#include <filesystem>

namespace workflow::cli {

// The shipped `rules/` directory: $WORKFLOW_RULES_DIR if set, else `../share/workflow/rules`
// beside the executable (an installed tool), else the install prefix's data directory, else
// the source tree's `rules/` (a tool run from the build tree). Returns the first that exists,
// or the install location if none does (so error messages name where it was expected).
std::filesystem::path shipped_rules_dir();

// shipped_rules_dir() / "calendar".
std::filesystem::path shipped_calendar_dir();

// The shipped 宁都县 rule set, shipped_rules_dir() / "ningdu": the demo hall's default.
std::filesystem::path shipped_ningdu_dir();

// The calendar for a rule set directory: the `calendar/` directory next to it (the shipped
// layout) if there is one, else shipped_calendar_dir().
std::filesystem::path calendar_for_rules(const std::filesystem::path& rules_dir);

}  // namespace workflow::cli
