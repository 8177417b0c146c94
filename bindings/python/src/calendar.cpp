// workflow.Calendar: the official working-day calendar. Loading releases the GIL (it reads
// and validates every year file); the queries are microseconds and keep it.
#include "common.hpp"
#include "workflow/calendar.hpp"

namespace workflow::python {

void bind_calendar(py::module_& m) {
  using Holiday = CalendarYear::Holiday;
  py::class_<Holiday>(m, "Holiday", "A run of days off as the State Council notice states it.")
      .def_readonly("name", &Holiday::name, "e.g. '春节'.")
      .def_readonly("first", &Holiday::first, "First day off.")
      .def_readonly("last", &Holiday::last, "Last day off (inclusive).")
      .def("__repr__", [](const Holiday& h) {
        return "<Holiday " + h.name + " " + h.first.to_string() + ".." + h.last.to_string() + ">";
      });

  py::class_<CalendarYear>(m, "CalendarYear", "One year's arrangement as published.")
      .def_readonly("year", &CalendarYear::year)
      .def_readonly("source", &CalendarYear::source, "The notice, e.g. '国办发明电〔2024〕12号'.")
      .def_readonly("holidays", &CalendarYear::holidays)
      .def_readonly("makeup_workdays", &CalendarYear::makeup_workdays,
                    "Saturdays and Sundays declared working days (调休上班).")
      .def_readonly("provisional", &CalendarYear::provisional,
                    "True for a year whose notice is not out yet, built from the statutory\n"
                    "holidays alone: no make-up working days, and its dates may still change.")
      .def("__repr__", [](const CalendarYear& y) {
        return "<CalendarYear " + std::to_string(y.year) + (y.provisional ? " provisional>" : ">");
      });

  py::class_<Calendar>(m, "Calendar",
                       "Official working days (工作日) over the loaded years.\n\n"
                       "There is no fallback: a date outside the loaded years raises\n"
                       "CalendarError (code 'calendar_no_data') naming the year.")
      .def_static(
          "load",
          [](const Path& dir) {
            py::gil_scoped_release unlocked;
            return loading(dir, [&] { return Calendar::load(dir); });
          },
          py::arg("dir"),
          "Loads every year file of `dir` (see docs/calendar.md). Raises CalendarError\n"
          "(code 'calendar_invalid', with .diagnostics) or FileError if `dir` cannot be read.")
      .def("is_working_day", &Calendar::is_working_day, py::arg("day"),
           "A weekday that is not a holiday, or a make-up working day (调休上班).")
      .def("add_working_days", &Calendar::add_working_days, py::arg("start"), py::arg("n"),
           "The n-th working day after `start` (`start` itself is never counted; n=0 is\n"
           "`start`). Raises InvalidArgument for n < 0.")
      .def("working_days_between", &Calendar::working_days_between, py::arg("a"), py::arg("b"),
           "The number of working days d with a < d <= b (0 if b <= a).")
      .def("is_provisional", &Calendar::is_provisional, py::arg("year"),
           "Whether `year` is loaded and provisional (its notice not out yet); False for a\n"
           "year that is not loaded.")
      .def("provisional_between", &Calendar::provisional_between, py::arg("a"), py::arg("b"),
           "Whether any loaded year from min(a, b).year to max(a, b).year is provisional: a\n"
           "deadline counted from a to b may still move when the notice is loaded.")
      .def_property_readonly("first_year", &Calendar::first_year)
      .def_property_readonly("last_year", &Calendar::last_year)
      .def_property_readonly("years", &Calendar::years, "The years as loaded, in order.")
      .def("__repr__", [](const Calendar& c) {
        return "<Calendar " + std::to_string(c.first_year()) + "-" + std::to_string(c.last_year()) +
               ">";
      });
}

}  // namespace workflow::python
