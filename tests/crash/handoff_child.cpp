// The child of the handoff kill test (test_handoff.py): one county's engine handing
// applications over to another's through the PostgreSQL outbox, or the other's taking them
// in, until it is SIGKILLed. Each waits for its partition's writer lock first (a killed
// predecessor's session may take a moment to end) and recovers what it left.
//
//   handoff_child RULES_DIR CALENDAR_DIR CONNINFO send FROM TO SEED
//     2 threads submit 食品经营许可 applications at the county window of FROM, each handing
//     itself over to TO (Submission::hand_over), request ids SEED-T-N. Prints
//     "send REQUEST" before and "ack REQUEST CASE" after each (so after it is durable).
//   handoff_child RULES_DIR CALENDAR_DIR CONNINFO receive TO [--drain]
//     polls postgres_pending_handoffs(TO) and takes each in (Submission::received_from),
//     printing "got FROM SEQ CASE"; --drain: exit 0 once nothing is pending.
//   handoff_child RULES_DIR CALENDAR_DIR CONNINFO check PARTITION
//     audits the partition's chain: "ok EVENTS", or exit 1 naming the first bad event.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <workflow/engine.hpp>
#include <workflow/error.hpp>
#include <workflow/postgres_store.hpp>

namespace {

const std::vector<std::string> kMaterials{
    "食品经营许可申请书", "营业执照或其他主体资格证明文件",
    "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
    "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录",
    "食品安全管理人员名单及培训考核证明"};

std::mutex out_mutex;
void say(const std::string& line) {
  std::lock_guard lock(out_mutex);
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// The payload: the applicant; the receiving county takes the same matter in at its window.
workflow::Submission application(const std::string& applicant) {
  return workflow::Submission{"360730-SCJG-0004", "nd", "nd-s001", applicant, kMaterials};
}

std::unique_ptr<workflow::Engine> open(const char* rules, const char* calendar,
                                       const std::string& conninfo, const std::string& partition) {
  workflow::Options options;
  workflow::PostgresOptions pg;
  pg.wait_for_lock = true;
  options.store = workflow::open_postgres_store(conninfo, partition, pg);
  auto clock = std::make_shared<workflow::ManualClock>(workflow::DateTime::parse("2026-11-30T09:00"));
  return std::make_unique<workflow::Engine>(workflow::RuleSet::load(rules),
                                            workflow::Calendar::load(calendar), clock, options);
}

int send(workflow::Engine& engine, const std::string& to, const std::string& seed) {
  std::atomic<bool> failed{false};
  const auto worker = [&](int t) {
    try {
      for (int n = 0; !failed; ++n) {
        const std::string request = seed + "-" + std::to_string(t) + "-" + std::to_string(n);
        workflow::Submission s = application("申请人" + request);
        s.request_id = request;
        s.hand_over = {workflow::HandoffOut{to, s.applicant}};
        say("send " + request);
        const workflow::CaseId id = engine.submit(s);
        say("ack " + request + " " + std::to_string(id));
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "handoff_child: %s\n", e.what());
      failed = true;
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  return 1;  // only a failure ends the loop
}

int receive(workflow::Engine& engine, const std::string& conninfo, const std::string& me,
            bool drain) {
  for (;;) {
    const std::vector<workflow::Handoff> pending = workflow::postgres_pending_handoffs(conninfo, me);
    if (pending.empty()) {
      if (drain) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    for (const workflow::Handoff& h : pending) {
      workflow::Submission s = application(h.payload);
      s.received_from = workflow::HandoffReceipt{h.from_partition, h.seq};
      const workflow::CaseId id = engine.submit(s);
      say("got " + h.from_partition + " " + std::to_string(h.seq) + " " + std::to_string(id));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: handoff_child RULES_DIR CALENDAR_DIR CONNINFO "
                         "send FROM TO SEED | receive TO [--drain] | check PARTITION\n");
    return 2;
  }
  const std::string conninfo = argv[3], mode = argv[4], partition = argv[5];
  try {
    if (mode == "check") {
      const workflow::AuditResult audit = workflow::verify_postgres_log(conninfo, partition);
      if (!audit.ok) {
        std::fprintf(stderr, "handoff_child: audit failed at event %llu: %s\n",
                     static_cast<unsigned long long>(audit.first_bad_event), audit.problem.c_str());
        return 1;
      }
      std::printf("ok %llu\n", static_cast<unsigned long long>(audit.events_checked));
      return 0;
    }
    auto engine = open(argv[1], argv[2], conninfo, partition);
    if (mode == "send" && argc >= 8) return send(*engine, argv[6], argv[7]);
    if (mode == "receive") {
      return receive(*engine, conninfo, partition, argc >= 7 && std::strcmp(argv[6], "--drain") == 0);
    }
    std::fprintf(stderr, "handoff_child: unknown mode '%s'\n", mode.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "handoff_child: %s\n", e.what());
    return 1;
  }
}
