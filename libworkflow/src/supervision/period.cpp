// Periods and small helpers of workflow/supervision.hpp.
#include <charconv>

#include <fmt/format.h>

#include "supervision/tally.hpp"
#include "workflow/error.hpp"

namespace workflow {
namespace {

int days_in_month(int year, int month) {
  const Date first = Date::from_ymd(year, month, 1);
  const Date next = month == 12 ? Date::from_ymd(year + 1, 1, 1) : Date::from_ymd(year, month + 1, 1);
  return next - first;
}

std::optional<int> number(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Period Period::month(int year, int month) {
  if (month < 1 || month > 12)
    throw Error(ErrorCode::invalid_argument, fmt::format("month {} is not 1 to 12", month));
  return {Date::from_ymd(year, month, 1), Date::from_ymd(year, month, days_in_month(year, month))};
}

Period Period::quarter(int year, int quarter) {
  if (quarter < 1 || quarter > 4)
    throw Error(ErrorCode::invalid_argument, fmt::format("quarter {} is not 1 to 4", quarter));
  return {month(year, 3 * quarter - 2).from, month(year, 3 * quarter).to};
}

Period Period::parse(std::string_view text) {
  const auto bad = [&] {
    return Error(ErrorCode::invalid_argument,
                 fmt::format("'{}' is not a period: write 2026Q1, 2026-03 or 2026", text));
  };
  if (text.size() == 6 && (text[4] == 'Q' || text[4] == 'q')) {
    const auto y = number(text.substr(0, 4)), q = number(text.substr(5));
    if (!y || !q || *q < 1 || *q > 4) throw bad();
    return quarter(*y, *q);
  }
  if (text.size() == 7 && text[4] == '-') {
    const auto y = number(text.substr(0, 4)), m = number(text.substr(5));
    if (!y || !m || *m < 1 || *m > 12) throw bad();
    return month(*y, *m);
  }
  if (text.size() == 4) {
    const auto y = number(text);
    if (!y) throw bad();
    return {Date::from_ymd(*y, 1, 1), Date::from_ymd(*y, 12, 31)};
  }
  throw bad();
}

std::string Period::to_string() const { return from.to_string() + ".." + to.to_string(); }

namespace detail {

std::string event_detail(std::string_view detail, std::string_view key) {
  std::size_t pos = 0;
  while (pos < detail.size()) {
    std::size_t end = detail.find("; ", pos);
    if (end == std::string_view::npos) end = detail.size();
    const std::string_view item = detail.substr(pos, end - pos);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=')
      return std::string(item.substr(key.size() + 1));
    pos = end + 2;
  }
  return {};
}

std::string case_unit(const RuleSet& rules, const CaseView& c) {
  if (!c.delegation.empty() && c.delegation_mode == DelegationMode::full) {
    if (const auto d = rules.find_delegation(c.delegation)) {
      const Delegation& del = rules.delegation(*d);
      if (del.post) return rules.department(rules.post(*del.post).department).id;
    }
  }
  if (const auto m = rules.find_matter(c.matter))
    return rules.department(rules.matter(*m).department).id;
  return c.handling_office;
}

}  // namespace detail
}  // namespace workflow
