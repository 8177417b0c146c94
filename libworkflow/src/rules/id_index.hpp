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

#include "support/text_hash.hpp"

namespace workflow::detail {

// Built once by the validator or a rules merge, then only read: concurrent readers need
// no locking, a writer must be alone.
template <class Ref>
class IdIndex {
 public:
  // Adds `id` → `ref` unless `id` is there already. Returns the reference the index holds
  // for `id` and whether it was added.
  std::pair<Ref, bool> try_emplace(std::string_view id, Ref ref) {
    if ((size_ + 1) * 2 > slots_.size()) grow();  // at most half full
    const std::uint64_t h = text_hash(id);
    Slot& s = slots_[probe(id, h)];
    if (s.used) return {s.ref, false};
    s = Slot{h, std::string(id), ref, true};
    ++size_;
    return {ref, true};
  }

  std::optional<Ref> find(std::string_view id) const noexcept {
    if (slots_.empty()) return std::nullopt;
    const Slot& s = slots_[probe(id, text_hash(id))];
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
