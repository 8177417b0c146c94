// How the memory store keeps the texts of its events without a string per event: the ids
// an event names as numbers (TextTable), the five of them together as one number
// (EventContexts), and its reason and detail written once per recent text (EventTexts).
// A million cases of six events each would otherwise hold 36 million strings; as numbers
// and shared bytes an event is 40 bytes in the log and, for a hall's templated texts,
// nothing more. None of these classes is thread-safe: the store's mutex guards them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "support/chunked_log.hpp"
#include "support/text_hash.hpp"

namespace workflow::detail {

// Ids, the rules version and the agent to notify repeat from event to event: each distinct
// text is kept once and events hold its number. Id 0 is the empty text.
class TextTable {
 public:
  TextTable() : short_(1024) { by_id_.push_back(&ids_.emplace(std::string(), 0).first->first); }

  // A short text (staff, post and office ids: three an event) is looked up by its bytes in
  // a flat table: no string hash, no node to follow. A longer one compares the field's last
  // text first (the rules version, 64 characters, rarely changes between events).
  std::uint32_t intern(const std::string& s, std::uint32_t& last) {
    if (s.empty()) return 0;
    if (s.size() <= kShortBytes) return last = intern_short(s);
    if (*by_id_[last] == s) return last;
    return last = intern_any(s);
  }
  const std::string& operator[](std::uint32_t id) const { return *by_id_[id]; }

 private:
  static constexpr std::size_t kShortBytes = 16;
  // A short text's bytes, zero-padded, and its length: equal keys, equal texts.
  struct ShortKey {
    std::uint64_t lo = 0, hi = 0;
    std::uint32_t size = 0;
    bool operator==(const ShortKey&) const = default;
  };
  struct ShortSlot {
    ShortKey key;
    std::uint32_t id = 0;  // 0: empty (the empty text is never looked up here)
  };

  std::uint32_t intern_any(const std::string& s) {
    const auto [it, added] = ids_.try_emplace(s, static_cast<std::uint32_t>(by_id_.size()));
    if (added) by_id_.push_back(&it->first);
    return it->second;
  }

  std::uint32_t intern_short(const std::string& s) {
    ShortKey k;
    char bytes[kShortBytes] = {};
    std::memcpy(bytes, s.data(), s.size());
    std::memcpy(&k.lo, bytes, 8);
    std::memcpy(&k.hi, bytes + 8, 8);
    k.size = static_cast<std::uint32_t>(s.size());
    const std::size_t mask = short_.size() - 1;
    std::size_t at = slot_of(k) & mask;
    for (; short_[at].id != 0; at = (at + 1) & mask) {
      if (short_[at].key == k) return short_[at].id;
    }
    const std::uint32_t id = intern_any(s);
    short_[at] = {k, id};
    if (++short_used_ * 2 > short_.size()) grow_short();  // at most half full
    return id;
  }

  static std::size_t slot_of(const ShortKey& k) noexcept {
    const std::uint64_t h = (k.lo * 0x9E3779B97F4A7C15ull) ^ (k.hi * 0xC2B2AE3D27D4EB4Full) ^ k.size;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }

  void grow_short() {
    std::vector<ShortSlot> old(short_.size() * 2);
    old.swap(short_);
    const std::size_t mask = short_.size() - 1;
    for (const ShortSlot& e : old) {
      if (e.id == 0) continue;
      std::size_t at = slot_of(e.key) & mask;
      while (short_[at].id != 0) at = (at + 1) & mask;
      short_[at] = e;
    }
  }

  std::unordered_map<std::string, std::uint32_t> ids_;  // nodes: the keys never move
  std::vector<const std::string*> by_id_;
  std::vector<ShortSlot> short_;  // open addressing, linear probing; a power of two
  std::size_t short_used_ = 0;
};

// The five texts an event names besides its case, as TextTable numbers.
struct EventContext {
  std::uint32_t actor = 0, office = 0, post = 0, rules_version = 0, notify = 0;
  bool operator==(const EventContext&) const = default;
};

// Each distinct EventContext once, by number; 0 is the one naming nothing. A hall has few of
// them (a clerk acts at one or two posts of one office, under one rules version at a time),
// so one number per event stands for five.
class EventContexts {
 public:
  EventContexts() : slots_(256, kFree) {
    by_id_.emplace_back();
    slots_[slot_of(by_id_[0]) & (slots_.size() - 1)] = 0;
  }

  std::uint32_t intern(const EventContext& c) {
    if (by_id_[last_] == c) return last_;  // a command's events mostly share theirs
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = slot_of(c) & mask;
    for (; slots_[at] != kFree; at = (at + 1) & mask) {
      if (by_id_[slots_[at]] == c) return last_ = slots_[at];
    }
    const auto id = static_cast<std::uint32_t>(by_id_.size());
    by_id_.push_back(c);
    slots_[at] = id;
    if (by_id_.size() * 2 > slots_.size()) grow();  // at most half full
    return last_ = id;
  }
  const EventContext& operator[](std::uint32_t id) const noexcept { return by_id_[id]; }

 private:
  static constexpr std::uint32_t kFree = ~std::uint32_t{0};

  static std::size_t slot_of(const EventContext& c) noexcept {
    std::uint64_t h = (std::uint64_t{c.actor} << 32 | c.office) * 0x9E3779B97F4A7C15ull;
    h ^= (std::uint64_t{c.post} << 32 | c.rules_version) * 0xC2B2AE3D27D4EB4Full;
    h ^= std::uint64_t{c.notify} * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

  void grow() {
    std::vector<std::uint32_t> bigger(slots_.size() * 2, kFree);
    const std::size_t mask = bigger.size() - 1;
    for (const std::uint32_t id : slots_) {
      if (id == kFree) continue;
      std::size_t at = slot_of(by_id_[id]) & mask;
      while (bigger[at] != kFree) at = (at + 1) & mask;
      bigger[at] = id;
    }
    slots_.swap(bigger);
  }

  std::vector<EventContext> by_id_;
  std::vector<std::uint32_t> slots_;  // numbers into by_id_; open addressing, a power of two
  std::uint32_t last_ = 0;
};

// Every event's reason and detail, side by side in a TextLog after their two sizes (4 bytes
// each). A hall's texts come from a few templates: in the benchmark's mixed workload 977,000
// events held 2,804 distinct pairs ("decided: back to the window to issue", "matter=...;
// handed_in_at=...; materials=1/1"), 24 MB written one by one. The pairs written recently are
// remembered in a small table, and an event whose pair is there points at the bytes already
// kept. A pair seen once is written once; the table forgets, the log never does.
class EventTexts {
 public:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};  // both empty: no bytes at all

  // Where (reason, detail) is kept: the bytes of an equal pair kept recently, or new ones.
  // Both must be under 4 GiB (the store checks before calling).
  std::uint64_t keep(std::string_view reason, std::string_view detail) {
    if (reason.empty() && detail.empty()) return kNone;
    Recent* slot = nullptr;
    if (reason.size() + detail.size() <= kLongestRemembered) {
      if (recent_.empty()) recent_.resize(kRecent);
      slot = &recent_[(text_hash(reason) * 31 ^ text_hash(detail)) & (kRecent - 1)];
      if (slot->position != kNone && slot->reason == reason.size() &&
          slot->text.size() == reason.size() + detail.size() &&
          std::string_view(slot->text).substr(0, reason.size()) == reason &&
          std::string_view(slot->text).substr(reason.size()) == detail) {
        return slot->position;
      }
    }
    char sizes[8];
    const auto r = static_cast<std::uint32_t>(reason.size());
    const auto d = static_cast<std::uint32_t>(detail.size());
    std::memcpy(sizes, &r, 4);
    std::memcpy(sizes + 4, &d, 4);
    const std::uint64_t position = log_.append(std::string_view(sizes, 8), reason, detail);
    if (slot != nullptr) {
      slot->position = position;
      slot->reason = r;
      slot->text.assign(reason).append(detail);
    }
    return position;
  }

  // The reason and detail kept at `position` (kNone: both empty).
  std::pair<std::string_view, std::string_view> read(std::uint64_t position) const noexcept {
    if (position == kNone) return {};
    const char* at = log_.data(position);
    std::uint32_t r = 0, d = 0;
    std::memcpy(&r, at, 4);
    std::memcpy(&d, at + 4, 4);
    return {std::string_view(at + 8, r), std::string_view(at + 8 + r, d)};
  }

 private:
  // Longer pairs are free text (a clerk's opinion, a refusal's grounds): rarely repeated, and
  // not worth copying into the table.
  static constexpr std::size_t kLongestRemembered = 256;
  static constexpr std::size_t kRecent = 4096;  // slots; a power of two
  struct Recent {
    std::uint64_t position = kNone;
    std::uint32_t reason = 0;  // the size of the reason within `text`
    std::string text;          // reason then detail, as kept at `position`
  };

  TextLog log_;
  std::vector<Recent> recent_;  // by the pair's hash, one pair a slot; made on first use
};

}  // namespace workflow::detail
