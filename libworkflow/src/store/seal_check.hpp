// The reopening check every durable store shares (docs/storage.md, "Snapshots in the chain"):
// each snapshot, before an engine sees it, must be the one the chain seals for it. The
// database-specific part is only how the sealing events are read (a Loader).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/hash_chain.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// A sealing event as stored: its fields (views valid only during the Loader's callback), its
// stored hash and its predecessor's stored hash (empty if there is none).
struct StoredSealingEvent {
  ChainedEvent event;
  std::string_view hash;
  std::string_view previous_hash;
};

// Checks pages of snapshots (in id order, each with the log position its sealed_by names)
// against the seals of those events. Every sealing event a page needs is read once, all of
// them in ascending log order in one go (one statement or one query per page, not one
// look-up per case), its hash checked from its predecessor's when the chain is unkeyed or its
// key is known, and kept while the next page still needs it (a migrated store's one seal of
// every case). Refuses with Error(store_error) naming the case, the event and advice.
// Not thread-safe: the stores use it under their read lock.
class SealCheck {
 public:
  // Reads the events with the given ids (ascending, none twice), calling `row` for each that
  // exists, in any order.
  using Loader = std::function<void(std::span<const std::int64_t> ids,
                                    const std::function<void(const StoredSealingEvent&)>& row)>;
  // `where` begins every message ("DB" or "PostgreSQL partition 'P':"); `audit` is the
  // command the message advises ("workflow audit verify DB"); `any_sealed` says whether any
  // event of the log seals snapshots (asked at most once).
  SealCheck(std::string where, std::string audit, bool keyed, const HmacSha256* key,
            Loader load, std::function<bool()> any_sealed);

  void check(std::span<const CaseSnapshot> page, std::span<const std::int64_t> sealed_by);

  // Sealing events read so far (what tests count: one read per event a page needs).
  std::uint64_t events_read() const noexcept { return events_read_; }

 private:
  struct Sealing {
    std::vector<SnapshotSeal> seals;  // by case id when long (sorted), else as listed
    bool sorted = false;
    bool hash_ok = true;
  };
  [[noreturn]] void refuse(const CaseSnapshot& s, std::string_view why) const;
  void load(std::span<const std::int64_t> missing);
  const SnapshotSeal* find(const Sealing& e, std::int64_t case_id) const;

  std::string where_, audit_;
  bool keyed_;
  const HmacSha256* key_;
  Loader load_;
  std::function<bool()> any_sealed_;
  std::unordered_map<std::int64_t, Sealing> cache_;  // the sealing events of the last page
  std::vector<std::int64_t> needed_, missing_;
  std::uint64_t events_read_ = 0;
  int any_sealed_known_ = -1;  // -1: not asked yet
};

}  // namespace workflow::detail
