// What every durable store shares, whatever the database: the hash chain of the event log
// and the framing of stored rule files. Published formats (docs/storage.md, "Hash chain"):
// changing either breaks every existing log.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "support/sha256.hpp"
#include "workflow/rules.hpp"

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
};
Sha256::Digest chain_hash(const Sha256::Digest& previous, const ChainedEvent& event);

inline std::string_view digest_bytes(const Sha256::Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// A rule set's files in one blob: per file its name, NUL, decimal length, NUL, bytes (the
// same framing as RuleSet::version hashes). decode throws Error(store_error) on bad bytes.
std::string encode_rule_files(std::span<const RuleFile> files);
std::vector<RuleFile> decode_rule_files(std::string_view bytes, std::int64_t position);

}  // namespace workflow::detail
