// `workflow audit verify DB [--partition P]`: recompute a case store's hash chain (an SQLite
// file, or a PostgreSQL conninfo with --partition), read-only.
//
// Output contract (scripts and the supervision office rely on it):
// DB below is the file, or "PostgreSQL partition 'P'" (never the conninfo).
//   intact:   "DB: ok: N events, hash chain intact" on stdout; exit 0.
//   tampered: "DB: event ID (case C seq S): PROBLEM" on stdout, naming the first bad event
//             (without the parenthesis when the event itself is gone from the end); exit 1.
//   a file that cannot be audited (missing, not a store, truncated, newer schema):
//             "workflow: error: MESSAGE" on stderr; exit 2.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "plural.hpp"
#include "store_target.hpp"
#include "workflow/error.hpp"
#include "workflow/store.hpp"

namespace workflow::cli {
namespace {

int verify(const StoreTarget& target) {
  try {
    const AuditResult r = target.verify();
    const std::string db = target.label();
    if (r.ok) {
      fmt::print("{}: ok: {}, hash chain intact\n", db, plural(r.events_checked, "event"));
      return 0;
    }
    const std::string where =
        r.first_bad_case == 0 ? ""
                              : fmt::format(" (case {} seq {})", r.first_bad_case, r.first_bad_seq);
    fmt::print("{}: event {}{}: {}\n", db, r.first_bad_event, where, r.problem);
    return 1;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Check the integrity of a case store");
  audit->require_subcommand(1);
  CLI::App* cmd = audit->add_subcommand("verify", "Recompute the event log's hash chain");
  auto target = std::make_shared<StoreTarget>();
  cmd->add_option("DB", target->db, "SQLite case store file, or a PostgreSQL conninfo")->required();
  add_partition_option(*cmd, target->partition);
  cmd->callback([target, &exit_code] { exit_code = verify(*target); });
}

}  // namespace workflow::cli
