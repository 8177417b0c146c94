// Scenario: a year of rule changes reaches a live hall. 宁都县 runs on its rule set A with
// cases open in every kind and stage; B (tests/data/rules/ningdu-b.edits.yaml) adds a clerk
// who takes over 市场监管局首席代表岗, removes 市场监管局审核岗 (which holds open stages),
// compresses 食品经营许可's promise from 5 to 3 working days, ends the 梅江镇 delegation early
// and stops offering 成品油零售经营资格审批. Installing B must keep every case correct.
#include <doctest/doctest.h>

#include <algorithm>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "rule_files.hpp"
#include "rule_set_b.hpp"
#include "sqlite_files.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> materials_of(const RuleSet& rules, const std::string& code) {
  std::vector<std::string> out;
  for (const Material& m : rules.matter(*rules.find_matter(code)).materials) out.push_back(m.name);
  return out;
}

bool has_event(const CaseView& v, EventKind kind) {
  return std::any_of(v.history.begin(), v.history.end(),
                     [&](const Event& e) { return e.kind == kind; });
}

struct LiveHall {
  TempDir dir;
  fs::path db = dir / "hall.db";
  fs::path b_dir = dir / "ningdu-b";
  RuleSet a = RuleSet::load(ningdu_rules());
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(DateTime::parse("2026-03-02T09:00"));

  LiveHall() { make_ningdu_b(b_dir); }
  RuleSet b() const { return RuleSet::load(b_dir); }

  std::unique_ptr<Engine> open(const RuleSet& rules, bool install = false) {
    Options o;
    o.store = open_sqlite_store(db);
    o.install_rules = install;
    o.rules_installer = "nd-s017";
    return std::make_unique<Engine>(rules, shipped_calendar(), clock, o);
  }
};

void act(Engine& e, CaseId id, Verb verb, const std::string& actor) {
  Action a;
  a.actor = actor;
  e.act(id, verb, a);
}

// On 2026-12-01 a food licence reaches its decision at 市场监管局首席代表岗 while the chief
// (nd-s024) and the post's B (nd-s025) are both on leave until 2026-12-11 18:00, so the
// 办不成事 window's A (nd-s018) holds it for the post. Returns the case.
CaseId held_at_window_for_the_chief(Engine& e, ManualClock& clock) {
  clock.set(DateTime::parse("2026-12-01T09:00"));
  const CaseId id = e.submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
  act(e, id, Verb::accept, "nd-s001");
  act(e, id, Verb::review_pass, "nd-s001");
  for (const char* who : {"nd-s025", "nd-s024"}) {
    e.mark_away(who, AbsenceKind::leave, clock.now(), DateTime::parse("2026-12-11T18:00"),
                "nd-s017");
  }
  act(e, id, Verb::review_pass, "nd-s022");
  REQUIRE(e.view(id).post == "nd-unresolved");
  REQUIRE(e.view(id).holder == "nd-s018");
  REQUIRE(e.view(id).holding == Holding::unresolved);
  return id;
}

}  // namespace

TEST_CASE("installing rules: every open case keeps its terms, and moves only where its post went") {
  LiveHall hall;
  const RuleSet a = hall.a;
  const std::string swj = "360730-SWJ-0001";
  CaseId at_review = 0, at_window = 0, escalated = 0, at_chief = 0, delegated = 0;
  {
    auto e = hall.open(a);
    // Monday 2026-03-02 under A.
    at_review = e->submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
    act(*e, at_review, Verb::accept, "nd-s001");
    act(*e, at_review, Verb::review_pass, "nd-s001");  // 初审 done: at 市场监管局审核岗 (nd-s022)
    at_window = e->submit({"360730-SCJG-0004", "nd", "nd-s001", "乙", food_licence_materials()});
    escalated = e->submit({swj, "nd", "nd-s001", "丙", materials_of(a, swj)});
    act(*e, escalated, Verb::accept, "nd-s001");
    at_chief = e->submit({"360730-SCJG-0004", "nd", "nd-s001", "丁", food_licence_materials()});
    act(*e, at_chief, Verb::accept, "nd-s001");
    act(*e, at_chief, Verb::review_pass, "nd-s001");
    act(*e, at_chief, Verb::review_pass, "nd-s022");  // at 首席代表岗, held by its A nd-s024
    delegated = e->submit({"360730-SCJG-0004", "nd-mj", "nd-mj-s01", "戊", food_licence_materials()});
    CHECK(e->get(delegated).delegation == "dlg-2026-mj-spjy");
    CHECK(e->get(at_review).holder == "nd-s022");
    CHECK(e->get(at_chief).holder == "nd-s024");
    CHECK(e->get(at_review).promised_deadline == day("2026-03-09"));  // accepted 03-02, 5 days
  }

  hall.clock->set(DateTime::parse("2026-03-05T09:00"));
  const RuleSet b = hall.b();
  auto e = hall.open(a);

  // The dry run changes nothing and says what the install will do.
  const InstallPlan plan = e->plan_rules(b, "nd-s017");
  CHECK(plan.ok());
  CHECK(plan.open_cases == 5);
  REQUIRE(plan.reroutes.size() == 1);
  CHECK(plan.reroutes[0].id == at_review);
  CHECK(plan.reroutes[0].from_post == "nd-amr-review");
  CHECK(plan.reroutes[0].to_post == "nd-unresolved");
  // Every open case's matter changed (the food licence) or was removed (成品油).
  CHECK(plan.keep_old_terms.size() == 5);
  const auto changed = [&](RuleEntity what, ChangeKind how, const std::string& id) {
    return std::any_of(plan.changes.begin(), plan.changes.end(), [&](const RuleChange& c) {
      return c.entity == what && c.change == how && c.id == id;
    });
  };
  CHECK(changed(RuleEntity::staff, ChangeKind::added, "nd-s200"));
  CHECK(changed(RuleEntity::post, ChangeKind::removed, "nd-amr-review"));
  CHECK(changed(RuleEntity::post, ChangeKind::changed, "nd-amr-chief"));
  CHECK(changed(RuleEntity::matter, ChangeKind::changed, "360730-SCJG-0004"));
  CHECK(changed(RuleEntity::matter, ChangeKind::removed, swj));
  CHECK(changed(RuleEntity::delegation, ChangeKind::changed, "dlg-2026-mj-spjy"));
  CHECK(e->get(at_review).post == "nd-amr-review");

  const InstallPlan done = e->install_rules(b, "nd-s017");
  CHECK(done.reroutes.size() == 1);
  CHECK(e->rules().version() == b.version());
  REQUIRE(e->installed_rules().size() == 2);
  CHECK(e->installed_rules()[1].installed_by == "nd-s017");

  // The stage at the removed post went to the 办不成事 window, with the reason.
  CaseView v = e->get(at_review);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.holder == "nd-s018");
  CHECK(v.holding == Holding::unresolved);
  CHECK(has_event(v, EventKind::rerouted));
  CHECK(v.rules_version == a.version());  // still under A's terms
  CHECK(v.promised_deadline == day("2026-03-09"));
  // The post that stays has a new A: the new clerk acts on the case held there.
  v = e->get(at_chief);
  CHECK(v.holder == "nd-s200");
  CHECK(has_event(v, EventKind::rerouted));
  CHECK(e->available_actions(at_chief, "nd-s024").empty());
  act(*e, at_chief, Verb::approve, "nd-s200");
  CHECK(e->get(at_chief).state == CaseState::decided);

  // A case received under A is accepted under A's promise (5 days), and its review stage,
  // at the removed post, goes to the 办不成事 window when it gets there.
  act(*e, at_window, Verb::accept, "nd-s001");
  CHECK(e->get(at_window).promised_deadline == day("2026-03-12"));
  act(*e, at_window, Verb::review_pass, "nd-s001");
  v = e->get(at_window);
  CHECK(v.post == "nd-unresolved");
  CHECK(v.holding == Holding::unresolved);
  CHECK(has_event(v, EventKind::rerouted));

  // New cases take B: 3 days.
  const CaseId fresh = e->submit({"360730-SCJG-0004", "nd", "nd-s001", "己", food_licence_materials()});
  act(*e, fresh, Verb::accept, "nd-s001");
  CHECK(e->get(fresh).promised_deadline == day("2026-03-10"));
  CHECK(e->get(fresh).rules_version == b.version());
  act(*e, fresh, Verb::review_pass, "nd-s001");
  CHECK(e->get(fresh).post == "nd-amr-chief");

  // The removed matter: its open case finishes under A; a new application is refused.
  act(*e, escalated, Verb::review_pass, "nd-s001");
  act(*e, escalated, Verb::report_up, "nd-s078");
  act(*e, escalated, Verb::higher_approve, "gz-s03");
  act(*e, escalated, Verb::issue, "nd-s001");
  CHECK(e->get(escalated).state == CaseState::issued);
  const Error refused = error_of([&] { e->submit({swj, "nd", "nd-s001", "庚", materials_of(a, swj)}); });
  CHECK(refused.code() == ErrorCode::not_found);
  CHECK(std::string(refused.what()).find("no longer offered") != std::string::npos);

  // The ended delegation: the old case keeps it, a new one goes to the county.
  CHECK(e->get(delegated).delegation == "dlg-2026-mj-spjy");
  const CaseId mj = e->submit({"360730-SCJG-0004", "nd-mj", "nd-mj-s01", "辛", food_licence_materials()});
  CHECK(e->get(mj).delegation.empty());
  CHECK(e->get(mj).handling_office == "nd");

  // Closed and reopened: B works, A is refused with the way to install it.
  const CaseView before = e->get(at_review);
  e.reset();
  e = hall.open(b);
  CHECK(e->get(at_review).post == before.post);
  CHECK(e->get(at_review).history.size() == before.history.size());
  CHECK(e->get(mj).rules_version == b.version());
  CHECK(e->installed_rules().size() == 2);
  e.reset();
  const Error wrong = error_of([&] { hall.open(a); });
  CHECK(wrong.code() == ErrorCode::store_error);
  CHECK(std::string(wrong.what()).find("install_rules") != std::string::npos);
  CHECK(std::string(wrong.what()).find("workflow rules install") != std::string::npos);

  // Going back to A is an install too: every version stays readable.
  e = hall.open(a, true);
  CHECK(e->installed_rules().size() == 3);
  CHECK(e->get(at_review).rules_version == a.version());
  e.reset();

  const AuditResult audit = verify_sqlite_log(hall.db);
  CHECK(audit.ok);
  CHECK(sql_int(hall.db, "SELECT count(*) FROM events WHERE case_id = 0 AND kind = "
                         "'rules_installed'") == 2);
  CHECK(sql_int(hall.db, "SELECT count(*) FROM rule_sets") == 3);
}

TEST_CASE("installing rules: a refused install names every reason and leaves the store as it was") {
  LiveHall hall;
  {
    auto e = hall.open(hall.a);
    const CaseId id = e->submit({"360730-SCJG-0004", "nd-mj", "nd-mj-s01", "甲", food_licence_materials()});
    act(*e, id, Verb::accept, "nd-mj-s01");
  }
  const std::string before = file_hash(hall.db) + file_hash(hall.db.string() + "-wal");
  {
    auto e = hall.open(hall.a);
    const Error unknown = error_of([&] { e->install_rules(hall.b(), "nobody"); });
    CHECK(unknown.code() == ErrorCode::invalid_argument);
    CHECK(std::string(unknown.what()).find("unknown installer 'nobody'") != std::string::npos);
    CHECK(error_of([&] { e->install_rules(hall.b(), ""); }).code() == ErrorCode::invalid_argument);
    CHECK(error_of([&] { e->install_rules(hall.a, "nd-s017"); }).code() == ErrorCode::invalid_argument);

    // Another hall's rules, with an open case at 梅江镇: every reason is listed.
    const InstallPlan other = e->plan_rules(RuleSet::load(sandu_rules()), "nobody");
    CHECK_FALSE(other.ok());
    const auto says = [&](const std::string& text) {
      return std::any_of(other.problems.begin(), other.problems.end(),
                         [&](const std::string& p) { return p.find(text) != std::string::npos; });
    };
    CHECK(says("unknown installer 'nobody'"));
    CHECK(says("another hall's rules"));
    CHECK(says("office nd-mj is removed but 1 open case still runs there (case 1)"));
    CHECK(e->installed_rules().size() == 1);
  }
  CHECK(file_hash(hall.db) + file_hash(hall.db.string() + "-wal") == before);
}

TEST_CASE("installing rules: a damaged stored rule set is refused, the store left as it was") {
  LiveHall hall;
  {
    auto e = hall.open(hall.a);
    e->submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
  }
  // An administrator edits a stored rule file in place (same length, still valid YAML): it
  // no longer hashes to the version the events name.
  sql(hall.db, "UPDATE rule_sets SET files = CAST(replace(CAST(files AS TEXT), '食品经营许可', "
               "'食品营业许可') AS BLOB)");
  const std::string before = file_hash(hall.db) + file_hash(hall.db.string() + "-wal");
  const Error e = error_of([&] { hall.open(hall.a); });
  CHECK(e.code() == ErrorCode::store_error);
  INFO(std::string(e.what()));
  CHECK(std::string(e.what()).find("stored rule set 1 is damaged: its files hash to") !=
        std::string::npos);
  CHECK(file_hash(hall.db) + file_hash(hall.db.string() + "-wal") == before);
  // Cut short, it is refused as damaged too, not read past its end.
  sql(hall.db, "UPDATE rule_sets SET files = substr(files, 1, 100)");
  const Error cut = error_of([&] { hall.open(hall.a); });
  CHECK(cut.code() == ErrorCode::store_error);
  CHECK(std::string(cut.what()).find("stored rule set 1") != std::string::npos);
}

TEST_CASE("installing rules: a person removed from the roster loses their status-board entry") {
  LiveHall hall;
  {
    auto e = hall.open(hall.a);
    // nd-s024 (市场监管局首席代表, replaced by nd-s200 in B) is on leave next week.
    e->mark_away("nd-s024", AbsenceKind::leave, DateTime::parse("2026-03-09T08:00"),
                 DateTime::parse("2026-03-13T18:00"), "nd-s024");
  }
  // B without nd-s024 on the staff at all.
  const fs::path staff = hall.b_dir / "staff-city-county.yaml";
  std::string text = read_text(staff);
  const std::string line = "  - {id: nd-s024, ";
  const auto at = text.find(line);
  REQUIRE(at != std::string::npos);
  text.erase(at, text.find('\n', at) + 1 - at);
  std::ofstream(staff, std::ios::binary | std::ios::trunc) << text;
  const RuleSet b = hall.b();
  REQUIRE_FALSE(b.find_staff("nd-s024"));

  hall.clock->set(DateTime::parse("2026-03-05T09:00"));
  auto e = hall.open(hall.a);
  const InstallPlan plan = e->plan_rules(b, "nd-s017");
  CHECK(plan.ok());
  CHECK(plan.absences_dropped == std::vector<std::string>{"nd-s024"});
  e->install_rules(b, "nd-s017");
  CHECK(error_of([&] {
          e->mark_back("nd-s024", "nd-s017");
        }).code() == ErrorCode::not_found);
  e.reset();
  e = hall.open(b);  // the stored roster has no absence for the removed person any more
  e->advance_to(DateTime::parse("2026-03-10T09:00"));
  CHECK(e->installed_rules().size() == 2);
}

TEST_CASE("installing rules: a new window and a new village station receive applications at once") {
  LiveHall hall;
  // Today, 2026-12-01 (a Tuesday), the hall runs on A; B as the other scenarios, plus a
  // ninth comprehensive window at the county centre for a new clerk, and a new village
  // station under 梅江镇 with its own agent: offices and posts the engine has never seen.
  hall.clock->set(DateTime::parse("2026-12-01T09:00"));
  const auto add_after = [&](const char* file, const std::string& line, const std::string& added) {
    const fs::path path = hall.b_dir / file;
    std::string text = read_text(path);
    const auto at = text.find(line);
    REQUIRE_MESSAGE(at != std::string::npos, file, ": ", line);
    text.insert(text.find('\n', at) + 1, added);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  };
  add_after("staff-city-county.yaml", "  - {id: nd-s001, ",
            "  - {id: nd-s201, name: 陈思远, office: nd}   # 综合受理窗口17 (new)\n");
  add_after("posts-city-county.yaml", "  - {id: nd-w02, ",
            "  - {id: nd-w17, name: 综合受理窗口17, office: nd, department: nd-hall, a: nd-s201, "
            "b: nd-s001, supervisor: nd-hall-duty, sends_unresolved: true}\n");
  add_after("offices.yaml", "  - {id: nd-mj-v1, ",
            "  - {id: nd-mj-v9, name: 梅江镇新塘村便民服务站, level: village, parent: nd-mj}\n");
  add_after("departments.yaml", "  - {id: nd-mj-v1-cwh, ",
            "  - {id: nd-mj-v9-cwh, name: 新塘村村民委员会, office: nd-mj-v9}\n");
  add_after("staff-townships.yaml", "  - {id: nd-mj-v1-s2, ",
            "  - {id: nd-mj-v9-s1, name: 邱春兰, office: nd-mj-v9}   # 新塘村帮代办员\n");
  add_after("posts-townships.yaml", "  - {id: nd-mj-v1-agent2, ",
            "  - {id: nd-mj-v9-agent1, name: 帮代办岗1, office: nd-mj-v9, department: "
            "nd-mj-v9-cwh, role: agent, a: nd-mj-v9-s1, b: nd-mj-v1-s1}\n");
  const RuleSet b = hall.b();
  const Submission at_new_window{"360730-SCJG-0004", "nd", "nd-s201", "甲",
                                 food_licence_materials()};
  const Submission at_new_station{"360730-MJ-MZ-0001", "nd-mj-v9", "nd-mj-v9-s1", "曾老汉",
                                  {"居民身份证", "户口簿"}};
  const auto received_at = [](Engine& e, CaseId id) {
    const CaseView v = e.get(id);
    REQUIRE_FALSE(v.history.empty());
    CHECK(v.history.front().kind == EventKind::submitted);
    return v.history.front().post;
  };
  {
    auto e = hall.open(hall.a);
    CHECK(error_of([&] { e->submit(at_new_window); }).code() == ErrorCode::not_found);
    e->submit({"360730-SCJG-0004", "nd", "nd-s001", "乙", food_licence_materials()});
    e->install_rules(b, "nd-s017");
    CHECK(received_at(*e, e->submit(at_new_window)) == "nd-w17");
    const CaseId proxy = e->submit(at_new_station);
    CHECK(received_at(*e, proxy) == "nd-mj-v9-agent1");
    CHECK(e->get(proxy).office == "nd-mj");  // the township accepts what its village hands in
  }
  // Reopened on B next year (Monday 2027-01-04): the engine finds the same posts.
  hall.clock->set(DateTime::parse("2027-01-04T09:00"));
  auto e = hall.open(b);
  CHECK(received_at(*e, e->submit(at_new_window)) == "nd-w17");
  CHECK(received_at(*e, e->submit(at_new_station)) == "nd-mj-v9-agent1");
}

TEST_CASE("installing rules: an install before a fresh store's first command keeps the set it opened with") {
  LiveHall hall;
  // A new hall database opened today on A, and B installed before anyone acts: the store
  // must hold both sets, A first, or cases recorded after the install (whose references
  // count A's entities first) could not be read back.
  hall.clock->set(DateTime::parse("2026-12-01T08:30"));
  const RuleSet b = hall.b();
  CaseId id = 0;
  {
    auto e = hall.open(hall.a);
    e->install_rules(b, "nd-s017");
    REQUIRE(e->installed_rules().size() == 2);
    id = e->submit({"360730-SCJG-0004", "nd", "nd-s001", "甲", food_licence_materials()});
    act(*e, id, Verb::accept, "nd-s001");
  }
  hall.clock->set(DateTime::parse("2027-01-04T09:00"));
  auto e = hall.open(b);
  REQUIRE(e->installed_rules().size() == 2);
  CHECK(e->installed_rules()[0].version == hall.a.version());
  CHECK(e->installed_rules()[1].version == b.version());
  CHECK(e->get(id).rules_version == b.version());
  CHECK(e->get(id).state == CaseState::preliminary_review);
  e.reset();
  CHECK(verify_sqlite_log(hall.db).ok);
  CHECK(sql_int(hall.db, "SELECT count(*) FROM rule_sets") == 2);
}

TEST_CASE("installing rules: a stage the 办不成事 window holds for its post goes back to the post's "
          "new clerk at work") {
  LiveHall hall;
  // The window holds a food licence for the chief's post, both of whose holders are away.
  // B makes nd-s200 the post's A; nd-s200 is at work.
  CaseId id = 0;
  {
    auto e = hall.open(hall.a);
    id = held_at_window_for_the_chief(*e, *hall.clock);
    hall.clock->set(DateTime::parse("2026-12-02T10:00"));
    e->install_rules(hall.b(), "nd-s017");
    const CaseView v = e->get(id);
    CHECK(v.post == "nd-amr-chief");
    CHECK(v.holder == "nd-s200");
    CHECK(v.holding == Holding::a_holder);
    REQUIRE_FALSE(v.history.empty());
    const Event& moved = v.history.back();  // one event: the install moved it
    CHECK(moved.kind == EventKind::rerouted);
    CHECK(moved.detail.find("from_post=nd-unresolved; to_post=nd-amr-chief; from=nd-s018; "
                            "to=nd-s200") == 0);
    act(*e, id, Verb::approve, "nd-s200");  // the new chief decides the same day
  }
  // Reopened on B: decided, and nothing waits at the window.
  auto e = hall.open(hall.b());
  CHECK(e->view(id).state == CaseState::decided);
}

TEST_CASE("installing rules: a stage the 办不成事 window holds moves to the window's new clerk "
          "while the post's holders are still away") {
  LiveHall hall;
  // Rule set C: rules/ningdu with one change, the 办不成事 window's staffing. 吴芳 (nd-s018)
  // leaves it; 朱磊 (nd-s019) becomes its A and 林平 (nd-s020) its B. The 市场监管局首席代表岗
  // keeps its holders, both on leave until 2026-12-11.
  const fs::path c_dir = copy_rules(ningdu_rules(), hall.dir / "ningdu-c");
  edit(c_dir / "posts-city-county.yaml", "role: unresolved, a: nd-s018, b: nd-s019,",
       "role: unresolved, a: nd-s019, b: nd-s020,");
  CaseId id = 0;
  {
    auto e = hall.open(hall.a);
    id = held_at_window_for_the_chief(*e, *hall.clock);
    hall.clock->set(DateTime::parse("2026-12-02T10:00"));
    e->install_rules(RuleSet::load(c_dir), "nd-s017");
    const CaseView v = e->get(id);
    // Still at the window for its post (both holders away), now with the window's new A.
    CHECK(v.post == "nd-unresolved");
    CHECK(v.holder == "nd-s019");
    CHECK(v.holding == Holding::unresolved);
    // Two events: the install moved it, and the window's new clerk holds it for the post (as
    // any stage routed to the window while its post's holders are away).
    REQUIRE(v.history.size() >= 2);
    const Event& moved = v.history[v.history.size() - 2];
    CHECK(moved.kind == EventKind::rerouted);
    CHECK(moved.actor == "nd-s017");
    CHECK(moved.reason.find("its holders changed") != std::string::npos);
    CHECK(moved.detail.find("from_post=nd-unresolved; to_post=nd-unresolved; from=nd-s018; "
                            "to=nd-s019") == 0);
    const Event& held = v.history.back();
    CHECK(held.kind == EventKind::routed_unresolved);
    CHECK(held.detail == "post=nd-amr-chief; window=nd-unresolved; holder=nd-s019");
    // 吴芳 no longer holds the window: she may not act on it.
    Action by_old;
    by_old.actor = "nd-s018";
    CHECK_THROWS(e->act(id, Verb::approve, by_old));
  }
  // Reopened on C past the chief's return: the stage went home to 魏燕 (nd-s024), who decides.
  hall.clock->set(DateTime::parse("2026-12-14T09:00"));
  auto e = hall.open(RuleSet::load(c_dir));
  e->advance_to(hall.clock->now());
  const CaseView v = e->view(id);
  CHECK(v.post == "nd-amr-chief");
  CHECK(v.holder == "nd-s024");
  CHECK(v.holding == Holding::a_holder);
  act(*e, id, Verb::approve, "nd-s024");
  CHECK(e->view(id).state == CaseState::decided);
}
