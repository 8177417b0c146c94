// SHA-256 as specified in FIPS 180-4, sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2.
#include "support/sha256.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "support/sha256_constants.hpp"

namespace workflow::detail {
namespace {

// §5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
constexpr std::array<std::uint32_t, 8> k_initial_state = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t rotr(std::uint32_t x, int n) noexcept { return (x >> n) | (x << (32 - n)); }

// §4.1.2 functions.
constexpr std::uint32_t ch(std::uint32_t x, std::uint32_t y, std::uint32_t z) noexcept {
  return (x & y) ^ (~x & z);
}
constexpr std::uint32_t maj(std::uint32_t x, std::uint32_t y, std::uint32_t z) noexcept {
  return (x & y) ^ (x & z) ^ (y & z);
}
constexpr std::uint32_t big_sigma0(std::uint32_t x) noexcept {
  return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}
constexpr std::uint32_t big_sigma1(std::uint32_t x) noexcept {
  return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}
constexpr std::uint32_t small_sigma0(std::uint32_t x) noexcept {
  return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3);
}
constexpr std::uint32_t small_sigma1(std::uint32_t x) noexcept {
  return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10);
}

using BlockFunction = void (*)(std::uint32_t*, const std::uint8_t*, std::size_t) noexcept;

BlockFunction initial_block_function() noexcept {
  return sha256_sha_ni_available() ? &sha256_blocks_sha_ni : &sha256_blocks_portable;
}

// Read on every block; relaxed is enough: both functions give the same result, and the
// choice changes only in tests, between hashes.
std::atomic<BlockFunction>& block_function() noexcept {
  static std::atomic<BlockFunction> chosen{initial_block_function()};
  return chosen;
}

void compress(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks) noexcept {
  block_function().load(std::memory_order_relaxed)(state, data, blocks);
}

}  // namespace

Sha256Compressor sha256_compressor() noexcept {
  return block_function().load(std::memory_order_relaxed) == &sha256_blocks_sha_ni
             ? Sha256Compressor::sha_ni
             : Sha256Compressor::portable;
}

bool use_sha256_compressor(Sha256Compressor c) noexcept {
  if (c == Sha256Compressor::sha_ni && !sha256_sha_ni_available()) return false;
  block_function().store(c == Sha256Compressor::sha_ni ? &sha256_blocks_sha_ni
                                                       : &sha256_blocks_portable,
                         std::memory_order_relaxed);
  return true;
}

Sha256::Sha256() noexcept : state_(k_initial_state) {}

void Sha256::update(std::string_view bytes) noexcept {
  // An empty view may hold a null pointer, which memcpy must not be given even for 0 bytes.
  if (bytes.empty()) return;
  total_bytes_ += bytes.size();
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t n = bytes.size();
  if (block_used_ > 0) {
    const std::size_t take = std::min(n, block_.size() - block_used_);
    std::memcpy(block_.data() + block_used_, p, take);
    block_used_ += take;
    p += take;
    n -= take;
    if (block_used_ < block_.size()) return;
    compress(state_.data(), block_.data(), 1);
    block_used_ = 0;
  }
  // Whole blocks straight from the input, the rest kept for later.
  if (n >= 64) {
    compress(state_.data(), p, n / 64);
    p += n / 64 * 64;
    n %= 64;
  }
  if (n > 0) std::memcpy(block_.data(), p, n);
  block_used_ = n;
}

Sha256::Digest Sha256::finish() noexcept {
  // §5.1.1: a 1 bit, zeros up to 56 bytes mod 64, then the message length in bits, big-endian.
  const std::uint64_t bit_length = total_bytes_ * 8;
  block_[block_used_++] = 0x80;
  if (block_used_ > 56) {
    while (block_used_ < 64) block_[block_used_++] = 0;
    compress(state_.data(), block_.data(), 1);
    block_used_ = 0;
  }
  while (block_used_ < 56) block_[block_used_++] = 0;
  for (int i = 7; i >= 0; --i)
    block_[block_used_++] = static_cast<std::uint8_t>(bit_length >> (8 * i));
  compress(state_.data(), block_.data(), 1);

  Digest digest{};
  for (std::size_t i = 0; i < state_.size(); ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      digest[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * j));
    }
  }
  *this = Sha256{};
  return digest;
}

// §6.2.2, one 512-bit block at a time.
void sha256_blocks_portable(std::uint32_t* state, const std::uint8_t* block,
                            std::size_t blocks) noexcept {
  for (; blocks > 0; --blocks, block += 64) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t t = 0; t < 16; ++t) {
      w[t] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
             (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
    }
    for (std::size_t t = 16; t < 64; ++t) {
      w[t] = small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];
    }
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (std::size_t t = 0; t < 64; ++t) {
      const std::uint32_t t1 = h + big_sigma1(e) + ch(e, f, g) + k_sha256_round_constants[t] + w[t];
      const std::uint32_t t2 = big_sigma0(a) + maj(a, b, c);
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

std::string to_hex(const Sha256::Digest& digest) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (std::uint8_t byte : digest) {
    out += k_digits[byte >> 4];
    out += k_digits[byte & 0x0f];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return to_hex(hash.finish());
}

}  // namespace workflow::detail
