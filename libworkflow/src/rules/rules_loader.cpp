// Reading a rule directory: which files, their version hash, the YAML, and each entry's
// fields typed and located (docs/rules.md "Files and sections"). Nothing here looks across
// entries; that is rules_validate.cpp's job.
#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "rules/rules_fields.hpp"
#include "rules/rules_raw.hpp"
#include "support/printable.hpp"
#include "support/sha256.hpp"
#include "support/yaml_documents.hpp"

namespace workflow::detail {
namespace {

namespace fs = std::filesystem;

// The rule files' spellings of each enum (docs/rules.md).
constexpr Choice<Level> k_levels[] = {{"village", Level::village},
                                      {"township", Level::township},
                                      {"county", Level::county},
                                      {"city", Level::city},
                                      {"province", Level::province}};
constexpr Choice<MatterKind> k_kinds[] = {{"instant", MatterKind::instant},
                                          {"committed", MatterKind::committed},
                                          {"escalated", MatterKind::escalated},
                                          {"joint", MatterKind::joint}};
constexpr Choice<PostRole> k_roles[] = {{"window", PostRole::window},
                                        {"back_office", PostRole::back_office},
                                        {"unresolved", PostRole::unresolved},
                                        {"agent", PostRole::agent},
                                        {"policy", PostRole::policy}};
constexpr Choice<DelegationMode> k_modes[] = {{"window-forward", DelegationMode::window_forward},
                                              {"partial", DelegationMode::partial},
                                              {"full", DelegationMode::full}};

// One file being decoded: where its entries go and how to name their places.
struct FileContext {
  RawRuleSet& raw;
  std::size_t file;
  Findings& findings() { return raw.findings; }
};

template <class Raw>
Raw entry_of(const FieldReader& r) {
  Raw raw;
  raw.path = r.path();
  raw.at = r.at();
  return raw;
}

// Calls `read(reader)` for each mapping in the list `node` named `path`.
template <class Read>
void for_each_entry(FileContext& cx, const YAML::Node& node, const std::string& path, Read read) {
  if (!node.IsSequence()) {
    cx.findings().error(where(cx.findings(), cx.file, node.Mark()), path,
                        fmt::format("expected a list, found {}", shape_of(node)));
    return;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (!item.IsMap()) {
      cx.findings().error(where(cx.findings(), cx.file, item.Mark()), item_path,
                          fmt::format("expected a mapping, found {}", shape_of(item)));
      continue;
    }
    FieldReader reader(cx.findings(), cx.file, item, item_path);
    read(reader);
    reader.finish();
  }
}

// `key_at` is the `policy:` key, where a second policy section's note points.
void read_policy(FileContext& cx, FieldReader& r, Where key_at) {
  RawPolicy p = entry_of<RawPolicy>(r);
  p.at = key_at;
  const auto take = [](auto value, auto& into) {
    if (value) into = value->value;
  };
  Policy& policy = p.policy;
  take(r.fraction("promised_ratio_cap", false, true), policy.promised_ratio_cap);
  take(r.whole("notify_missing_days", 1), policy.notify_missing_days);
  take(r.whole("yellow_days_left", 0), policy.yellow_days_left);
  take(r.fraction("yellow_used_fraction", true, false), policy.yellow_used_fraction);
  take(r.whole("tolerance_supplement_days", 1), policy.tolerance_supplement_days);
  take(r.whole("rectification_days", 1), policy.rectification_days);
  take(r.whole("extension_max_days", 1), policy.extension_max_days);
  take(r.whole("escalation_review_days", 1), policy.escalation_review_days);
  take(r.whole("issue_days", 1), policy.issue_days);
  take(r.whole("promise_verification_days", 1), policy.promise_verification_days);
  take(r.whole("order_reply_days", 1), policy.order_reply_days);
  take(r.whole("unresolved_settle_days", 1), policy.unresolved_settle_days);
  take(r.whole("matter_code_length", 0), policy.matter_code_length);
  p.broken = r.broken();
  cx.raw.policy = std::move(p);
}

void read_office(FileContext& cx, FieldReader& r) {
  RawOffice o = entry_of<RawOffice>(r);
  o.id = r.text("id", true);
  o.name = r.text("name", true);
  o.level = r.choice("level", true, k_levels);
  o.parent = r.text("parent");
  cx.raw.offices.push_back(std::move(o));
}

RawPlaced read_placed(FieldReader& r) {
  RawPlaced p = entry_of<RawPlaced>(r);
  p.id = r.text("id", true);
  p.name = r.text("name", true);
  p.office = r.text("office", true);
  return p;
}

void read_post(FileContext& cx, FieldReader& r) {
  RawPost p = entry_of<RawPost>(r);
  p.id = r.text("id", true);
  p.name = r.text("name", true);
  p.office = r.text("office", true);
  p.department = r.text("department", true);
  if (const auto role = r.choice("role", false, k_roles)) p.role = role->value;
  p.a = r.text("a", true);
  p.b = r.text("b", true);
  p.supervisor = r.text("supervisor");
  p.approves_extensions = r.flag("approves_extensions");
  p.keeps_status_board = r.flag("keeps_status_board");
  p.issues_orders = r.located_flag("issues_orders");
  p.reassigns = r.located_flag("reassigns");
  p.sends_unresolved = r.located_flag("sends_unresolved");
  cx.raw.posts.push_back(std::move(p));
}

void read_materials(FileContext& cx, const YAML::Node& list, const std::string& path,
                    RawMatter& m) {
  if (!list.IsSequence()) {
    cx.findings().error(where(cx.findings(), cx.file, list.Mark()), path,
                        fmt::format("expected a list, found {}", shape_of(list)));
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string item_path = fmt::format("{}[{}]", path, i);
    if (item.IsScalar() && !item.Scalar().empty()) {
      m.materials.push_back({item.Scalar(), false});
    } else if (item.IsMap()) {
      FieldReader r(cx.findings(), cx.file, item, item_path);
      const auto name = r.text("name", true);
      const bool tolerable = r.flag("tolerable");
      r.finish();
      if (name) m.materials.push_back({name->value, tolerable});
    } else {
      cx.findings().error(where(cx.findings(), cx.file, item.Mark()), item_path,
                          "expected a material name or {name: ..., tolerable: true}");
    }
  }
}

void read_matter(FileContext& cx, FieldReader& r) {
  RawMatter m = entry_of<RawMatter>(r);
  m.code = r.text("code", true);
  m.name = r.text("name", true);
  m.basis = r.text("basis", true);
  m.department = r.text("department", true);
  m.level = r.choice("level", true, k_levels);
  m.kind = r.choice("kind", true, k_kinds);
  m.legal_limit = r.whole("legal_limit", 0);        // required unless instant: the validator
  m.promised_limit = r.whole("promised_limit", 0);  // knows the kind
  m.extension_days = r.whole("extension_days", 0);
  m.promise_verification_days = r.whole("promise_verification_days", 1);
  if (const auto materials = r.node("materials")) {
    read_materials(cx, *materials, r.path() + ".materials", m);
  }
  bool stages_broken = false;  // for_each_entry reports a `stages` that is not a list
  if (const auto stages = r.node("stages")) {
    m.stages_at = where(cx.findings(), cx.file, stages->Mark());
    m.stages_listed = stages->IsSequence() ? stages->size() : 0;
    stages_broken = !stages->IsSequence();
    for_each_entry(cx, *stages, r.path() + ".stages", [&](FieldReader& s) {
      RawStage stage = entry_of<RawStage>(s);
      stage.name = s.text("name", true);
      stage.post = s.text("post", true);
      stage.share_days = s.whole("share_days", 0);
      m.stages.push_back(std::move(stage));
    });
  }
  m.escalate_to = r.text("escalate_to");
  m.fee_fen = r.fee("fee");
  m.deemed_approval = r.flag("deemed_approval");
  m.promise_approval = r.flag("promise_approval");
  m.village_proxy = r.flag("village_proxy");
  m.cross_region = r.located_flag("cross_region");
  m.broken = r.broken();
  if (stages_broken) m.broken.emplace_back("stages");
  cx.raw.matters.push_back(std::move(m));
}

void read_delegation(FileContext& cx, FieldReader& r) {
  RawDelegation d = entry_of<RawDelegation>(r);
  d.id = r.text("id", true);
  d.matter = r.text("matter", true);
  if (const auto from = r.node("from", true)) {
    const std::string from_path = r.path() + ".from";
    const Where from_at = where(cx.findings(), cx.file, from->Mark());
    const YAML::Node& from_map = *from;  // const: operator[] must not add the key
    const auto names = [&](const char* key) {
      return from_map.IsMap() && from_map[key].IsDefined();
    };
    if (!names("office") && !names("department")) {
      cx.findings().error(from_at, from_path, "expected {office: ID} or {department: ID}");
    } else {
      FieldReader f(cx.findings(), cx.file, *from, from_path);
      d.from_office = f.text("office");
      d.from_department = f.text("department");
      f.finish();
      if (d.from_office && d.from_department) {
        cx.findings().error(from_at, from_path, "give either office or department, not both");
        d.from_office.reset();
        d.from_department.reset();
      }
    }
  }
  d.township = r.text("township", true);
  d.mode = r.choice("mode", true, k_modes);
  d.valid_from = r.date("valid_from", true);
  d.valid_until = r.date("valid_until", true);
  d.post = r.text("post");
  if (const auto document = r.text("document")) d.document = document->value;
  d.broken = r.broken();
  cx.raw.delegations.push_back(std::move(d));
}

// `matters: [code, ...]`: the bundle's parts, each a matter code.
void read_parts(FileContext& cx, const YAML::Node& list, const std::string& path, RawBundle& b) {
  if (!list.IsSequence()) {
    cx.findings().error(where(cx.findings(), cx.file, list.Mark()), path,
                        fmt::format("expected a list, found {}", shape_of(list)));
    return;
  }
  b.matters_at = where(cx.findings(), cx.file, list.Mark());
  b.matters_listed = list.size();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const Where at = where(cx.findings(), cx.file, item.Mark());
    if (item.IsScalar() && !item.Scalar().empty()) {
      b.matters.push_back({i, Text{item.Scalar(), at}});
    } else {
      cx.findings().error(at, fmt::format("{}[{}]", path, i),
                          fmt::format("expected a matter code, found {}",
                                      item.IsScalar() ? "an empty string" : shape_of(item)));
    }
  }
}

void read_bundle(FileContext& cx, FieldReader& r) {
  RawBundle b = entry_of<RawBundle>(r);
  b.id = r.text("id", true);
  b.name = r.text("name", true);
  b.office = r.text("office", true);
  if (const auto matters = r.node("matters", true)) {
    read_parts(cx, *matters, r.path() + ".matters", b);
  }
  b.promised_limit = r.whole("promised_limit", 1, true);
  cx.raw.bundles.push_back(std::move(b));
}

void read_sections(FileContext& cx, const YAML::Node& root) {
  std::vector<std::string> seen;
  for (const auto& section : root) {
    const Where key_at = where(cx.findings(), cx.file, section.first.Mark());
    const std::string name = section.first.IsScalar() ? section.first.Scalar() : "";
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      cx.findings().error(key_at, "", fmt::format("duplicate section '{}' in this file", name));
      continue;
    }
    seen.push_back(name);
    const YAML::Node& value = section.second;
    if (name == "policy") {
      if (cx.raw.policy) {
        cx.findings().error(key_at, "policy",
                            fmt::format("a second policy section, the first is at {}",
                                        cx.findings().place(cx.raw.policy->at)));
      } else if (value.IsNull()) {
        cx.raw.policy = RawPolicy{};
        cx.raw.policy->at = key_at;
      } else if (value.IsMap()) {
        FieldReader r(cx.findings(), cx.file, value, "policy");
        read_policy(cx, r, key_at);
        r.finish();
      } else {
        cx.findings().error(
            where(cx.findings(), cx.file, value.Mark()), "policy",
            fmt::format("expected a mapping of settings, found {}", shape_of(value)));
      }
    } else if (name == "offices") {
      for_each_entry(cx, value, name, [&](FieldReader& r) { read_office(cx, r); });
    } else if (name == "departments") {
      for_each_entry(cx, value, name,
                     [&](FieldReader& r) { cx.raw.departments.push_back(read_placed(r)); });
    } else if (name == "staff") {
      for_each_entry(cx, value, name,
                     [&](FieldReader& r) { cx.raw.staff.push_back(read_placed(r)); });
    } else if (name == "posts") {
      for_each_entry(cx, value, name, [&](FieldReader& r) { read_post(cx, r); });
    } else if (name == "matters") {
      for_each_entry(cx, value, name, [&](FieldReader& r) { read_matter(cx, r); });
    } else if (name == "delegations") {
      for_each_entry(cx, value, name, [&](FieldReader& r) { read_delegation(cx, r); });
    } else if (name == "bundles") {
      for_each_entry(cx, value, name, [&](FieldReader& r) { read_bundle(cx, r); });
    } else {
      cx.findings().error(key_at, "", fmt::format("unknown section '{}'", name));
    }
  }
}

// Rule files are small (the largest shipped one is 7 KiB); a file far larger is a mistake,
// and reading it whole into YAML nodes would take memory without bound.
constexpr std::size_t kMaxRuleFileBytes = 4u << 20;

// The first byte that is not well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// True if some line holds more than blanks, a comment or a document marker.
bool has_content(std::string_view s) {
  for (std::size_t at = 0; at < s.size();) {
    const std::size_t end = std::min(s.find('\n', at), s.size());
    const std::string_view l = s.substr(at, end - at);
    at = end + 1;
    const std::size_t first = l.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || l[first] == '#' || l.substr(0, 3) == "---" ||
        l.substr(0, 3) == "...") {
      continue;
    }
    return true;
  }
  return false;
}

void read_file(RawRuleSet& raw, std::size_t file, const std::string& bytes) {
  if (bytes.size() > kMaxRuleFileBytes) {
    raw.findings.error({file, 0, 0}, "",
                       fmt::format("the file has {} bytes, more than the {} a rule file may have",
                                   bytes.size(), kMaxRuleFileBytes));
    raw.some_file_unreadable = true;
    return;
  }
  if (const std::size_t bad = invalid_utf8_at(bytes); bad != std::string_view::npos) {
    const std::size_t line_start = bytes.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t from = line_start == std::string::npos || bad == 0 ? 0 : line_start + 1;
    const int line = static_cast<int>(std::count(bytes.begin(), bytes.begin() + from, '\n'));
    raw.findings.error(raw.findings.where(file, line, static_cast<int>(bad - from)), "",
                       fmt::format("invalid UTF-8 (byte 0x{:02X}): rule files are UTF-8 text",
                                   static_cast<unsigned char>(bytes[bad])));
    raw.some_file_unreadable = true;
    return;
  }
  if (const auto second = second_document_line(bytes)) {
    raw.findings.error(raw.findings.where(file, *second, 0), "",
                       "a rule file holds one YAML document; a second one starts here");
    raw.some_file_unreadable = true;
    return;
  }
  YAML::Node first;
  try {
    first = YAML::Load(bytes);
  } catch (const YAML::Exception& e) {
    raw.findings.error(where(raw.findings, file, e.mark), "", "invalid YAML: " + e.msg);
    raw.some_file_unreadable = true;
    return;
  }
  if (!first || first.IsNull()) {
    // An empty file (or only comments) adds nothing; text that YAML reads as nothing ("," or
    // "~") is a mistake, not an empty file.
    if (has_content(bytes)) {
      raw.findings.error(raw.findings.where(file, 0, 0), "",
                         "expected a mapping of sections, found nothing YAML reads as data");
    }
    return;
  }
  const YAML::Node& root = first;
  if (!root.IsMap()) {
    raw.findings.error(where(raw.findings, file, root.Mark()), "",
                       fmt::format("expected a mapping of sections, found {}", shape_of(root)));
    return;
  }
  FileContext cx{raw, file};
  read_sections(cx, root);
}

// The rule files directly in `dir`, sorted by name so the version and the diagnostics do
// not depend on the order the file system lists them in.
std::vector<fs::path> rule_files(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    throw Error(ErrorCode::io_error,
                fmt::format("rule set {}: not a readable directory", dir.string()));
  }
  std::vector<fs::path> files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const auto ext = path.extension();
    if (ext == ".yaml" || ext == ".yml") files.push_back(path);
  }
  if (ec) {
    throw Error(ErrorCode::io_error, fmt::format("rule set {}: {}", dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& x, const fs::path& y) { return x.filename() < y.filename(); });
  return files;
}

}  // namespace

RawRuleSet read_rule_files(const fs::path& dir) {
  const std::vector<fs::path> paths = rule_files(dir);
  std::vector<RuleFile> files;
  std::vector<std::pair<std::string, std::string>> unreadable;
  for (const fs::path& path : paths) {
    const std::string name = path.filename().string();
    // Looked at before opening: opening a FIFO named *.yaml would block for ever.
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      unreadable.emplace_back(name, fs::is_symlink(fs::symlink_status(path, ec))
                                        ? "a symbolic link to nothing (dangling, or a loop)"
                                        : "cannot be looked at: " + ec.message());
      continue;
    }
    if (!fs::is_regular_file(status)) {
      unreadable.emplace_back(name, "not a regular file (a directory, FIFO, socket or device)");
      continue;
    }
    if (const auto size = fs::file_size(path, ec); !ec && size > kMaxRuleFileBytes) {
      unreadable.emplace_back(name, fmt::format("the file has {} bytes, more than the {} a rule "
                                                "file may have", size, kMaxRuleFileBytes));
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in || in.bad()) {
      unreadable.emplace_back(name, "cannot read the file");
      continue;
    }
    files.push_back(RuleFile{name, std::move(bytes).str()});
  }
  return read_rule_texts(std::move(files), dir, unreadable);
}

RawRuleSet read_rule_texts(std::vector<RuleFile> files, const fs::path& origin,
                           const std::vector<std::pair<std::string, std::string>>& unreadable) {
  if (files.empty() && unreadable.empty()) {
    throw Error(ErrorCode::rules_invalid,
                fmt::format("rule set {} has 1 problem", origin.string()),
                {Diagnostic{origin.string(), 0, 0, "",
                            "no *.yaml or *.yml rule files in the directory"}});
  }
  std::sort(files.begin(), files.end(),
            [](const RuleFile& x, const RuleFile& y) { return x.name < y.name; });
  RawRuleSet raw;
  for (const auto& [name, why] : unreadable) {
    const std::size_t file = raw.findings.add_file((origin / name).string(), name, "");
    raw.findings.error({file, 0, 0}, "", why);
    raw.some_file_unreadable = true;
  }
  Sha256 version;
  for (const RuleFile& f : files) {
    const std::size_t file = raw.findings.add_file((origin / f.name).string(), f.name, f.text);
    // Name, NUL, decimal length, NUL, bytes: unambiguous however names and contents run.
    version.update(f.name);
    version.update(std::string_view("\0", 1));
    version.update(std::to_string(f.text.size()));
    version.update(std::string_view("\0", 1));
    version.update(f.text);
    read_file(raw, file, f.text);
  }
  raw.version = to_hex(version.finish());
  raw.files = std::move(files);
  return raw;
}

}  // namespace workflow::detail
