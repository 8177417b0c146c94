// Uses the installed headers, library and shipped rules exactly as a hall system would: the
// rules directory comes from the package config's workflow_RULES_DIR (CONSUMER_RULES_DIR) and
// must be the one workflow::shipped_rules_dir() finds.
#include <cstdio>
#include <filesystem>
#include <string>

#include <workflow/calendar.hpp>
#include <workflow/paths.hpp>
#include <workflow/rules.hpp>
#include <workflow/version.hpp>

int main() {
  const std::filesystem::path rules_dir = CONSUMER_RULES_DIR;
  try {
    std::error_code ec;
    if (!std::filesystem::equivalent(rules_dir, workflow::shipped_rules_dir(), ec)) {
      std::fprintf(stderr, "consumer: workflow_RULES_DIR %s is not shipped_rules_dir() %s\n",
                   rules_dir.c_str(), workflow::shipped_rules_dir().c_str());
      return 1;
    }
    if (std::string(workflow::version()) != WORKFLOW_VERSION_STRING) {
      std::fprintf(stderr, "consumer: library %s, headers %s\n", workflow::version(),
                   WORKFLOW_VERSION_STRING);
      return 1;
    }
    const auto calendar = workflow::Calendar::load(rules_dir / "calendar");
    const auto next = calendar.add_working_days(workflow::Date::parse("2025-09-30"), 1);
    const auto rules = workflow::RuleSet::load(rules_dir / "ningdu");
    std::printf("consumer: ok: %s after 2025-09-30; %zu matters in ningdu; version %s\n",
                next.to_string().c_str(), rules.matters().size(), workflow::version());
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}
