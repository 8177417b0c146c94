// `workflow rules diff|plan|install|history`: changing the rules of a live hall
// (Engine::plan_rules/install_rules; docs/cli.md, "workflow rules").
//
// Output contract (scripts rely on it):
//   diff OLD NEW: one line per differing entry, "ENTITY CHANGE ID[: FIELDS]", then a summary
//            line "N changes: ..." (or "no entry differs"); exit 0, also when they differ.
//   plan --db DB NEW: the plan (header, changes, open cases, cases keeping their old terms,
//            reroutes, absences dropped, problems) and "plan: ok: ..." (exit 0) or
//            "plan: refused: N problems" (exit 1). The store is never written.
//   install --db DB NEW --actor ID: the same plan, then "installed rule set X over Y"; exit 0.
//            Refused (problems, unknown actor): the plan and "install: refused: ..."; exit 1;
//            the store is untouched.
//   history --db DB: "POSITION VERSION INSTALLED_AT INSTALLED_BY" per stored rule set; exit 0.
//   A rule set directory that does not load: its diagnostics on stdout, like `validate`;
//   exit 1. A missing, damaged or foreign store, bad arguments: "workflow: error: MESSAGE"
//   on stderr; exit 2.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "workflow/engine.hpp"
#include "workflow/error.hpp"
#include "workflow/rule_changes.hpp"
#include "workflow/store.hpp"

namespace workflow::cli {
namespace {

namespace fs = std::filesystem;

std::string short_version(std::string_view v) { return std::string(v.substr(0, 12)); }

// Failures that end a command with a given exit code, after printing.
struct Exit {
  int code;
};

[[noreturn]] void fail(const std::string& message) {
  fmt::print(stderr, "workflow: error: {}\n", message);
  throw Exit{2};
}

// A rule set directory, loaded like `validate` does; its diagnostics printed on failure.
RuleSet load_rules(const std::string& dir) {
  try {
    return RuleSet::load(dir);
  } catch (const Error& e) {
    if (e.diagnostics().empty()) fail(e.what());  // an unreadable directory, named by the message
    for (const Diagnostic& d : e.diagnostics()) fmt::print("{}\n", d.to_string());
    throw Exit{1};
  }
}

std::string change_line(const RuleChange& c) {
  std::string line = fmt::format("{} {} {}", to_string(c.entity), to_string(c.change), c.id);
  if (!c.fields.empty()) line += ": " + c.fields;
  return printable(line);  // ids and field values come from rule files
}

std::string summary_line(const std::vector<RuleChange>& changes) {
  if (changes.empty()) return "no entry differs";
  std::map<std::pair<RuleEntity, ChangeKind>, int> counts;
  for (const RuleChange& c : changes) ++counts[{c.entity, c.change}];
  std::string out = fmt::format("{} change{}:", changes.size(), changes.size() == 1 ? "" : "s");
  bool first = true;
  for (const auto& [key, n] : counts) {
    out += fmt::format("{} {} {} {}", first ? "" : ",", n, to_string(key.first),
                       to_string(key.second));
    first = false;
  }
  return out;
}

std::shared_ptr<Clock> make_clock(const std::string& now) {
  if (now.empty()) return std::make_shared<SystemClock>();
  try {
    return std::make_shared<ManualClock>(DateTime::parse(now));
  } catch (const Error& e) {
    fail(fmt::format("--now: {}", e.what()));
  }
}

void require_file(const std::string& db) {
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) fail(fmt::format("{}: no such database file", db));
}

// A temporary copy of a store (the file and its -wal), removed with this object.
struct TempCopy {
  fs::path dir;
  fs::path db;
  explicit TempCopy(const fs::path& from) {
    std::error_code ec;
    dir = fs::temp_directory_path() / fmt::format("workflow-rules-plan-{}", ::getpid());
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    db = dir / "store.db";
    fs::copy_file(from, db);
    const fs::path wal = fs::path(from.string() + "-wal");
    if (fs::exists(wal, ec)) fs::copy_file(wal, fs::path(db.string() + "-wal"));
  }
  ~TempCopy() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  TempCopy(const TempCopy&) = delete;
  TempCopy& operator=(const TempCopy&) = delete;
};

// An engine on a store, run under the store's own current rule set (or, for a store that
// holds none yet, the one given with --rules).
struct OpenedStore {
  std::unique_ptr<TempCopy> copy;  // set when planning on a copy of a schema-2 store
  std::unique_ptr<Engine> engine;
};

RuleSet current_rules(const CaseStore& store, const RulesInstallArgs& args) {
  const std::vector<StoredRuleSet> sets = store.rule_sets();
  if (sets.empty()) {
    if (args.rules.empty()) {
      fail(fmt::format("{}: the store holds no rule set yet (it was written before stores kept "
                       "their rule sets): give the rule set its cases were recorded under once "
                       "with --rules DIR",
                       args.db));
    }
    return load_rules(args.rules);
  }
  const StoredRuleSet& s = sets.back();
  try {
    return RuleSet::from_files(s.files, fmt::format("<stored rule set {}>", sets.size()));
  } catch (const Error& e) {
    fail(fmt::format("{}: stored rule set {} (version {}) does not load: {}", args.db,
                     sets.size(), short_version(s.version), e.what()));
  }
}

// Opens the store and an engine on it. `writable` false: the file is never written (a
// schema-2 store, which only a writer can migrate, is planned on a temporary copy).
OpenedStore open_store(const RulesInstallArgs& args, bool writable) {
  require_file(args.db);
  OpenedStore out;
  std::unique_ptr<CaseStore> store;
  fs::path path = args.db;
  try {
    store = open_sqlite_store(path, SqliteOptions{.read_only = !writable, .create = false});
  } catch (const Error& e) {
    const bool older = std::string_view(e.what()).find("older than this library") !=
                       std::string_view::npos;
    if (writable || !older) fail(e.what());
    try {
      out.copy = std::make_unique<TempCopy>(path);
      store = open_sqlite_store(out.copy->db, SqliteOptions{.create = false});
    } catch (const Error& e2) {
      fail(e2.what());
    } catch (const fs::filesystem_error& e2) {
      fail(fmt::format("{}: cannot copy it to plan on: {}", args.db, e2.what()));
    }
  }
  try {
    RuleSet rules = current_rules(*store, args);
    const fs::path calendar_dir =
        args.calendar.empty() ? calendar_for_rules(args.new_dir) : fs::path(args.calendar);
    Calendar calendar = Calendar::load(calendar_dir);
    out.engine = std::make_unique<Engine>(std::move(rules), std::move(calendar),
                                          make_clock(args.now),
                                          Options{.store = std::move(store)});
  } catch (const Error& e) {
    fail(fmt::format("{}: {}", args.db, e.what()));
  }
  return out;
}

void print_plan(const InstallPlan& plan, const std::string& db) {
  fmt::print("{}: rule set {} -> {}\n", db, short_version(plan.from_version),
             short_version(plan.to_version));
  for (const RuleChange& c : plan.changes) fmt::print("{}\n", change_line(c));
  fmt::print("{}\n", summary_line(plan.changes));
  fmt::print("open cases: {}\n", plan.open_cases);
  std::string keep;
  for (const CaseId id : plan.keep_old_terms) keep += fmt::format(" {}", id);
  fmt::print("keep old terms: {}{}\n", plan.keep_old_terms.size(),
             keep.empty() ? "" : " (case" + keep + ")");
  fmt::print("rerouted: {}\n", plan.reroutes.size());
  for (const CaseReroute& r : plan.reroutes) {
    fmt::print("case {}: {} -> {} ({})\n", r.id, printable(r.from_post), printable(r.to_post),
               printable(r.why));
  }
  fmt::print("absences dropped: {}\n", plan.absences_dropped.size());
  for (const std::string& s : plan.absences_dropped) fmt::print("absence dropped: {}\n", printable(s));
  for (const std::string& p : plan.problems) fmt::print("problem: {}\n", printable(p));
}

int run_guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const Exit& e) {
    return e.code;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace

int run_rules_diff(const std::string& old_dir, const std::string& new_dir) {
  return run_guarded([&] {
    std::optional<RuleSet> a, b;
    int bad = 0;
    try {
      a = load_rules(old_dir);
    } catch (const Exit& e) {
      bad = e.code;
    }
    try {
      b = load_rules(new_dir);
    } catch (const Exit& e) {
      bad = e.code;
    }
    if (bad) return bad;
    const std::vector<RuleChange> changes = diff_rules(*a, *b);
    for (const RuleChange& c : changes) fmt::print("{}\n", change_line(c));
    fmt::print("{}\n", summary_line(changes));
    return 0;
  });
}

int run_rules_plan(const RulesInstallArgs& args) {
  return run_guarded([&] {
    const RuleSet next = load_rules(args.new_dir);
    OpenedStore opened = open_store(args, /*writable=*/false);
    const InstallPlan p = opened.engine->plan_rules(next, args.actor);
    InstallPlan shown = p;
    if (args.actor.empty()) {
      // No installer named: the plan is about the rules, not about who installs them.
      std::erase_if(shown.problems,
                    [](const std::string& s) { return s.starts_with("no installer named"); });
    }
    print_plan(shown, args.db);
    if (!shown.ok()) {
      fmt::print("plan: refused: {} problem{}\n", shown.problems.size(),
                 shown.problems.size() == 1 ? "" : "s");
      return 1;
    }
    fmt::print("plan: ok: rule set {} can be installed over {}\n", short_version(p.to_version),
               short_version(p.from_version));
    return 0;
  });
}

int run_rules_install(const RulesInstallArgs& args) {
  return run_guarded([&] {
    const RuleSet next = load_rules(args.new_dir);
    {
      // A dry run first, on the store read-only: a refused install never opens it to write.
      OpenedStore preview = open_store(args, /*writable=*/false);
      const InstallPlan p = preview.engine->plan_rules(next, args.actor);
      if (!p.ok()) {
        print_plan(p, args.db);
        fmt::print("install: refused: {} problem{}; the store is unchanged\n", p.problems.size(),
                   p.problems.size() == 1 ? "" : "s");
        return 1;
      }
    }
    OpenedStore opened = open_store(args, /*writable=*/true);
    InstallPlan done;
    try {
      done = opened.engine->install_rules(next, args.actor);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::invalid_argument) throw;
      fmt::print("install: refused: {}\n", e.what());
      return 1;
    }
    print_plan(done, args.db);
    fmt::print("installed rule set {} over {}\n", short_version(done.to_version),
               short_version(done.from_version));
    return 0;
  });
}

int run_rules_history(const std::string& db) {
  return run_guarded([&] {
    require_file(db);
    std::unique_ptr<CaseStore> store;
    try {
      store = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false});
    } catch (const Error& e) {
      fail(e.what());
    }
    const std::vector<StoredRuleSet> sets = store->rule_sets();
    if (sets.empty()) {
      fmt::print("{}: no rule set recorded yet\n", db);
      return 0;
    }
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const StoredRuleSet& s = sets[i];
      std::string note;
      try {
        const RuleSet r = RuleSet::from_files(s.files, fmt::format("<stored rule set {}>", i + 1));
        if (r.version() != s.version) {
          note = fmt::format(" (damaged: its files hash to {})", short_version(r.version()));
        }
      } catch (const Error&) {
        note = " (damaged: its files do not load)";
      }
      fmt::print("{} {} {} {}{}\n", i + 1, s.version, s.installed_at.to_string(),
                 printable(s.installed_by),
                 note);
    }
    return 0;
  });
}

}  // namespace workflow::cli
