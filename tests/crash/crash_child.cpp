// The child of the crash test (test_crash.py): opens the engine on an SQLite store, which
// recovers whatever an earlier, killed child left, then gives commands at full speed and
// prints "ack REQUEST CASE" after each returns (so after its events are durable), until it
// is killed. With --check it only reopens the store and prints "ok N cases".
//
//   crash_child RULES_DIR CALENDAR_DIR DB [--check] [--seed N]
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>

#include <workflow/engine.hpp>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: crash_child RULES_DIR CALENDAR_DIR DB [--check] [--seed N]\n");
    return 2;
  }
  bool check = false;
  unsigned seed = 1;
  for (int i = 4; i < argc; ++i) {
    if (std::strcmp(argv[i], "--check") == 0) check = true;
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = std::stoul(argv[++i]);
  }
  try {
    auto clock = std::make_shared<workflow::ManualClock>(
        workflow::DateTime::parse("2025-03-03T09:00"));
    workflow::Options options;
    workflow::SqliteOptions sqlite;
    sqlite.synchronous_full = (seed % 2) == 0;  // both settings must keep acknowledged work
    options.store = workflow::open_sqlite_store(argv[3], sqlite);
    workflow::Engine engine(workflow::RuleSet::load(argv[1]), workflow::Calendar::load(argv[2]),
                            clock, options);
    if (check) {
      std::printf("ok %zu cases\n", engine.list().size());
      return 0;
    }
    const std::vector<std::string> materials{
        "食品经营许可申请书", "营业执照或其他主体资格证明文件",
        "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
        "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录",
        "食品安全管理人员名单及培训考核证明"};
    std::mt19937 random(seed);
    // Each run numbers its requests apart from earlier runs' (their ids are in the store).
    const std::string run = std::to_string(seed);
    for (unsigned n = 0;; ++n) {
      const std::string prefix = run + "-" + std::to_string(n);
      workflow::Submission s{"360730-SCJG-0004", "nd", "nd-s001", "申请人" + prefix, materials,
                             {}, prefix + "-submit"};
      const workflow::CaseId id = engine.submit(s);
      std::printf("ack %s %llu\n", s.request_id.c_str(), static_cast<unsigned long long>(id));
      std::fflush(stdout);
      workflow::Action a;
      a.actor = "nd-s001";
      a.request_id = prefix + "-accept";
      engine.accept(id, a);
      std::printf("ack %s %llu\n", a.request_id.c_str(), static_cast<unsigned long long>(id));
      std::fflush(stdout);
      if (random() % 2 == 0) {
        a.request_id = prefix + "-pass";
        engine.act(id, workflow::Verb::review_pass, a);
        std::printf("ack %s %llu\n", a.request_id.c_str(), static_cast<unsigned long long>(id));
        std::fflush(stdout);
      }
    }
  } catch (const workflow::Error& e) {
    std::fprintf(stderr, "crash_child: %s\n", e.what());
    return 1;
  }
}
