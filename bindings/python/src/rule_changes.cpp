// Changing the rules of a live hall: workflow.diff_rules, the plain value types of
// workflow/rule_changes.hpp (RuleChange, CaseReroute, InstallPlan, InstalledRules), and
// RuleSet.files. The engine methods (plan_rules, install_rules, installed_rules) are in
// engine_commands.cpp.
#include <string>
#include <vector>

#include "common.hpp"
#include "handles.hpp"
#include "workflow/rule_changes.hpp"

namespace workflow::python {

void bind_rule_changes(py::module_& m) {
  py::class_<RuleChange>(m, "RuleChange", "One rule entry that differs between two rule sets.")
      .def_property_readonly("entity", [](const RuleChange& c) { return std::string(to_string(c.entity)); },
                             "'office', 'department', 'staff', 'post', 'matter', 'delegation', "
                             "'bundle' or 'policy'.")
      .def_property_readonly("change", [](const RuleChange& c) { return std::string(to_string(c.change)); },
                             "'added', 'removed' or 'changed'.")
      .def_readonly("id", &RuleChange::id, "The entry's id (a matter's code; the policy's field).")
      .def_readonly("fields", &RuleChange::fields,
                    "For 'changed': 'field: old -> new', joined by '; '.")
      .def("__repr__", [](const RuleChange& c) {
        return "<RuleChange " + std::string(to_string(c.entity)) + " " +
               std::string(to_string(c.change)) + " " + c.id + ">";
      });
  py::class_<CaseReroute>(m, "CaseReroute", "An open case an install moves to another post.")
      .def_readonly("case_id", &CaseReroute::id)
      .def_readonly("from_post", &CaseReroute::from_post)
      .def_readonly("to_post", &CaseReroute::to_post)
      .def_readonly("why", &CaseReroute::why)
      .def("__repr__", [](const CaseReroute& r) {
        return "<CaseReroute case " + std::to_string(r.id) + ": " + r.from_post + " -> " +
               r.to_post + ">";
      });
  py::class_<InstallPlan>(m, "InstallPlan",
                          "What installing a rule set does (Engine.plan_rules, Engine.install_rules).")
      .def_readonly("from_version", &InstallPlan::from_version, "The engine's current rule set.")
      .def_readonly("to_version", &InstallPlan::to_version, "The one installed.")
      .def_readonly("changes", &InstallPlan::changes, "list of RuleChange.")
      .def_readonly("open_cases", &InstallPlan::open_cases)
      .def_readonly("keep_old_terms", &InstallPlan::keep_old_terms,
                    "Ids of open cases whose matter changed or was removed: they keep their terms.")
      .def_readonly("reroutes", &InstallPlan::reroutes, "list of CaseReroute.")
      .def_readonly("absences_dropped", &InstallPlan::absences_dropped,
                    "Staff removed from the roster whose recorded absences are dropped.")
      .def_readonly("problems", &InstallPlan::problems,
                    "Why it cannot be installed, every reason; empty if it can.")
      .def_property_readonly("ok", &InstallPlan::ok, "No problems.")
      .def("__repr__", [](const InstallPlan& p) {
        return "<InstallPlan " + p.from_version.substr(0, 12) + " -> " +
               p.to_version.substr(0, 12) + (p.ok() ? " ok" : " refused") + ">";
      });
  py::class_<InstalledRules>(m, "InstalledRules", "A rule set a store's cases have run under.")
      .def_readonly("version", &InstalledRules::version)
      .def_readonly("installed_at", &InstalledRules::installed_at, "Hall-local time.")
      .def_readonly("installed_by", &InstalledRules::installed_by,
                    "Staff id, or the engine's system actor for the first set.")
      .def("__repr__", [](const InstalledRules& r) {
        return "<InstalledRules " + r.version.substr(0, 12) + " " + r.installed_at.to_string() +
               " by " + r.installed_by + ">";
      });
  m.def(
      "diff_rules",
      [](const LoadedRules& from, const LoadedRules& to) {
        py::gil_scoped_release unlocked;
        return diff_rules(from.rules, to.rules);
      },
      py::arg("from_rules"), py::arg("to_rules"),
      "Every entry added, removed or changed from one rule set to another (list of\n"
      "RuleChange), by entity kind and then id.");
}

}  // namespace workflow::python
