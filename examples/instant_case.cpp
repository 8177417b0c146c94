// A morning at 三都镇: embed the engine, watch its events, and take one instant case
// (即办件) from the window to the result. Time is an input: the hall's clock is a ManualClock.
//
//   instant_case RULES_DIR CALENDAR_DIR
#include <cstdio>
#include <memory>

#include <workflow/engine.hpp>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: instant_case RULES_DIR CALENDAR_DIR\n");
    return 2;
  }
  try {
    auto clock = std::make_shared<workflow::ManualClock>(
        workflow::DateTime::parse("2025-03-03T09:10"));
    workflow::Engine engine(workflow::RuleSet::load(argv[1]), workflow::Calendar::load(argv[2]),
                            clock);
    engine.subscribe([](const workflow::Event& e) {
      std::printf("%s case %llu #%u %s by %s at %s\n", e.time.to_string().c_str(),
                  static_cast<unsigned long long>(e.case_id), e.seq,
                  std::string(to_string(e.kind)).c_str(), e.actor.c_str(), e.office.c_str());
    });
    const workflow::CaseId id = engine.submit(
        {"430481-SD-SHSW-0001", "ly-sd", "sd-s07", "刘桂英",
         {"居民身份证或户口簿", "城乡居民基本养老保险参保登记表"}});
    workflow::Action clerk;
    clerk.actor = "sd-s07";
    engine.accept(id, clerk);
    engine.act(id, workflow::Verb::approve, clerk);
    clock->set(workflow::DateTime::parse("2025-03-03T09:25"));
    engine.issue(id, clerk);
    const workflow::CaseView v = engine.get(id);
    std::printf("case %llu: %s, %s, %zu events\n", static_cast<unsigned long long>(v.id),
                std::string(to_string(v.state)).c_str(), std::string(to_string(v.decision)).c_str(),
                v.history.size());
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "instant_case: %s\n", e.what());
    return 1;
  }
  return 0;
}
