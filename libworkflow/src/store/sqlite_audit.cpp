// The audit of an SQLite store: recomputes the hash chain (store/hash_chain.cpp), checks an
// anchor recorded elsewhere, then every case snapshot against the digest the chain records.
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "store/audit_findings.hpp"
#include "store/sqlite_store.hpp"
#include "workflow/error.hpp"

namespace workflow {

AuditResult verify_sqlite_log(const std::filesystem::path& path, const AuditOptions& options) {
  using detail::Statement;
  const detail::OpenedFile file =
      detail::open_store_file(path, SqliteOptions{.read_only = true, .create = false, .key_file = {}},
                              4);
  sqlite3* db = file.db.get();
  detail::quick_check(path, db);  // a damaged page first: the walk would stop at it anyway
  // One read transaction for the whole walk, so a writer appending meanwhile (WAL) cannot
  // make the log look inconsistent: the audit sees one committed state.
  Statement begin(db, path, "BEGIN");
  begin.run();
  const bool keyed = detail::store_info(db, path, "chain") == "hmac-sha256";
  detail::AuditWalk walk(path.string(), keyed, options);

  Statement rows(db, path,
                 "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
                 "rules_version, hash, notify, snapshots FROM events ORDER BY id");
  while (rows.step()) {
    const std::string kind = rows.text(3), actor = rows.text(5), office = rows.text(6),
                      post = rows.text(7), reason = rows.text(8), detail = rows.text(9),
                      rules_version = rows.text(10), notify = rows.text(12),
                      snapshots = rows.blob(13);
    const detail::ChainedEvent e{rows.int64(0), rows.int64(1), rows.int64(2), kind,
                                 rows.int64(4), actor, office, post, reason, detail,
                                 rules_version, notify, snapshots};
    if (!walk.event(e, rows.blob(11))) break;
  }
  rows.reset();
  if (!walk.result().ok) return walk.take();

  // The head records the last event written, so deleting events at the end is seen too.
  Statement head_row(db, path, "SELECT last_id, hash FROM log_head");
  std::optional<std::pair<std::int64_t, std::string>> head;
  if (head_row.step()) head.emplace(head_row.int64(0), head_row.blob(1));
  head_row.reset();
  Statement after(db, path, "SELECT case_id, seq FROM events WHERE id = ?");
  walk.head(head, [&](std::int64_t id) {
    after.bind(1, id);
    std::pair<std::int64_t, std::int64_t> at{0, 0};
    if (after.step()) at = {after.int64(0), after.int64(1)};
    after.reset();
    return at;
  });
  if (!walk.result().ok) return walk.take();

  // Schema 5: each row's own seal too, which reopening checks instead of the chain's list.
  // A version-4 store (its migration refused, say) has no row seals yet: the chain only.
  const std::string store_id = detail::store_info(db, path, "store_id");
  Statement version(db, path, "PRAGMA user_version");
  const bool row_seals = version.step() && version.int64(0) >= 5;
  version.reset();
  Statement cases(db, path, row_seals ? "SELECT id, last_seq, encoded, sealed_by, seal FROM cases ORDER BY id"
                                      : "SELECT id, last_seq, encoded, 0, x'' FROM cases ORDER BY id");
  while (cases.step()) {
    const std::int64_t id = cases.int64(0), last_seq = cases.int64(1), sealed_by = cases.int64(3);
    const std::string encoded = cases.blob(2);
    walk.snapshot(id, last_seq, encoded);
    if (sealed_by == 0) continue;  // not sealed yet: the chain's rule above decides
    const auto seal = detail::row_seal(store_id, id, last_seq, sealed_by,
                                       detail::snapshot_digest(encoded), walk.key());
    if (cases.view(4) != detail::digest_bytes(seal)) walk.row_seal_broken(id);
  }
  cases.reset();
  walk.snapshots_done();
  return walk.take();
}

}  // namespace workflow
