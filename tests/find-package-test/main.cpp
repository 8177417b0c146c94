// Uses the installed headers, library and shipped rules exactly as a hall system would.
#include <cstdio>
#include <string>

#include <workflow/calendar.hpp>
#include <workflow/rules.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer INSTALLED_RULES_DIR\n");
    return 2;
  }
  const std::string rules_dir = argv[1];
  try {
    const auto calendar = workflow::Calendar::load(rules_dir + "/calendar");
    const auto next = calendar.add_working_days(workflow::Date::parse("2025-09-30"), 1);
    const auto rules = workflow::RuleSet::load(rules_dir + "/ningdu");
    std::printf("consumer: ok: %s after 2025-09-30; %zu matters in ningdu\n",
                next.to_string().c_str(), rules.matters().size());
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
  return 0;
}
