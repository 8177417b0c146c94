// The per-unit ranking and the weekly figures (tally.hpp).
#include <algorithm>

#include "supervision/tally.hpp"

namespace workflow::detail {

void rank_units(const RuleSet& rules, const std::vector<CaseFacts>& facts, SupervisionFigures& f) {
  std::map<std::string, UnitFigures> units;
  for (const CaseFacts& c : facts) {
    UnitFigures& u = units[c.unit];
    if (u.id.empty()) {
      u.id = c.unit;
      if (const auto d = rules.find_department(c.unit)) {
        u.name = rules.department(*d).name;
        u.office = rules.office(rules.department(*d).office).id;
      } else {
        u.name = c.unit;
      }
    }
    ++u.cases;
    u.instant_share.add(c.instant);
    if (c.accepted) u.first_time_right.add(c.first_time_right);
    if (c.decision) {
      ++u.decided;
      u.on_time.add(c.on_time);
    }
    if (c.score) {
      u.satisfaction.add(*c.score >= 4);
      u.bad_ratings += *c.score <= 2;
    }
    u.red_ever += c.worst_light >= 2;
    u.red_now += c.red_now;
    u.handoffs += c.handoffs;
  }
  for (auto& [id, u] : units) f.units.push_back(std::move(u));
  std::sort(f.units.begin(), f.units.end(), [](const UnitFigures& a, const UnitFigures& b) {
    const auto ra = a.on_time.value(), rb = b.on_time.value();
    if (ra.has_value() != rb.has_value()) return ra.has_value();
    // Compare the fractions exactly: n_a / d_a > n_b / d_b.
    if (ra && a.on_time.numerator * b.on_time.denominator != b.on_time.numerator * a.on_time.denominator)
      return a.on_time.numerator * b.on_time.denominator > b.on_time.numerator * a.on_time.denominator;
    if (a.decided != b.decided) return a.decided > b.decided;
    return a.id < b.id;
  });
  std::vector<std::string> with_data;
  for (const UnitFigures& u : f.units)
    if (u.on_time.value()) with_data.push_back(u.id);
  const std::size_t first = with_data.size() > 3 ? with_data.size() - 3 : 0;
  f.last_three.assign(with_data.begin() + static_cast<std::ptrdiff_t>(first), with_data.end());
}

void weekly(const std::vector<CaseFacts>& facts, SupervisionFigures& f) {
  if (facts.empty()) return;
  const auto monday = [](Date d) { return d - (d.iso_weekday() - 1); };
  Date lo = facts.front().received, hi = lo;
  for (const CaseFacts& c : facts) {
    lo = std::min(lo, c.received);
    hi = std::max(hi, c.received);
  }
  for (Date w = monday(lo); w <= hi; w = w + 7) {
    WeekFigures wk;
    wk.from = f.period ? std::max(w, f.period->from) : w;
    wk.to = f.period ? std::min(w + 6, f.period->to) : w + 6;
    f.weeks.push_back(wk);
  }
  const Date first = monday(lo);
  const auto index = [&](Date d) -> std::optional<std::size_t> {
    if (d < first) return std::nullopt;
    const std::size_t i = static_cast<std::size_t>((monday(d) - first) / 7);
    return i < f.weeks.size() ? std::optional(i) : std::nullopt;
  };
  for (const CaseFacts& c : facts) {
    WeekFigures& w = f.weeks[*index(c.received)];
    ++w.received;
    if (c.accepted) w.first_time_right.add(c.first_time_right);
    if (c.decision) {
      if (const auto i = index(*c.decision)) {
        ++f.weeks[*i].decided;
        f.weeks[*i].on_time.add(c.on_time);
      }
    }
  }
}

}  // namespace workflow::detail
