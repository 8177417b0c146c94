// workflow-bench: throughput of libworkflow's case engine, db_bench style. Workloads are
// chosen by flag and each prints rows of a readable table and exactly one JSON line (with
// --json); see
// benchmarks/README.md and docs/performance.md.
//
//   workflow-bench [--benchmarks=lifecycle-mem,lifecycle-durable,mixed,open-cases,recovery,export]
//                  [--cases=N] [--threads=1,2,4,8] [--depth=32] [--reuse-db] [--smoke]
//                  [--data-dir=DIR] [--rules=DIR] [--calendar=DIR] [--seed=N]
//                  [--store=sqlite|postgres] [--conninfo=CONNINFO]
//                  [--json=FILE|-] [--no-progress]
//
// Flags take "--flag=value" or "--flag value"; a malformed one is a usage error (exit 2).
// The JSON lines go to --json FILE (appended) or to stdout with --json -, never by default.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "workloads.hpp"
#include "workflow/error.hpp"

namespace {

using namespace bench;

const std::map<std::string, std::function<Result(const Config&, const HallData&)>> kWorkloads = {
    {"lifecycle-mem", run_lifecycle_mem},
    {"lifecycle-durable", run_lifecycle_durable},
    {"mixed", run_mixed},
    {"open-cases", run_open_cases},
    {"recovery", run_recovery},
    {"export", run_export},
};
const std::vector<std::string> kOrder = {"lifecycle-mem", "lifecycle-durable", "mixed", "open-cases", "recovery", "export"};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

struct Cli {
  Config cfg;
  std::string json;  // --json: a file to append the JSON lines to, or "-" for stdout
};

// Flags as CLI11 parses them ("--cases=N" and "--cases N" alike). Returns the exit status if
// the program is to stop now: 0 after --help, 2 after a usage error (reported on stderr).
std::optional<int> parse(int argc, char** argv, Cli& cli) {
  Config& c = cli.cfg;
  c.benchmarks = kOrder;
  c.data_dir = WORKFLOW_BENCH_DATA_DIR;
  c.rules_dir = WORKFLOW_SOURCE_DIR "/rules/ningdu";
  c.calendar_dir = WORKFLOW_SOURCE_DIR "/rules/calendar";
  c.progress = ::isatty(2) != 0;

  CLI::App app{"workflow-bench: throughput of libworkflow's case engine (benchmarks/README.md)",
               "workflow-bench"};
  std::string benchmarks = "all";
  std::string workloads_help = "comma-separated workloads, or all:";
  for (const auto& w : kOrder) workloads_help += " " + w;
  app.add_option("--benchmarks", benchmarks, workloads_help)
      ->check([](const std::string& value) -> std::string {
        if (value == "all") return {};
        if (split(value).empty()) return "no workload named";
        for (const auto& b : split(value))
          if (!kWorkloads.count(b)) return "unknown workload '" + b + "'";
        return {};
      });
  std::uint64_t cases = 0;
  auto* cases_opt =
      app.add_option("--cases", cases, "cases per workload (default: each workload's own)")
          ->check(CLI::PositiveNumber);
  app.add_option("--threads", c.threads, "client threads of lifecycle-durable, e.g. 1,2,4,8")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--depth", c.depth, "commands in flight per pipelined client")
      ->check(CLI::PositiveNumber);
  app.add_option("--seed", c.seed, "seed of the mixed workload");
  app.add_flag("--smoke", c.smoke, "every workload once at a tiny size");
  app.add_flag("--reuse-db", c.reuse_db, "reuse the cached recovery store");
  app.add_flag("--progress,!--no-progress", c.progress,
               "progress on stderr (default: only when stderr is a terminal)");
  std::string data_dir, rules_dir, calendar_dir;
  app.add_option("--data-dir", data_dir, "directory for store files (default build/benchmarks/bench-data)");
  app.add_option("--rules", rules_dir, "rule directory (default: the shipped ningdu rules)");
  app.add_option("--calendar", calendar_dir, "calendar directory (default: the shipped calendar)");
  app.add_option("--store", c.store,
                 "store of lifecycle-durable: sqlite (default) or postgres (a fresh partition "
                 "per run, dropped after it)")
      ->check(CLI::IsMember({"sqlite", "postgres"}));
  app.add_option("--conninfo", c.conninfo,
                 "PostgreSQL database for --store=postgres (libpq conninfo or URI; default "
                 "$WORKFLOW_PG_CONNINFO)");
  app.add_option("--json", cli.json,
                 "append each workload's JSON line to FILE, or print them on stdout with -");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  c.benchmarks = benchmarks == "all" ? kOrder : split(benchmarks);
  if (!cases_opt->empty()) c.cases = cases;
  if (!data_dir.empty()) c.data_dir = data_dir;
  if (!rules_dir.empty()) c.rules_dir = rules_dir;
  if (!calendar_dir.empty()) c.calendar_dir = calendar_dir;
  if (c.threads.empty()) {
    std::fprintf(stderr, "--threads: at least one thread count is needed\n"
                         "Run with --help for more information.\n");
    return 2;
  }
  if (c.conninfo.empty()) {
    const char* env = std::getenv("WORKFLOW_PG_CONNINFO");
    if (env != nullptr) c.conninfo = env;
  }
  if (c.store == "postgres" && c.conninfo.empty()) {
    std::fprintf(stderr, "--store=postgres needs --conninfo (or WORKFLOW_PG_CONNINFO)\n"
                         "Run with --help for more information.\n");
    return 2;
  }
  if (c.smoke) {
    c.progress = false;
    c.data_dir /= fmt::format("smoke-{}", ::getpid());  // concurrent smoke runs do not collide
  }
  return std::nullopt;
}

// The 1-minute load average: the machine may be shared, and a figure means little without it.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

// A workload that measured nothing is a failure. Whether its JSON line parses is checked by
// the smoke test itself (benchmarks/test_bench.py reads it with Python's json module).
bool measured(const Result& r) {
  if (r.seconds > 0 && r.cases > 0) return true;
  std::fprintf(stderr, "workflow-bench: %s: the run measured nothing\n", r.workload.c_str());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Cli cli;
  if (const auto exit_code = parse(argc, argv, cli)) return *exit_code;
  const Config& cfg = cli.cfg;
  // Opened before anything runs, so a bad path fails at once, naming the path and the reason.
  std::FILE* json_out = nullptr;
  if (cli.json == "-") {
    json_out = stdout;
  } else if (!cli.json.empty()) {
    json_out = std::fopen(cli.json.c_str(), "a");
    if (json_out == nullptr) {
      std::fprintf(stderr, "workflow-bench: cannot write --json %s: %s\n", cli.json.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  int failures = 0;
  try {
    const HallData hall = load_hall(cfg);
    std::printf("# workflow-bench: rules %s (version %.12s), %u hardware threads, load average %s%s\n",
                cfg.rules_dir.c_str(), hall.rules.version().c_str(),
                std::thread::hardware_concurrency(), load_average().c_str(), cfg.smoke ? ", smoke mode" : "");
    print_table_header();
    for (const std::string& name : cfg.benchmarks) {
      if (cfg.progress) std::fprintf(stderr, "[%s]\n", name.c_str());
      const Result r = kWorkloads.at(name)(cfg, hall);
      print_table_rows(r);
      if (json_out != nullptr) {
        const std::string line = json_line(r);
        if (std::fprintf(json_out, "%s\n", line.c_str()) < 0 || std::fflush(json_out) != 0) {
          std::fprintf(stderr, "workflow-bench: cannot write --json %s: %s\n", cli.json.c_str(),
                       std::strerror(errno));
          ++failures;
        }
      }
      if (!measured(r)) ++failures;
      if (!cfg.smoke) std::printf("# load average after %s: %s\n", name.c_str(), load_average().c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "workflow-bench: %s\n", e.what());
    failures = -1;
  }
  if (json_out != nullptr && json_out != stdout) std::fclose(json_out);
  if (cfg.smoke) {
    std::error_code ec;
    std::filesystem::remove_all(cfg.data_dir, ec);
  }
  if (failures != 0) return 1;
  if (cfg.smoke) std::printf("# smoke: %zu workloads run\n", cfg.benchmarks.size());
  return 0;
}
