// `workflow export --db DB [--partition P] --after N [--limit K] [--format jsonl] [--rules DIR]`:
// the change feed of a case store (an SQLite file, or a PostgreSQL conninfo with --partition)
// for a provincial platform (docs/export.md), read-only.
//
// Output contract (--format jsonl, the only format): one JSON object per line on stdout, one
// per event after log position N, at most K (default 1000), in position order:
//   {"position", "case", "seq", "kind", "time", "time_seconds", "office", "actor", "post",
//    "matter", "applicant", "reason", "detail", "rules_version", "notify", "masked"}
// then one last line {"head": {"position", "hash"}, "last_position", "count"}: the chain hash
// at the batch's last position (docs/storage.md), the store's last position, the events
// printed. Exit 0; 2 with "workflow: error: MESSAGE" on stderr for a missing or foreign store
// or a position beyond the end.
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "paths.hpp"
#include "report_format.hpp"
#include "store_target.hpp"
#include "workflow/engine.hpp"
#include "workflow/error.hpp"
#include "workflow/supervision.hpp"

namespace workflow::cli {
namespace {

// Lower-case hex of the snapshot seals (binary in the store).
std::string hex_of(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

// The applicant as the platform gets it: identity numbers masked (3607**********1234), and a
// name kept to its first character (张**).
std::string mask_applicant(const std::string& applicant) {
  const std::string masked = mask_identity_numbers(applicant);
  if (masked != applicant || applicant.empty()) return masked;
  std::size_t first = 1;
  const unsigned char c = static_cast<unsigned char>(applicant[0]);
  if (c >= 0x80) first = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  first = std::min(first, applicant.size());
  return applicant.substr(0, first) + "**";
}

}  // namespace

int run_export(const ExportArgs& args) {
  namespace fs = std::filesystem;
  try {
    if (args.format != "jsonl") {
      fmt::print(stderr, "workflow: error: --format {}: only jsonl is supported\n", args.format);
      return 2;
    }
    std::shared_ptr<CaseStore> store = args.store.open_read_only();
    // The engine (read-only, over the same store) knows each case's matter and applicant.
    const std::vector<StoredRuleSet> stored = args.rules.empty() ? store->rule_sets()
                                                                 : std::vector<StoredRuleSet>{};
    const fs::path rules_dir = args.rules.empty() ? shipped_ningdu_dir() : fs::path(args.rules);
    RuleSet rules = stored.empty() ? RuleSet::load(rules_dir)
                                   : RuleSet::from_files(stored.back().files,
                                                         fmt::format("<stored rule set {}>", stored.size()));
    Calendar calendar = Calendar::load(calendar_for_rules(rules_dir));
    auto clock = std::make_shared<ManualClock>(DateTime{});
    Engine engine(std::move(rules), std::move(calendar), clock, Options{.store = store});
    std::map<CaseId, std::pair<std::string, std::string>> known;  // matter, applicant
    for (const CaseView& c : engine.list()) known[c.id] = {c.matter, mask_applicant(c.applicant)};

    const LogBatch batch = store->events_after(args.after, args.limit);
    std::string out;
    for (const LoggedEvent& le : batch.events) {
      const Event& e = le.event;
      std::string matter, applicant;
      if (auto it = known.find(e.case_id); it != known.end()) std::tie(matter, applicant) = it->second;
      if (matter.empty() && e.kind == EventKind::submitted) matter = detail_value(e.detail, "matter");
      // Free text may hold identity numbers: masked (the event then no longer re-hashes).
      const std::string reason = mask_identity_numbers(e.reason);
      const std::string detail = mask_identity_numbers(e.detail);
      const bool masked = reason != e.reason || detail != e.detail;
      out += fmt::format(
          "{{\"position\": {}, \"case\": {}, \"seq\": {}, \"kind\": {}, \"time\": {}, "
          "\"time_seconds\": {}, \"office\": {}, \"actor\": {}, \"post\": {}, \"matter\": {}, "
          "\"applicant\": {}, \"reason\": {}, \"detail\": {}, \"rules_version\": {}, "
          "\"notify\": {}, \"snapshots\": \"{}\", \"masked\": {}}}\n",
          le.position, e.case_id, e.seq, json_string(to_string(e.kind)),
          json_string(e.time.to_string()), e.time.seconds(), json_string(e.office),
          json_string(e.actor), json_string(e.post), json_string(matter), json_string(applicant),
          json_string(reason), json_string(detail), json_string(e.rules_version),
          json_string(e.notify), hex_of(le.snapshots), masked ? "true" : "false");
    }
    out += fmt::format("{{\"head\": {{\"position\": {}, \"hash\": {}}}, \"last_position\": {}, "
                       "\"count\": {}}}\n",
                       batch.head_position, json_string(batch.head_hash), batch.last_position,
                       batch.events.size());
    fmt::print("{}", out);
    return 0;
  } catch (const Error& e) {
    fmt::print(stderr, "workflow: error: {}\n", e.what());
    return 2;
  }
}

}  // namespace workflow::cli
