// The supervision figures (workflow/supervision.hpp) and the change feed for Python:
// Engine.supervise(), Engine.events_after(), and workflow.open_store(path, read_only=True), a
// reader of a store another process writes. Figures come back as plain dicts (dates as
// datetime.date, rates as {"numerator", "denominator", "value"} with value None for no data),
// so a script can json.dumps them or hand them to pandas without knowing our classes.
// The C++ work runs with the GIL released; only the conversion to dicts holds it.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "py_engine.hpp"
#include "supervision_dicts.hpp"
#include "workflow/store.hpp"
#include "workflow/supervision.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::python {
namespace {

// period: None, "2026Q4" / "2026-11" / "2026", or a (from, to) pair of datetime.date.
SupervisionQuery query_of(const py::object& p, std::string office) {
  SupervisionQuery q;
  q.office = std::move(office);
  if (p.is_none()) return q;
  if (py::isinstance<py::str>(p)) {
    q.period = Period::parse(p.cast<std::string>());
  } else if (py::isinstance<py::tuple>(p) && py::len(p) == 2) {
    try {
      const auto [from, to] = p.cast<std::pair<Date, Date>>();
      q.period = Period{from, to};
    } catch (const py::cast_error&) {
      throw py::type_error("period must be None, a str such as '2026Q4', or a (from, to) pair "
                           "of datetime.date");
    }
  } else {
    throw py::type_error("period must be None, a str such as '2026Q4', or a (from, to) pair of "
                         "datetime.date");
  }
  return q;
}

py::dict batch_dict(const LogBatch& b) {
  py::dict d;
  py::list events;
  for (const LoggedEvent& e : b.events) {
    py::dict x;
    x["position"] = e.position;
    x["event"] = e.event;
    events.append(std::move(x));
  }
  d["events"] = std::move(events);
  d["head_position"] = b.head_position;
  d["head_hash"] = b.head_hash;
  d["last_position"] = b.last_position;
  return d;
}

LogBatch read_batch(const CaseStore& store, long long position, long long limit) {
  if (position < 0) throw Error(ErrorCode::invalid_argument, "events_after: position must be >= 0");
  if (limit <= 0) throw Error(ErrorCode::invalid_argument, "events_after: limit must be >= 1");
  py::gil_scoped_release unlocked;
  return store.events_after(static_cast<std::uint64_t>(position), static_cast<std::size_t>(limit));
}

constexpr const char* kFiguresDoc =
    "The supervision figures (电子监察统计, workflow/supervision.hpp; the same as `workflow\n"
    "report --json`, docs/cli.md) as a dict of plain values: counts are ints, dates\n"
    "datetime.date, rates dicts {'numerator', 'denominator', 'value'} whose value is None when\n"
    "nothing stands behind it (no data, never 0 %); 'units' is the per-unit ranking, best\n"
    "first, 'weeks' the figures per week, 'targets' the seed targets.\n"
    "period: None (every case), '2026Q4', '2026-11', '2026', or a (from, to) pair of\n"
    "datetime.date: the cases received in it. office: an office id (with the offices under it)\n"
    "or a department id; '' for the whole hall. Raises InvalidArgument for an unknown office or\n"
    "a bad period.";

// A reader of a store: no writer lock, every write refused. Each supervise() opens a fresh
// read-only engine on the store, so it sees every commit durable when it starts.
class StoreReader {
 public:
  StoreReader(std::shared_ptr<CaseStore> store, std::string db)
      : store_(std::move(store)), db_(std::move(db)) {}

  std::shared_ptr<CaseStore> get() const {
    std::lock_guard lock(mutex_);
    if (!store_) throw Error(ErrorCode::store_error, "the store " + db_ + " is closed");
    return store_;
  }

  void close() {
    std::shared_ptr<CaseStore> s;
    {
      std::lock_guard lock(mutex_);
      s = std::move(store_);
    }
    if (!s || finalizing()) return;
    py::gil_scoped_release unlocked;
    s.reset();
  }

  // The rule set the store runs now (cached by version: a writer rarely installs one).
  RuleSet current_rules(const CaseStore& store) {
    const std::vector<StoredRuleSet> stored = store.rule_sets();
    if (stored.empty()) {
      throw Error(ErrorCode::store_error,
                  db_ + " holds no rule set yet (no engine has committed to it): pass rules=");
    }
    std::lock_guard lock(mutex_);
    if (!rules_ || rules_->version() != stored.back().version) {
      rules_ = RuleSet::from_files(stored.back().files,
                                   "<stored rule set " + std::to_string(stored.size()) + ">");
    }
    return *rules_;
  }

  const std::string& db() const { return db_; }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<CaseStore> store_;
  std::string db_;
  std::optional<RuleSet> rules_;
};

std::unique_ptr<StoreReader> open_store(const py::object& db, bool read_only,
                                        const std::optional<std::string>& partition) {
  if (!read_only) {
    throw Error(ErrorCode::invalid_argument,
                "open_store: only read_only=True; a store is written through "
                "workflow.Engine(rules, db=...)");
  }
  std::string text;
  if (py::isinstance<py::str>(db)) text = db.cast<std::string>();
  const bool postgres = text.starts_with("postgresql://") || text.starts_with("postgres://");
  std::shared_ptr<CaseStore> store;
  std::string name;
  if (postgres) {
#ifdef WORKFLOW_HAS_POSTGRES
    if (!partition || partition->empty()) {
      throw Error(ErrorCode::invalid_argument,
                  "partition: a PostgreSQL db needs the partition to open, e.g. '360730'");
    }
    PostgresOptions options;
    options.read_only = true;
    options.create = false;
    py::gil_scoped_release unlocked;
    store = open_postgres_store(text, *partition, options);
    name = text;
#else
    throw Error(ErrorCode::invalid_argument,
                "db: this build of libworkflow has no PostgreSQL store (WORKFLOW_POSTGRES=OFF)");
#endif
  } else {
    if (partition) throw Error(ErrorCode::invalid_argument, "partition: only for a postgresql:// db");
    Path path;
    try {
      path = db.cast<Path>();
    } catch (const py::cast_error&) {
      throw py::type_error("db must be a file path or a postgresql:// URI");
    }
    py::gil_scoped_release unlocked;
    store = open_sqlite_store(path, SqliteOptions{.read_only = true, .create = false});
    name = path.string();
  }
  return std::make_unique<StoreReader>(std::move(store), std::move(name));
}

Calendar shipped_calendar() {
  const py::object dir = py::module_::import("workflow").attr("shipped_rules")("calendar");
  const Path path = dir.cast<Path>();
  py::gil_scoped_release unlocked;
  return loading(path, [&] { return Calendar::load(path); });
}

}  // namespace

void bind_supervision(py::module_& m, py::class_<PyEngine>& engine) {
  engine.def(
      "supervise",
      [](const PyEngine& self, const py::object& p, std::string office) {
        SupervisionQuery q = query_of(p, std::move(office));
        auto e = self.get();
        SupervisionFigures f;
        {
          py::gil_scoped_release unlocked;
          f = supervise(*e, q);
        }
        return figures_dict(f);
      },
      py::arg("period") = py::none(), py::kw_only(), py::arg("office") = "",
      (std::string(kFiguresDoc) +
       "\nA read-only engine counts the cases as they were when it opened; "
       "workflow.open_store(db).supervise() reopens on every call.")
          .c_str());
  engine.def(
      "events_after",
      [](const PyEngine& self, long long position, long long limit) {
        auto keep = self.get();  // the store lives as long as the engine
        return batch_dict(read_batch(*self.store, position, limit));
      },
      py::arg("position") = 0, py::arg("limit") = 1000,
      "The change feed (CaseStore::events_after, docs/export.md): the durable events after log\n"
      "position `position` (0: from the start), at most `limit`, as a dict: 'events' (a list\n"
      "of {'position': int, 'event': Event}, positions ascending), 'head_position' and\n"
      "'head_hash' (the hash chain at the batch's last event), 'last_position' (the last\n"
      "durable position). Raises InvalidArgument for a position beyond the last one.");
  engine.def_property_readonly(
      "read_only", [](const PyEngine& self) { return self.get()->read_only(); },
      "True if opened with read_only=True: queries only, every command raises StoreError.");

  py::class_<StoreReader>(
      m, "Store",
      "A case store opened for reading only (workflow.open_store): no writer lock is taken, so\n"
      "another process may run an Engine on it meanwhile; nothing is ever written. Every call\n"
      "sees the commits durable when it starts. Safe to use from several threads.")
      .def(
          "supervise",
          [](StoreReader& self, const py::object& p, std::string office, const py::object& rules,
             const py::object& calendar) {
            SupervisionQuery q = query_of(p, std::move(office));
            auto store = self.get();
            std::optional<RuleSet> given;
            if (!rules.is_none()) {
              if (!py::isinstance<LoadedRules>(rules)) throw py::type_error("rules must be a RuleSet or None");
              given = rules.cast<LoadedRules>().rules;
            }
            if (!calendar.is_none() && !py::isinstance<Calendar>(calendar))
              throw py::type_error("calendar must be a Calendar or None");
            Calendar cal = calendar.is_none() ? shipped_calendar() : calendar.cast<Calendar>();
            SupervisionFigures f;
            {
              py::gil_scoped_release unlocked;
              RuleSet r = given ? *given : self.current_rules(*store);
              // A fresh engine per call: it recovers the store as it is now. Its clock never
              // moves (a read-only engine refuses advance_to anyway).
              Options options;
              options.store = store;
              Engine engine(std::move(r), std::move(cal), std::make_shared<ManualClock>(DateTime{}),
                            std::move(options));
              f = supervise(engine, q);
            }
            return figures_dict(f);
          },
          py::arg("period") = py::none(), py::kw_only(), py::arg("office") = "",
          py::arg("rules") = py::none(), py::arg("calendar") = py::none(),
          (std::string(kFiguresDoc) +
           "\nrules: None for the rule set the store runs now (what its writer installed), or a\n"
           "RuleSet (it must be the store's). calendar: None for the shipped calendar, or a\n"
           "Calendar. Reads the whole store each call (a fresh read-only engine).")
              .c_str())
      .def(
          "events_after",
          [](const StoreReader& self, long long position, long long limit) {
            auto store = self.get();
            return batch_dict(read_batch(*store, position, limit));
          },
          py::arg("position") = 0, py::arg("limit") = 1000,
          "The change feed, as Engine.events_after: {'events': [{'position', 'event'}...],\n"
          "'head_position', 'head_hash', 'last_position'}.")
      .def_property_readonly("read_only", [](const StoreReader& self) { return self.get()->read_only(); })
      .def_property_readonly("db", [](const StoreReader& self) { return self.db(); })
      .def("close", &StoreReader::close, "Closes the store; later calls raise StoreError. Idempotent.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](StoreReader& self, py::args) { self.close(); })
      .def("__repr__", [](const StoreReader& self) { return "<Store " + self.db() + " read-only>"; });
  m.def("open_store", &open_store, py::arg("db"), py::kw_only(), py::arg("read_only") = true,
        py::arg("partition") = py::none(),
        "Opens a case store for reading only: an SQLite file (it must already be a store; an\n"
        "engine in another process may be writing it) or a postgresql:// URI with partition=.\n"
        "read_only=False is refused (InvalidArgument): write through workflow.Engine. Raises\n"
        "StoreError for a missing, empty, corrupt or newer-schema file.");
}

}  // namespace workflow::python
