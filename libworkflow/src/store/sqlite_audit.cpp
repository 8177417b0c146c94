// The audit of an SQLite store: recomputes the hash chain (store/hash_chain.cpp).
#include <fmt/format.h>

#include "store/sqlite_store.hpp"
#include "workflow/error.hpp"

namespace workflow {

AuditResult verify_sqlite_log(const std::filesystem::path& path) {
  using detail::Statement;
  const detail::OpenedFile file =
      detail::open_store_file(path, SqliteOptions{.read_only = true, .create = false});
  AuditResult result;
  const auto bad = [&](std::int64_t id, std::int64_t case_id, std::int64_t seq,
                       std::string problem) {
    result.ok = false;
    result.first_bad_event = static_cast<std::uint64_t>(id);
    result.first_bad_case = static_cast<CaseId>(case_id);
    result.first_bad_seq = static_cast<std::uint32_t>(seq);
    result.problem = std::move(problem);
  };

  // One read transaction for the whole walk, so a writer appending meanwhile (WAL) cannot
  // make the log look inconsistent: the audit sees one committed state.
  Statement begin(file.db.get(), path, "BEGIN");
  begin.run();
  Statement rows(file.db.get(), path,
                 "SELECT id, case_id, seq, kind, time, actor, office, post, reason, detail, "
                 "rules_version, hash, notify FROM events ORDER BY id");
  detail::Sha256::Digest head{};  // hash_0: 32 zero bytes
  std::int64_t expected = 1, last_case = 0, last_seq = 0;
  while (rows.step()) {
    const std::int64_t id = rows.int64(0);
    const std::int64_t case_id = rows.int64(1);
    const std::int64_t seq = rows.int64(2);
    if (id != expected) {
      // A deleted row: the next one would fail the hash too; say plainly what is missing.
      bad(id, case_id, seq,
          id == expected + 1 ? fmt::format("event {} is missing before it", expected)
          : id > expected    ? fmt::format("events {} to {} are missing before it", expected, id - 1)
                             : fmt::format("log position {} is out of order", id));
      break;
    }
    const std::string kind = rows.text(3), actor = rows.text(5), office = rows.text(6),
                      post = rows.text(7), reason = rows.text(8), detail = rows.text(9),
                      rules_version = rows.text(10), notify = rows.text(12);
    const auto computed = detail::chain_hash(
        head, {id, case_id, seq, kind, rows.int64(4), actor, office, post, reason, detail,
               rules_version, notify});
    if (rows.blob(11) != std::string(detail::digest_bytes(computed))) {
      bad(id, case_id, seq, "hash does not match its contents and its predecessor's hash");
      break;
    }
    head = computed;
    last_case = case_id;
    last_seq = seq;
    ++result.events_checked;
    ++expected;
  }
  rows.reset();
  if (!result.ok) return result;

  // The head records the last event written, so deleting events at the end is seen too.
  const auto last = static_cast<std::int64_t>(result.events_checked);
  Statement head_row(file.db.get(), path, "SELECT last_id, hash FROM log_head");
  if (!head_row.step()) {
    if (last > 0) bad(last, last_case, last_seq, "the log head (table log_head) is missing");
    return result;
  }
  const std::int64_t head_id = head_row.int64(0);
  const std::string head_hash = head_row.blob(1);
  head_row.reset();
  if (head_id > last) {
    bad(last + 1, 0, 0,
        fmt::format("missing: the log ends at event {} but its head records event {}", last,
                    head_id));
  } else if (head_id < last) {
    Statement after(file.db.get(), path, "SELECT case_id, seq FROM events WHERE id = ?");
    after.bind(1, head_id + 1);
    after.step();
    bad(head_id + 1, after.int64(0), after.int64(1),
        fmt::format("beyond the log head, which records event {}", head_id));
    after.reset();
  } else if (head_hash != std::string(detail::digest_bytes(head))) {
    bad(last, last_case, last_seq, "the log head's hash does not match this event's");
  }
  return result;
}

}  // namespace workflow
