// workflow/paths.hpp: where the shipped rule sets and calendar are found.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "workflow/calendar.hpp"
#include "workflow/paths.hpp"
#include "workflow/rules.hpp"

namespace fs = std::filesystem;

namespace {

// Sets or unsets WORKFLOW_RULES_DIR for one test case, restoring it afterwards.
class RulesDirEnv {
 public:
  explicit RulesDirEnv(const char* value) {
    if (const char* old = std::getenv("WORKFLOW_RULES_DIR")) old_ = old;
    if (value) {
      ::setenv("WORKFLOW_RULES_DIR", value, 1);
    } else {
      ::unsetenv("WORKFLOW_RULES_DIR");
    }
  }
  ~RulesDirEnv() {
    if (old_) {
      ::setenv("WORKFLOW_RULES_DIR", old_->c_str(), 1);
    } else {
      ::unsetenv("WORKFLOW_RULES_DIR");
    }
  }
  RulesDirEnv(const RulesDirEnv&) = delete;
  RulesDirEnv& operator=(const RulesDirEnv&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("paths: in the build tree the shipped rules are the source tree's rules/") {
  RulesDirEnv env(nullptr);
  const fs::path dir = workflow::shipped_rules_dir();
  CHECK(fs::equivalent(dir, fs::path(WORKFLOW_SOURCE_DIR) / "rules"));
  CHECK(workflow::RuleSet::load(dir / "sandu").matters().size() > 0);
  CHECK(workflow::Calendar::load(dir / "calendar").is_working_day(workflow::Date::parse("2025-10-11")));
}

TEST_CASE("paths: WORKFLOW_RULES_DIR overrides everything, even a path that is not there") {
  RulesDirEnv env("/nonexistent/rules");
  CHECK(workflow::shipped_rules_dir() == fs::path("/nonexistent/rules"));
  CHECK(workflow::find_shipped_rules_dir(WORKFLOW_SOURCE_DIR "/rules") == fs::path("/nonexistent/rules"));
}

TEST_CASE("paths: an empty WORKFLOW_RULES_DIR is ignored, a hint that is no directory skipped") {
  RulesDirEnv env("");
  CHECK(fs::equivalent(workflow::find_shipped_rules_dir(WORKFLOW_SOURCE_DIR "/rules/../rules"),
                       fs::path(WORKFLOW_SOURCE_DIR) / "rules"));
  const fs::path fallback = workflow::find_shipped_rules_dir("/nonexistent/hint");
  CHECK(fallback != fs::path("/nonexistent/hint"));
  CHECK(fs::is_directory(fallback / "calendar"));
}
