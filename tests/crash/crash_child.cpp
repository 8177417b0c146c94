// The child of the crash test (test_crash.py): opens the engine on an SQLite store (or a
// PostgreSQL partition: DB a conninfo, with --partition P), which
// recovers whatever an earlier, killed child left, then gives commands from several threads
// at full speed on that one engine (so commits share group-commit transactions) until it is
// killed. Every command carries a request id.
//
// Output, one line each, flushed before the next step:
//   send KIND REQUEST CASE   before a command is given (CASE is 0 for a submit)
//   ack REQUEST CASE         after it returned (so after its events are durable)
// A thread now and then retries, with the same request id, a command another thread has in
// flight (a client retrying on a second connection): that retry must not be acknowledged
// before the original is durable.
//
//   crash_child RULES_DIR CALENDAR_DIR DB [--partition P] [--seed N] [--threads T]
//               [--resend FILE] [--resend-only] [--die-on-retry] [--check]
//
// --resend FILE: first give again every command listed in FILE ("KIND REQUEST CASE" lines,
//   as the parent saw them sent but never acknowledged), with the same request ids: a
//   command that was stored is answered, not redone; one that was lost is done now.
// --resend-only: exit 0 after the resends (no new work).
// --die-on-retry: SIGKILL itself right after acknowledging a retry whose original was not
//   acknowledged yet when the retry was given (the moment a premature answer is lost).
// --partition P: DB is a PostgreSQL conninfo and P the hall's partition. The child waits for
//   the partition's writer lock (a killed child's session may take a moment to end).
// --check: audit the hash chain (verify_sqlite_log / verify_postgres_log), reopen the engine
//   and print
//   "ok CASES EVENTS"; exit 1 with the audit's problem if the chain does not verify.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <workflow/engine.hpp>
#include <workflow/error.hpp>
#include <workflow/store.hpp>
#ifdef WORKFLOW_HAS_POSTGRES
#include <workflow/postgres_store.hpp>
#endif

namespace {

const std::vector<std::string> kMaterials{
    "食品经营许可申请书", "营业执照或其他主体资格证明文件",
    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
    "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录",
    "食品安全管理人员名单及培训考核证明"};

// One command as the parent knows it: enough to give it again identically.
struct Command {
  std::string kind;  // submit, accept or pass
  std::string request;
  workflow::CaseId case_id = 0;  // the case acted on (0 for a submit)
  std::shared_ptr<std::atomic<bool>> acked = std::make_shared<std::atomic<bool>>(false);
};

std::mutex out_mutex;

void say(const std::string& line) {
  std::lock_guard lock(out_mutex);
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// Gives the command; returns the case it created or acted on.
workflow::CaseId give(workflow::Engine& engine, const Command& c) {
  if (c.kind == "submit") {
    // The applicant is derived from the request id, so a resend is the same command.
    return engine.submit(workflow::Submission{"360730-SCJG-0004", "nd", "nd-s001",
                                              "申请人" + c.request, kMaterials, {},
                                              c.request});
  }
  workflow::Action a;
  a.actor = "nd-s001";
  a.request_id = c.request;
  engine.act(c.case_id, c.kind == "accept" ? workflow::Verb::accept : workflow::Verb::review_pass,
             a);
  return c.case_id;
}

// Commands given and not acknowledged yet, for other threads to retry.
struct InFlight {
  std::mutex mutex;
  std::deque<Command> commands;

  void add(const Command& c) {
    std::lock_guard lock(mutex);
    commands.push_back(c);
    if (commands.size() > 16) commands.pop_front();
  }
  void remove(const std::string& request) {
    std::lock_guard lock(mutex);
    std::erase_if(commands, [&](const Command& c) { return c.request == request; });
  }
  std::optional<Command> pick(std::mt19937& random) {
    std::lock_guard lock(mutex);
    if (commands.empty()) return std::nullopt;
    return commands[random() % commands.size()];
  }
};

std::vector<Command> read_resends(const char* path) {
  std::vector<Command> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Command c;
    unsigned long long id = 0;
    if (fields >> c.kind >> c.request >> id) {
      c.case_id = id;
      out.push_back(c);
    }
  }
  return out;
}

int check(const char* db, const std::string& partition, workflow::Engine& engine) {
#ifdef WORKFLOW_HAS_POSTGRES
  const workflow::AuditResult audit = partition.empty()
                                          ? workflow::verify_sqlite_log(db)
                                          : workflow::verify_postgres_log(db, partition);
#else
  const workflow::AuditResult audit = workflow::verify_sqlite_log(db);
#endif
  if (!audit.ok) {
    std::fprintf(stderr, "crash_child: audit failed at event %llu (case %llu seq %u): %s\n",
                 static_cast<unsigned long long>(audit.first_bad_event),
                 static_cast<unsigned long long>(audit.first_bad_case), audit.first_bad_seq,
                 audit.problem.c_str());
    return 1;
  }
  std::printf("ok %zu %llu\n", engine.list().size(),
              static_cast<unsigned long long>(audit.events_checked));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: crash_child RULES_DIR CALENDAR_DIR DB [--partition P] [--seed N] "
                 "[--threads T] "
                 "[--resend FILE] [--resend-only] [--die-on-retry] [--check]\n");
    return 2;
  }
  bool checking = false, resend_only = false, die_on_retry = false;
  unsigned seed = 1, threads = 4;
  const char* resend_file = nullptr;
  std::string partition;
  for (int i = 4; i < argc; ++i) {
    if (std::strcmp(argv[i], "--check") == 0) checking = true;
    if (std::strcmp(argv[i], "--resend-only") == 0) resend_only = true;
    if (std::strcmp(argv[i], "--die-on-retry") == 0) die_on_retry = true;
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = std::stoul(argv[++i]);
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = std::stoul(argv[++i]);
    if (std::strcmp(argv[i], "--resend") == 0 && i + 1 < argc) resend_file = argv[++i];
    if (std::strcmp(argv[i], "--partition") == 0 && i + 1 < argc) partition = argv[++i];
  }
  try {
    auto clock = std::make_shared<workflow::ManualClock>(
        workflow::DateTime::parse("2026-03-02T09:00"));
    workflow::Options options;
    if (partition.empty()) {
      workflow::SqliteOptions sqlite;
      sqlite.synchronous_full = (seed % 2) == 0;  // both settings must keep acknowledged work
      options.store = workflow::open_sqlite_store(argv[3], sqlite);
    } else {
#ifdef WORKFLOW_HAS_POSTGRES
      workflow::PostgresOptions pg;
      pg.wait_for_lock = true;
      // "local" and "on" (the same without standbys) must both keep acknowledged work.
      pg.synchronous_commit = (seed % 2) == 0 ? "on" : "local";
      options.store = workflow::open_postgres_store(argv[3], partition, pg);
#else
      std::fprintf(stderr, "crash_child: this build has no PostgreSQL store\n");
      return 2;
#endif
    }
    workflow::Engine engine(workflow::RuleSet::load(argv[1]), workflow::Calendar::load(argv[2]),
                            clock, options);
    if (checking) return check(argv[3], partition, engine);

    const std::vector<Command> resends =
        resend_file ? read_resends(resend_file) : std::vector<Command>{};
    std::atomic<std::size_t> next_resend{0};
    InFlight in_flight;
    std::atomic<bool> failed{false};

    const auto worker = [&](unsigned t) {
      try {
        // Resends first, shared among the threads.
        for (std::size_t i; (i = next_resend++) < resends.size();) {
          const workflow::CaseId id = give(engine, resends[i]);
          say("ack " + resends[i].request + " " + std::to_string(id));
        }
        if (resend_only) return;
        std::mt19937 random(seed * 100 + t);
        // Each run numbers its requests apart from earlier runs' (their ids are in the store).
        const std::string prefix = std::to_string(seed) + "-" + std::to_string(t) + "-";
        workflow::CaseId current = 0;
        std::string stage = "submit";  // this thread's next own command
        for (unsigned n = 0; !failed; ++n) {
          if (random() % 4 == 0) {
            if (auto c = in_flight.pick(random)) {
              const bool early = !*c->acked;  // the original is not acknowledged yet
              const workflow::CaseId id = give(engine, *c);
              say("ack " + c->request + " " + std::to_string(id));
              if (die_on_retry && early && !*c->acked) std::raise(SIGKILL);
              continue;
            }
          }
          Command c{stage, prefix + std::to_string(n) + "-" + stage, current};
          say("send " + c.kind + " " + c.request + " " + std::to_string(c.case_id));
          in_flight.add(c);
          const workflow::CaseId id = give(engine, c);
          say("ack " + c.request + " " + std::to_string(id));
          *c.acked = true;
          in_flight.remove(c.request);
          if (stage == "submit") {
            current = id;
            stage = "accept";
          } else if (stage == "accept" && random() % 2 == 0) {
            stage = "pass";
          } else {
            stage = "submit";
          }
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "crash_child: %s\n", e.what());
        failed = true;
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    for (std::thread& t : pool) t.join();
    return failed ? 1 : 0;
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "crash_child: %s\n", e.what());
    return 1;
  }
}
