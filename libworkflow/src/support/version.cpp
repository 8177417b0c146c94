#include "workflow/version.hpp"

namespace workflow {

const char* version() noexcept { return WORKFLOW_VERSION_STRING; }

}  // namespace workflow
