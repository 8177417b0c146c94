// A hall on a manual clock, for engine and scenario tests: terse helpers so each test reads
// like the hall's own description of what happened.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "workflow/engine.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"
#ifdef WORKFLOW_HAS_POSTGRES
#include "workflow/postgres_store.hpp"
#endif

namespace workflow::testing {

// The store a hall runs on when its test gives none, chosen by the test run, so the scenario
// tests run unchanged on every store (ctest's sqlite.scenarios and postgres.scenarios):
//   WORKFLOW_TEST_STORE unset or "memory": a fresh in-memory store;
//   "sqlite": a fresh SQLite file in the temporary directory, removed when the store closes;
//   "postgres": a fresh partition of the database WORKFLOW_PG_CONNINFO names (set by
//   tests/postgres/with_cluster.sh), so no two halls see each other's cases.
// Anything else, or "postgres" without a conninfo or PostgreSQL support, throws: a run that
// asked for a store must not quietly test another.
inline std::shared_ptr<CaseStore> test_store() {
  static std::atomic<int> halls{0};
  const char* kind = std::getenv("WORKFLOW_TEST_STORE");
  const std::string which = kind == nullptr ? "memory" : kind;
  const std::string name = "hall-" + std::to_string(::getpid()) + "-" + std::to_string(++halls);
  if (which == "memory") return make_memory_store();
  if (which == "sqlite") {
    const std::filesystem::path db = std::filesystem::temp_directory_path() / (name + ".db");
    return std::shared_ptr<CaseStore>(open_sqlite_store(db).release(), [db](CaseStore* store) {
      delete store;
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ec);
    });
  }
#ifdef WORKFLOW_HAS_POSTGRES
  if (which == "postgres") {
    const char* conninfo = std::getenv("WORKFLOW_PG_CONNINFO");
    if (conninfo == nullptr) {
      throw Error(ErrorCode::invalid_argument,
                  "WORKFLOW_TEST_STORE=postgres needs WORKFLOW_PG_CONNINFO (with_cluster.sh)");
    }
    return open_postgres_store(conninfo, name);
  }
#endif
  throw Error(ErrorCode::invalid_argument, "WORKFLOW_TEST_STORE=" + which + ": not a store of this build");
}

inline Options with_test_store(Options options) {
  if (!options.store) options.store = test_store();
  return options;
}

inline Calendar shipped_calendar() {
  static const Calendar calendar = Calendar::load(WORKFLOW_SOURCE_DIR "/rules/calendar");
  return calendar;
}

struct Hall {
  explicit Hall(const std::string& rules_dir, const char* start = "2025-03-03T09:00",
                Options options = {})
      : clock(std::make_shared<ManualClock>(DateTime::parse(start))),
        engine(RuleSet::load(rules_dir), shipped_calendar(), clock,
               with_test_store(std::move(options))) {}

  // Moves the hall's time (and fires what falls due).
  void at(const char* when) { engine.advance_to(DateTime::parse(when)); }

  CaseId submit(const std::string& matter, const std::string& office, const std::string& actor,
                std::vector<std::string> materials, const std::string& applicant = "张三") {
    return engine.submit(Submission{matter, office, actor, applicant, std::move(materials)});
  }

  void act(CaseId id, Verb verb, const std::string& actor, const std::string& reason = {}) {
    Action a;
    a.actor = actor;
    a.reason = reason;
    engine.act(id, verb, a);
  }

  CaseView view(CaseId id) const { return engine.get(id); }
  CaseState state(CaseId id) const { return engine.get(id).state; }

  // The kinds of a case's history, as canonical names, for compact assertions.
  std::vector<std::string> kinds(CaseId id) const {
    std::vector<std::string> out;
    for (const Event& e : engine.get(id).history) out.emplace_back(to_string(e.kind));
    return out;
  }

  std::shared_ptr<ManualClock> clock;
  Engine engine;
};

inline std::string engine_rules() { return WORKFLOW_TEST_DATA_DIR "/rules/engine"; }

}  // namespace workflow::testing

namespace workflow::testing {

inline std::string ningdu_rules() { return WORKFLOW_SOURCE_DIR "/rules/ningdu"; }
inline std::string sandu_rules() { return WORKFLOW_SOURCE_DIR "/rules/sandu"; }
inline Date day(const char* iso) { return Date::parse(iso); }

}  // namespace workflow::testing

namespace workflow::testing {

// Materials of shipped matters, exactly as the rule files list them.
// 食品经营许可 (360730-SCJG-0004): four required, then one tolerable (容缺).
inline const std::vector<std::string>& food_licence_materials() {
  static const std::vector<std::string> all{
      "食品经营许可申请书", "营业执照或其他主体资格证明文件",
      "与食品经营相适应的主要设备设施、经营布局、操作流程等文件",
      "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度目录",
      "食品安全管理人员名单及培训考核证明"};
  return all;
}
inline std::vector<std::string> food_licence_required() {
  const auto& all = food_licence_materials();
  return {all.begin(), all.end() - 1};
}
// 工程建设项目审批 (360730-ZJ-0001), the joint construction approval.
inline const std::vector<std::string>& construction_materials() {
  static const std::vector<std::string> all{
      "工程建设项目审批申请表（一表申请）", "项目审批、核准或备案文件", "建设用地批准文件",
      "施工图设计文件", "环境影响评价文件", "水土保持方案", "建设资金落实承诺书"};
  return all;
}

}  // namespace workflow::testing

namespace workflow::testing {

// A 食品经营许可 (promised 5, legal 10 working days) received and accepted at the county's
// window 1 and passed to 市场监管局's reviewer (nd-s022, B nd-s023).
inline CaseId food_case_at_review(Hall& hall) {
  const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials());
  hall.act(id, Verb::accept, "nd-s001");
  hall.act(id, Verb::review_pass, "nd-s001");
  return id;
}

}  // namespace workflow::testing
