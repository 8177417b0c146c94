// Everything a supervisor or the engine could observe about every case, as one text: two
// engines that print the same text hold the same cases, histories, deadlines and lights.
// For the tests that reopen a store and compare (recovery_test, scenario_random_hall_test).
#pragma once

#include <sstream>
#include <string>

#include "workflow/engine.hpp"

namespace workflow::testing {

inline std::string everything(const Engine& engine) {
  std::ostringstream out;
  for (const CaseView& listed : engine.list()) {
    const CaseView v = engine.get(listed.id);
    out << v.id << ' ' << v.matter << ' ' << to_string(v.state) << (v.suspended ? " S" : "")
        << ' ' << to_string(v.decision) << ' ' << v.office << ' ' << v.post << ' ' << v.holder
        << ' ' << to_string(v.holding) << ' ' << to_string(v.light) << ' '
        << (v.accepted ? v.accepted->to_string() : "-") << ' '
        << (v.promised_deadline ? v.promised_deadline->to_string() : "-") << ' '
        << (v.legal_deadline ? v.legal_deadline->to_string() : "-") << ' '
        << (v.supplement_deadline ? v.supplement_deadline->to_string() : "-") << ' '
        << v.suspended_working_days << ' ' << v.extension_days << ' ' << v.applicant << ' '
        << v.agent << ' ' << v.delegation << ' ' << v.missing_materials.size() << '\n';
    for (const Event& e : v.history) {
      out << "  " << e.seq << ' ' << to_string(e.kind) << ' ' << e.time.to_string() << ' '
          << e.actor << ' ' << e.office << ' ' << e.post << ' ' << e.reason << " | " << e.detail
          << '\n';
    }
  }
  return out.str();
}

}  // namespace workflow::testing
