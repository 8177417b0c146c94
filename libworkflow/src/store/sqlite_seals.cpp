// The chain's hold on what the store keeps besides events: each snapshot checked against the
// seal the chain records for it before an engine sees it, and the key of a keyed chain
// checked before a writer extends it (docs/storage.md, "Snapshots in the chain", "Keyed
// chain").
#include <algorithm>

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

SealCheck::SealCheck(sqlite3* reader, const fs::path& path, bool keyed, const HmacSha256* key)
    : path_(path), keyed_(keyed), key_(key),
      seal_event_(reader, path,
                  "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
                  "rules_version, notify, hash, snapshots FROM events WHERE id = ?"),
      hash_at_(reader, path, "SELECT hash FROM events WHERE id = ?"),
      sealed_any_(reader, path,
                  "SELECT EXISTS (SELECT 1 FROM events WHERE length(snapshots) > 0)") {}

// A snapshot is used only if it is the one the chain records: the event that sealed it
// lists its case, last seq and digest, and that event hashes right from its predecessor
// (when the chain is unkeyed or its key is known). Legacy snapshots (written before
// schema 4, sealed_by 0) pass only while no event has sealed anything yet. Under
// read_mutex_.
void SealCheck::check(const CaseSnapshot& s, std::int64_t sealed_by) {
  const std::function<void(std::string_view)> refuse = [&](std::string_view why) {
    fail(path_, fmt::format("cannot be opened: the snapshot of case {} {}; it was changed outside "
                     "the engine. Run 'workflow audit verify {}' and restore the store from a "
                     "backup; nothing was changed", s.id, why, path_.string()));
  };
  if (sealed_by == 0) {
    if (!sealed_any_known_) {
      ResetOnExit guard{sealed_any_};
      sealed_any_ok_ = sealed_any_.step() && sealed_any_.int64(0) != 0;
      sealed_any_known_ = true;
    }
    if (sealed_any_ok_) refuse("is not sealed by any event of the log");
    return;
  }
  if (sealed_by != cached_event_) load(sealed_by, refuse);
  const auto it = cached_seals_.find(static_cast<std::int64_t>(s.id));
  if (it == cached_seals_.end()) {
    refuse(fmt::format("is not listed by event {}, which it names as its seal", sealed_by));
  }
  if (it->second.last_seq != s.last_seq || it->second.digest != snapshot_digest(s.encoded)) {
    refuse(fmt::format("does not match the digest event {} of the log records for it",
                       sealed_by));
  }
}

void SealCheck::load(std::int64_t event_id,
                   const std::function<void(std::string_view)>& refuse) {
  cached_event_ = -1;
  cached_seals_.clear();
  std::string previous(32, '\0');
  if (event_id > 1) {
    ResetOnExit guard{hash_at_};
    hash_at_.bind(1, event_id - 1);
    if (hash_at_.step()) previous = hash_at_.blob(0);
  }
  ResetOnExit guard{seal_event_};
  seal_event_.bind(1, event_id);
  if (!seal_event_.step()) refuse(fmt::format("names event {} as its seal, which is gone", event_id));
  const Statement& e = seal_event_;
  const std::string kind = e.text(3), actor = e.text(5), office = e.text(6), post = e.text(7),
                    reason = e.text(8), detail = e.text(9), rules_version = e.text(10),
                    notify = e.text(11), hash = e.blob(12), seals = e.blob(13);
  if (!keyed_ || key_) {
    Sha256::Digest prev{};
    std::copy_n(previous.begin(), std::min<std::size_t>(previous.size(), 32),
                reinterpret_cast<char*>(prev.data()));
    const auto computed = chain_hash(
        prev, {event_id, e.int64(1), e.int64(2), kind, e.int64(4), actor, office, post, reason,
               detail, rules_version, notify, seals},
        key_);
    if (hash != digest_bytes(computed)) {
      refuse(fmt::format("is sealed by event {}, whose hash does not match its contents",
                         event_id));
    }
  }
  for (const SnapshotSeal& seal : decode_seals(seals, fmt::format("{} event {}", path_.string(), event_id))) {
    cached_seals_[seal.case_id] = seal;
  }
  cached_event_ = event_id;
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


}  // namespace workflow::detail
