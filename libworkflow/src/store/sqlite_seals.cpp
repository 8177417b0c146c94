// The chain's hold on what the store keeps besides events: each snapshot checked against the
// seal the chain records for it before an engine sees it, and the key of a keyed chain
// checked before a writer extends it (docs/storage.md, "Snapshots in the chain", "Keyed
// chain").
#include <algorithm>
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
  auto sealed_any = std::make_shared<Statement>(
      reader, path, "SELECT EXISTS (SELECT 1 FROM events WHERE length(snapshots) > 0)");
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
    return sealed_any->step() && sealed_any->int64(0) != 0;
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


}  // namespace workflow::detail
