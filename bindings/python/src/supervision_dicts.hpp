// Supervision figures as plain Python dicts (dates as datetime.date, rates as
// {"numerator", "denominator", "value"} with value None for no data): what Engine.supervise()
// and Store.supervise() return. Call with the GIL held.
#pragma once

#include <pybind11/pybind11.h>

#include "workflow/supervision.hpp"

namespace workflow::python {

pybind11::dict figures_dict(const SupervisionFigures& f);

}  // namespace workflow::python
