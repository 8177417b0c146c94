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
#include "workflow/store.hpp"
#include "workflow/supervision.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::python {
namespace {

py::dict rate(const Rate& r) {
  py::dict d;
  d["numerator"] = r.numerator;
  d["denominator"] = r.denominator;
  d["value"] = r.value();
  return d;
}

template <class V>
py::dict counts(const std::map<std::string, V>& m) {
  py::dict d;
  for (const auto& [k, v] : m) d[py::str(k)] = v;
  return d;
}

py::object period(const std::optional<Period>& p) {
  if (!p) return py::none();
  py::dict d;
  d["from"] = p->from;
  d["to"] = p->to;
  return d;
}

py::dict flagged(const FlaggedCase& c) {
  py::dict d;
  d["id"] = c.id;
  d["matter"] = c.matter;
  d["matter_name"] = c.matter_name;
  d["office"] = c.office;
  d["state"] = c.state;
  d["light"] = c.light;
  d["worst_light"] = c.worst_light;
  d["promised_deadline"] = c.promised_deadline;
  d["days_over"] = c.days_over;
  return d;
}

py::dict timing(const MatterTiming& m) {
  py::dict d;
  d["code"] = m.code;
  d["name"] = m.name;
  d["kind"] = m.kind;
  d["office"] = m.office;
  d["promised_limit"] = m.promised_limit;
  d["decided"] = m.decided;
  d["on_time"] = m.on_time;
  d["mean_days_used"] = m.mean_days_used;
  d["max_days_used"] = m.max_days_used;
  return d;
}

py::dict ratings(const RatingFigures& r) {
  py::dict d;
  d["rated"] = r.rated;
  d["by_score"] = counts(r.by_score);
  d["by_channel"] = counts(r.by_channel);
  d["satisfaction"] = rate(r.satisfaction);
  d["bad"] = r.bad;
  d["bad_named"] = r.bad_named;
  d["tasks_opened"] = r.tasks_opened;
  d["tasks_closed"] = r.tasks_closed;
  d["tasks_open"] = r.tasks_open;
  d["handled"] = rate(r.handled);
  d["closed_on_time"] = r.closed_on_time;
  d["on_time"] = rate(r.on_time);
  d["open_overdue"] = r.open_overdue;
  d["by_resolution"] = counts(r.by_resolution);
  d["by_department"] = counts(r.by_department);
  d["named_called_back"] = r.named_called_back;
  d["call_back"] = rate(r.call_back);
  d["named_pending"] = r.named_pending;
  d["anonymous_closed_without_call_back"] = r.anonymous_closed_without_call_back;
  py::list tasks;
  for (const RectificationTask& t : r.tasks) {
    py::dict x;
    x["id"] = t.id;
    x["matter"] = t.matter;
    x["matter_name"] = t.matter_name;
    x["score"] = t.score;
    x["channel"] = t.channel;
    x["named"] = t.named;
    x["department"] = t.department;
    x["state"] = t.state;
    x["resolution"] = t.resolution;
    x["opened"] = t.opened;
    x["due"] = t.due;
    x["closed"] = t.closed;
    x["light"] = t.light;
    x["called_back"] = t.called_back;
    x["on_time"] = t.on_time;
    tasks.append(std::move(x));
  }
  d["tasks"] = std::move(tasks);
  return d;
}

py::dict bundles(const BundleFigures& b) {
  py::dict d;
  d["count"] = b.count;
  d["by_rule"] = counts(b.by_rule);
  d["promised_limit"] = counts(b.promised_limit);
  d["accepted"] = b.accepted;
  d["notified"] = b.notified;
  d["done"] = b.done;
  d["on_time"] = b.on_time;
  d["on_time_rate"] = rate(b.on_time_rate);
  d["open"] = b.open;
  py::dict days;
  for (const auto& [k, v] : b.days_used) days[py::int_(k)] = v;
  d["days_used"] = std::move(days);
  d["light_now"] = counts(b.light_now);
  d["with_denied"] = b.with_denied;
  py::list denied;
  for (const DeniedPart& p : b.denied) {
    py::dict x;
    x["bundle"] = p.bundle;
    x["id"] = p.id;
    x["matter"] = p.matter;
    x["matter_name"] = p.matter_name;
    x["state"] = p.state;
    denied.append(std::move(x));
  }
  d["denied"] = std::move(denied);
  return d;
}

py::dict cross_region(const CrossRegionFigures& c) {
  py::dict d;
  d["cases"] = c.cases;
  d["issue_elsewhere"] = c.issue_elsewhere;
  d["third_office"] = c.third_office;
  d["issued"] = c.issued;
  d["by_matter"] = counts(c.by_matter);
  py::dict offices;
  for (const auto& [id, o] : c.by_office) {
    py::dict x;
    x["accepted_for_others"] = o.accepted_for_others;
    x["handled_for_others"] = o.handled_for_others;
    x["issued_here"] = o.issued_here;
    offices[py::str(id)] = std::move(x);
  }
  d["by_office"] = std::move(offices);
  return d;
}

py::dict proxy(const ProxyFigures& p) {
  py::dict d;
  d["cases"] = p.cases;
  d["notices"] = p.notices;
  d["notices_to_b"] = p.notices_to_b;
  d["followed_by_b"] = p.followed_by_b;
  py::dict posts;
  for (const auto& [id, a] : p.by_post) {
    py::dict x;
    x["station"] = a.station;
    x["cases"] = a.cases;
    x["notices"] = a.notices;
    x["notices_to_b"] = a.notices_to_b;
    x["followed_by_b"] = a.followed_by_b;
    posts[py::str(id)] = std::move(x);
  }
  d["by_post"] = std::move(posts);
  return d;
}

py::dict unit(const UnitFigures& u) {
  py::dict d;
  d["id"] = u.id;
  d["name"] = u.name;
  d["office"] = u.office;
  d["cases"] = u.cases;
  d["decided"] = u.decided;
  d["on_time"] = rate(u.on_time);
  d["instant_share"] = rate(u.instant_share);
  d["first_time_right"] = rate(u.first_time_right);
  d["satisfaction"] = rate(u.satisfaction);
  d["bad_ratings"] = u.bad_ratings;
  d["red_ever"] = u.red_ever;
  d["red_now"] = u.red_now;
  d["handoffs"] = u.handoffs;
  return d;
}

py::dict week(const WeekFigures& w) {
  py::dict d;
  d["from"] = w.from;
  d["to"] = w.to;
  d["received"] = w.received;
  d["decided"] = w.decided;
  d["on_time"] = rate(w.on_time);
  d["first_time_right"] = rate(w.first_time_right);
  return d;
}

py::dict targets(const SupervisionTargets& t) {
  py::dict d;
  d["on_time"] = t.on_time;
  d["instant_share"] = t.instant_share;
  d["first_time_right"] = t.first_time_right;
  d["satisfaction"] = t.satisfaction;
  d["call_back"] = t.call_back;
  d["bundle_on_time"] = t.bundle_on_time;
  return d;
}

// Every field of SupervisionFigures, under its C++ name.
py::dict figures_dict(const SupervisionFigures& f) {
  py::dict d;
  d["period"] = period(f.period);
  d["office"] = f.office;
  d["office_name"] = f.office_name;
  d["hall"] = f.hall;
  d["as_of"] = f.as_of;
  d["rules_version"] = f.rules_version;
  d["cases"] = f.cases;
  d["by_kind"] = counts(f.by_kind);
  d["by_state"] = counts(f.by_state);
  d["by_office"] = counts(f.by_office);
  d["accepted"] = f.accepted;
  d["decided"] = f.decided;
  d["decided_on_time"] = f.decided_on_time;
  d["on_time"] = rate(f.on_time);
  d["instant"] = f.instant;
  d["instant_share"] = rate(f.instant_share);
  d["instant_matters"] = rate(f.instant_matters);
  d["first_time_right"] = f.first_time_right;
  d["first_time_right_rate"] = rate(f.first_time_right_rate);
  d["notices"] = f.notices;
  d["tolerated"] = f.tolerated;
  d["suspended"] = f.suspended;
  d["terminated"] = f.terminated;
  d["ever_light"] = counts(f.ever_light);
  d["light_now"] = counts(f.light_now);
  d["red_ever"] = f.red_ever;
  d["red_now"] = f.red_now;
  py::list worst, times, units, weeks;
  for (const FlaggedCase& c : f.worst) worst.append(flagged(c));
  for (const MatterTiming& m : f.timing) times.append(timing(m));
  for (const UnitFigures& u : f.units) units.append(unit(u));
  for (const WeekFigures& w : f.weeks) weeks.append(week(w));
  d["worst"] = std::move(worst);
  d["timing"] = std::move(times);
  d["handoffs_by_post"] = counts(f.handoffs_by_post);
  d["handoffs"] = f.handoffs;
  d["delegated"] = f.delegated;
  d["delegated_by_township"] = counts(f.delegated_by_township);
  d["delegated_by_mode"] = counts(f.delegated_by_mode);
  d["delegation_lapsed"] = f.delegation_lapsed;
  d["escalated"] = f.escalated;
  d["unresolved"] = f.unresolved;
  d["unresolved_now"] = f.unresolved_now;
  d["unresolved_by_office"] = counts(f.unresolved_by_office);
  d["provisional_now"] = f.provisional_now;
  d["deadlines_recomputed"] = f.deadlines_recomputed;
  d["ratings"] = ratings(f.ratings);
  d["bundles"] = bundles(f.bundles);
  d["cross_region"] = cross_region(f.cross_region);
  d["proxy"] = proxy(f.proxy);
  d["units"] = std::move(units);
  d["last_three"] = f.last_three;
  d["weeks"] = std::move(weeks);
  d["targets"] = targets(f.targets);
  return d;
}

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
