// A small, self-contained SHA-256 (FIPS 180-4). It versions rule sets and will chain the
// event log's hashes, so it must not depend on whatever crypto library a hall has installed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace workflow::detail {

// Incremental SHA-256: feed bytes with update() as they come, then finish() once.
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256() noexcept;
  void update(std::string_view bytes) noexcept;
  // Pads, returns the digest and leaves the object reset for a new message.
  Digest finish() noexcept;

 private:
  void compress(const std::uint8_t* block) noexcept;

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// Lowercase hex of a digest.
std::string to_hex(const Sha256::Digest& digest);
// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace workflow::detail
