#include "workflow/error.hpp"

#include <fmt/format.h>

#include "support/identity_mask.hpp"
#include "support/printable.hpp"

namespace workflow {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::rules_invalid: return "rules_invalid";
    case ErrorCode::calendar_invalid: return "calendar_invalid";
    case ErrorCode::calendar_no_data: return "calendar_no_data";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::permission_denied: return "permission_denied";
    case ErrorCode::invalid_transition: return "invalid_transition";
    case ErrorCode::store_error: return "store_error";
    case ErrorCode::io_error: return "io_error";
  }
  return "unknown";
}

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}:{}", line, column);
  }
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  if (!field.empty()) {
    out += field;
    out += ": ";
  }
  out += message;
  return out;
}

namespace {
std::string join(const std::string& summary, const std::vector<Diagnostic>& diagnostics) {
  std::string out = summary;
  for (const Diagnostic& d : diagnostics) {
    out += '\n';
    out += d.to_string();
  }
  return out;
}
}  // namespace

namespace {
// Messages often quote what a caller or a file passed in (an applicant, a staff id, a line of
// YAML): identity numbers are masked and control characters escaped here, once, for every
// error the library raises, so none reaches a log or a terminal raw.
std::string safe(std::string_view text) {
  return detail::printable(detail::mask_identity_numbers(text));
}
}  // namespace

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(safe(message)), code_(code) {}

Error::Error(ErrorCode code, const std::string& summary, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(safe(join(summary, diagnostics))),
      code_(code),
      diagnostics_(std::move(diagnostics)) {
  for (Diagnostic& d : diagnostics_) {
    d.file = detail::printable(d.file);
    d.field = detail::printable(d.field);
    d.message = safe(d.message);
  }
}

}  // namespace workflow
