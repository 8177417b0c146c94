// workflow/supervision.hpp: the figures of a small hall built by hand, each number worked out
// here from what the test did; and the stores' change feed (CaseStore::events_after).
#include <doctest/doctest.h>

#include <filesystem>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "workflow/supervision.hpp"

namespace workflow::testing {
namespace {

const std::string kPension = "430481-SD-SHSW-0001";  // instant, 社会事务综合服务中心
const std::vector<std::string> kPensionMaterials = {"居民身份证或户口簿",
                                                    "城乡居民基本养老保险参保登记表"};

// Three instant pension cases at 三都镇, clerk sd-s07:
//  1. 2025-03-03: complete, decided and issued at once, rated 5;
//  2. 2025-03-04: one material missing, a notice, brought back, then decided, rated 2 (a
//     rectification task opens, still open);
//  3. 2025-04-01: complete, decided and issued (the second quarter).
void build(Hall& hall) {
  const CaseId a = hall.submit(kPension, "ly-sd", "sd-s07", kPensionMaterials, "刘桂英");
  for (Verb v : {Verb::accept, Verb::approve, Verb::issue}) hall.act(a, v, "sd-s07");
  hall.engine.rate(a, Rating{.score = 5});

  hall.at("2025-03-04T09:00");
  const CaseId b = hall.submit(kPension, "ly-sd", "sd-s07", {kPensionMaterials[0]}, "430481199001011234");
  hall.act(b, Verb::notify_missing, "sd-s07");
  Action brought;
  brought.actor = "sd-s07";
  brought.materials = {kPensionMaterials[1]};
  hall.engine.supplement(b, brought);
  for (Verb v : {Verb::accept, Verb::approve, Verb::issue}) hall.act(b, v, "sd-s07");
  hall.engine.rate(b, Rating{.score = 2});

  hall.at("2025-04-01T09:00");
  const CaseId c = hall.submit(kPension, "ly-sd", "sd-s07", kPensionMaterials, "王芳");
  for (Verb v : {Verb::accept, Verb::approve, Verb::issue}) hall.act(c, v, "sd-s07");
}

}  // namespace

TEST_CASE("Period: months, quarters and the forms --period takes") {
  CHECK(Period::quarter(2026, 1).to_string() == "2026-01-01..2026-03-31");
  CHECK(Period::month(2024, 2).to == day("2024-02-29"));
  CHECK(Period::parse("2026Q4").from == day("2026-10-01"));
  CHECK(Period::parse("2025-12").to == day("2025-12-31"));
  CHECK(Period::parse("2026").to == day("2026-12-31"));
  CHECK(error_of([] { Period::parse("2026Q5"); }).code() == ErrorCode::invalid_argument);
  CHECK(error_of([] { Period::quarter(2026, 0); }).code() == ErrorCode::invalid_argument);
}

TEST_CASE("Rate: no denominator is no data, never 0 %") {
  CHECK_FALSE(Rate{}.value().has_value());
  CHECK(Rate{0, 4}.value() == 0.0);
  CHECK(Rate{3, 4}.value() == 0.75);
}

TEST_CASE("supervise: the first quarter of a small hall, counted by hand") {
  Hall hall(sandu_rules(), "2025-03-03T09:10");
  build(hall);
  const SupervisionFigures f = supervise(hall.engine, {.period = Period::quarter(2025, 1)});
  CHECK(f.cases == 2);  // the April case is in the second quarter
  CHECK(f.instant == 2);
  CHECK(f.instant_share.numerator == 2);
  CHECK(f.instant_share.denominator == 2);
  CHECK(f.accepted == 2);
  CHECK(f.first_time_right == 1);  // case 2 was given a notice
  CHECK(f.first_time_right_rate.value() == 0.5);
  CHECK(f.decided == 2);
  CHECK(f.on_time.value() == 1.0);  // instant: promised the same day, decided the same day
  CHECK(f.ratings.rated == 2);
  CHECK(f.ratings.satisfaction.numerator == 1);  // the 5; the 2 is not
  CHECK(f.ratings.satisfaction.denominator == 2);
  CHECK(f.ratings.bad == 1);
  CHECK(f.ratings.tasks_opened == 1);
  CHECK(f.ratings.handled.value() == 0.0);  // opened, not closed
  CHECK(f.red_ever == 0);
  CHECK(f.red_now == 0);
  CHECK(f.hall == "耒阳市政务服务中心");
  // 即办件 by matters: over the rule set's matters (no office asked for).
  int instant_matters = 0, matters = 0;
  for (const Matter& m : hall.engine.rules().matters()) {
    ++matters;
    instant_matters += m.kind == MatterKind::instant;
  }
  CHECK(f.instant_matters.numerator == instant_matters);
  CHECK(f.instant_matters.denominator == matters);
  // One unit, so it is first and among the last three.
  REQUIRE(f.units.size() == 1);
  CHECK(f.units[0].id == "sd-shsw");
  CHECK(f.units[0].cases == 2);
  CHECK(f.units[0].on_time.value() == 1.0);
  CHECK(f.units[0].first_time_right.value() == 0.5);
  CHECK(f.units[0].bad_ratings == 1);
  CHECK(f.last_three == std::vector<std::string>{"sd-shsw"});
  // Both cases fall in the week of Monday 2025-03-03.
  REQUIRE(f.weeks.size() == 1);
  CHECK(f.weeks[0].from == day("2025-03-03"));
  CHECK(f.weeks[0].received == 2);
  CHECK(f.weeks[0].decided == 2);

  const SupervisionFigures all = supervise(hall.engine);
  CHECK(all.cases == 3);
  CHECK(all.first_time_right_rate.numerator == 2);
  CHECK(all.first_time_right_rate.denominator == 3);
  CHECK(all.weeks.size() == 5);  // 03-03 .. the week of 03-31 (04-01)
}

TEST_CASE("supervise: red now is late work still waiting; a decided red case was red") {
  Hall hall(ningdu_rules(), "2026-11-30T09:00");
  const auto food = [&] {
    const CaseId id = hall.submit("360730-SCJG-0004", "nd", "nd-s001", food_licence_materials(), "甲");
    hall.act(id, Verb::accept, "nd-s001");
    hall.act(id, Verb::review_pass, "nd-s001");  // the window's pre-review
    hall.act(id, Verb::review_pass, "nd-s022");  // to 市场监管局's chief (nd-s024)
    return id;
  };
  const CaseId decided = food(), waiting = food();
  // The promise is 5 working days: on 2026-12-10 both are past it.
  hall.engine.advance_to(DateTime::parse("2026-12-10T09:00"));
  hall.act(decided, Verb::approve, "nd-s024");
  REQUIRE(hall.engine.get(decided).light == Light::red);  // frozen at the decision
  REQUIRE(hall.engine.get(waiting).light == Light::red);
  const SupervisionFigures f = supervise(hall.engine);
  CHECK(f.red_ever == 2);
  CHECK(f.light_now.at("red") == 2);
  CHECK(f.red_now == 1);
  REQUIRE(f.units.size() == 1);
  CHECK(f.units[0].red_ever == 2);
  CHECK(f.units[0].red_now == 1);
}

TEST_CASE("supervise: an empty period or office has no data, not 0 %") {
  Hall hall(sandu_rules(), "2025-03-03T09:10");
  build(hall);
  const SupervisionFigures none = supervise(hall.engine, {.period = Period::quarter(2024, 1)});
  CHECK(none.cases == 0);
  CHECK_FALSE(none.on_time.value().has_value());
  CHECK_FALSE(none.first_time_right_rate.value().has_value());
  CHECK_FALSE(none.ratings.satisfaction.value().has_value());
  CHECK(none.units.empty());
  CHECK(none.last_three.empty());
  CHECK(none.as_of.empty());
  // A department with no cases; the office and its subtree with all of them.
  CHECK(supervise(hall.engine, {.office = "sd-scjg"}).cases == 0);
  CHECK(supervise(hall.engine, {.office = "ly-sd"}).cases == 3);
  CHECK(supervise(hall.engine, {.office = "sd-shsw"}).office_name == "三都镇社会事务综合服务中心");
  CHECK(error_of([&] { supervise(hall.engine, {.office = "nowhere"}); }).code() ==
        ErrorCode::invalid_argument);
}

TEST_CASE("events_after: positions, batches and chain heads in both stores") {
  const auto path = std::filesystem::temp_directory_path() / "supervision_feed_test.db";
  std::filesystem::remove(path);
  std::string sqlite_head, sqlite_at_5;
  std::uint64_t total = 0;
  {
    std::shared_ptr<CaseStore> store = open_sqlite_store(path);
    Hall hall(sandu_rules(), "2025-03-03T09:10", Options{.store = store});
    build(hall);
    const LogBatch b = store->events_after(0, 1000);
    total = b.last_position;
    sqlite_head = b.head_hash;
    sqlite_at_5 = store->events_after(3, 2).head_hash;
  }
  std::shared_ptr<CaseStore> memory = make_memory_store();
  Hall hall(sandu_rules(), "2025-03-03T09:10", Options{.store = memory});
  build(hall);
  const LogBatch all = memory->events_after(0, 1000);
  CHECK(all.last_position == total);
  // The same events, but the SQLite chain also covers its snapshots' seals (docs/storage.md,
  // "Snapshots in the chain"); the memory store's has nothing outside the process to seal.
  for (std::size_t i = 0; i < all.events.size(); ++i) {
    CHECK(all.events[i].position == i + 1);
  }
  // In batches of 4: contiguous, and each batch's head is the full read's at that position.
  std::uint64_t after = 0;
  while (after < total) {
    const LogBatch b = memory->events_after(after, 4);
    REQUIRE_FALSE(b.events.empty());
    CHECK(b.events.front().position == after + 1);
    CHECK(b.head_position == b.events.back().position);
    CHECK(b.head_position - after == b.events.size());
    after = b.head_position;
  }
  const LogBatch end = memory->events_after(total, 4);
  CHECK(end.events.empty());
  CHECK(end.head_position == total);
  CHECK(end.head_hash == all.head_hash);
  CHECK(memory->events_after(0, 0).head_hash == std::string(64, '0'));
  CHECK(error_of([&] { memory->events_after(total + 1, 1); }).code() == ErrorCode::invalid_argument);

  // Read-only SQLite: the same feed.
  auto ro = open_sqlite_store(path, SqliteOptions{.read_only = true, .create = false});
  const LogBatch r = ro->events_after(3, 2);
  REQUIRE(r.events.size() == 2);
  CHECK(r.events[0].position == 4);
  CHECK(r.events[0].event.case_id == all.events[3].event.case_id);
  CHECK(r.head_hash == sqlite_at_5);
  CHECK(ro->events_after(total, 10).head_hash == sqlite_head);
  ro.reset();
  std::filesystem::remove(path);
}

}  // namespace workflow::testing
