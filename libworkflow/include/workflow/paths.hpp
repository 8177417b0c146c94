// Where the shipped data is: the rule sets (ningdu/, sandu/) and the working-day calendar
// (calendar/) installed with the library under <prefix>/share/workflow/rules.
#pragma once

#include <filesystem>

#include "workflow/export.hpp"

namespace workflow {

// The first of these that applies:
//   1. $WORKFLOW_RULES_DIR, if set and not empty (honoured even if it is not a directory, so
//      the loader's error names it);
//   2. `hint`, if it is a directory (see shipped_rules_dir() below);
//   3. <the directory of the loaded libworkflow shared library>/<libdir to datadir>/workflow/rules,
//      or <the executable's directory>/../share/workflow/rules, if it is a directory, so an
//      installed tree can be moved as a whole;
//   4. <the install prefix the library was configured with>/share/workflow/rules, if it is a
//      directory;
//   5. the rules/ directory of the source tree the library was built from, if it is one;
//   6. otherwise the configured install path of 4 (which then does not exist).
WORKFLOW_EXPORT std::filesystem::path find_shipped_rules_dir(const char* hint);

// The shipped rules directory: rule sets live in shipped_rules_dir() / "ningdu" and
// / "sandu", the calendar in shipped_rules_dir() / "calendar".
//
// A target linking workflow::workflow through CMake (find_package or add_subdirectory) is
// compiled with WORKFLOW_RULES_DIR_HINT set to the rules directory of the package it found
// (its installed share/workflow/rules, wherever that prefix was installed or moved to; in a
// build tree, the source rules/), which is step 2 above.
inline std::filesystem::path shipped_rules_dir() {
#ifdef WORKFLOW_RULES_DIR_HINT
  return find_shipped_rules_dir(WORKFLOW_RULES_DIR_HINT);
#else
  return find_shipped_rules_dir(nullptr);
#endif
}

}  // namespace workflow
