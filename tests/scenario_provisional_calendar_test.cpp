// Scenario: a hall runs through the turn of the year before the State Council's notice for
// next year is out (今天 2026-11-30). A 20-working-day case accepted on 2026-12-21 gets a
// deadline in 2027 counted on the statutory holidays alone, marked provisional; when the
// official 2027 file arrives (here with a make-up Saturday in January) the deadline is
// recomputed once, with an event giving the old and new dates. 行政许可法 §42 and §82: time
// limits are working days, which only the notice fixes.
#include <doctest/doctest.h>

#include <algorithm>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "official_2027.hpp"
#include "sqlite_files.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

// 临时救助 (360730-MZ-0001): promised 5, legal 20 working days, at the county window.
const std::vector<std::string> kReliefMaterials{"临时救助申请书", "居民身份证及户口簿",
                                                "遭遇困难的有关证明材料"};

std::optional<Event> last_of(const CaseView& v, EventKind kind) {
  for (auto it = v.history.rbegin(); it != v.history.rend(); ++it) {
    if (it->kind == kind) return *it;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("provisional calendar: today's cases are not provisional, December's reach into 2027") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");  // today
  const CaseId today = hall.submit("360730-MZ-0001", "nd", "nd-s001", kReliefMaterials);
  hall.act(today, Verb::accept, "nd-s001");
  CaseView v = hall.view(today);
  CHECK(v.legal_deadline == day("2026-12-28"));  // 20 working days, all in 2026
  CHECK_FALSE(v.deadlines_provisional);

  hall.at("2026-12-21T09:00");
  const CaseId december = hall.submit("360730-MZ-0001", "nd", "nd-s001", kReliefMaterials);
  hall.act(december, Verb::accept, "nd-s001");  // never refused for its deadline's year
  v = hall.view(december);
  CHECK(v.promised_deadline == day("2026-12-28"));
  // 12-22..12-31: 8 working days; 2027-01-01 元旦 (Friday, statutory) is off; 01-04..01-15:
  // 10 more; 01-18 and 01-19 make 20.
  CHECK(v.legal_deadline == day("2027-01-19"));
  CHECK(v.deadlines_provisional);

  // Next year, well inside the provisional years, still works.
  hall.at("2027-06-01T09:00");
  const CaseId next_year = hall.submit("360730-MZ-0001", "nd", "nd-s001", kReliefMaterials);
  hall.act(next_year, Verb::accept, "nd-s001");
  CHECK(hall.view(next_year).deadlines_provisional);
  CHECK(hall.view(next_year).legal_deadline == day("2027-06-30"));  // 端午 06-09 off
}

TEST_CASE("provisional calendar: the official year recomputes each open deadline once, audited") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  const fs::path official = official_2027(dir);
  auto clock = std::make_shared<ManualClock>(DateTime::parse("2026-12-21T09:00"));
  const auto open = [&](const Calendar& calendar) {
    Options o;
    o.store = open_sqlite_store(db);
    return std::make_unique<Engine>(RuleSet::load(ningdu_rules()), calendar, clock, o);
  };
  Action clerk;
  clerk.actor = "nd-s001";
  CaseId first = 0, second = 0, done = 0;
  {
    auto e = open(shipped_calendar());
    first = e->submit({"360730-MZ-0001", "nd", "nd-s001", "甲", kReliefMaterials});
    e->act(first, Verb::accept, clerk);
    second = e->submit({"360730-MZ-0001", "nd", "nd-s001", "乙", kReliefMaterials});
    e->act(second, Verb::accept, clerk);
    done = e->submit({"360730-MZ-0001", "nd", "nd-s001", "丙", kReliefMaterials});
    e->act(done, Verb::accept, clerk);
    e->act(done, Verb::withdraw, Action{.actor = "nd-s001", .reason = "申请人撤回"});
    CHECK(e->get(first).deadlines_provisional);

    // A running engine takes the official calendar: the open cases are recomputed.
    e->update_calendar(Calendar::load(official));
    const CaseView v = e->get(first);
    CHECK_FALSE(v.deadlines_provisional);
    CHECK(v.legal_deadline == day("2027-01-18"));  // the make-up Saturday 01-09 counts
    CHECK(v.promised_deadline == day("2026-12-28"));
    const auto recomputed = last_of(v, EventKind::deadlines_recomputed);
    REQUIRE(recomputed);
    CHECK(recomputed->actor == "system");
    CHECK(recomputed->detail ==
          "promised_due=2026-12-28->2026-12-28; legal_due=2027-01-19->2027-01-18");
    // A concluded case is history: its dates are those it concluded with.
    CHECK_FALSE(last_of(e->get(done), EventKind::deadlines_recomputed));
    // Once: another update with the same calendar changes nothing.
    const std::size_t events = v.history.size();
    e->update_calendar(Calendar::load(official));
    CHECK(e->get(first).history.size() == events);
    // A calendar that drops a year open cases may count on is refused.
    std::vector<CalendarYear> short_years(shipped_calendar().years().begin(),
                                          shipped_calendar().years().end() - 3);
    CHECK(error_of([&] { e->update_calendar(Calendar::from_years(short_years)); }).code() ==
          ErrorCode::invalid_argument);
  }
  // The second case was recomputed too, once: reopening with the official calendar finds
  // nothing provisional left to recompute.
  {
    auto e = open(Calendar::load(official));
    const CaseView v = e->get(second);
    CHECK(v.legal_deadline == day("2027-01-18"));
    CHECK(std::count_if(v.history.begin(), v.history.end(), [](const Event& x) {
            return x.kind == EventKind::deadlines_recomputed;
          }) == 1);
  }
  CHECK(verify_sqlite_log(db).ok);
}

TEST_CASE("provisional calendar: an engine opened with the official year recomputes on opening") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  auto clock = std::make_shared<ManualClock>(DateTime::parse("2026-12-21T09:00"));
  CaseId id = 0;
  {
    Options o;
    o.store = open_sqlite_store(db);
    Engine e(RuleSet::load(ningdu_rules()), shipped_calendar(), clock, o);
    id = e.submit({"360730-MZ-0001", "nd", "nd-s001", "甲", kReliefMaterials});
    e.act(id, Verb::accept, Action{.actor = "nd-s001"});
  }
  clock->set(DateTime::parse("2026-12-28T09:00"));  // the notice came out meanwhile
  Options o;
  o.store = open_sqlite_store(db);
  Engine e(RuleSet::load(ningdu_rules()), Calendar::load(official_2027(dir)), clock, o);
  const CaseView v = e.get(id);
  CHECK_FALSE(v.deadlines_provisional);
  CHECK(v.legal_deadline == day("2027-01-18"));
  REQUIRE(last_of(v, EventKind::deadlines_recomputed));
  CHECK(last_of(v, EventKind::deadlines_recomputed)->time == DateTime::parse("2026-12-28T09:00"));
}

TEST_CASE("provisional calendar: past the last provisional year the engine refuses, clearly") {
  Hall hall(ningdu_rules(), "2035-12-20T09:00");
  const CaseId id = hall.submit("360730-MZ-0001", "nd", "nd-s001", kReliefMaterials);
  const Error e = error_of([&] { hall.act(id, Verb::accept, "nd-s001"); });
  CHECK(e.code() == ErrorCode::calendar_no_data);
  CHECK(std::string(e.what()).find("2036") != std::string::npos);
  CHECK(hall.state(id) == CaseState::received);
}

TEST_CASE("provisional calendar: lights and timers run across New Year into the provisional year") {
  Hall hall(ningdu_rules(), "2026-12-21T09:00");
  const CaseId id = hall.submit("360730-MZ-0001", "nd", "nd-s001", kReliefMaterials);
  hall.act(id, Verb::accept, "nd-s001");
  // Promised 2026-12-28 (5 working days): yellow on its last day, red from 12-29.
  CHECK(hall.engine.next_due() == DateTime::parse("2026-12-28T00:00"));
  hall.at("2026-12-31T23:59");
  CHECK(hall.view(id).light == Light::red);
  // The legal deadline 2027-01-19 (provisional year): escalated red from 01-20, not before.
  hall.at("2027-01-19T23:59");
  CHECK(hall.view(id).light == Light::red);
  hall.at("2027-01-20T00:00");
  CHECK(hall.view(id).light == Light::escalated_red);
  CHECK_FALSE(hall.engine.next_due());
}
