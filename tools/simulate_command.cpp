// `workflow simulate [--rules DIR] [--db FILE] [--days N] [--seed S] [--start DATE] [--force]`:
// run the demo hall (simulation.hpp) into an SQLite case store on a virtual clock.
//
// Output contract:
//   stdout: one line per fact of the run ("simulated N working days, FIRST .. LAST, seed S",
//           "cases: N submitted, ...", "services: N bundles, ...", "staff away: ...",
//           "database: FILE"); exit 0.
//   stderr: a progress bar, only when stderr is a terminal.
//   An existing non-empty FILE is refused (exit 2) unless --force, which deletes it (and its
//   -wal/-shm side files) and starts fresh. Bad rules, calendar or store: exit 2,
//   "workflow: error: MESSAGE".
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "simulation.hpp"
#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

struct SimulateArgs {
  std::string rules;  // empty: shipped ningdu
  std::string db = "workflow-demo.db";
  int days = 20;
  std::uint32_t seed = 1;
  std::string start = "2025-12-15";
  bool force = false;
};

void progress_bar(int day, int days) {
  constexpr int width = 40;
  const int filled = days == 0 ? width : day * width / days;
  fmt::print(stderr, "\rsimulating [{}{}] day {}/{}", std::string(filled, '#'),
             std::string(width - filled, ' '), day, days);
  if (day == days) fmt::print(stderr, "\n");
  std::fflush(stderr);
}

int simulate(const SimulateArgs& args) {
  namespace fs = std::filesystem;
  try {
    const fs::path rules_dir = args.rules.empty() ? shipped_ningdu_dir() : fs::path(args.rules);
    const fs::path db = args.db;
    std::error_code ec;
    if (fs::exists(db, ec) && fs::file_size(db, ec) > 0) {
      if (!args.force) {
        fmt::print(stderr, "workflow: error: {} already exists; use --force to replace it\n",
                   db.string());
        return 2;
      }
    }
    SimulationOptions options{.days = args.days, .seed = args.seed, .start = Date::parse(args.start)};
    RuleSet rules = RuleSet::load(rules_dir);
    Calendar calendar = Calendar::load(calendar_for_rules(rules_dir));
    // The run's days must be in the calendar (deadlines beyond it fail later, as they would
    // in a hall): checked before the database is touched.
    calendar.add_working_days(options.start, options.days + 1);
    if (args.force) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db.string() + suffix, ec);
    }
    auto clock = std::make_shared<ManualClock>(DateTime::at(options.start, 7, 0));
    // NORMAL sync: a simulation can be rerun, so it need not sync the WAL on every commit.
    auto store = open_sqlite_store(db, SqliteOptions{.synchronous_full = false});
    const auto started = std::chrono::steady_clock::now();
    SimulationTally tally;
    {
      Engine engine(std::move(rules), std::move(calendar), clock, Options{.store = std::move(store)});
      const bool tty = ::isatty(::fileno(stderr)) == 1;
      tally = simulate_hall(engine, *clock, options,
                            tty ? std::function<void(int, int)>(progress_bar) : nullptr);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto n = [&](const char* key) {
      auto it = tally.counts.find(key);
      return it == tally.counts.end() ? 0 : it->second;
    };
    fmt::print("simulated {} working days, {} .. {}, seed {}\n", tally.days,
               tally.first_day.to_string(), tally.last_day.to_string(), args.seed);
    fmt::print("cases: {} submitted ({} by village agents), {} one complete notices ({} came "
               "back), {} 容缺 acceptances ({} supplied, {} too late), {} suspended (§45)\n",
               n("submitted"), n("by_village_agent"), n("notify_missing"), n("came_back"),
               n("tolerated"), n("tolerated_supplied"), n("tolerated_too_late"), n("suspended"));
    fmt::print("services: {} bundles ({} given the one notice, {} issued), {} cross-region "
               "cases ({} to be issued at another office), {} ratings ({} bad: {} rectification "
               "tasks closed, {} called back)\n",
               n("bundles"), n("bundle_notices"), n("bundle_issued"), n("cross_region"),
               n("cross_region_issue_elsewhere"), n("rated"), n("bad_ratings"),
               n("close_rectification"), n("call_back"));
    fmt::print("staff away: {} on leave, {} on field work, {} out ({} village agents)\n",
               n("absence_leave"), n("absence_field_work"), n("absence_out"), n("agent_away"));
    if (n("engine_refusals") > 0)
      fmt::print("engine refused {} commands of the model (first: {})\n", n("engine_refusals"),
                 tally.first_refusal);
    fmt::print("database: {} ({:.1f} s)\n", db.string(), seconds);
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace

void add_simulate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimulateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Run the demo hall: N simulated working days of the county-township-village rules");
  cmd->add_option("--rules", args->rules, "Rule set directory (default: the shipped rules/ningdu)");
  cmd->add_option("--db", args->db, "SQLite case store to create")->capture_default_str();
  cmd->add_option("--days", args->days, "Working days to simulate")
      ->capture_default_str()
      ->check(CLI::Range(1, 120));
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same database")
      ->capture_default_str();
  cmd->add_option("--start", args->start, "First day (moved to the next working day)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "Replace an existing database");
  cmd->callback([args, &exit_code] { exit_code = simulate(*args); });
}

}  // namespace workflow::cli
