// Shared by every translation unit of the extension: the date/time type casters and the
// helpers that turn canonical names into enums (and back) with errors that list the valid
// names. Enums cross the boundary as the canonical lower-case strings of case.hpp/rules.hpp,
// never as Python enum objects, so scripts, logs and the SQLite columns read the same.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <datetime.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/clock.hpp"
#include "workflow/date.hpp"
#include "workflow/error.hpp"

namespace py = pybind11;

namespace pybind11::detail {

// datetime.date <-> workflow::Date. A datetime.datetime is refused (it is a date subclass in
// Python): silently dropping the time of day would hide mistakes in working-day arithmetic.
template <>
struct type_caster<workflow::Date> {
  PYBIND11_TYPE_CASTER(workflow::Date, const_name("datetime.date"));

  bool load(handle src, bool) {
    if (!PyDateTimeAPI) PyDateTime_IMPORT;
    if (!src || !PyDate_Check(src.ptr()) || PyDateTime_Check(src.ptr())) return false;
    value = workflow::Date::from_ymd(PyDateTime_GET_YEAR(src.ptr()), PyDateTime_GET_MONTH(src.ptr()),
                                     PyDateTime_GET_DAY(src.ptr()));
    return true;
  }
  static handle cast(workflow::Date d, return_value_policy, handle) {
    if (!PyDateTimeAPI) PyDateTime_IMPORT;
    return PyDate_FromDate(d.year(), d.month(), d.day());
  }
};

// datetime.datetime <-> workflow::DateTime (hall-local China Standard Time, to the second).
// Naive values are taken as hall-local time; aware ones are converted to UTC+8 first.
// Microseconds are dropped: the engine's time is to the second.
template <>
struct type_caster<workflow::DateTime> {
  PYBIND11_TYPE_CASTER(workflow::DateTime, const_name("datetime.datetime"));

  bool load(handle src, bool) {
    if (!PyDateTimeAPI) PyDateTime_IMPORT;
    if (!src || !PyDateTime_Check(src.ptr())) return false;
    object local = reinterpret_borrow<object>(src);
    if (!src.attr("tzinfo").is_none()) {
      object cst = reinterpret_steal<object>(
          PyTimeZone_FromOffset(PyDelta_FromDSU(0, 8 * 3600, 0)));
      local = src.attr("astimezone")(cst);
    }
    PyObject* p = local.ptr();
    const workflow::Date day = workflow::Date::from_ymd(
        PyDateTime_GET_YEAR(p), PyDateTime_GET_MONTH(p), PyDateTime_GET_DAY(p));
    value = workflow::DateTime::at(day, PyDateTime_DATE_GET_HOUR(p), PyDateTime_DATE_GET_MINUTE(p),
                                   PyDateTime_DATE_GET_SECOND(p));
    return true;
  }
  static handle cast(workflow::DateTime t, return_value_policy, handle) {
    if (!PyDateTimeAPI) PyDateTime_IMPORT;
    const workflow::Date d = t.date();
    const int s = t.seconds_of_day();
    return PyDateTime_FromDateAndTime(d.year(), d.month(), d.day(), s / 3600, s / 60 % 60, s % 60,
                                      0);
  }
};

}  // namespace pybind11::detail

namespace workflow::python {

// Every canonical name of an enum whose values run 0..last (case.hpp keeps them dense).
template <class Enum>
std::vector<std::string> names_of(Enum last) {
  std::vector<std::string> out;
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    out.emplace_back(to_string(static_cast<Enum>(i)));
  }
  return out;
}

// Parses a canonical name, or throws Error(invalid_argument) naming the bad value and
// listing the valid ones (the Python side sees workflow.InvalidArgument).
template <class Enum, class Parser>
Enum parse_name(Parser parse, std::string_view value, std::string_view what, Enum last) {
  if (auto e = parse(value)) return *e;
  std::string message = "unknown " + std::string(what) + " '" + std::string(value) + "'; valid: ";
  const auto names = names_of(last);
  for (std::size_t i = 0; i < names.size(); ++i) message += (i ? ", " : "") + names[i];
  throw Error(ErrorCode::invalid_argument, message);
}

// str(enum) for the Python side.
template <class Enum>
std::string name(Enum e) {
  return std::string(to_string(e));
}

// A path argument: str or os.PathLike, as pybind11's filesystem caster accepts.
using Path = std::filesystem::path;

// An io_error about a known path: raised as FileError with .filename and .errno set (the
// C++ error carries only a message).
struct PathError : Error {
  PathError(const Error& e, Path p) : Error(e), path(std::move(p)) {}
  Path path;
};

// Runs `load()`, a loader of the directory `dir`; an io_error becomes a PathError.
template <class F>
auto loading(const Path& dir, F&& load) {
  try {
    return load();
  } catch (const PathError&) {
    throw;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::io_error) throw PathError(e, dir);
    throw;
  }
}

// Registration functions, one per translation unit.
void bind_errors(py::module_& m);
void bind_calendar(py::module_& m);
void bind_rules(py::module_& m);
void bind_case(py::module_& m);
void bind_engine(py::module_& m);
void bind_rule_changes(py::module_& m);

}  // namespace workflow::python
