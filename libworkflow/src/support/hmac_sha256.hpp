// HMAC-SHA-256 (RFC 2104, FIPS 198-1) over the project's own SHA-256: it keys the event log's
// chain when a hall gives its store a key file (docs/storage.md, "Keyed chain").
#pragma once

#include <string>
#include <string_view>

#include "support/sha256.hpp"

namespace workflow::detail {

// Incremental HMAC-SHA-256 with a fixed key; like Sha256, finish() leaves it ready for a new
// message under the same key. Not thread-safe: one object per thread.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key) noexcept;
  void update(std::string_view bytes) noexcept { inner_.update(bytes); }
  Sha256::Digest finish() noexcept;

 private:
  std::string inner_pad_, outer_pad_;  // the key XOR ipad / opad, 64 bytes each
  Sha256 inner_;
};

Sha256::Digest hmac_sha256(std::string_view key, std::string_view message) noexcept;

}  // namespace workflow::detail
