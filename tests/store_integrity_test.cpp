// A hall's store as a supervision office audits it: snapshots bound to the hash chain (an
// edited snapshot is refused on reopening and named by the audit), the keyed chain and the
// anchors that catch a rewritten log (docs/storage.md, "What the chain, the key and the
// anchors protect against").
#include <doctest/doctest.h>

#include <fstream>

#include "error_of.hpp"
#include "hall_fixture.hpp"
#include "snapshot_bytes.hpp"
#include "sqlite_files.hpp"
#include "store/hash_chain.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/engine.hpp"

using namespace workflow;
using namespace workflow::testing;
namespace fs = std::filesystem;

namespace {

Options on_store(const fs::path& db, const fs::path& key = {}) {
  Options o;
  SqliteOptions s;
  s.key_file = key;
  o.store = open_sqlite_store(db, s);
  return o;
}

// Sets one byte of a case's stored snapshot, as someone with the sqlite3 shell could.
void set_snapshot_byte(const fs::path& db, CaseId id, std::size_t at, const char* hex) {
  sql(db, "UPDATE cases SET encoded = substr(encoded, 1, " + std::to_string(at) +
              ") || x'" + hex + "' || substr(encoded, " + std::to_string(at + 2) + ") WHERE id = " +
              std::to_string(id));
}

// Where case `id`'s phase byte is in its stored snapshot (snapshot_bytes.hpp).
std::size_t phase_at(const fs::path& db, CaseId id) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "SELECT encoded FROM cases WHERE id = ?", -1, &s, nullptr) == SQLITE_OK);
  sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(id));
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const std::string encoded(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                            static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return phase_offset(encoded, id);
}

// Two food-licence cases: case 1 issued, case 2 at review.
void issued_hall(const fs::path& db, const fs::path& key = {}) {
  Hall hall(ningdu_rules(), "2026-11-30T09:00", on_store(db, key));
  const CaseId issued = food_case_at_review(hall);
  hall.act(issued, Verb::review_pass, "nd-s022");
  hall.act(issued, Verb::approve, "nd-s024");
  hall.act(issued, Verb::issue, "nd-s001");
  food_case_at_review(hall);
}

void write_key(const fs::path& file, char fill) {
  std::ofstream(file, std::ios::binary) << std::string(32, fill);
}

// Recomputes case `id`'s row seal after an edit, as someone with write access can: with
// plain SHA-256, or HMAC under `key` (a wrong one, in the tests: the right one is not theirs).
void reseal_row(const fs::path& db, CaseId id, const detail::HmacSha256* key = nullptr) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h,
                             "SELECT (SELECT value FROM store_info WHERE key = 'store_id'), "
                             "last_seq, sealed_by, encoded FROM cases WHERE id = ?",
                             -1, &s, nullptr) == SQLITE_OK);
  sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(id));
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const std::string store_id(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  const std::string encoded(static_cast<const char*>(sqlite3_column_blob(s, 3)),
                            static_cast<std::size_t>(sqlite3_column_bytes(s, 3)));
  const auto seal = detail::row_seal(store_id, static_cast<std::int64_t>(id), sqlite3_column_int64(s, 1),
                                     sqlite3_column_int64(s, 2), detail::snapshot_digest(encoded), key);
  sqlite3_finalize(s);
  sqlite3_close(h);
  sql(db, "UPDATE cases SET seal = x'" + detail::to_hex(seal) + "' WHERE id = " + std::to_string(id));
}

// Rewrites the log as someone with write access and no key can: every hash from `from` on
// recomputed with plain SHA-256, and the head moved along.
void recompute_chain(const fs::path& db) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h,
                             "SELECT id, case_id, seq, kind, time, actor, office, post, reason, "
                             "detail, rules_version, notify, snapshots FROM events ORDER BY id",
                             -1, &s, nullptr) == SQLITE_OK);
  std::vector<std::pair<std::int64_t, std::string>> hashes;
  detail::Sha256::Digest head{};
  const auto text = [&](int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(s, c));
    return p == nullptr ? std::string() : std::string(p, sqlite3_column_bytes(s, c));
  };
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string kind = text(3), actor = text(5), office = text(6), post = text(7),
                      reason = text(8), detail = text(9), rules = text(10), notify = text(11),
                      snaps = text(12);
    head = detail::chain_hash(head, {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                                     sqlite3_column_int64(s, 2), kind, sqlite3_column_int64(s, 4),
                                     actor, office, post, reason, detail, rules, notify, snaps});
    hashes.emplace_back(sqlite3_column_int64(s, 0), detail::to_hex(head));
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  for (const auto& [id, hex] : hashes) {
    sql(db, "UPDATE events SET hash = x'" + hex + "' WHERE id = " + std::to_string(id));
  }
  sql(db, "UPDATE log_head SET last_id = " + std::to_string(hashes.back().first) + ", hash = x'" +
              hashes.back().second + "'");
}

}  // namespace

TEST_CASE("integrity: one byte of an issued case's snapshot edited is refused on reopening and named by the audit") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  issued_hall(db);
  REQUIRE(verify_sqlite_log(db).ok);
  // The phase byte: issued (8) becomes decided (7), a valid state in which a second `issue`
  // would be accepted.
  const std::size_t phase = phase_at(db, 1);
  REQUIRE(sql_int(db, "SELECT hex(substr(encoded, " + std::to_string(phase + 1) +
                          ", 1)) = '08' FROM cases WHERE id = 1") == 1);
  set_snapshot_byte(db, 1, phase, "07");

  const Error refused = error_of([&] { Hall again(ningdu_rules(), "2026-11-30T10:00", on_store(db)); });
  CHECK(refused.code() == ErrorCode::store_error);
  const std::string message = refused.what();
  CHECK_MESSAGE(message.find("the snapshot of case 1 does not match") != std::string::npos, message);
  CHECK_MESSAGE(message.find("workflow audit verify") != std::string::npos, message);

  const AuditResult r = verify_sqlite_log(db);
  CHECK_FALSE(r.ok);
  CHECK(r.events_checked > 0);
  REQUIRE(r.bad_snapshots == std::vector<CaseId>{1});
  CHECK(r.snapshot_problems[0] == "its snapshot does not match the digest the log records for it");
}

TEST_CASE("integrity: a snapshot moved back to an older one, or its seal cleared, is refused too") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  issued_hall(db);
  const fs::path older = dir / "older.db";
  fs::copy_file(db, older);
  {
    Hall hall(ningdu_rules(), "2026-11-30T11:00", on_store(db));
    hall.act(2, Verb::review_pass, "nd-s022");
  }
  REQUIRE(verify_sqlite_log(db).ok);
  // Case 2's snapshot and seal as they were before the approval.
  const fs::path rolled = dir / "rolled.db";
  fs::copy_file(db, rolled);
  sql(rolled, "ATTACH '" + older.string() + "' AS old; UPDATE cases SET (last_seq, encoded, "
              "sealed_by) = (SELECT last_seq, encoded, sealed_by FROM old.cases WHERE id = 2) "
              "WHERE id = 2");
  AuditResult r = verify_sqlite_log(rolled);
  REQUIRE(r.bad_snapshots == std::vector<CaseId>{2});
  CHECK(r.snapshot_problems[0].find("the log's seal says") != std::string::npos);

  const fs::path cleared = dir / "cleared.db";
  fs::copy_file(db, cleared);
  sql(cleared, "UPDATE cases SET sealed_by = 0 WHERE id = 1");
  set_snapshot_byte(cleared, 1, phase_at(cleared, 1), "07");
  const Error e = error_of([&] { Hall again(ningdu_rules(), "2026-11-30T12:00", on_store(cleared)); });
  CHECK(std::string(e.what()).find("the snapshot of case 1 is not sealed") != std::string::npos);
  r = verify_sqlite_log(cleared);
  CHECK(r.bad_snapshots == std::vector<CaseId>{1});
}

TEST_CASE("integrity: a keyed chain catches a rewritten log that a plain chain cannot") {
  TempDir dir;
  const fs::path key = dir / "hall.key", other = dir / "other.key";
  write_key(key, 'k');
  write_key(other, 'o');
  const fs::path plain = dir / "plain.db", keyed = dir / "keyed.db";
  issued_hall(plain);
  issued_hall(keyed, key);

  AuditOptions with_key;
  with_key.key_file = key;
  CHECK(verify_sqlite_log(keyed, with_key).ok);
  CHECK(verify_sqlite_log(keyed, with_key).keyed);
  // An unkeyed audit of a keyed store says so; a writer needs the key, and the right one.
  CHECK(std::string(error_of([&] { verify_sqlite_log(keyed); }).what()).find("has a keyed chain") !=
        std::string::npos);
  CHECK(std::string(error_of([&] { open_sqlite_store(keyed); }).what()).find("give its key file") !=
        std::string::npos);
  SqliteOptions wrong;
  wrong.key_file = other;
  CHECK(std::string(error_of([&] { open_sqlite_store(keyed, wrong); }).what())
            .find("not this store's key") != std::string::npos);
  SqliteOptions late;
  late.key_file = key;
  CHECK(std::string(error_of([&] { open_sqlite_store(plain, late); }).what())
            .find("a key can be given only to a new store") != std::string::npos);

  // Someone with write access edits an event and recomputes every later hash and the head.
  const std::string anchor = [&] {
    auto s = open_sqlite_store(plain, SqliteOptions{.read_only = true, .create = false, .key_file = {}});
    const auto last = s->events_after(0, 0).last_position;
    const LogBatch b = s->events_after(last, 0);
    return std::to_string(b.head_position) + ":" + b.head_hash;
  }();
  for (const fs::path& db : {plain, keyed}) {
    sql(db, "UPDATE events SET reason = 'forged' WHERE id = 2");
    recompute_chain(db);
  }
  CHECK(verify_sqlite_log(plain).ok);  // the gap the key and the anchors close
  const AuditResult k = verify_sqlite_log(keyed, with_key);
  CHECK_FALSE(k.ok);
  CHECK(k.first_bad_event == 1);  // the first hash recomputed without the key
  // The anchor recorded before the rewrite catches the plain chain.
  AuditOptions anchored;
  const auto colon = anchor.find(':');
  anchored.expect = {std::stoull(anchor.substr(0, colon)), anchor.substr(colon + 1)};
  const AuditResult a = verify_sqlite_log(plain, anchored);
  CHECK_FALSE(a.ok);
  CHECK(a.first_bad_event == anchored.expect->first);
  CHECK(a.problem.find("does not match the anchor") != std::string::npos);
}

TEST_CASE("integrity: deleting the last events and moving the head back fails only against an anchor") {
  TempDir dir;
  const fs::path db = dir / "hall.db";
  issued_hall(db);
  const std::int64_t last = sql_int(db, "SELECT max(id) FROM events");
  const std::string hash_at_last = [&] {
    auto s = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false, .key_file = {}});
    return s->events_after(static_cast<std::uint64_t>(last), 0).head_hash;
  }();
  sql(db, "DELETE FROM events WHERE id > " + std::to_string(last - 2) + ";"
          "UPDATE log_head SET last_id = " + std::to_string(last - 2) +
          ", hash = (SELECT hash FROM events WHERE id = " + std::to_string(last - 2) + ")");
  // Snapshots sealed by the deleted events are now unsealed: still caught.
  CHECK_FALSE(verify_sqlite_log(db).ok);
  AuditOptions anchored;
  anchored.expect = {static_cast<std::uint64_t>(last), hash_at_last};
  const AuditResult r = verify_sqlite_log(db, anchored);
  CHECK_FALSE(r.ok);
  CHECK(r.first_bad_event == static_cast<std::uint64_t>(last));
  CHECK(r.problem.find("the anchor recorded event") != std::string::npos);
}

// A rule install moves every open case in one commit, and then each case goes on alone: the
// cases' seals interleave in the log. Reopening reads each sealing event once (one ordered
// pass per page), not once per case whose seal differs from the case before it.
// A keyed store read without its key (read-only) cannot check row seals, so it checks each
// snapshot against its sealing event's list, as every store did before schema 5.
TEST_CASE("integrity: reopening reads each sealing event once, however the cases' seals interleave") {
  TempDir dir;
  const fs::path db = dir / "hall.db", key = dir / "hall.key";
  write_key(key, 'k');
  constexpr int kCases = 600;  // more than two pages of 256
  {
    auto store = open_sqlite_store(db, SqliteOptions{.read_only = false, .create = true, .key_file = key});
    StoreCommit all;  // one event seals every case
    all.events.push_back(Event{0, 1, EventKind::rules_installed, DateTime::from_seconds(1'796'000'000),
                               "system", "", "", "", "", "rules-v2"});
    for (int c = 1; c <= kCases; ++c) {
      all.cases.push_back({static_cast<CaseId>(c), 1, "snapshot " + std::to_string(c)});
    }
    store->append(std::move(all));
    std::uint64_t t = 0;
    for (int c = 2; c <= kCases; c += 2) {  // then every even case on its own
      StoreCommit one;
      one.events.push_back(Event{static_cast<CaseId>(c), 2, EventKind::accept,
                                 DateTime::from_seconds(1'796'000'100), "w1a", "county", "w1", "",
                                 "", "rules-v2"});
      one.cases.push_back({static_cast<CaseId>(c), 2, "snapshot " + std::to_string(c) + " accepted"});
      t = store->append(std::move(one));
    }
    store->wait_durable(t);
  }
  REQUIRE(verify_sqlite_log(db, AuditOptions{.key_file = key, .expect = {}}).ok);
  auto store = open_sqlite_store(db, SqliteOptions{.read_only = true, .create = false, .key_file = {}});
  std::size_t seen = 0;
  store->for_each_case([&](const CaseSnapshot& s) {
    ++seen;
    CHECK(s.last_seq == (s.id % 2 == 0 ? 2u : 1u));
  });
  CHECK(seen == kCases);
  // 1 + 300 sealing events; a look-up per change of seal would read the shared one 300 times
  // more.
  CHECK(detail::sqlite_stats(*store).sealing_events_read == 1 + kCases / 2);
}

// Schema 5 (docs/storage.md, "Row seals"): reopening checks each row against its own seal and
// reads no event. The guarantee is the one reopening gave before: an editor without the key
// who recomputes what reopening checks passes it and is caught by the audit; with a keyed
// chain the recomputation needs the key.
TEST_CASE("integrity: reopening checks each case row's own seal, keyed or not") {
  TempDir dir;
  const fs::path key = dir / "hall.key";
  write_key(key, 'k');
  const fs::path plain = dir / "plain.db", keyed = dir / "keyed.db";
  issued_hall(plain);
  issued_hall(keyed, key);
  const auto reopen = [&](const fs::path& db, const fs::path& with_key = {}, bool read_only = false) {
    auto store = open_sqlite_store(db, SqliteOptions{.read_only = read_only, .create = false,
                                                     .key_file = with_key});
    std::size_t n = 0;
    store->for_each_case([&](const CaseSnapshot&) { ++n; });
    return n;
  };
  REQUIRE(reopen(plain) == 2);
  REQUIRE(reopen(keyed, key) == 2);
  const auto refusal = [&](const fs::path& db, const fs::path& with_key = {}, bool read_only = false) {
    return std::string(error_of([&] { reopen(db, with_key, read_only); }).what());
  };

  SUBCASE("a seal edited alone is refused, and the audit names the row") {
    sql(plain, "UPDATE cases SET seal = zeroblob(32) WHERE id = 2");
    CHECK(refusal(plain).find("the snapshot of case 2 does not match its row seal") != std::string::npos);
    const AuditResult r = verify_sqlite_log(plain);
    REQUIRE(r.bad_snapshots == std::vector<CaseId>{2});
    CHECK(r.snapshot_problems[0].find("its row seal does not match its row") != std::string::npos);
  }
  SUBCASE("a row naming an event beyond the end of the log is refused") {
    sql(plain, "UPDATE cases SET sealed_by = sealed_by + 100 WHERE id = 1");
    reseal_row(plain, 1);
    CHECK(refusal(plain).find("the snapshot of case 1 names event") != std::string::npos);
    CHECK(refusal(plain).find("beyond the end of the log") != std::string::npos);
  }
  SUBCASE("plain chain: a snapshot edited with its row seal recomputed passes reopening, not the audit") {
    set_snapshot_byte(plain, 1, phase_at(plain, 1), "07");
    CHECK(refusal(plain).find("does not match its row seal") != std::string::npos);
    reseal_row(plain, 1);
    CHECK(reopen(plain) == 2);  // as an edit with its sealing event recomputed did before
    const AuditResult r = verify_sqlite_log(plain);
    REQUIRE(r.bad_snapshots == std::vector<CaseId>{1});
    CHECK(r.snapshot_problems[0] == "its snapshot does not match the digest the log records for it");
  }
  SUBCASE("keyed chain: a row seal recomputed without the key is refused, with or without the key") {
    set_snapshot_byte(keyed, 1, phase_at(keyed, 1), "07");
    const detail::HmacSha256 other(std::string(32, 'o'));
    reseal_row(keyed, 1, &other);
    CHECK(refusal(keyed, key).find("the snapshot of case 1 does not match its row seal") !=
          std::string::npos);
    reseal_row(keyed, 1);  // plain SHA-256: no better
    CHECK(refusal(keyed, key).find("does not match its row seal") != std::string::npos);
    // Read-only without the key: checked against the sealing event's list instead.
    CHECK(refusal(keyed, {}, true).find("does not match the digest event") != std::string::npos);
    CHECK_FALSE(verify_sqlite_log(keyed, AuditOptions{.key_file = key, .expect = {}}).ok);
  }
}
