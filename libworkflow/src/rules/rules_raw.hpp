// The seam between reading rule files and validating them. The loader turns YAML into
// "raw" entries: every field typed and located, but references still ids and cross-entry
// rules unchecked. The validator resolves the ids and checks the rules. A raw field is
// absent when it was missing or malformed; that problem is already reported, so the
// validator skips whatever depends on it instead of reporting it again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "support/text_columns.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

struct RuleData;

// A place in a rule file: the file's index in name order and a 1-based line and column.
struct Where {
  std::size_t file = 0;
  int line = 0;
  int column = 0;
};

template <class T>
struct Located {
  T value{};
  Where at;
};
using Text = Located<std::string>;

// Every diagnostic of one load, kept with its place so they come out in file order
// whichever check found them.
class Findings {
 public:
  // `path` as the diagnostics show it (load()'s dir / name); `content` to turn byte columns
  // into character columns.
  std::size_t add_file(std::string path, std::string name, std::string content) {
    std::vector<std::size_t> line_starts{0};
    for (std::size_t i = 0; i < content.size(); ++i) {
      if (content[i] == '\n') line_starts.push_back(i + 1);
    }
    files_.push_back(
        {std::move(path), std::move(name), std::move(content), std::move(line_starts)});
    return files_.size() - 1;
  }

  // A 1-based place from a 0-based line and byte column (yaml-cpp's marks). The column counts
  // characters, as editors do: in 综合受理窗口 a byte count would be three times too far.
  Where where(std::size_t file, int line, int byte_column) const {
    const File& f = files_[file];
    if (line < 0 || byte_column < 0) return {file, 0, 0};
    const auto l = static_cast<std::size_t>(line);
    const std::size_t start = l < f.line_starts.size() ? f.line_starts[l] : f.content.size();
    return {file, line + 1, character_column(std::string_view(f.content).substr(start), byte_column)};
  }

  void error(Where at, std::string field, std::string message) {
    add(at, std::move(field), std::move(message), Diagnostic::Severity::error);
  }
  void warning(Where at, std::string field, std::string message) {
    add(at, std::move(field), std::move(message), Diagnostic::Severity::warning);
  }
  std::size_t error_count() const noexcept { return errors_.size(); }

  // "matters.yaml:3:11": where an earlier definition is, for duplicate messages.
  std::string place(Where at) const {
    return files_[at.file].name + ':' + std::to_string(at.line) + ':' + std::to_string(at.column);
  }

  std::vector<Diagnostic> take_errors() { return sorted(std::move(errors_)); }
  std::vector<Diagnostic> take_warnings() { return sorted(std::move(warnings_)); }

 private:
  using Entry = std::pair<Where, Diagnostic>;

  void add(Where at, std::string field, std::string message, Diagnostic::Severity severity) {
    Diagnostic d{files_[at.file].path, at.line, at.column, std::move(field),
                 std::move(message),   severity};
    (severity == Diagnostic::Severity::error ? errors_ : warnings_).emplace_back(at, std::move(d));
  }
  static std::vector<Diagnostic> sorted(std::vector<Entry> entries) {
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) {
      return std::tie(x.first.file, x.first.line, x.first.column) <
             std::tie(y.first.file, y.first.line, y.first.column);
    });
    std::vector<Diagnostic> out;
    out.reserve(entries.size());
    for (Entry& e : entries) out.push_back(std::move(e.second));
    return out;
  }

  struct File {
    std::string path;  // as the diagnostics show it: load()'s dir / name
    std::string name;  // the bare file name, for "first defined at" notes
    std::string content;
    std::vector<std::size_t> line_starts;  // byte offset of each line
  };
  std::vector<File> files_;
  std::vector<Entry> errors_;
  std::vector<Entry> warnings_;
};

// One list entry: "posts[4]" (index within its file's list) and its mapping node's place.
struct RawEntry {
  std::string path;
  Where at;
  // Fields given but malformed, already reported: absent in the raw entry, yet not to be
  // reported again as missing. Kept for matters and delegations, whose required fields
  // depend on their kind or mode.
  std::vector<std::string> broken;

  bool reported(std::string_view field) const {
    return std::find(broken.begin(), broken.end(), field) != broken.end();
  }
};

// The policy section, read and range-checked field by field; absent fields keep the
// defaults of Policy.
struct RawPolicy : RawEntry {
  Policy policy;
};

struct RawOffice : RawEntry {
  std::optional<Text> id, name;
  std::optional<Located<Level>> level;
  std::optional<Text> parent;
};

// Departments and staff have the same shape: an id, a name and the office they are at.
struct RawPlaced : RawEntry {
  std::optional<Text> id, name, office;
};

struct RawPost : RawEntry {
  std::optional<Text> id, name, office, department;
  PostRole role = PostRole::window;
  std::optional<Text> a, b, supervisor;
  bool approves_extensions = false;
  bool keeps_status_board = false;
  std::optional<Located<bool>> issues_orders, reassigns;  // located: checked against the role
  std::optional<Located<bool>> sends_unresolved;  // 办不成事: checked against the role
};

struct RawStage : RawEntry {
  std::optional<Text> name, post;
  std::optional<Located<int>> share_days;
};

struct RawMatter : RawEntry {
  std::optional<Text> code, name, basis, department;
  std::optional<Located<Level>> level;
  std::optional<Located<MatterKind>> kind;
  std::optional<Located<int>> legal_limit, promised_limit, extension_days;
  std::optional<Located<int>> promise_verification_days;  // 告知承诺: only with promise_approval
  std::vector<Material> materials;
  std::optional<Where> stages_at;  // set when a `stages` list was given, even an empty one
  std::size_t stages_listed = 0;   // items in that list, the malformed ones included
  std::vector<RawStage> stages;    // the well-formed ones
  std::optional<Text> escalate_to;
  std::int64_t fee_fen = 0;
  bool deemed_approval = false;
  bool promise_approval = false;
  bool village_proxy = false;
  std::optional<Located<bool>> cross_region;  // absent if not given or malformed
};

struct RawDelegation : RawEntry {
  std::optional<Text> id, matter;
  std::optional<Text> from_office, from_department;  // exactly one, if `from` is well formed
  std::optional<Text> township;
  std::optional<Located<DelegationMode>> mode;
  std::optional<Located<Date>> valid_from, valid_until;
  std::optional<Text> post;
  std::string document;
};

// One part of a bundle: a matter code and its index in the bundle's `matters` list (the
// malformed items counted, so "matters[3]" names the item as written).
struct RawPart {
  std::size_t index = 0;
  Text code;
};

struct RawBundle : RawEntry {
  std::optional<Text> id, name, office;
  std::optional<Where> matters_at;  // set when a `matters` list was given, even an empty one
  std::size_t matters_listed = 0;   // items in that list, the malformed ones included
  std::vector<RawPart> matters;     // the well-formed ones
  std::optional<Located<int>> promised_limit;
};

// Everything read from one rule directory.
struct RawRuleSet {
  std::string version;  // see docs/rules.md: SHA-256 over file names, lengths and bytes
  Findings findings;
  // A file could not be read or parsed: the entries it defines are unknown, so a reference
  // that resolves to nothing may well be to one of them.
  bool some_file_unreadable = false;
  std::optional<RawPolicy> policy;
  std::vector<RawOffice> offices;
  std::vector<RawPlaced> departments;
  std::vector<RawPlaced> staff;
  std::vector<RawPost> posts;
  std::vector<RawMatter> matters;
  std::vector<RawDelegation> delegations;
  std::vector<RawBundle> bundles;
  std::vector<RuleFile> files;  // the files as read, in name order (a store keeps them)
};

// rules_loader.cpp. Throws Error(io_error) if `dir` is not a readable directory and
// Error(rules_invalid) if it holds no rule file; every other problem goes to findings.
RawRuleSet read_rule_files(const std::filesystem::path& dir);
// The same over files already in memory (a store's copy of a rule set); `origin` prefixes
// the file names in diagnostics; `unreadable` names files that could not be read, and why.
RawRuleSet read_rule_texts(
    std::vector<RuleFile> files, const std::filesystem::path& origin,
    const std::vector<std::pair<std::string, std::string>>& unreadable = {});

// rules_validate.cpp (bundles: rules_validate_bundles.cpp). Resolves and checks everything;
// throws Error(rules_invalid) with every diagnostic (the loader's included) if any is an error.
std::shared_ptr<const RuleData> validate_rules(RawRuleSet raw, const std::filesystem::path& dir);

}  // namespace workflow::detail
