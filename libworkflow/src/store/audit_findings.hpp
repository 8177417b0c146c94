// What every store's audit shares, whatever the database: the walk along the hash chain
// (keyed or not), the head, an anchor recorded elsewhere, and the snapshots' seals. The
// database-specific audits (sqlite_audit.cpp, postgres_audit.cpp) only read rows into it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/hash_chain.hpp"
#include "workflow/store.hpp"

namespace workflow::detail {

// Not thread-safe: one walk per audit.
class AuditWalk {
 public:
  // `where` names the store in errors. Throws Error(store_error) for a keyed store audited
  // without its key (or an unreadable key file).
  AuditWalk(std::string where, bool keyed, const AuditOptions& options);

  // The next event in log order, with its stored hash; false once a problem is found.
  bool event(const ChainedEvent& e, std::string_view stored_hash);
  // The stored head (position, hash), if any; `at(id)` reads (case_id, seq) of event id.
  void head(const std::optional<std::pair<std::int64_t, std::string>>& stored,
            const std::function<std::pair<std::int64_t, std::int64_t>(std::int64_t)>& at);
  // Every stored snapshot, in id order, then snapshots_done().
  void snapshot(std::int64_t case_id, std::int64_t last_seq, std::string_view encoded);
  void snapshots_done();
  // An SQLite row (schema 5) whose own seal is not the one row_seal() computes for it: a
  // finding for its case, unless its snapshot was already found bad.
  void row_seal_broken(std::int64_t case_id);
  const HmacSha256* key() const noexcept { return key_ ? &*key_ : nullptr; }

  const AuditResult& result() const noexcept { return result_; }
  AuditResult take() { return std::move(result_); }

 private:
  void bad(std::int64_t id, std::int64_t case_id, std::int64_t seq, std::string problem);
  void bad_snapshot(std::int64_t case_id, std::string problem);

  std::string where_;
  std::optional<HmacSha256> key_;
  std::optional<std::pair<std::uint64_t, std::string>> expect_;
  AuditResult result_;
  Sha256::Digest head_{};  // hash_0: 32 zero bytes
  std::int64_t expected_ = 1, last_case_ = 0, last_seq_ = 0;
  // The latest seal of each case id (case_id 0: none), and which snapshots were seen.
  std::vector<SnapshotSeal> seals_;
  std::vector<bool> seen_;
  bool any_seal_ = false;
};

}  // namespace workflow::detail
