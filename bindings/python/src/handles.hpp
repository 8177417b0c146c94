// Objects shared between translation units of the extension.
#pragma once

#include <filesystem>

#include "workflow/rules.hpp"

namespace workflow::python {

// A loaded rule set and the directory it came from. The C++ RuleSet does not keep its path;
// the Python side needs it to find the calendar shipped next to the rules (Engine's default).
struct LoadedRules {
  RuleSet rules;
  std::filesystem::path directory;
};

}  // namespace workflow::python
