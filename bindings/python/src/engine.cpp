// workflow.Engine: construction (rules, calendar, store, clock), lifetime (close, with-block)
// and the two intakes, submit and submit_bundle. Opening a store and recovering its cases runs
// with the GIL released. The commands and queries are in engine_commands.cpp.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "py_engine.hpp"
#include "workflow/store.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::python {
namespace {

// A str or os.PathLike argument; a TypeError naming the argument otherwise (a bare cast
// failure would surface as RuntimeError).
template <class T>
T cast_arg(const py::object& value, const char* name, const char* expected) {
  try {
    return value.cast<T>();
  } catch (const py::cast_error&) {
    throw py::type_error(std::string(name) + " must be " + expected + ", not " +
                         py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  }
}

LoadedRules rules_arg(const py::object& rules) {
  if (py::isinstance<LoadedRules>(rules)) return rules.cast<LoadedRules>();
  const Path dir = cast_arg<Path>(rules, "rules", "a RuleSet or a directory");
  py::gil_scoped_release unlocked;
  return loading(dir, [&] { return LoadedRules{RuleSet::load(dir), dir}; });
}

// The fields a Submission and a BundleSubmission share, from the keyword arguments.
template <class Intake>
Intake intake(std::string what, std::string office, std::vector<std::string> materials,
              std::string actor, std::string applicant, std::optional<std::string> issue_office,
              std::optional<std::string> request_id, std::string channel, std::string assisted) {
  Intake s;
  s.channel = parse_name(parse_submission_channel, channel, "submission channel",
                         SubmissionChannel::village_agent);
  s.assisted = parse_name(parse_assistance, assisted, "assistance", Assistance::township);
  if constexpr (std::is_same_v<Intake, Submission>) {
    s.matter = std::move(what);
  } else {
    s.bundle = std::move(what);
  }
  s.office = std::move(office);
  s.actor = std::move(actor);
  s.applicant = std::move(applicant);
  s.materials = std::move(materials);
  s.issue_office = issue_office.value_or("");
  s.request_id = request_id.value_or("");
  return s;
}

// calendar=None means the shipped layout: rules/<hall>/ next to rules/calendar/.
Calendar calendar_arg(const py::object& calendar, const LoadedRules& rules) {
  if (py::isinstance<Calendar>(calendar)) return calendar.cast<Calendar>();
  Path dir;
  if (calendar.is_none()) {
    dir = rules.directory.lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();  // "rules/ningdu/"
    dir = dir.parent_path() / "calendar";
    if (!std::filesystem::is_directory(dir)) {
      throw Error(ErrorCode::invalid_argument,
                  "no calendar given and none next to the rules at " + dir.string() +
                      ": pass calendar=workflow.Calendar.load(DIR) or a directory");
    }
  } else {
    dir = cast_arg<Path>(calendar, "calendar", "a Calendar, a directory or None");
  }
  py::gil_scoped_release unlocked;
  return loading(dir, [&] { return Calendar::load(dir); });
}

std::unique_ptr<PyEngine> make_engine(const py::object& rules, const py::object& calendar,
                                      const py::object& db, const py::object& clock,
                                      bool record_denied_attempts, const std::string& system_actor,
                                      bool synchronous_full, bool install_rules,
                                      const std::string& rules_installer,
                                      const std::optional<std::string>& partition,
                                      bool read_only) {
  LoadedRules loaded = rules_arg(rules);
  Calendar cal = calendar_arg(calendar, loaded);
  std::shared_ptr<Clock> clk = clock.is_none() ? std::make_shared<SystemClock>()
                                               : cast_arg<std::shared_ptr<Clock>>(
                                                     clock, "clock", "a ManualClock, a SystemClock or None");
  std::optional<Path> file;  // none: the in-memory store (or PostgreSQL)
  std::optional<std::string> postgres;  // a postgresql:// URI
  if (py::isinstance<py::str>(db)) {
    const std::string text = db.cast<std::string>();
    if (text.starts_with("postgresql://") || text.starts_with("postgres://")) postgres = text;
  }
  if (postgres) {
#ifndef WORKFLOW_HAS_POSTGRES
    throw Error(ErrorCode::invalid_argument,
                "db: this build of libworkflow has no PostgreSQL store (WORKFLOW_POSTGRES=OFF)");
#endif
    if (!partition || partition->empty()) {
      throw Error(ErrorCode::invalid_argument,
                  "partition: a PostgreSQL db needs the partition to open, e.g. '360730'");
    }
  } else if (partition) {
    throw Error(ErrorCode::invalid_argument, "partition: only for a postgresql:// db");
  } else if (!db.is_none() &&
             !(py::isinstance<py::str>(db) && db.cast<std::string>() == ":memory:")) {
    file = cast_arg<Path>(db, "db", "':memory:', a file path, a postgresql:// URI or None");
  }
  if (read_only && !file && !postgres) {
    throw Error(ErrorCode::invalid_argument,
                "read_only: only for an SQLite file or a postgresql:// db (an in-memory store "
                "has nothing to read)");
  }
  if (read_only && install_rules) {
    throw Error(ErrorCode::invalid_argument, "install_rules: a read-only engine installs nothing");
  }
  Options options;
  options.record_denied_attempts = record_denied_attempts;
  options.system_actor = system_actor;
  options.install_rules = install_rules;
  options.rules_installer = rules_installer;
  std::shared_ptr<Engine> engine;
  std::shared_ptr<CaseStore> store;
  {
    // Opening an SQLite store and recovering its cases can take a while.
    py::gil_scoped_release unlocked;
    if (postgres) {
#ifdef WORKFLOW_HAS_POSTGRES
      PostgresOptions pg;
      pg.read_only = read_only;
      if (read_only) pg.create = false;
      options.store = open_postgres_store(*postgres, *partition, pg);
#endif
    } else if (file) {
      SqliteOptions sqlite;
      sqlite.synchronous_full = synchronous_full;
      sqlite.read_only = read_only;
      sqlite.create = !read_only;
      options.store = open_sqlite_store(*file, sqlite);
    } else {
      options.store = make_memory_store();
    }
    store = options.store;
    engine = std::make_shared<Engine>(loaded.rules, cal, clk, std::move(options));
  }
  return std::make_unique<PyEngine>(std::move(loaded), std::move(cal), std::move(clk),
                                    postgres ? *postgres : file ? file->string() : ":memory:",
                                    std::move(engine), std::move(store));
}

}  // namespace

void bind_engine(py::module_& m) {
  py::class_<PyEngine> cls(
      m, "Engine",
      "The back office of one hall system: rules, calendar, clock, store and cases.\n\n"
      "Engine(rules, calendar=None, *, db=':memory:', clock=None,\n"
      "       record_denied_attempts=True, system_actor='system', synchronous_full=True,\n"
      "       install_rules=False, rules_installer='', partition=None, read_only=False)\n\n"
      "rules: a RuleSet, or a rule directory to load. calendar: a Calendar, a calendar\n"
      "directory, or None for the 'calendar' directory next to the rule directory (the\n"
      "shipped layout rules/<hall>/ + rules/calendar/). db: ':memory:' (or None) for an\n"
      "in-memory store, else the path of an SQLite store, created if missing; an existing\n"
      "store's cases and timers are recovered; or a postgresql:// URI (libpq's form) with\n"
      "partition= naming the hall's partition (e.g. '360730'): the PostgreSQL store, one\n"
      "writer per partition (see docs/deployment.md). clock: a ManualClock, a SystemClock, or None\n"
      "for the SystemClock (China Standard Time). A store that runs another rule set than\n"
      "`rules` raises StoreError, unless install_rules=True: then `rules` is installed on it\n"
      "(as install_rules() does), recorded as done by the staff id rules_installer.\n"
      "read_only=True (reports beside a running hall): open an existing store without taking\n"
      "its writer lock, so another process's engine may write it meanwhile; the engine sees\n"
      "the cases as they were when it opened and every command, advance_to and rule or\n"
      "calendar change raises StoreError (workflow.open_store reads the latest on each call).\n"
      "Close it with close() or a with-block.");
  cls.def(py::init(&make_engine), py::arg("rules"), py::arg("calendar") = py::none(),
          py::kw_only(), py::arg("db") = ":memory:", py::arg("clock") = py::none(),
          py::arg("record_denied_attempts") = true, py::arg("system_actor") = "system",
          py::arg("synchronous_full") = true, py::arg("install_rules") = false,
          py::arg("rules_installer") = "", py::arg("partition") = py::none(),
          py::arg("read_only") = false);
  cls.def(
      "submit",
      [](PyEngine& self, std::string matter, std::string office, std::vector<std::string> materials,
         std::string actor, std::string applicant, std::optional<std::string> issue_office,
         std::optional<std::string> request_id, std::string channel, std::string assisted) {
        const Submission s =
            intake<Submission>(std::move(matter), std::move(office), std::move(materials),
                               std::move(actor), std::move(applicant), std::move(issue_office),
                               std::move(request_id), std::move(channel), std::move(assisted));
        auto engine = self.get();
        py::gil_scoped_release unlocked;
        return engine->submit(s);
      },
      py::arg("matter"), py::arg("office"), py::arg("materials") = std::vector<std::string>{},
      py::kw_only(), py::arg("actor"), py::arg("applicant") = "",
      py::arg("issue_office") = py::none(), py::arg("request_id") = py::none(),
      py::arg("channel") = "window", py::arg("assisted") = "none",
      "Receives an application at a window or village station; returns the case id.\n"
      "issue_office (跨域通办): the office whose window issues the result, for a cross-region\n"
      "matter; None for the accepting office.\n"
      "channel (渠道): window, online, mobile, self_service, post or village_agent (the only\n"
      "one for, and the default of, a village agent's submission). assisted (帮办): none,\n"
      "county (at an office of county level or above) or township (a township or village).\n"
      "Raises NotFound (matter, office, staff), PermissionDenied (the actor holds no window\n"
      "or agent post there) or InvalidArgument (unknown materials, matter not handled there,\n"
      "issue_office given for a matter that is not cross-region).");
  cls.def(
      "submit_bundle",
      [](PyEngine& self, std::string bundle, std::string office,
         std::vector<std::string> materials, std::string actor, std::string applicant,
         std::optional<std::string> issue_office, std::optional<std::string> request_id,
         std::string channel, std::string assisted) {
        const BundleSubmission s = intake<BundleSubmission>(
            std::move(bundle), std::move(office), std::move(materials), std::move(actor),
            std::move(applicant), std::move(issue_office), std::move(request_id),
            std::move(channel), std::move(assisted));
        auto engine = self.get();
        py::gil_scoped_release unlocked;
        return engine->submit_bundle(s);
      },
      py::arg("bundle"), py::arg("office"), py::arg("materials") = std::vector<std::string>{},
      py::kw_only(), py::arg("actor"), py::arg("applicant") = "",
      py::arg("issue_office") = py::none(), py::arg("request_id") = py::none(),
      py::arg("channel") = "window", py::arg("assisted") = "none",
      "Receives a bundle (一件事一次办: one form, one set of materials, one window) and\n"
      "returns its bundle id. Creates one case per matter of the bundle (RuleSet.bundle(id)\n"
      ".matters), in order, each routed to its department and given the materials it needs;\n"
      "every part or none. Raises like submit, and NotFound for an unknown bundle,\n"
      "InvalidArgument if the bundle is not accepted at that office or a material is not one\n"
      "of the bundle's.");
  bind_engine_commands(m, cls);
  bind_supervision(m, cls);
  cls.def_property_readonly("rules", [](const PyEngine& self) { return self.rules; })
      .def_property_readonly("calendar", [](const PyEngine& self) { return self.calendar; })
      .def_property_readonly("clock", [](const PyEngine& self) { return self.clock; })
      .def_property_readonly("db", [](const PyEngine& self) { return self.db; },
                             "':memory:' or the SQLite file's path.")
      .def_property_readonly("closed", [](const PyEngine& self) { return !self.engine; })
      .def("close", &PyEngine::close,
           "Closes the store and drops the observers; later calls raise StoreError. Idempotent.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyEngine& self, py::args) { self.close(); })
      .def("__repr__", [](const PyEngine& self) {
        return std::string("<Engine ") + self.rules.directory.string() + " db=" + self.db +
               (self.engine ? "" : " closed") + ">";
      });
}

}  // namespace workflow::python
