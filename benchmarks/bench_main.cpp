// workflow-bench: throughput of libworkflow's case engine, db_bench style. Workloads are
// chosen by flag and each prints rows of a readable table and exactly one JSON line; see
// benchmarks/README.md and docs/performance.md.
//
//   workflow-bench [--benchmarks=lifecycle-mem,lifecycle-durable,mixed,open-cases,recovery]
//                  [--cases=N] [--threads=1,2,4,8] [--depth=32] [--reuse-db] [--smoke]
//                  [--data-dir=DIR] [--rules=DIR] [--calendar=DIR] [--seed=N]
//                  [--json=FILE] [--no-progress]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

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
};
const std::vector<std::string> kOrder = {"lifecycle-mem", "lifecycle-durable", "mixed", "open-cases", "recovery"};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

[[noreturn]] void usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: workflow-bench [--benchmarks=LIST|all] [--cases=N] [--threads=1,2,4,8]\n"
               "                      [--depth=N] [--reuse-db] [--smoke] [--data-dir=DIR]\n"
               "                      [--rules=DIR] [--calendar=DIR] [--seed=N] [--json=FILE]\n"
               "                      [--no-progress]\n"
               "workloads: lifecycle-mem lifecycle-durable mixed open-cases recovery\n");
  std::exit(code);
}

struct Cli {
  Config cfg;
  std::string json_file;
};

Cli parse(int argc, char** argv) {
  Cli cli;
  Config& c = cli.cfg;
  c.benchmarks = kOrder;
  c.data_dir = WORKFLOW_BENCH_DATA_DIR;
  c.rules_dir = WORKFLOW_SOURCE_DIR "/rules/ningdu";
  c.calendar_dir = WORKFLOW_SOURCE_DIR "/rules/calendar";
  c.progress = ::isatty(2) != 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    auto number = [&] {
      try {
        return std::stoull(value);
      } catch (...) {
        std::fprintf(stderr, "workflow-bench: %s needs a number\n", key.c_str());
        usage(2);
      }
    };
    if (key == "--benchmarks") {
      c.benchmarks = value == "all" ? kOrder : split(value);
      for (const auto& b : c.benchmarks)
        if (!kWorkloads.count(b)) {
          std::fprintf(stderr, "workflow-bench: unknown workload '%s'\n", b.c_str());
          usage(2);
        }
    } else if (key == "--cases") {
      c.cases = number();
    } else if (key == "--threads") {
      c.threads.clear();
      for (const auto& t : split(value)) c.threads.push_back(std::stoi(t));
    } else if (key == "--depth") {
      c.depth = static_cast<int>(number());
    } else if (key == "--seed") {
      c.seed = static_cast<std::uint32_t>(number());
    } else if (key == "--smoke") {
      c.smoke = true;
    } else if (key == "--reuse-db") {
      c.reuse_db = true;
    } else if (key == "--no-progress") {
      c.progress = false;
    } else if (key == "--progress") {
      c.progress = true;
    } else if (key == "--data-dir") {
      c.data_dir = value;
    } else if (key == "--rules") {
      c.rules_dir = value;
    } else if (key == "--calendar") {
      c.calendar_dir = value;
    } else if (key == "--json") {
      cli.json_file = value;
    } else if (key == "--help" || key == "-h") {
      usage(0);
    } else {
      std::fprintf(stderr, "workflow-bench: unknown flag '%s'\n", arg.c_str());
      usage(2);
    }
  }
  if (c.threads.empty()) usage(2);
  if (c.smoke) {
    c.progress = false;
    c.data_dir /= fmt::format("smoke-{}", ::getpid());  // concurrent smoke runs do not collide
  }
  return cli;
}

// The 1-minute load average: the machine may be shared, and a figure means little without it.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

// The smoke test's check: the line parses as JSON, names its workload and measured something.
bool check_line(const Result& r, const std::string& line) {
  std::string why;
  if (!json_valid(line, &why)) {
    std::fprintf(stderr, "workflow-bench: %s: invalid JSON line (%s)\n", r.workload.c_str(), why.c_str());
    return false;
  }
  if (line.find(fmt::format("\"workload\":\"{}\"", r.workload)) == std::string::npos || r.seconds <= 0 ||
      r.cases == 0) {
    std::fprintf(stderr, "workflow-bench: %s: the JSON line reports no measurement\n", r.workload.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const Cli cli = parse(argc, argv);
  const Config& cfg = cli.cfg;
  std::ofstream json_out;
  if (!cli.json_file.empty()) json_out.open(cli.json_file, std::ios::app);
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
      const std::string line = json_line(r);
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
      if (json_out) json_out << line << "\n" << std::flush;
      if (!check_line(r, line)) ++failures;
      if (!cfg.smoke) std::printf("# load average after %s: %s\n", name.c_str(), load_average().c_str());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "workflow-bench: %s\n", e.what());
    failures = -1;
  }
  if (cfg.smoke) {
    std::error_code ec;
    std::filesystem::remove_all(cfg.data_dir, ec);
  }
  if (failures != 0) return 1;
  if (cfg.smoke) std::printf("# smoke: %zu workloads, one valid JSON line each\n", cfg.benchmarks.size());
  return 0;
}
