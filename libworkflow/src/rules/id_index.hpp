// The id indexes of a rule set: id → reference, read on every command (the acting staff,
// the submitted matter, posts and offices). Open addressing in one array whose slots hold
// the hash and the id itself (a short id lives inside the std::string), so a look-up is a
// hash of a few words and usually one slot. std::unordered_map followed a bucket, then a
// node, each a cache miss once a million cases have pushed the rules out of the cache
// (find_staff was 2.2% of the mixed workload's timed loop).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace workflow::detail {

// Of any length (the shipped ids have 2 to 19 bytes): 8 bytes at a time, each word mixed in
// by a multiply and a shift, the last (partial) word read as the id's last 8 bytes, then the
// final mix of SplitMix64, so that ids differing in their last character (nd-mj-s01,
// nd-mj-s02) spread over the whole table.
inline std::uint64_t id_hash(std::string_view id) noexcept {
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

// Built once by the validator or a rules merge, then only read: concurrent readers need
// no locking, a writer must be alone.
template <class Ref>
class IdIndex {
 public:
  // Adds `id` → `ref` unless `id` is there already. Returns the reference the index holds
  // for `id` and whether it was added.
  std::pair<Ref, bool> try_emplace(std::string_view id, Ref ref) {
    if ((size_ + 1) * 2 > slots_.size()) grow();  // at most half full
    const std::uint64_t h = id_hash(id);
    Slot& s = slots_[probe(id, h)];
    if (s.used) return {s.ref, false};
    s = Slot{h, std::string(id), ref, true};
    ++size_;
    return {ref, true};
  }

  std::optional<Ref> find(std::string_view id) const noexcept {
    if (slots_.empty()) return std::nullopt;
    const Slot& s = slots_[probe(id, id_hash(id))];
    if (!s.used) return std::nullopt;
    return s.ref;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string id;
    Ref ref{};
    bool used = false;
  };

  // The slot holding `id`, or the empty one where it would go.
  std::size_t probe(std::string_view id, std::uint64_t h) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = static_cast<std::size_t>(h) & mask;
    while (slots_[at].used && !(slots_[at].hash == h && std::string_view(slots_[at].id) == id)) {
      at = (at + 1) & mask;
    }
    return at;
  }

  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(16, slots_.size() * 2));
    old.swap(slots_);
    for (Slot& s : old) {
      if (s.used) slots_[probe(s.id, s.hash)] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // a power of two in size
  std::size_t size_ = 0;
};

}  // namespace workflow::detail
