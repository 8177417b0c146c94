// Reading and validating the working-day calendar (one YAML file per year, see
// docs/calendar.md). Every problem in every file is collected before anything is thrown, so
// one run of `workflow validate` shows the whole list.
#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "calendar/calendar_data.hpp"
#include "support/text_columns.hpp"
#include "support/yaml_documents.hpp"
#include "workflow/calendar.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace detail {
namespace {

namespace fs = std::filesystem;

// The years a calendar may hold; anything else is a typo (and would size the tables absurdly).
constexpr int min_year = 1900;
constexpr int max_year = 2999;

struct Pos {
  int line = 0;  // 1-based; 0 = unknown (years given in memory)
  int column = 0;
};

Pos pos_of(const YAML::Mark& m) {
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

// Where the second document that starts on 0-based `line` has its first node: after the
// "---" on that line, or on the next line holding more than blanks or a comment.
Pos second_document_pos(std::string_view text, int line) {
  std::size_t at = 0;
  for (int l = 0; l < line && at < text.size(); ++l) at = std::min(text.find('\n', at), text.size()) + 1;
  for (int l = line; at < text.size(); ++l) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::size_t from = at + (l == line && text.substr(at, 3) == "---" ? 3 : 0);
    const std::size_t first = text.find_first_not_of(" \t\r", from);
    if (first < end && text[first] != '#') return {l + 1, static_cast<int>(first - at) + 1};
    at = end + 1;
  }
  return {line + 1, 1};
}

// Where one year's parts were written, so the checks that run after parsing (and the same
// checks on years given in memory) can point at them.
struct YearOrigin {
  std::string file;    // the path as given, or "<memory>"
  std::string where;   // how another diagnostic names this year: the file, or "years[2]"
  std::string prefix;  // "" for a file, "years[2]." in memory: prepended to field names
  bool has_year = false;    // the year value was read (missing or malformed: reported already)
  bool has_source = false;  // likewise for the source
  Pos year;
  Pos source;
  Pos provisional;  // the `provisional` value, when given
  // For each parsed holiday and make-up day: its index in the file (entries that failed to
  // parse are left out of CalendarYear) and where it is (a holiday's `from`).
  struct Place {
    std::size_t index = 0;
    Pos pos;
  };
  std::vector<Place> holiday;
  std::vector<Place> makeup;
};

struct ParsedYear {
  CalendarYear data;
  YearOrigin origin;
};

class Diagnostics {
 public:
  void add(const std::string& file, Pos pos, std::string field, std::string message) {
    list.push_back(Diagnostic{file, pos.line, pos.column, std::move(field), std::move(message)});
  }
  // Marks are byte columns; diagnostics count characters (see text_columns.hpp).
  void columns_to_characters() {
    for (Diagnostic& d : list) {
      const auto it = contents.find(d.file);
      if (it != contents.end() && d.line > 0) {
        d.column = character_column_in(it->second, d.line, d.column);
      }
    }
  }
  std::vector<Diagnostic> list;
  std::map<std::string, std::string> contents;  // file -> text, for the columns
};

std::string_view weekday_name(Date d) {
  static constexpr std::array<std::string_view, 7> names{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                         "Friday", "Saturday", "Sunday"};
  return names[static_cast<std::size_t>(d.iso_weekday() - 1)];
}

std::string run_text(const CalendarYear::Holiday& h) {
  return fmt::format("{} ({}..{})", h.name, h.first.to_string(), h.last.to_string());
}

bool contains(const CalendarYear::Holiday& h, Date d) { return h.first <= d && d <= h.last; }

// A mapping's values by key, reporting unknown, duplicate and missing keys: the first
// `required` of `keys` are required (all of them by default), the rest optional. Keys absent
// or unknown map to nothing.
using Field = std::optional<YAML::Node>;

std::vector<Field> fields(const YAML::Node& map, const std::vector<std::string_view>& keys,
                          const std::string& file, const std::string& prefix, Diagnostics& out,
                          std::size_t required = static_cast<std::size_t>(-1)) {
  std::vector<Field> values(keys.size());
  for (const auto& kv : map) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string{};
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      std::string expected;
      for (std::string_view k : keys) expected += fmt::format("{}{}", expected.empty() ? "" : ", ", k);
      out.add(file, pos_of(kv.first.Mark()), prefix + key,
              fmt::format("unknown key '{}' (expected {})", key, expected));
      continue;
    }
    Field& slot = values[static_cast<std::size_t>(it - keys.begin())];
    if (slot) {
      out.add(file, pos_of(kv.first.Mark()), prefix + key, fmt::format("duplicate key '{}'", key));
      continue;
    }
    slot.emplace(kv.second);
  }
  for (std::size_t i = 0; i < keys.size() && i < required; ++i) {
    if (!values[i]) {
      out.add(file, pos_of(map.Mark()), prefix + std::string(keys[i]),
              fmt::format("missing required key '{}'", keys[i]));
    }
  }
  return values;
}

std::optional<std::string> read_string(const Field& node, const std::string& file, const std::string& field,
                                       Diagnostics& out) {
  if (node && !node->IsScalar()) out.add(file, pos_of(node->Mark()), field, "expected a string");
  if (!node || !node->IsScalar()) return std::nullopt;
  return node->Scalar();
}

std::optional<Date> read_date(const Field& node, const std::string& file, const std::string& field,
                              Diagnostics& out) {
  if (!node) return std::nullopt;
  try {
    if (node->IsScalar()) return Date::parse(node->Scalar());
    out.add(file, pos_of(node->Mark()), field, "expected a date in the form YYYY-MM-DD");
  } catch (const Error& e) {
    out.add(file, pos_of(node->Mark()), field, e.what());  // names the text
  }
  return std::nullopt;
}

std::optional<bool> read_bool(const Field& node, const std::string& file, const std::string& field,
                              Diagnostics& out) {
  if (!node) return std::nullopt;
  if (node->IsScalar() && node->Tag() != "!") {  // a quoted "true" is a string
    const std::string& t = node->Scalar();
    if (t == "true" || t == "True" || t == "TRUE") return true;
    if (t == "false" || t == "False" || t == "FALSE") return false;
  }
  out.add(file, pos_of(node->Mark()), field,
          node->IsScalar() ? fmt::format("'{}' is not a boolean (true or false)", node->Scalar())
                           : std::string("expected a boolean (true or false)"));
  return std::nullopt;
}

std::optional<int> read_year(const Field& field_node, const std::string& file, Diagnostics& out) {
  if (!field_node) return std::nullopt;
  const YAML::Node& node = *field_node;
  const std::string text = node.IsScalar() ? node.Scalar() : std::string{};
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    out.add(file, pos_of(node.Mark()), "year",
            node.IsScalar() ? fmt::format("year '{}' is not an integer", text) : "expected an integer year");
    return std::nullopt;
  }
  return value;
}

// The structure of one file: what a year file must look like. The meaning (dates inside the
// year, make-up days on weekends, ...) is check_year's, shared with years given in memory.
std::optional<ParsedYear> parse_file(const fs::path& path, Diagnostics& out) {
  const std::string file = path.string();
  // Only regular files (or symlinks to them) are read: a FIFO would block the load forever
  // and /dev/zero would fill the memory.
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::is_regular_file(status)) {
    std::string what = "not a regular file";
    if (fs::is_symlink(fs::symlink_status(path, ec))) {
      what = fs::exists(status) ? fmt::format("a symbolic link to '{}', which is not a regular file",
                                              fs::read_symlink(path, ec).string())
                                : fmt::format("a dangling symbolic link (to '{}')", fs::read_symlink(path, ec).string());
    } else if (fs::is_fifo(status)) {
      what = "a FIFO, not a regular file";
    } else if (fs::is_character_file(status) || fs::is_block_file(status)) {
      what = "a device, not a regular file";
    } else if (fs::is_socket(status)) {
      what = "a socket, not a regular file";
    }
    out.add(file, {}, "", fmt::format("cannot read '{}': it is {}", path.filename().string(), what));
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    out.add(file, {}, "", "cannot read the file");
    return std::nullopt;
  }
  YAML::Node root;
  try {
    const std::string& contents = out.contents[file] = text.str();
    // Looked for first: YAML::Load would silently ignore everything after a first document,
    // and YAML::LoadAll, which would not, takes gigabytes on a file holding only ",".
    if (const auto second = second_document_line(contents)) {
      out.add(file, second_document_pos(contents, *second), "",
              "a second YAML document: a calendar file holds one year, in one document");
      return std::nullopt;
    }
    root = YAML::Load(contents);
  } catch (const YAML::ParserException& e) {
    out.add(file, pos_of(e.mark), "", "invalid YAML: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsMap()) {
    out.add(file, root.IsNull() ? Pos{} : pos_of(root.Mark()), "",
            "expected a mapping with the keys year, source, holidays and makeup_workdays");
    return std::nullopt;
  }

  ParsedYear parsed;
  YearOrigin& origin = parsed.origin;
  origin.file = origin.where = file;
  const auto top = fields(root, {"year", "source", "holidays", "makeup_workdays", "provisional"}, file, "", out, 4);

  if (const auto year = read_year(top[0], file, out)) {
    parsed.data.year = *year;
    origin.has_year = true;
    origin.year = pos_of(top[0]->Mark());
    // A file named after a year must hold that year: 2026.yaml copied from 2025.yaml with
    // the year left unchanged would otherwise load as a duplicate 2025.
    const std::string stem = path.stem().string();
    if (stem.size() == 4 && std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        stem != std::to_string(*year)) {
      out.add(file, origin.year, "year",
              fmt::format("year {} does not match the file name {}", *year, path.filename().string()));
    }
  }
  if (const auto source = read_string(top[1], file, "source", out)) {
    parsed.data.source = *source;
    origin.has_source = true;
    origin.source = pos_of(top[1]->Mark());
  }

  if (const auto provisional = read_bool(top[4], file, "provisional", out)) {
    parsed.data.provisional = *provisional;
    origin.provisional = pos_of(top[4]->Mark());
  }

  if (top[2] && !top[2]->IsSequence()) {
    out.add(file, pos_of(top[2]->Mark()), "holidays", "expected a list of {name, from, to}");
  } else if (top[2]) {
    const YAML::Node& list = *top[2];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      const std::string prefix = fmt::format("holidays[{}].", i);
      if (!item.IsMap()) {
        out.add(file, pos_of(item.Mark()), fmt::format("holidays[{}]", i), "expected a mapping {name, from, to}");
        continue;
      }
      const auto f = fields(item, {"name", "from", "to"}, file, prefix, out);
      const auto name = read_string(f[0], file, prefix + "name", out);
      const auto from = read_date(f[1], file, prefix + "from", out);
      const auto to = read_date(f[2], file, prefix + "to", out);
      if (!name || !from || !to) continue;
      parsed.data.holidays.push_back({*name, *from, *to});
      origin.holiday.push_back({i, pos_of(f[1]->Mark())});
    }
  }

  if (top[3] && !top[3]->IsSequence()) {
    out.add(file, pos_of(top[3]->Mark()), "makeup_workdays", "expected a list of dates");
  } else if (top[3]) {
    const YAML::Node& list = *top[3];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      if (const auto d = read_date(item, file, fmt::format("makeup_workdays[{}]", i), out)) {
        parsed.data.makeup_workdays.push_back(*d);
        origin.makeup.push_back({i, pos_of(item.Mark())});
      }
    }
  }
  return parsed;
}

// The rules one year must obey on its own.
void check_year(const ParsedYear& parsed, Diagnostics& out) {
  const CalendarYear& y = parsed.data;
  const YearOrigin& o = parsed.origin;
  bool year_ok = o.has_year;
  if (o.has_year && (y.year < min_year || y.year > max_year)) {
    out.add(o.file, o.year, o.prefix + "year",
            fmt::format("year {} is out of range ({}–{})", y.year, min_year, max_year));
    year_ok = false;
  }
  if (o.has_source && y.source.empty()) {
    out.add(o.file, o.source, o.prefix + "source", "the source notice is empty");
  }
  const Date jan1 = year_ok ? Date::from_ymd(y.year, 1, 1) : Date{};
  const Date dec31 = year_ok ? Date::from_ymd(y.year, 12, 31) : Date{};

  for (std::size_t i = 0; i < y.holidays.size(); ++i) {
    const CalendarYear::Holiday& h = y.holidays[i];
    const std::string field = fmt::format("{}holidays[{}]", o.prefix, o.holiday[i].index);
    const Pos pos = o.holiday[i].pos;
    if (h.name.empty()) out.add(o.file, pos, field + ".name", "the holiday name is empty");
    if (h.first > h.last) {
      out.add(o.file, pos, field + ".from",
              fmt::format("from {} is after to {}", h.first.to_string(), h.last.to_string()));
    } else if (year_ok && (h.last < jan1 || h.first > dec31)) {
      // Runs may straddle New Year (2023's 元旦 began 2022-12-31) but must touch the year.
      out.add(o.file, pos, field,
              fmt::format("holiday run {}..{} is not in {}", h.first.to_string(), h.last.to_string(), y.year));
    }
  }

  for (std::size_t i = 0; i < y.makeup_workdays.size(); ++i) {
    const Date d = y.makeup_workdays[i];
    const std::string field = fmt::format("{}makeup_workdays[{}]", o.prefix, o.makeup[i].index);
    const Pos pos = o.makeup[i].pos;
    if (y.provisional) {
      out.add(o.file, pos, field,
              "a provisional year has no make-up working days: those come only with the State Council's notice");
    }
    if (year_ok && (d < jan1 || d > dec31)) {
      out.add(o.file, pos, field, fmt::format("make-up workday {} is not in {}", d.to_string(), y.year));
    }
    if (!d.is_weekend()) {
      out.add(o.file, pos, field,
              fmt::format("make-up workday {} is a {}, not a Saturday or Sunday", d.to_string(), weekday_name(d)));
    }
    for (const CalendarYear::Holiday& h : y.holidays) {
      if (contains(h, d)) {
        out.add(o.file, pos, field,
                fmt::format("make-up workday {} is inside the holiday run {}", d.to_string(), run_text(h)));
      }
    }
    if (std::find(y.makeup_workdays.begin(), y.makeup_workdays.begin() + static_cast<std::ptrdiff_t>(i), d) !=
        y.makeup_workdays.begin() + static_cast<std::ptrdiff_t>(i)) {
      out.add(o.file, pos, field, fmt::format("make-up workday {} is listed twice", d.to_string()));
    }
  }
}

// The rules the years obey together: each year once, no gap (a walk of working days would
// silently jump it), and no make-up day inside a neighbour's run that spills over New Year.
void check_years(const std::vector<ParsedYear>& parsed, Diagnostics& out) {
  std::vector<const ParsedYear*> years;  // the first of each year, ascending
  for (const ParsedYear& p : parsed) {
    // Missing or out of range: reported already, and a gap down to 1800 would be noise.
    if (!p.origin.has_year || p.data.year < min_year || p.data.year > max_year) continue;
    const auto same = std::find_if(years.begin(), years.end(),
                                   [&](const ParsedYear* q) { return q->data.year == p.data.year; });
    if (same != years.end()) {
      out.add(p.origin.file, p.origin.year, p.origin.prefix + "year",
              fmt::format("year {} is already defined in {}", p.data.year, (*same)->origin.where));
      continue;
    }
    years.push_back(&p);
  }
  std::stable_sort(years.begin(), years.end(),
                   [](const ParsedYear* a, const ParsedYear* b) { return a->data.year < b->data.year; });
  for (std::size_t i = 1; i < years.size(); ++i) {
    const int before = years[i - 1]->data.year;
    const int after = years[i]->data.year;
    if (after - before < 2) continue;
    const std::string missing = after - before == 2
                                    ? fmt::format("year {} is", before + 1)
                                    : fmt::format("years {}–{} are", before + 1, after - 1);
    out.add(years[i]->origin.file, years[i]->origin.year, years[i]->origin.prefix + "year",
            fmt::format("{} missing between {} and {}", missing, before, after));
  }
  for (const ParsedYear* p : years) {
    for (std::size_t i = 0; i < p->data.makeup_workdays.size(); ++i) {
      const Date d = p->data.makeup_workdays[i];
      for (const ParsedYear* q : years) {
        if (q == p) continue;  // own runs: check_year
        for (const CalendarYear::Holiday& h : q->data.holidays) {
          if (!contains(h, d)) continue;
          out.add(p->origin.file, p->origin.makeup[i].pos,
                  fmt::format("{}makeup_workdays[{}]", p->origin.prefix, p->origin.makeup[i].index),
                  fmt::format("make-up workday {} is inside the holiday run {} of {}", d.to_string(),
                              run_text(h), q->data.year));
        }
      }
    }
  }
}

std::string problems(std::size_t n) { return fmt::format("{} problem{}", n, n == 1 ? "" : "s"); }

// Checks run section by section and then across years; readers want them by place. Files
// were read in name order, whole-file problems (line 0) come first, and years given in memory
// (all line 0) keep the order they were found in.
void sort_by_place(std::vector<Diagnostic>& list) {
  std::stable_sort(list.begin(), list.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
}

// The end of both ways in: the checks across years, then every problem thrown at once or the
// tables built. `what` names the calendar in the summary (" rules/calendar", or nothing).
std::shared_ptr<const CalendarData> finish(std::vector<ParsedYear>& parsed, Diagnostics& out,
                                           const std::string& what) {
  check_years(parsed, out);
  if (!out.list.empty()) {
    out.columns_to_characters();
    sort_by_place(out.list);
    // Formatted first: the list is moved into the Error in the same call.
    const std::string summary = fmt::format("invalid working-day calendar{}: {}", what, problems(out.list.size()));
    throw Error(ErrorCode::calendar_invalid, summary, std::move(out.list));
  }
  std::vector<CalendarYear> years;
  for (ParsedYear& p : parsed) years.push_back(std::move(p.data));
  return build_calendar_data(std::move(years));
}

}  // namespace
}  // namespace detail

Calendar Calendar::load(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorCode::io_error, fs::exists(dir, ec)
                                         ? fmt::format("'{}' is not a directory", dir.string())
                                         : fmt::format("calendar directory '{}' does not exist", dir.string()));
  }
  std::vector<fs::path> files;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& p = it->path();
    const std::string ext = p.extension().string();
    std::error_code kind;  // an entry that vanished meanwhile is simply read and reported
    if ((ext == ".yaml" || ext == ".yml") && !it->is_directory(kind)) files.push_back(p);
  }
  if (ec) {
    throw Error(ErrorCode::io_error,
                fmt::format("cannot read calendar directory '{}': {}", dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());  // name order: stable diagnostics

  detail::Diagnostics out;
  if (files.empty()) {
    out.add(dir.string(), {}, "", "no calendar files (*.yaml) in the directory");
  }
  std::vector<detail::ParsedYear> parsed;
  for (const fs::path& f : files) {
    if (auto p = detail::parse_file(f, out)) {
      detail::check_year(*p, out);
      parsed.push_back(std::move(*p));
    }
  }
  return Calendar(detail::finish(parsed, out, " " + dir.string()));
}

Calendar Calendar::from_years(std::vector<CalendarYear> years) {
  detail::Diagnostics out;
  if (years.empty()) out.add("<memory>", {}, "", "no calendar years given");
  std::vector<detail::ParsedYear> parsed;
  for (std::size_t i = 0; i < years.size(); ++i) {
    detail::ParsedYear p;
    p.data = std::move(years[i]);
    detail::YearOrigin& o = p.origin;
    o.file = "<memory>";
    o.where = fmt::format("years[{}]", i);
    o.prefix = o.where + ".";
    o.has_year = o.has_source = true;
    for (std::size_t k = 0; k < p.data.holidays.size(); ++k) o.holiday.push_back({k, {}});
    for (std::size_t k = 0; k < p.data.makeup_workdays.size(); ++k) o.makeup.push_back({k, {}});
    detail::check_year(p, out);
    parsed.push_back(std::move(p));
  }
  return Calendar(detail::finish(parsed, out, ""));
}

}  // namespace workflow
