// `workflow audit verify DB [--partition P] [--key FILE] [--expect POS:HASH]`: recompute a
// case store's hash chain (an SQLite file, or a PostgreSQL conninfo with --partition) and
// check its snapshots against it, read-only.
// `workflow audit head DB [--partition P]`: print the log's head as POS:HASH, an anchor to
// record elsewhere.
//
// Output contract (scripts and the supervision office rely on it):
// DB below is the file, or "PostgreSQL partition 'P'" (never the conninfo).
//   intact:   "DB: ok: N events, hash chain intact" on stdout (", keyed" after "chain" for
//             a keyed store), then "DB: M snapshots match the chain" (and, for a migrated
//             store not yet written to, "DB: K snapshots from before schema 4 are not
//             sealed yet"; PostgreSQL: schema 3); exit 0.
//   tampered: "DB: event ID (case C seq S): PROBLEM" on stdout, naming the first bad event
//             (without the parenthesis when the event itself is gone from the end), or
//             "DB: case C: PROBLEM" for each tampered snapshot; exit 1.
//   a file that cannot be audited (missing, not a store, truncated, newer schema, a keyed
//             store without --key, a bad --expect): "workflow: error: MESSAGE" on stderr;
//             exit 2.
//   head:     "POS:HASH" (64 lower-case hex digits; "0:000...0" for an empty log); exit 0.
#include <cstdint>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "commands.hpp"
#include "plural.hpp"
#include "store_target.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow::cli {
namespace {

// POS:HASH, as `workflow audit head` prints it.
std::pair<std::uint64_t, std::string> parse_anchor(const std::string& text) {
  const auto colon = text.find(':');
  const std::string pos = text.substr(0, colon), hash = colon == std::string::npos ? "" : text.substr(colon + 1);
  const bool digits = !pos.empty() && pos.size() < 19 &&
                      pos.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || hash.size() != 64 || hash.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("--expect '{}': give POS:HASH, a log position and its 64 hex digits "
                            "as 'workflow audit head' prints them", text));
  }
  return {std::stoull(pos), hash};
}

}  // namespace

int run_audit_verify(const AuditVerifyArgs& args) {
  const std::string db = args.target.label();
  try {
    AuditOptions options;
    options.key_file = args.key;
    if (!args.expect.empty()) options.expect = parse_anchor(args.expect);
    const AuditResult r = args.target.verify(options);
    if (r.ok) {
      fmt::print("{}: ok: {}, hash chain{} intact\n", db, plural(r.events_checked, "event"),
                 r.keyed ? ", keyed," : "");
      fmt::print("{}: {} the chain\n", db,
                 r.snapshots_checked == 1 ? "1 snapshot matches"
                                          : fmt::format("{} snapshots match", r.snapshots_checked));
      if (r.snapshots_unsealed > 0) {
        fmt::print("{}: {} from before schema 4 {} not sealed yet (the next write seals them)\n",
                   db, plural(r.snapshots_unsealed, "snapshot"),
                   r.snapshots_unsealed == 1 ? "is" : "are");
      }
      return 0;
    }
    if (!r.problem.empty()) {
      const std::string where =
          r.first_bad_case == 0 ? ""
                                : fmt::format(" (case {} seq {})", r.first_bad_case, r.first_bad_seq);
      if (r.first_bad_event == 0) {
        fmt::print("{}: {}\n", db, r.problem);
      } else {
        fmt::print("{}: event {}{}: {}\n", db, r.first_bad_event, where, r.problem);
      }
    }
    for (std::size_t i = 0; i < r.bad_snapshots.size(); ++i) {
      fmt::print("{}: case {}: {}\n", db, r.bad_snapshots[i], r.snapshot_problems[i]);
    }
    return 1;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

int run_audit_head(const StoreTarget& target) {
  try {
    const auto store = target.open_read_only();
    const std::uint64_t last = store->events_after(0, 0).last_position;
    const LogBatch at = store->events_after(last, 0);
    fmt::print("{}:{}\n", at.head_position, at.head_hash);
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace workflow::cli
