// The one error model of libworkflow: every failure is a workflow::Error carrying a
// typed code, a message, and (for rule files) every diagnostic with its location.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/export.hpp"

namespace workflow {

// What kind of failure an Error is. The Python layer maps each code to an exception
// class (RuleError, CalendarError, NotFound, PermissionDenied, InvalidTransition, ...),
// so codes are stable: add new ones at the end.
enum class ErrorCode : std::uint8_t {
  invalid_argument,    // a malformed argument: a bad date string, a negative day count
  rules_invalid,       // a rule set failed to load; see Error::diagnostics()
  calendar_invalid,    // a calendar file is malformed; see Error::diagnostics()
  calendar_no_data,    // a date falls in a year for which no calendar is loaded
  not_found,           // an unknown case, matter, post, office or staff id
  permission_denied,   // the actor does not hold the stage it tried to act on
  invalid_transition,  // the command is not allowed in the case's current state
  store_error,         // the case store failed or refused (corrupt, locked, newer schema)
  io_error,            // a file or directory could not be read
};

// The stable lower-case name of a code, e.g. "rules_invalid".
WORKFLOW_EXPORT std::string_view to_string(ErrorCode code) noexcept;

// One problem found in an input file, with the place it was found. A plain value type.
// Lines and columns are 1-based; 0 means "the whole file" (e.g. it cannot be read).
struct WORKFLOW_EXPORT Diagnostic {
  enum class Severity : std::uint8_t { error, warning };

  std::string file;
  int line = 0;
  int column = 0;
  std::string field;    // the offending field, e.g. "matters[2].promised_limit"
  std::string message;  // what is wrong, in a sentence without a trailing period
  Severity severity = Severity::error;

  // "file:line:col: field: message" (warnings add "warning: " before the field);
  // this exact shape is what `workflow validate` prints, one per line.
  std::string to_string() const;
};

// The exception every libworkflow API throws on failure. Copyable and cheap to catch by
// const reference; what() is the full message (for rule errors: every diagnostic, one a line),
// with identity numbers masked. Immutable once thrown: safe to read from any thread.
class WORKFLOW_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message);
  Error(ErrorCode code, const std::string& summary, std::vector<Diagnostic> diagnostics);

  ErrorCode code() const noexcept { return code_; }
  // Every diagnostic, in file order; empty for errors that are not about input files.
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  ErrorCode code_;
  std::vector<Diagnostic> diagnostics_;
};

// Masks resident identity numbers (居民身份证号码) in `text` as 3607**********1234, however
// they are written: what every Error message gets, for tools that show applicants too.
WORKFLOW_EXPORT std::string mask_identity_numbers(std::string_view text);

// `text` safe to print on a terminal or in a page: C0 controls other than newline and tab,
// DEL and bytes that are not UTF-8 written as \xNN, C1 controls as \u0080..\u009F; the
// result is valid UTF-8. What every Error message gets, for tools that print names and
// details from rule files and stores themselves.
WORKFLOW_EXPORT std::string printable(std::string_view text);

}  // namespace workflow
