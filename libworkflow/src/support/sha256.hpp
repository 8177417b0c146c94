// A small, self-contained SHA-256 (FIPS 180-4). It versions rule sets and chains the event
// log's hashes, so it must not depend on whatever crypto library a hall has installed. On
// x86-64 processors with the SHA extensions (SHA-NI) the block function uses them (about 4×
// faster: the chain hashes every durable event and every snapshot); the portable one stays
// for every other processor and is tested against the same vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace workflow::detail {

// Incremental SHA-256: feed bytes with update() as they come, then finish() once.
// Not thread-safe: one object per thread.
class Sha256 {
 public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256() noexcept;
  void update(std::string_view bytes) noexcept;
  // Pads, returns the digest and leaves the object reset for a new message.
  Digest finish() noexcept;

 private:
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The block function every Sha256 uses. Chosen once per process from CPUID (sha_ni when the
// processor has SHA-NI, SSSE3 and SSE4.1); both give the same digests.
enum class Sha256Compressor { portable, sha_ni };
// True if this processor (and this build) can run the sha_ni block function.
bool sha256_sha_ni_available() noexcept;
Sha256Compressor sha256_compressor() noexcept;
// For tests and measurements: every hash from now on uses `c` (sha_ni only where available:
// returns false and changes nothing otherwise). Not to be called while other threads hash.
bool use_sha256_compressor(Sha256Compressor c) noexcept;

// The block functions themselves: `blocks` consecutive 64-byte blocks into `state`.
void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* data,
                            std::size_t blocks) noexcept;
void sha256_blocks_sha_ni(std::uint32_t* state, const std::uint8_t* data,
                          std::size_t blocks) noexcept;

// Lowercase hex of a digest.
std::string to_hex(const Sha256::Digest& digest);
// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace workflow::detail
