// `workflow simulate [--rules DIR] [--db FILE] [--partition P] [--days N] [--seed S]
// [--start DATE] [--force]`: run the demo hall (simulation.hpp) into a case store on a
// virtual clock: an SQLite file, or a PostgreSQL partition (--db CONNINFO --partition P).
//
// Output contract:
//   stdout: one line per fact of the run ("simulated N working days, FIRST .. LAST, seed S",
//           "cases: N submitted, ...", "services: N bundles, ...", "staff away: ...",
//           "database: FILE"); exit 0.
//   stderr: a progress bar, only when stderr is a terminal.
//   An existing non-empty FILE is refused (exit 2) unless --force, which deletes it (and its
//   -wal/-shm side files) and starts fresh. Bad rules, calendar or store: exit 2,
//   "workflow: error: MESSAGE". The run writes FILE.tmp-PID beside FILE and renames it to FILE
//   when complete; a run that fails on a simulated day says which and leaves FILE as it was.
//   On PostgreSQL the same holds for the partition: one that has events is refused unless
//   --force; the run writes partition P.tmp-PID and moves it onto P in one transaction when
//   complete (a failed run drops it); "database: PostgreSQL partition 'P'" names it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "plural.hpp"
#include "simulation.hpp"
#include "store_target.hpp"
#include "workflow/error.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::cli {
namespace {

void progress_bar(int day, int days) {
  constexpr int width = 40;
  const int filled = days == 0 ? width : day * width / days;
  fmt::print(stderr, "\rsimulating [{}{}] day {}/{}", std::string(filled, '#'),
             std::string(width - filled, ' '), day, days);
  if (day == days) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

// The run's database is written to a temporary file beside FILE and renamed to FILE once the
// run is complete, so a failed or interrupted run never leaves a partial store under FILE.
struct TempDatabase {
  std::filesystem::path path;
  bool keep = false;
  explicit TempDatabase(const std::filesystem::path& target)
      : path(target.string() + fmt::format(".tmp-{}", ::getpid())) {
    remove_with_side_files(path);
  }
  ~TempDatabase() {
    if (!keep) remove_with_side_files(path);
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  static void remove_with_side_files(const std::filesystem::path& db) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(db.string() + suffix, ec);
  }
  // Moves the closed database (and any side file SQLite left) to `target`, replacing it.
  void commit(const std::filesystem::path& target) {
    namespace fs = std::filesystem;
    remove_with_side_files(target);
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm"}) {
      if (fs::exists(path.string() + suffix, ec))
        fs::rename(path.string() + suffix, target.string() + suffix);
    }
    fs::rename(path, target);
    keep = true;
  }
};

#ifdef WORKFLOW_HAS_POSTGRES
// The PostgreSQL counterpart of TempDatabase: a partition P.tmp-PID, moved onto P once the
// run is complete, dropped otherwise.
struct TempPartition {
  std::string conninfo, path;
  bool keep = false;
  TempPartition(std::string conninfo_, const std::string& target)
      : conninfo(std::move(conninfo_)), path(target + fmt::format(".tmp-{}", ::getpid())) {
    drop_postgres_partition(conninfo, path);  // a leftover of an earlier run of this pid
  }
  ~TempPartition() {
    if (keep) return;
    try {
      drop_postgres_partition(conninfo, path);
    } catch (const Error&) {
      // The run's own error is the one to report; the temporary partition is harmless.
    }
  }
  TempPartition(const TempPartition&) = delete;
  TempPartition& operator=(const TempPartition&) = delete;
  void commit(const std::string& target) {
    move_postgres_partition(conninfo, path, target);
    keep = true;
  }
};

// True if the partition exists and holds at least one event.
bool partition_has_events(const StoreTarget& target) {
  const std::vector<std::string> all = postgres_partitions(target.db);
  if (std::find(all.begin(), all.end(), target.partition) == all.end()) return false;
  return target.open_read_only()->events_after(0, 0).last_position > 0;
}
#endif

}  // namespace

int run_simulate(const SimulateArgs& args) {
  namespace fs = std::filesystem;
  try {
    const fs::path rules_dir = args.rules.empty() ? shipped_ningdu_dir() : fs::path(args.rules);
    const StoreTarget target{args.db, args.partition};
    const fs::path db = args.db;
    std::error_code ec;
    if (target.postgres() || !args.partition.empty()) {
      target.check();  // --partition only with a conninfo, which needs one
#ifdef WORKFLOW_HAS_POSTGRES
      if (!args.force && partition_has_events(target)) {
        fmt::print(stderr, "workflow: error: {} already holds a hall; use --force to replace it\n",
                   target.label());
        return 2;
      }
#endif
    } else if (fs::exists(db, ec) && fs::file_size(db, ec) > 0) {
      if (!args.force) {
        fmt::print(stderr, "workflow: error: {} already exists; use --force to replace it\n",
                   db.string());
        return 2;
      }
    }
    SimulationOptions options{.days = args.days, .seed = args.seed, .start = Date::parse(args.start)};
    RuleSet rules = RuleSet::load(rules_dir);
    Calendar calendar = Calendar::load(calendar_for_rules(rules_dir));
    auto clock = std::make_shared<ManualClock>(DateTime::at(options.start, 7, 0));
    std::optional<TempDatabase> temp_file;
    std::unique_ptr<CaseStore> store;
#ifdef WORKFLOW_HAS_POSTGRES
    std::optional<TempPartition> temp_partition;
    if (target.postgres()) {
      temp_partition.emplace(args.db, args.partition);
      // synchronous_commit off: like NORMAL below; the move into place is a synced commit.
      store = open_postgres_store(args.db, temp_partition->path,
                                  PostgresOptions{.synchronous_commit = "off"});
    }
#endif
    if (!store) {
      temp_file.emplace(db);
      // NORMAL sync: a simulation can be rerun, so it need not sync the WAL on every commit.
      store = open_sqlite_store(temp_file->path, SqliteOptions{.synchronous_full = false});
    }
    const auto started = std::chrono::steady_clock::now();
    SimulationTally tally;
    try {
      Engine engine(std::move(rules), std::move(calendar), clock, Options{.store = std::move(store)});
      const bool tty = ::isatty(::fileno(stderr)) == 1;
      tally = simulate_hall(engine, *clock, options,
                            tty ? std::function<void(int, int)>(progress_bar) : nullptr);
    } catch (const SimulationFailed& f) {
      if (::isatty(::fileno(stderr)) == 1) fmt::print(stderr, "\n");  // end the progress bar
      fmt::print(stderr,
                 "workflow: error: simulate: failed on simulated day {} (day {} of {}): {}; {} "
                 "was not written\n",
                 f.day.to_string(), f.n, f.days, f.what(), target.label());
      return 2;
    }
    // The engine is closed: the store is complete.
    if (temp_file) temp_file->commit(db);
#ifdef WORKFLOW_HAS_POSTGRES
    if (temp_partition) temp_partition->commit(args.partition);
#endif
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto n = [&](const char* key) {
      auto it = tally.counts.find(key);
      return it == tally.counts.end() ? 0 : it->second;
    };
    fmt::print("simulated {}, {} .. {}, seed {}\n", plural(tally.days, "working day"),
               tally.first_day.to_string(), tally.last_day.to_string(), args.seed);
    fmt::print("cases: {} submitted ({} by village agents), {} ({} came back), {} ({} supplied, "
               "{} too late), {} suspended (§45)\n",
               n("submitted"), n("by_village_agent"), plural(n("notify_missing"), "one complete notice"),
               n("came_back"), plural(n("tolerated"), "容缺 acceptance"), n("tolerated_supplied"),
               n("tolerated_too_late"), n("suspended"));
    fmt::print("services: {} ({} given the one notice, {} issued), {} ({} to be issued at "
               "another office), {} ({} bad: {} closed, {} called back)\n",
               plural(n("bundles"), "bundle"), n("bundle_notices"), n("bundle_issued"),
               plural(n("cross_region"), "cross-region case"), n("cross_region_issue_elsewhere"),
               plural(n("rated"), "rating"), n("bad_ratings"),
               plural(n("close_rectification"), "rectification task"), n("call_back"));
    fmt::print("告知承诺: {} approved on commitment ({} verified true, {} false, {} revoked)\n",
               n("on_promise"), n("confirm_promise"), n("false_promise"), n("revoke"));
    fmt::print("办不成事: {} sent to the 办不成事 window, {} handed to a unit, {} settled\n",
               plural(n("unresolved_sent"), "case"), n("unresolved_handed"),
               n("unresolved_settled"));
    fmt::print("督办: {} ({} replied, {} closed, {} escalated); 改派: {}\n",
               plural(n("order"), "supervision order"), n("reply_order"), n("close_order"),
               n("escalate_order"), plural(n("reassign"), "reassignment"));
    fmt::print("staff away: {} on leave, {} on field work, {} out ({})\n", n("absence_leave"),
               n("absence_field_work"), n("absence_out"), plural(n("agent_away"), "village agent"));
    if (n("engine_refusals") > 0)
      fmt::print("engine refused {} of the model (first: {})\n",
                 plural(n("engine_refusals"), "command"), tally.first_refusal);
    fmt::print("database: {} ({:.1f} s)\n", target.label(), seconds);
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace workflow::cli
