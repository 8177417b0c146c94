// When is it due? A hall system's first use of libworkflow: load the shipped rules and the
// official calendar, look up a matter, and count its promised and legal limits in working
// days from an acceptance date (the acceptance day itself is not counted).
//
//   due_date RULES_DIR CALENDAR_DIR MATTER_CODE ACCEPTED_ON
#include <cstdio>

#include <workflow/calendar.hpp>
#include <workflow/rules.hpp>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: due_date RULES_DIR CALENDAR_DIR MATTER_CODE YYYY-MM-DD\n");
    return 2;
  }
  try {
    const workflow::RuleSet rules = workflow::RuleSet::load(argv[1]);
    const workflow::Calendar calendar = workflow::Calendar::load(argv[2]);
    const auto ref = rules.find_matter(argv[3]);
    if (!ref) {
      std::fprintf(stderr, "due_date: no matter %s in %s\n", argv[3], argv[1]);
      return 1;
    }
    const workflow::Matter& matter = rules.matter(*ref);
    const workflow::Date accepted = workflow::Date::parse(argv[4]);
    const workflow::Date promised = calendar.add_working_days(accepted, matter.promised_limit);
    const workflow::Date legal = calendar.add_working_days(accepted, matter.legal_limit);
    std::printf("%s %s\n", matter.code.c_str(), matter.name.c_str());
    std::printf("accepted %s: promised by %s (%d working days), legal limit %s (%d)\n",
                accepted.to_string().c_str(), promised.to_string().c_str(),
                matter.promised_limit, legal.to_string().c_str(), matter.legal_limit);
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "due_date: %s\n", e.what());
    return 1;
  }
  return 0;
}
