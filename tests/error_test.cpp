// workflow/error.hpp: the one error model.
#include "workflow/error.hpp"

#include <doctest/doctest.h>

#include <string>

using workflow::Diagnostic;
using workflow::Error;
using workflow::ErrorCode;

TEST_CASE("a diagnostic prints as file:line:col: field: message") {
  Diagnostic d{"rules/ningdu/matters.yaml", 41, 21, "matters[3].promised_limit",
               "25 working days exceeds the legal limit of 20"};
  CHECK(d.to_string() ==
        "rules/ningdu/matters.yaml:41:21: matters[3].promised_limit: 25 working days exceeds "
        "the legal limit of 20");
}

TEST_CASE("a whole-file diagnostic has no line or column, a warning says so") {
  Diagnostic whole{"rules/x/a.yaml", 0, 0, "", "cannot be read"};
  CHECK(whole.to_string() == "rules/x/a.yaml: cannot be read");
  Diagnostic warn{"d.yaml", 3, 5, "delegations[0]", "ended on 2024-12-31",
                  Diagnostic::Severity::warning};
  CHECK(warn.to_string() == "d.yaml:3:5: warning: delegations[0]: ended on 2024-12-31");
}

TEST_CASE("an error carries its code and every diagnostic, and what() lists them all") {
  std::vector<Diagnostic> ds{{"a.yaml", 1, 2, "posts[0].b", "unknown staff 's9'"},
                             {"b.yaml", 3, 4, "matters[0].kind", "unknown kind 'urgent'"}};
  const Error e(ErrorCode::rules_invalid, "rule set r has 2 problems", ds);
  CHECK(e.code() == ErrorCode::rules_invalid);
  REQUIRE(e.diagnostics().size() == 2);
  CHECK(std::string(e.what()) ==
        "rule set r has 2 problems\na.yaml:1:2: posts[0].b: unknown staff 's9'\n"
        "b.yaml:3:4: matters[0].kind: unknown kind 'urgent'");
}

TEST_CASE("error codes have stable names") {
  CHECK(to_string(ErrorCode::permission_denied) == "permission_denied");
  CHECK(to_string(ErrorCode::calendar_no_data) == "calendar_no_data");
  CHECK(to_string(ErrorCode::rules_invalid) == "rules_invalid");
  const Error plain(ErrorCode::not_found, "no case 42");
  CHECK(plain.diagnostics().empty());
  CHECK(std::string(plain.what()) == "no case 42");
}
