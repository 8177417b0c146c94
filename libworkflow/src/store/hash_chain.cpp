// The event log's hash chain: its canonical encoding, shared by every store's writer and
// audit. The encoding is a published format (docs/storage.md, "Hash chain"): changing it
// breaks every existing log.
#include "store/hash_chain.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

template <class Hash>
void put_u64(Hash& h, std::uint64_t v) {
  char bytes[8];
  for (int i = 7; i >= 0; --i, v >>= 8) bytes[i] = static_cast<char>(v & 0xff);
  h.update({bytes, 8});
}

// Length-prefixed, so no two different field lists encode to the same bytes.
template <class Hash>
void put_text(Hash& h, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)};
  h.update({len, 4});
  h.update(s);
}

std::int64_t get_u64(std::string_view b) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return static_cast<std::int64_t>(v);
}

template <class Hash>
void put_event(Hash& h, const Sha256::Digest& previous, const ChainedEvent& e) {
  h.update(digest_bytes(previous));
  // The log position is hashed too, so moving an event to another place breaks the chain.
  put_u64(h, static_cast<std::uint64_t>(e.id));
  put_u64(h, static_cast<std::uint64_t>(e.case_id));
  put_u64(h, static_cast<std::uint64_t>(e.seq));
  put_text(h, e.kind);
  put_u64(h, static_cast<std::uint64_t>(e.time));  // two's complement
  put_text(h, e.actor);
  put_text(h, e.office);
  put_text(h, e.post);
  put_text(h, e.reason);
  put_text(h, e.detail);
  put_text(h, e.rules_version);
  // Empty optional fields are left out, so older events keep their hashes; a snapshot list
  // always follows a notify field (possibly empty), so the two never read as each other.
  if (!e.notify.empty() || !e.snapshots.empty()) put_text(h, e.notify);
  if (!e.snapshots.empty()) put_text(h, e.snapshots);
}

}  // namespace

Sha256::Digest chain_hash(const Sha256::Digest& previous, const ChainedEvent& e,
                          const HmacSha256* key) {
  if (key != nullptr) {
    HmacSha256 h = *key;
    put_event(h, previous, e);
    return h.finish();
  }
  Sha256 h;
  put_event(h, previous, e);
  return h.finish();
}

Sha256::Digest snapshot_digest(std::string_view encoded) {
  Sha256 h;
  h.update(encoded);
  return h.finish();
}

Sha256::Digest row_seal(std::string_view store_id, std::int64_t case_id, std::int64_t last_seq,
                        std::int64_t sealed_by, const Sha256::Digest& snapshot,
                        const HmacSha256* key) {
  // The label keeps a row seal from ever being read as anything else hashed under the key.
  const auto put = [&](auto& h) {
    put_text(h, "libworkflow row seal");
    put_text(h, store_id);
    put_u64(h, static_cast<std::uint64_t>(case_id));
    put_u64(h, static_cast<std::uint64_t>(last_seq));
    put_u64(h, static_cast<std::uint64_t>(sealed_by));
    h.update(digest_bytes(snapshot));
  };
  if (key != nullptr) {
    HmacSha256 h = *key;
    put(h);
    return h.finish();
  }
  Sha256 h;
  put(h);
  return h.finish();
}

void append_seal(std::string& out, std::int64_t case_id, std::int64_t last_seq,
                 std::string_view encoded) {
  struct Sink {
    std::string& out;
    void update(std::string_view b) { out.append(b); }
  } sink{out};
  put_u64(sink, static_cast<std::uint64_t>(case_id));
  put_u64(sink, static_cast<std::uint64_t>(last_seq));
  out.append(digest_bytes(snapshot_digest(encoded)));
}

std::string commit_seals(std::span<const CaseSnapshot> cases,
                         const std::function<void(const UnsealedVisitor&)>& unsealed) {
  std::string seals;
  unsealed([&](std::int64_t case_id, std::int64_t last_seq, std::string_view encoded) {
    const bool rewritten = std::any_of(cases.begin(), cases.end(), [&](const CaseSnapshot& c) {
      return static_cast<std::int64_t>(c.id) == case_id;
    });
    if (!rewritten) append_seal(seals, case_id, last_seq, encoded);
  });
  for (const CaseSnapshot& snap : cases) {
    append_seal(seals, static_cast<std::int64_t>(snap.id), snap.last_seq, snap.encoded);
  }
  return seals;
}

std::vector<SnapshotSeal> decode_seals(std::string_view bytes, std::string_view where) {
  if (bytes.size() % kSealBytes != 0) {
    throw Error(ErrorCode::store_error,
                fmt::format("{}: its snapshot list is {} bytes, not whole 48-byte entries", where,
                            bytes.size()));
  }
  std::vector<SnapshotSeal> out(bytes.size() / kSealBytes);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::string_view b = bytes.substr(i * kSealBytes, kSealBytes);
    out[i].case_id = get_u64(b.substr(0, 8));
    out[i].last_seq = get_u64(b.substr(8, 8));
    std::copy_n(b.data() + 16, 32, reinterpret_cast<char*>(out[i].digest.data()));
  }
  return out;
}

}  // namespace workflow::detail
