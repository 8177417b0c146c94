// Reading one YAML mapping of a rule file field by field: typed, located values, and a
// diagnostic for every field that is missing, malformed, duplicated or unknown. Private to
// rules_loader.cpp (kept apart so the loader reads as the format's sections and fields).
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "rules/rules_raw.hpp"

namespace workflow::detail {

// yaml-cpp marks are 0-based and count bytes; diagnostics are 1-based and count characters.
inline Where where(const Findings& findings, std::size_t file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return findings.where(file, mark.line, mark.column);
}

inline std::string_view shape_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

template <class E>
struct Choice {
  std::string_view name;
  E value;
};
// "a, b or c", for "expected ..." messages.
template <class E>
inline std::string names_of(std::span<const Choice<E>> choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += i + 1 == choices.size() ? " or " : ", ";
    out += choices[i].name;
  }
  return out;
}

// "12.50" yuan -> 1250 fen, from the text as written: a double cannot hold 0.29 exactly.
inline std::optional<std::int64_t> parse_fen(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view yuan = text.substr(0, dot);
  const std::string_view cents = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (yuan.empty() || yuan.size() > 15 || !digits(yuan) || !digits(cents) || cents.size() > 2) {
    return std::nullopt;
  }
  if (dot != std::string_view::npos && cents.empty()) return std::nullopt;
  std::int64_t fen = 0;
  for (char c : yuan) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (cents.size() >= 1) fen += 10 * (cents[0] - '0');
  if (cents.size() >= 2) fen += cents[1] - '0';
  return fen;
}

// Reads the fields of one mapping (an entry, a stage, `from`, `policy`). Each accessor
// consumes a field and reports a malformed value; finish() reports the fields nobody asked
// for, so the list of known fields is exactly what the decoders read.
class FieldReader {
 public:
  FieldReader(Findings& findings, std::size_t file, const YAML::Node& map, std::string path)
      : findings_(findings),
        file_(file),
        path_(std::move(path)),
        at_(where(findings, file, map.Mark())) {
    for (const auto& field : map) {
      const Where key_at = where(findings_, file, field.first.Mark());
      if (!field.first.IsScalar()) {
        findings_.error(key_at, path_,
                        fmt::format("expected a field name, found {}", shape_of(field.first)));
        continue;
      }
      const std::string& key = field.first.Scalar();
      if (std::any_of(fields_.begin(), fields_.end(),
                      [&](const Field& f) { return f.key == key; })) {
        findings_.error(key_at, path_, fmt::format("duplicate field '{}'", key));
        continue;
      }
      fields_.push_back({key, field.second, key_at, false});
    }
  }

  const std::string& path() const noexcept { return path_; }
  Where at() const noexcept { return at_; }
  // The fields that were given but malformed (and reported), so far.
  const std::vector<std::string>& broken() const noexcept { return broken_; }

  void finish() {
    for (const Field& f : fields_) {
      if (!f.used) findings_.error(f.key_at, path_, fmt::format("unknown field '{}'", f.key));
    }
  }

  // The value node, or nullopt if the field is absent or null (reported if required).
  std::optional<YAML::Node> node(std::string_view key, bool required = false) {
    for (Field& f : fields_) {
      if (f.key != key) continue;
      f.used = true;
      if (!f.value.IsNull()) return f.value;
      break;
    }
    if (required) findings_.error(at_, path_, fmt::format("missing required field '{}'", key));
    return std::nullopt;
  }

  std::optional<Text> text(std::string_view key, bool required = false) {
    auto scalar = scalar_of(key, required, "a string");
    if (!scalar) return std::nullopt;
    if (scalar->value.empty()) return fail<std::string>(key, scalar->at, "must not be empty");
    return scalar;
  }

  // A whole number of at least `minimum` (day counts: 0 or 1).
  std::optional<Located<int>> whole(std::string_view key, int minimum, bool required = false) {
    auto scalar = scalar_of(key, required, "a whole number");
    if (!scalar) return std::nullopt;
    const std::string& s = scalar->value;
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) {
      return fail<int>(key, scalar->at, fmt::format("expected a whole number, found '{}'", s));
    }
    if (value < minimum) {
      return fail<int>(key, scalar->at, fmt::format("must be at least {}, found {}", minimum, s));
    }
    return Located<int>{value, scalar->at};
  }

  // A fraction between 0 and 1, each end included or not as the setting needs.
  std::optional<Located<double>> fraction(std::string_view key, bool zero_allowed,
                                          bool one_allowed) {
    auto scalar = scalar_of(key, false, "a number");
    if (!scalar) return std::nullopt;
    const std::string& s = scalar->value;
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) {
      return fail<double>(key, scalar->at, fmt::format("expected a number, found '{}'", s));
    }
    if (value < 0 || (value == 0 && !zero_allowed) || value > 1 || (value == 1 && !one_allowed)) {
      return fail<double>(
          key, scalar->at,
          fmt::format("must be {} 0 and {} 1, found {}", zero_allowed ? "at least" : "greater than",
                      one_allowed ? "at most" : "less than", s));
    }
    return Located<double>{value, scalar->at};
  }

  bool flag(std::string_view key) {
    const auto value = located_flag(key);
    return value && value->value;
  }

  // A flag with its place, for checks that report it; nullopt if absent or malformed.
  std::optional<Located<bool>> located_flag(std::string_view key) {
    auto value = node(key);
    if (!value) return std::nullopt;
    const Where at = where(findings_, file_, value->Mark());
    bool result = false;
    if (!YAML::convert<bool>::decode(*value, result)) {
      return fail<bool>(key, at, fmt::format("expected true or false, found {}", quoted(*value)));
    }
    return Located<bool>{result, at};
  }

  std::optional<Located<Date>> date(std::string_view key, bool required) {
    auto scalar = scalar_of(key, required, "a date YYYY-MM-DD");
    if (!scalar) return std::nullopt;
    try {
      return Located<Date>{Date::parse(scalar->value), scalar->at};
    } catch (const Error& e) {
      return fail<Date>(key, scalar->at, e.what());
    }
  }

  std::int64_t fee(std::string_view key) {
    auto scalar = scalar_of(key, false, "an amount in yuan");
    if (!scalar) return 0;
    if (const auto fen = parse_fen(scalar->value)) return *fen;
    const std::string& s = scalar->value;
    const std::size_t dot = s.find('.');
    const bool too_precise = dot != std::string::npos && s.size() - dot - 1 > 2 &&
                             parse_fen(s.substr(0, dot + 3)).has_value();
    fail<int>(key, scalar->at,
              too_precise ? fmt::format("{} yuan has more than two decimals", s)
                          : fmt::format("expected an amount in yuan such as 12.50, found '{}'", s));
    return 0;
  }

  template <class E, std::size_t N>
  std::optional<Located<E>> choice(std::string_view key, bool required,
                                   const Choice<E> (&choices)[N]) {
    auto scalar = scalar_of(key, required, "a name");
    if (!scalar) return std::nullopt;
    for (const Choice<E>& c : choices) {
      if (c.name == scalar->value) return Located<E>{c.value, scalar->at};
    }
    return fail<E>(key, scalar->at,
                   fmt::format("unknown {} '{}', expected {}", key, scalar->value,
                               names_of(std::span<const Choice<E>>(choices))));
  }

 private:
  struct Field {
    std::string key;
    YAML::Node value;
    Where key_at;
    bool used;
  };

  static std::string quoted(const YAML::Node& node) {
    return node.IsScalar() ? fmt::format("'{}'", node.Scalar()) : std::string(shape_of(node));
  }

  template <class T>
  std::optional<Located<T>> fail(std::string_view key, Where at, std::string message) {
    broken_.emplace_back(key);
    findings_.error(at, fmt::format("{}.{}", path_, key), std::move(message));
    return std::nullopt;
  }

  std::optional<Text> scalar_of(std::string_view key, bool required, std::string_view expected) {
    auto value = node(key, required);
    if (!value) return std::nullopt;
    const Where at = where(findings_, file_, value->Mark());
    if (!value->IsScalar()) {
      return fail<std::string>(key, at,
                               fmt::format("expected {}, found {}", expected, shape_of(*value)));
    }
    return Text{value->Scalar(), at};
  }

  Findings& findings_;
  std::size_t file_;
  std::string path_;
  Where at_;
  std::vector<Field> fields_;
  std::vector<std::string> broken_;
};

}  // namespace workflow::detail
