// HMAC-SHA-256: H((K' ^ opad) || H((K' ^ ipad) || message)), K' the key padded to the 64-byte
// block (hashed first if longer). Checked against the RFC 4231 vectors (tests/hmac_test.cpp).
#include "support/hmac_sha256.hpp"

#include <algorithm>

namespace workflow::detail {

HmacSha256::HmacSha256(std::string_view key) noexcept {
  std::string block(64, '\0');
  if (key.size() > 64) {
    Sha256 h;
    h.update(key);
    const Sha256::Digest d = h.finish();
    std::copy(d.begin(), d.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  inner_pad_ = block;
  outer_pad_ = block;
  for (char& c : inner_pad_) c = static_cast<char>(c ^ 0x36);
  for (char& c : outer_pad_) c = static_cast<char>(c ^ 0x5c);
  inner_.update(inner_pad_);
}

Sha256::Digest HmacSha256::finish() noexcept {
  const Sha256::Digest inner = inner_.finish();
  inner_.update(inner_pad_);  // ready for the next message
  Sha256 outer;
  outer.update(outer_pad_);
  outer.update({reinterpret_cast<const char*>(inner.data()), inner.size()});
  return outer.finish();
}

Sha256::Digest hmac_sha256(std::string_view key, std::string_view message) noexcept {
  HmacSha256 h(key);
  h.update(message);
  return h.finish();
}

}  // namespace workflow::detail
