// A fast hash of a short text, for the open-addressing tables that look texts up on every
// command: the rules' id indexes (rules/id_index.hpp) and the memory store's recent event
// texts (store/memory_store_texts.hpp). Not for anything an adversary chooses to collide:
// the tables compare the texts themselves, a collision costs a probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace workflow::detail {

// Of any length (the shipped ids have 2 to 19 bytes): 8 bytes at a time, each word mixed in
// by a multiply and a shift, the last (partial) word read as the id's last 8 bytes, then the
// final mix of SplitMix64, so that ids differing in their last character (nd-mj-s01,
// nd-mj-s02) spread over the whole table.
inline std::uint64_t text_hash(std::string_view id) noexcept {
  const auto mix = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
  };
  const char* p = id.data();
  const std::size_t n = id.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  std::uint64_t w = 0;
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) {
      std::memcpy(&w, p + i, 8);
      h = mix(h, w);
    }
    std::memcpy(&w, p + n - 8, 8);  // overlaps the word before unless n is a multiple of 8
  } else {
    for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  h = mix(h, w);
  h ^= h >> 30;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 27;
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

}  // namespace workflow::detail
