// The event log's hash chain: its canonical encoding, shared by every store's writer and
// audit. The encoding is a published format (docs/storage.md, "Hash chain"): changing it
// breaks every existing log.
#include "store/hash_chain.hpp"

namespace workflow::detail {
namespace {

void put_u64(Sha256& h, std::uint64_t v) {
  char bytes[8];
  for (int i = 7; i >= 0; --i, v >>= 8) bytes[i] = static_cast<char>(v & 0xff);
  h.update({bytes, 8});
}

// Length-prefixed, so no two different field lists encode to the same bytes.
void put_text(Sha256& h, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  const char len[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                       static_cast<char>(n >> 8), static_cast<char>(n)};
  h.update({len, 4});
  h.update(s);
}

}  // namespace

Sha256::Digest chain_hash(const Sha256::Digest& previous, const ChainedEvent& e) {
  Sha256 h;
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
  if (!e.notify.empty()) put_text(h, e.notify);
  return h.finish();
}

}  // namespace workflow::detail
