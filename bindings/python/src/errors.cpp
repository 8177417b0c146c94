// workflow::Error -> the Python exception hierarchy. The classes themselves are plain Python
// (workflow/_errors.py) so they can inherit from builtins (ValueError, LookupError, OSError)
// and carry docstrings; here we only pick the class by the error's canonical code name and
// hand it the C++ message and diagnostics.
#include <string>

#include "common.hpp"

namespace workflow::python {
namespace {

py::list diagnostics_of(const Error& e) {
  py::list out;
  for (const Diagnostic& d : e.diagnostics()) out.append(py::cast(d));
  return out;
}

// Raises the Python exception for `e` (sets the error indicator). Falls back to RuntimeError
// if the package is not importable, e.g. when the extension is loaded on its own.
// `filename`: the path of a FileError (None otherwise); _errors.FileError derives .errno.
void raise_python(const Error& e, py::object filename = py::none()) {
  const std::string code(to_string(e.code()));
  try {
    py::object cls = py::module_::import("workflow._errors").attr("class_for_code")(code);
    py::object exc =
        e.code() == ErrorCode::io_error
            ? cls(e.what(), py::arg("code") = code, py::arg("diagnostics") = diagnostics_of(e),
                  py::arg("filename") = filename)
            : cls(e.what(), py::arg("code") = code, py::arg("diagnostics") = diagnostics_of(e));
    PyErr_SetObject(cls.ptr(), exc.ptr());
  } catch (py::error_already_set&) {
    PyErr_SetString(PyExc_RuntimeError, (code + ": " + e.what()).c_str());
  }
}

}  // namespace

void bind_errors(py::module_& m) {
  py::class_<Diagnostic>(m, "Diagnostic",
                         "One problem found in a rule or calendar file, with where it was found.")
      .def_readonly("file", &Diagnostic::file, "The file: the directory as given joined with the name.")
      .def_readonly("line", &Diagnostic::line, "1-based line; 0 for the whole file.")
      .def_readonly("column", &Diagnostic::column, "1-based column in characters; 0 for the whole file.")
      .def_readonly("field", &Diagnostic::field, "The offending field, e.g. 'matters[2].promised_limit'.")
      .def_readonly("message", &Diagnostic::message, "What is wrong, as a sentence.")
      .def_property_readonly(
          "severity",
          [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::warning ? "warning" : "error";
          },
          "'error' or 'warning'.")
      .def("__str__", &Diagnostic::to_string)
      .def("__repr__", [](const Diagnostic& d) { return "<Diagnostic " + d.to_string() + ">"; });

  py::tuple codes(static_cast<std::size_t>(ErrorCode::io_error) + 1);
  for (int i = 0; i <= static_cast<int>(ErrorCode::io_error); ++i) {
    codes[static_cast<std::size_t>(i)] = py::str(std::string(to_string(static_cast<ErrorCode>(i))));
  }
  m.attr("ERROR_CODES") = codes;

  // For the test suite: raise an Error of any code, to check the mapping of every code
  // (io_error and store_error are hard to provoke on purpose from a test).
  m.def(
      "_raise_error",
      [](const std::string& code, const std::string& message) {
        for (int i = 0; i <= static_cast<int>(ErrorCode::io_error); ++i) {
          if (to_string(static_cast<ErrorCode>(i)) == code) {
            throw Error(static_cast<ErrorCode>(i), message);
          }
        }
        throw Error(ErrorCode::invalid_argument, "unknown error code '" + code + "'");
      },
      py::arg("code"), py::arg("message"));

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PathError& e) {
      raise_python(e, py::str(e.path.string()));
    } catch (const Error& e) {
      raise_python(e);
    }
  });
}

}  // namespace workflow::python
