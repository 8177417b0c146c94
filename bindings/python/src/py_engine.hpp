// The Python-side engine object and the holder of Python observers, shared by engine.cpp
// (construction, lifetime) and engine_commands.cpp (commands, queries, observers).
#pragma once

#include <memory>
#include <string>

#include "common.hpp"
#include "handles.hpp"
#include "workflow/engine.hpp"

namespace workflow::python {

inline bool finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

// A Python callable held from C++. Copies of the engine's std::function share one holder, so
// the callable is released once, with the GIL (or leaked at interpreter exit, when taking the
// GIL is no longer safe). An exception from the callable must not escape into the engine; it
// goes to sys.unraisablehook rather than out of the command, because the command is already
// durable: failing it would tell the caller it did not happen (and lose submit's case id).
struct PyObserver {
  py::object fn;
  explicit PyObserver(py::object f) : fn(std::move(f)) {}
  PyObserver(const PyObserver&) = delete;
  PyObserver& operator=(const PyObserver&) = delete;
  ~PyObserver() {
    if (!Py_IsInitialized() || finalizing()) {
      fn.release();
      return;
    }
    py::gil_scoped_acquire gil;
    fn = py::object();
  }
  void operator()(const Event& e) const {
    if (!Py_IsInitialized() || finalizing()) return;
    py::gil_scoped_acquire gil;
    try {
      fn(e);
    } catch (py::error_already_set& err) {
      err.discard_as_unraisable(fn);
    } catch (const std::exception& ex) {  // e.g. a cast failure: report it the same way
      PyErr_SetString(PyExc_RuntimeError, ex.what());
      PyErr_WriteUnraisable(fn.ptr());
    }
  }
};

// The Python-side engine: the C++ engine plus what it was built from. The engine is held by
// shared_ptr so a call in flight on another thread keeps it alive across close().
struct PyEngine {
  LoadedRules rules;
  Calendar calendar;
  std::shared_ptr<Clock> clock;
  std::string db;
  std::shared_ptr<Engine> engine;
  // The engine's store, for the change feed (events_after); kept with the engine.
  std::shared_ptr<CaseStore> store;

  std::shared_ptr<Engine> get() const {
    if (!engine) throw Error(ErrorCode::store_error, "the engine is closed");
    return engine;
  }
  // Destroys the engine (closing its store) without the GIL: it may wait for the store.
  void close() {
    std::shared_ptr<Engine> e = std::move(engine);
    if (!e) return;
    store.reset();  // the engine holds it too: closed with the engine below
    if (finalizing()) return e.reset();
    py::gil_scoped_release unlocked;
    e.reset();
  }
  PyEngine(LoadedRules r, Calendar c, std::shared_ptr<Clock> k, std::string d,
           std::shared_ptr<Engine> e, std::shared_ptr<CaseStore> s)
      : rules(std::move(r)), calendar(std::move(c)), clock(std::move(k)), db(std::move(d)),
        engine(std::move(e)), store(std::move(s)) {}
  PyEngine(const PyEngine&) = delete;
  PyEngine& operator=(const PyEngine&) = delete;
  ~PyEngine() { close(); }
};

void bind_engine_commands(py::module_& m, py::class_<PyEngine>& cls);
// Engine.supervise, Engine.events_after, Engine.read_only, workflow.open_store (supervision.cpp).
void bind_supervision(py::module_& m, py::class_<PyEngine>& cls);

}  // namespace workflow::python
