// The reopening check of snapshots against the chain's seals, shared by the SQLite and the
// PostgreSQL store (see seal_check.hpp and docs/storage.md, "Snapshots in the chain").
#include "store/seal_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// Seal lists longer than this are sorted by case id once and searched; shorter ones (one
// command's snapshots) are searched as listed.
constexpr std::size_t kSortAbove = 16;

}  // namespace

SealCheck::SealCheck(std::string where, std::string audit, bool keyed, const HmacSha256* key,
                     Loader load, std::function<bool()> any_sealed)
    : where_(std::move(where)), audit_(std::move(audit)), keyed_(keyed), key_(key),
      load_(std::move(load)), any_sealed_(std::move(any_sealed)) {}

void SealCheck::refuse(const CaseSnapshot& s, std::string_view why) const {
  throw Error(ErrorCode::store_error,
              fmt::format("{} cannot be opened: the snapshot of case {} {}; it was changed outside "
                          "the engine. Run '{}' and restore the store from a backup; nothing was "
                          "changed",
                          where_, s.id, why, audit_));
}

const SnapshotSeal* SealCheck::find(const Sealing& e, std::int64_t case_id) const {
  if (e.sorted) {
    // The last of equal ids: a later seal in the same list stands.
    auto it = std::upper_bound(e.seals.begin(), e.seals.end(), case_id,
                               [](std::int64_t id, const SnapshotSeal& s) { return id < s.case_id; });
    return it == e.seals.begin() || std::prev(it)->case_id != case_id ? nullptr : &*std::prev(it);
  }
  for (auto it = e.seals.rbegin(); it != e.seals.rend(); ++it) {
    if (it->case_id == case_id) return &*it;
  }
  return nullptr;
}

void SealCheck::load(std::span<const std::int64_t> missing) {
  load_(missing, [&](const StoredSealingEvent& row) {
    Sealing sealing;
    const ChainedEvent& e = row.event;
    if (!keyed_ || key_ != nullptr) {
      Sha256::Digest previous{};
      if (row.previous_hash.size() == previous.size()) {
        std::copy_n(row.previous_hash.data(), previous.size(),
                    reinterpret_cast<char*>(previous.data()));
      }
      sealing.hash_ok = row.hash == digest_bytes(chain_hash(previous, e, key_));
    }
    if (e.snapshots.size() % kSealBytes != 0) {
      sealing.hash_ok = false;  // not whole entries: reported as not matching its contents
    } else {
      sealing.seals = decode_seals(e.snapshots, where_);
    }
    if (sealing.seals.size() > kSortAbove) {
      std::stable_sort(sealing.seals.begin(), sealing.seals.end(),
                       [](const SnapshotSeal& a, const SnapshotSeal& b) { return a.case_id < b.case_id; });
      sealing.sorted = true;
    }
    ++events_read_;
    cache_.insert_or_assign(e.id, std::move(sealing));
  });
}

// A snapshot is used only if it is the one the chain records: the event that sealed it lists
// its case, last seq and digest, and that event hashes right from its predecessor (when the
// chain can be checked). Legacy snapshots (written before schema 4, sealed_by 0) pass only
// while no event has sealed anything yet.
void SealCheck::check(std::span<const CaseSnapshot> page, std::span<const std::int64_t> sealed_by) {
  needed_.clear();
  for (const std::int64_t id : sealed_by) {
    if (id != 0) needed_.push_back(id);
  }
  std::sort(needed_.begin(), needed_.end());
  needed_.erase(std::unique(needed_.begin(), needed_.end()), needed_.end());
  std::erase_if(cache_, [&](const auto& kv) {
    return !std::binary_search(needed_.begin(), needed_.end(), kv.first);
  });
  missing_.clear();
  for (const std::int64_t id : needed_) {
    if (!cache_.contains(id)) missing_.push_back(id);
  }
  if (!missing_.empty()) load(missing_);

  for (std::size_t i = 0; i < page.size(); ++i) {
    const CaseSnapshot& s = page[i];
    const std::int64_t event_id = sealed_by[i];
    if (event_id == 0) {
      if (any_sealed_known_ < 0) any_sealed_known_ = any_sealed_() ? 1 : 0;
      if (any_sealed_known_ == 1) refuse(s, "is not sealed by any event of the log");
      continue;
    }
    const auto it = cache_.find(event_id);
    if (it == cache_.end()) {
      refuse(s, fmt::format("names event {} as its seal, which is gone", event_id));
    }
    if (!it->second.hash_ok) {
      refuse(s, fmt::format("is sealed by event {}, whose hash does not match its contents",
                            event_id));
    }
    const SnapshotSeal* seal = find(it->second, static_cast<std::int64_t>(s.id));
    if (seal == nullptr) {
      refuse(s, fmt::format("is not listed by event {}, which it names as its seal", event_id));
    }
    if (seal->last_seq != s.last_seq || seal->digest != snapshot_digest(s.encoded)) {
      refuse(s, fmt::format("does not match the digest event {} of the log records for it",
                            event_id));
    }
  }
}

}  // namespace workflow::detail
