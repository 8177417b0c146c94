// The audit walk shared by every store (see audit_findings.hpp and docs/storage.md, "Hash
// chain", "Snapshots in the chain", "Keyed chain", "Anchors").
#include "store/audit_findings.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "store/sqlite_store.hpp"  // read_chain_key
#include "workflow/error.hpp"

namespace workflow::detail {

AuditWalk::AuditWalk(std::string where, bool keyed, const AuditOptions& options)
    : where_(std::move(where)), expect_(options.expect) {
  const std::string key = read_chain_key(options.key_file);
  if (keyed && key.empty()) {
    throw Error(ErrorCode::store_error,
                fmt::format("{} has a keyed chain (HMAC-SHA-256): audit it with its key file "
                            "(--key FILE)", where_));
  }
  result_.keyed = keyed;
  if (!key.empty()) {
    key_.emplace(key);
    if (!keyed) {
      // Someone holding the key audits a store that says it has none: a keyed chain may have
      // been replaced by a recomputed unkeyed one.
      bad(0, 0, 0, "the store records an unkeyed chain, but a key was given: if it was "
                   "created with this key, its chain has been replaced");
    }
  }
  if (expect_) {
    std::string& hash = expect_->second;
    std::transform(hash.begin(), hash.end(), hash.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
}

void AuditWalk::bad(std::int64_t id, std::int64_t case_id, std::int64_t seq,
                    std::string problem) {
  result_.ok = false;
  result_.first_bad_event = static_cast<std::uint64_t>(id);
  result_.first_bad_case = static_cast<CaseId>(case_id);
  result_.first_bad_seq = static_cast<std::uint32_t>(seq);
  result_.problem = std::move(problem);
}

bool AuditWalk::event(const ChainedEvent& e, std::string_view stored_hash) {
  if (!result_.ok) return false;
  if (e.id != expected_) {
    // A deleted row: the next one would fail the hash too; say plainly what is missing.
    bad(e.id, e.case_id, e.seq,
        e.id == expected_ + 1 ? fmt::format("event {} is missing before it", expected_)
        : e.id > expected_ ? fmt::format("events {} to {} are missing before it", expected_, e.id - 1)
                           : fmt::format("log position {} is out of order", e.id));
    return false;
  }
  const auto computed = chain_hash(head_, e, key_ ? &*key_ : nullptr);
  if (stored_hash != digest_bytes(computed)) {
    bad(e.id, e.case_id, e.seq,
        key_ ? "hash does not match its contents and its predecessor's hash under the key"
             : "hash does not match its contents and its predecessor's hash");
    return false;
  }
  if (expect_ && static_cast<std::uint64_t>(e.id) == expect_->first &&
      to_hex(computed) != expect_->second) {
    bad(e.id, e.case_id, e.seq,
        fmt::format("does not match the anchor recorded for it ({}...): the log was rewritten "
                    "up to here", expect_->second.substr(0, 16)));
    return false;
  }
  if (!e.snapshots.empty()) {
    for (const SnapshotSeal& s :
         decode_seals(e.snapshots, fmt::format("{} event {}", where_, e.id))) {
      if (s.case_id <= 0) continue;
      const auto at = static_cast<std::size_t>(s.case_id);
      if (seals_.size() <= at) seals_.resize(at + 1);
      seals_[at] = s;
      any_seal_ = true;
    }
  }
  head_ = computed;
  last_case_ = e.case_id;
  last_seq_ = e.seq;
  ++result_.events_checked;
  ++expected_;
  return true;
}

void AuditWalk::head(const std::optional<std::pair<std::int64_t, std::string>>& stored,
                     const std::function<std::pair<std::int64_t, std::int64_t>(std::int64_t)>& at) {
  if (!result_.ok) return;
  const auto last = static_cast<std::int64_t>(result_.events_checked);
  if (!stored) {
    if (last > 0) bad(last, last_case_, last_seq_, "the log head is missing");
  } else if (stored->first > last) {
    bad(last + 1, 0, 0,
        fmt::format("missing: the log ends at event {} but its head records event {}", last,
                    stored->first));
  } else if (stored->first < last) {
    const auto [case_id, seq] = at(stored->first + 1);
    bad(stored->first + 1, case_id, seq,
        fmt::format("beyond the log head, which records event {}", stored->first));
  } else if (stored->second != digest_bytes(head_)) {
    bad(last, last_case_, last_seq_, "the log head's hash does not match this event's");
  }
  if (result_.ok && expect_ && expect_->first > static_cast<std::uint64_t>(last)) {
    bad(static_cast<std::int64_t>(expect_->first), 0, 0,
        fmt::format("missing: the anchor recorded event {}, but the log ends at event {}",
                    expect_->first, last));
  }
}

void AuditWalk::bad_snapshot(std::int64_t case_id, std::string problem) {
  result_.snapshot_problems.push_back(std::move(problem));
  result_.bad_snapshots.push_back(static_cast<CaseId>(case_id));
  result_.ok = false;
}

void AuditWalk::snapshot(std::int64_t case_id, std::int64_t last_seq, std::string_view encoded) {
  const auto at = static_cast<std::size_t>(std::max<std::int64_t>(case_id, 0));
  if (seen_.size() <= at) seen_.resize(at + 1);
  seen_[at] = true;
  const SnapshotSeal* seal = at < seals_.size() && seals_[at].case_id != 0 ? &seals_[at] : nullptr;
  if (seal == nullptr) {
    if (any_seal_) {
      bad_snapshot(case_id, "its snapshot is not sealed by any event of the log");
    } else {
      ++result_.snapshots_unsealed;  // written before schema 4; the next write seals it
    }
    return;
  }
  ++result_.snapshots_checked;
  if (seal->last_seq != last_seq) {
    bad_snapshot(case_id, fmt::format("its snapshot says it ends at seq {}, the log's seal says {}",
                                      last_seq, seal->last_seq));
  } else if (seal->digest != snapshot_digest(encoded)) {
    bad_snapshot(case_id, "its snapshot does not match the digest the log records for it");
  }
}

void AuditWalk::row_seal_broken(std::int64_t case_id) {
  if (!result_.bad_snapshots.empty() && result_.bad_snapshots.back() == static_cast<CaseId>(case_id)) {
    return;
  }
  bad_snapshot(case_id, "its row seal does not match its row (reopening refuses it)");
}

void AuditWalk::snapshots_done() {
  for (std::size_t id = 1; id < seals_.size(); ++id) {
    if (seals_[id].case_id != 0 && (id >= seen_.size() || !seen_[id])) {
      bad_snapshot(static_cast<std::int64_t>(id), "its snapshot is missing");
    }
  }
}

}  // namespace workflow::detail
