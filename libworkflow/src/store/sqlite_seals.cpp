// The chain's hold on what the store keeps besides events: each snapshot checked against the
// seal the chain records for it before an engine sees it, and the key of a keyed chain
// checked before a writer extends it (docs/storage.md, "Snapshots in the chain", "Keyed
// chain").
#include <algorithm>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& file, std::string_view problem) {
  throw Error(ErrorCode::store_error, fmt::format("{} {}", file.string(), problem));
}

}  // namespace

// The sealing events a page of snapshots names, each with its predecessor's hash, read with
// one prepared statement in ascending log order (sequential pages for SQLite).
SealCheck sqlite_seal_check(sqlite3* reader, const fs::path& path, bool keyed,
                            const HmacSha256* key) {
  auto event = std::make_shared<Statement>(
      reader, path,
      "SELECT e.id, e.case_id, e.seq, e.kind, e.time, e.actor, e.office, e.post, e.reason, "
      "e.detail, e.rules_version, e.notify, e.hash, e.snapshots, "
      "(SELECT p.hash FROM events p WHERE p.id = e.id - 1) FROM events e WHERE e.id = ?");
  auto sealed_any = std::make_shared<Statement>(reader, path, kLastSealingEventSql);
  auto load = [event](std::span<const std::int64_t> ids,
                      const std::function<void(const StoredSealingEvent&)>& row) {
    Statement& e = *event;
    for (const std::int64_t id : ids) {
      ResetOnExit guard{e};
      e.bind(1, id);
      if (!e.step()) continue;
      row({{e.int64(0), e.int64(1), e.int64(2), e.view(3), e.int64(4), e.view(5), e.view(6),
            e.view(7), e.view(8), e.view(9), e.view(10), e.view(11), e.view(13)},
           e.view(12), e.view(14)});
    }
  };
  auto any_sealed = [sealed_any] {
    ResetOnExit guard{*sealed_any};
    return sealed_any->step();
  };
  return SealCheck(path.string(), fmt::format("workflow audit verify {}", path.string()), keyed,
                   key, std::move(load), std::move(any_sealed));
}

// A keyed store needs its key (and the right one: the last event must hash under it); an
// unkeyed store takes a key only while its log is empty, and is then keyed for good.
void check_chain_key(sqlite3* w, const fs::path& path_, std::int64_t last_id_, bool& keyed_,
                   const HmacSha256* key_) {
  if (keyed_ && !key_) {
    fail(path_, "has a keyed chain (HMAC-SHA-256): give its key file (SqliteOptions::key_file, "
         "--key FILE) to open it for writing");
  }
  if (!key_) return;
  if (!keyed_) {
    if (last_id_ > 0) {
      fail(path_, "has an unkeyed chain with events in it: a key can be given only to a new store "
           "(see docs/storage.md, \"Keyed chain\")");
    }
    Statement mark(w, path_, "UPDATE store_info SET value = 'hmac-sha256' WHERE key = 'chain'");
    mark.run();
    keyed_ = true;
    return;
  }
  if (last_id_ == 0) return;
  Statement e(w, path_,
              "SELECT case_id, seq, kind, time, actor, office, post, reason, detail, "
              "rules_version, notify, snapshots, hash, "
              "(SELECT hash FROM events WHERE id = ?1 - 1) FROM events WHERE id = ?1");
  e.bind(1, last_id_);
  if (!e.step()) return;  // deleted at the end: the audit reports it
  Sha256::Digest prev{};
  const std::string p = e.is_null(13) ? std::string(32, '\0') : e.blob(13);
  std::copy_n(p.begin(), std::min<std::size_t>(p.size(), 32), reinterpret_cast<char*>(prev.data()));
  const std::string kind = e.text(2), actor = e.text(4), office = e.text(5), post = e.text(6),
                    reason = e.text(7), detail = e.text(8), rules_version = e.text(9),
                    notify = e.text(10), seals = e.blob(11), hash = e.blob(12);
  const auto computed = chain_hash(prev, {last_id_, e.int64(0), e.int64(1), kind, e.int64(3),
                                          actor, office, post, reason, detail, rules_version,
                                          notify, seals}, key_);
  e.reset();
  if (hash != digest_bytes(computed)) {
    fail(path_, fmt::format("cannot be opened: the key file given is not this store's key (event {} "
                     "does not hash under it)", last_id_));
  }
}


RowSealCheck::RowSealCheck(sqlite3* reader, const fs::path& path, std::string store_id,
                           const HmacSha256* key)
    : path_(path), store_id_(std::move(store_id)), key_(key),
      last_id_(reader, path, kLastLogPositionSql),
      any_sealed_(reader, path, kLastSealingEventSql) {}

void RowSealCheck::refuse(const CaseSnapshot& s, std::string_view why) const {
  throw Error(ErrorCode::store_error,
              fmt::format("{} cannot be opened: the snapshot of case {} {}; it was changed outside "
                          "the engine. Run 'workflow audit verify {}' and restore the store from a "
                          "backup; nothing was changed",
                          path_.string(), s.id, why, path_.string()));
}

void RowSealCheck::check(std::span<const CaseSnapshot> page, std::span<const std::int64_t> sealed_by,
                         std::span<const std::string> seals) {
  std::int64_t last_id = 0;
  {
    ResetOnExit guard{last_id_};
    if (last_id_.step()) last_id = last_id_.int64(0);
  }
  for (std::size_t i = 0; i < page.size(); ++i) {
    const CaseSnapshot& s = page[i];
    const std::int64_t event_id = sealed_by[i];
    if (event_id == 0) {
      if (any_sealed_known_ < 0) {
        ResetOnExit guard{any_sealed_};
        any_sealed_known_ = any_sealed_.step() ? 1 : 0;
      }
      if (any_sealed_known_ == 1) refuse(s, "is not sealed by any event of the log");
      continue;
    }
    if (event_id > last_id) {
      refuse(s, fmt::format("names event {} as its seal, beyond the end of the log (event {})",
                            event_id, last_id));
    }
    const Sha256::Digest expected = row_seal(store_id_, static_cast<std::int64_t>(s.id),
                                             s.last_seq, event_id, snapshot_digest(s.encoded), key_);
    if (seals[i] != digest_bytes(expected)) refuse(s, "does not match its row seal");
  }
}

CaseRows read_case_rows(Statement& rows, std::int64_t after, bool with_seals) {
  CaseRows out;
  ResetOnExit guard{rows};
  rows.bind(1, after);
  while (rows.step()) {
    out.snapshots.push_back({static_cast<CaseId>(rows.int64(0)),
                             static_cast<std::uint32_t>(rows.int64(1)), rows.blob(2)});
    out.sealed_by.push_back(rows.int64(3));
    if (with_seals) out.seals.push_back(rows.blob(4));
  }
  return out;
}

void seal_rows_v5(sqlite3* w, const fs::path& path, const HmacSha256* key) {
  bool keyed = store_info(w, path, "chain") == "hmac-sha256";  // check_chain_key may set it
  const std::string store_id = store_info(w, path, "store_id");
  // The right key first: with another one every sealing event would read as forged.
  std::int64_t last_id = 0;
  {
    Statement last(w, path, kLastLogPositionSql);
    if (last.step()) last_id = last.int64(0);
    last.reset();
  }
  check_chain_key(w, path, last_id, keyed, key);
  SealCheck old = sqlite_seal_check(w, path, keyed, key);
  Statement rows(w, path, "SELECT id, last_seq, encoded, sealed_by FROM cases WHERE id > ? "
                          "ORDER BY id LIMIT 256");
  Statement put(w, path, "UPDATE cases SET seal = ? WHERE id = ?");
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    const CaseRows page_rows = read_case_rows(rows, after, false);
    const std::vector<CaseSnapshot>& page = page_rows.snapshots;
    const std::vector<std::int64_t>& sealed_by = page_rows.sealed_by;
    if (page.empty()) return;
    old.check(page, sealed_by);  // a tampered row is refused here, never sealed anew
    for (std::size_t i = 0; i < page.size(); ++i) {
      if (sealed_by[i] == 0) continue;  // not sealed yet: the next write seals it
      const CaseSnapshot& s = page[i];
      const Sha256::Digest seal = row_seal(store_id, static_cast<std::int64_t>(s.id), s.last_seq,
                                           sealed_by[i], snapshot_digest(s.encoded), key);
      put.bind_blob(1, digest_bytes(seal));
      put.bind(2, static_cast<std::int64_t>(s.id));
      put.run();
    }
    after = static_cast<std::int64_t>(page.back().id);
  }
}

}  // namespace workflow::detail
