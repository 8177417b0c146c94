// What every durable store shares, whatever the database: the hash chain of the event log
// and the framing of stored rule files. Published formats (docs/storage.md, "Hash chain"):
// changing either breaks every existing log.
#pragma once

#include <cstdint>
#include <functional>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/hmac_sha256.hpp"
#include "support/sha256.hpp"
#include "workflow/rules.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// The hash chain: SHA-256(previous hash || canonical encoding of the event at log position
// `id`), the encoding as docs/storage.md specifies. The first event chains from 32 zeros.
struct ChainedEvent {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t seq = 0;
  std::string_view kind;
  std::int64_t time = 0;
  std::string_view actor, office, post, reason, detail, rules_version;
  std::string_view notify;  // schema 2; hashed only when not empty
  // Schema 4: on the last event of a transaction, the digests of the case snapshots it wrote
  // (SnapshotSeal entries); hashed only when not empty, after notify (even an empty one).
  std::string_view snapshots;
};
// With `key` (a keyed store, docs/storage.md "Keyed chain") the hash is HMAC-SHA-256 under
// it instead of SHA-256 over the same bytes.
Sha256::Digest chain_hash(const Sha256::Digest& previous, const ChainedEvent& event,
                          const HmacSha256* key = nullptr);

// What a chained event says about one snapshot: the case, the seq of its last event and
// SHA-256 of the snapshot's bytes as stored. Encoded as 8 + 8 + 32 bytes (big-endian).
struct SnapshotSeal {
  std::int64_t case_id = 0;
  std::int64_t last_seq = 0;
  Sha256::Digest digest{};
};
inline constexpr std::size_t kSealBytes = 48;
void append_seal(std::string& out, std::int64_t case_id, std::int64_t last_seq,
                 std::string_view encoded);
// Throws Error(store_error) naming `where` if the bytes are not whole entries.
std::vector<SnapshotSeal> decode_seals(std::string_view bytes, std::string_view where);
Sha256::Digest snapshot_digest(std::string_view encoded);
// What the last event of a commit carries in `snapshots`: a seal for every snapshot still
// unsealed that the commit does not rewrite (`unsealed` visits them as case id, last seq,
// bytes; it may visit none), then one for each of the commit's own, in its order.
using UnsealedVisitor = std::function<void(std::int64_t, std::int64_t, std::string_view)>;
std::string commit_seals(std::span<const CaseSnapshot> cases,
                         const std::function<void(const UnsealedVisitor&)>& unsealed);

// Schema 5: a case row's own seal (docs/storage.md, "Row seals"), so that reopening checks a
// row without looking up the event that sealed it. SHA-256 (HMAC-SHA-256 under `key` for a
// keyed store) over the string "libworkflow row seal", the store id as a string, the case id,
// last seq and sealed_by as 8-byte big-endian integers, then SHA-256 of the snapshot bytes
// (`snapshot`, the digest the chain's seal lists too).
Sha256::Digest row_seal(std::string_view store_id, std::int64_t case_id, std::int64_t last_seq,
                        std::int64_t sealed_by, const Sha256::Digest& snapshot,
                        const HmacSha256* key);

// The rules version an event of `commit` is kept and hashed with: its own, or the commit's
// if it left its own empty (StoreCommit::rules_version).
inline std::string_view version_of(const Event& e, const StoreCommit& commit) {
  if (e.rules_version.empty() && commit.rules_version) return *commit.rules_version;
  return e.rules_version;
}

inline std::string_view digest_bytes(const Sha256::Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// The chain's key from a key file (its bytes, at least 16): Error(store_error) naming the
// file if it cannot be read or is too short. Empty path: no key. (sqlite_schema.cpp)
std::string read_chain_key(const std::filesystem::path& key_file);

// A rule set's files in one blob: per file its name, NUL, decimal length, NUL, bytes (the
// same framing as RuleSet::version hashes). decode throws Error(store_error) on bad bytes.
std::string encode_rule_files(std::span<const RuleFile> files);
std::vector<RuleFile> decode_rule_files(std::string_view bytes, std::int64_t position);

}  // namespace workflow::detail
