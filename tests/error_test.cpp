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

TEST_CASE("an error never carries control characters or broken UTF-8 to a terminal") {
  // ESC [2J would clear the screen, OSC 0 retitle it, BEL ring; a stray byte breaks UTF-8.
  const Error e(ErrorCode::not_found, "unknown staff '\x1b[2J\x1b]0;pwned\x07\xff' at 综合窗口\n");
  CHECK(std::string(e.what()) ==
        "unknown staff '\\x1B[2J\\x1B]0;pwned\\x07\\xFF' at 综合窗口\n");
  const Error d(ErrorCode::rules_invalid, "rule set x has 1 problem",
                {Diagnostic{"a\x1b.yaml", 2, 3, "staff[0].name", "name '\xc2\x9b' is odd"}});
  CHECK(d.diagnostics()[0].file == "a\\x1B.yaml");
  CHECK(d.diagnostics()[0].message == "name '\\u009B' is odd");
  CHECK(std::string(d.what()).find('\x1b') == std::string::npos);
}

TEST_CASE("printable escapes for tools what Error escapes in its messages") {
  // What the command-line tool runs names from rule files and stores through before printing.
  CHECK(workflow::printable("临时救助\x1b[31m\x1b]0;pwned\x07\xc2\x9b" "2J\x7f\xff\tend\n") ==
        "临时救助\\x1B[31m\\x1B]0;pwned\\x07\\u009B2J\\x7F\\xFF\tend\n");
  CHECK(workflow::printable("综合窗口 nd-s017") == "综合窗口 nd-s017");
}

TEST_CASE("identity numbers are masked however they are written") {
  const auto what = [](const std::string& text) {
    return std::string(Error(ErrorCode::invalid_argument, text).what());
  };
  CHECK(what("applicant 36073019900101123X") == "applicant 3607**********123X");
  CHECK(what("applicant 360730199001011234abc") == "applicant 3607**********1234abc");
  CHECK(what("证件 360730 19900101 1234 已登记") == "证件 3607** ******** 1234 已登记");
  CHECK(what("证件３６０７３０１９９００１０１１２３４号") == "证件３６０７**********１２３４号");
  CHECK(what("old 360730900101123") == "old 3607*******1123");
  // Not identity numbers: a longer number, a run inside a hash, a short code.
  CHECK(what("n 1234567890123456789") == "n 1234567890123456789");
  CHECK(what("rules c3a29e0ea2a6123456789012345678") == "rules c3a29e0ea2a6123456789012345678");
  CHECK(what("matter 360730-SCJG-0004") == "matter 360730-SCJG-0004");
}
