// The `workflow._workflow` extension module. The public face is the pure-Python package
// `workflow` (workflow/__init__.py), which re-exports these classes next to the exception
// hierarchy (workflow/_errors.py) that errors.cpp raises.
#include "common.hpp"

PYBIND11_MODULE(_workflow, m) {
  m.doc() = "libworkflow's C++ engine; import the `workflow` package instead.";
  m.attr("__version__") = WORKFLOW_VERSION;  // the CMake project version
  using namespace workflow::python;
  bind_errors(m);
  bind_calendar(m);
  bind_rules(m);
  bind_case(m);
  bind_rule_changes(m);
  bind_engine(m);
}
