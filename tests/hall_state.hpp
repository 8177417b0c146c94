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
    // The law's other limits, each with its light, and what the deadlines count on.
    const auto date = [](const std::optional<Date>& d) { return d ? d->to_string() : "-"; };
    out << "  limits " << date(v.escalation_review_deadline) << ' '
        << to_string(v.escalation_review_light) << ' ' << date(v.issue_deadline) << ' '
        << to_string(v.issue_light) << ' ' << v.stage << ' ' << date(v.stage_deadline) << ' '
        << to_string(v.stage_light) << ' ' << v.overdue_stages.size() << ' '
        << to_string(v.verification) << ' ' << date(v.verification_deadline) << ' '
        << to_string(v.verification_light) << (v.deadlines_provisional ? " provisional" : "")
        << ' ' << v.rules_version << '\n';
    if (v.rating) out << "  rating " << v.rating->score << ' ' << v.rating->time.to_string() << '\n';
    if (v.rectification) {
      const RectificationView& r = *v.rectification;
      out << "  rectification " << to_string(r.state) << ' ' << r.department << ' '
          << r.due.to_string() << ' ' << date(r.closed) << ' ' << to_string(r.light) << ' '
          << r.resolution << (r.called_back ? " called back" : "") << '\n';
    }
    for (const OrderView& o : v.orders) {
      out << "  order " << o.number << ' ' << o.department << ' ' << o.due.to_string() << ' '
          << to_string(o.state) << ' ' << to_string(o.light) << ' ' << date(o.replied) << '\n';
    }
    for (const ReassignmentView& r : v.reassignments) {
      out << "  reassigned " << r.time.to_string() << ' ' << r.from_post << ' ' << r.to_post << '\n';
    }
    if (v.coordination) {
      const CoordinationView& k = *v.coordination;
      out << "  coordination " << to_string(k.state) << ' ' << k.window << ' ' << k.unit << ' '
          << date(k.due) << ' ' << to_string(k.light) << ' ' << k.outcome << '\n';
    }
    for (const Event& e : v.history) {
      out << "  " << e.seq << ' ' << to_string(e.kind) << ' ' << e.time.to_string() << ' '
          << e.actor << ' ' << e.office << ' ' << e.post << ' ' << e.reason << " | " << e.detail
          << '\n';
    }
  }
  return out.str();
}

}  // namespace workflow::testing
