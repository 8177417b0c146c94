// A hall on a manual clock, for engine and scenario tests: terse helpers so each test reads
// like the hall's own description of what happened.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "workflow/engine.hpp"

namespace workflow::testing {

inline Calendar shipped_calendar() {
  static const Calendar calendar = Calendar::load(WORKFLOW_SOURCE_DIR "/rules/calendar");
  return calendar;
}

struct Hall {
  explicit Hall(const std::string& rules_dir, const char* start = "2025-03-03T09:00",
                Options options = {})
      : clock(std::make_shared<ManualClock>(DateTime::parse(start))),
        engine(RuleSet::load(rules_dir), shipped_calendar(), clock, std::move(options)) {}

  // Moves the hall's time (and fires what falls due).
  void at(const char* when) { engine.advance_to(DateTime::parse(when)); }

  CaseId submit(const std::string& matter, const std::string& office, const std::string& actor,
                std::vector<std::string> materials, const std::string& applicant = "张三") {
    return engine.submit(Submission{matter, office, actor, applicant, std::move(materials)});
  }

  void act(CaseId id, Verb verb, const std::string& actor, const std::string& reason = {}) {
    Action a;
    a.actor = actor;
    a.reason = reason;
    engine.act(id, verb, a);
  }

  CaseView view(CaseId id) const { return engine.get(id); }
  CaseState state(CaseId id) const { return engine.get(id).state; }

  // The kinds of a case's history, as canonical names, for compact assertions.
  std::vector<std::string> kinds(CaseId id) const {
    std::vector<std::string> out;
    for (const Event& e : engine.get(id).history) out.emplace_back(to_string(e.kind));
    return out;
  }

  std::shared_ptr<ManualClock> clock;
  Engine engine;
};

inline std::string engine_rules() { return WORKFLOW_TEST_DATA_DIR "/rules/engine"; }

}  // namespace workflow::testing

namespace workflow::testing {

inline std::string ningdu_rules() { return WORKFLOW_SOURCE_DIR "/rules/ningdu"; }
inline std::string sandu_rules() { return WORKFLOW_SOURCE_DIR "/rules/sandu"; }
inline Date day(const char* iso) { return Date::parse(iso); }

}  // namespace workflow::testing
