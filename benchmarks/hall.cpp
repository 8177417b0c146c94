// Route discovery and working-hours time for every workload (hall.hpp).
#include "hall.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace bench {
namespace {

constexpr int kOpen = 8 * 3600 + 30 * 60;    // 08:30
constexpr int kClose = 17 * 3600 + 30 * 60;  // 17:30

// The receiving post for a matter at an office: the matter department's own window if there
// is one, else the centre's comprehensive window, else any window (as simulation.cpp does);
// the agent post at a village station.
std::optional<PostRef> receiving_post(const RuleSet& rules, const Matter& m, OfficeRef office,
                                      bool village) {
  std::optional<PostRef> same, general, any;
  for (std::uint32_t p = 0; p < rules.posts().size(); ++p) {
    const Post& post = rules.posts()[p];
    if (post.office != office) continue;
    if (post.role != (village ? PostRole::agent : PostRole::window)) continue;
    if (!any) any = PostRef{p};
    if (!same && post.department == m.department) same = PostRef{p};
    if (!general && rules.department(post.department).id.ends_with("-hall")) general = PostRef{p};
  }
  return same ? same : general ? general : any;
}

bool has(const std::vector<Verb>& can, Verb v) { return std::find(can.begin(), can.end(), v) != can.end(); }

// Walks one case of the route to `issued` on the scratch engine, recording who acted.
std::vector<Step> walk(Engine& e, const RuleSet& rules, const Route& r) {
  const CaseId id = e.submit(r.submission);
  std::vector<Step> steps;
  for (int guard = 0; guard < 64; ++guard) {
    const CaseView v = e.get(id);
    if (v.state == CaseState::issued) return steps;
    Step s;
    bool found = false;
    if (v.state == CaseState::opinions) {  // each department's opinion, at its own post
      for (const Stage& st : rules.matter(r.matter).stages) {
        if (has(e.available_actions(id, rules.staff(rules.post(st.post).a).id), Verb::opinion_agree)) {
          s.verb = Verb::opinion_agree;
          s.post = st.post;
          found = true;
          break;
        }
      }
    }
    if (!found) {
      const std::vector<Verb> can = e.available_actions(id, v.holder);
      for (Verb verb : {Verb::accept, Verb::report_up, Verb::approve, Verb::higher_approve,
                        Verb::review_pass, Verb::issue}) {
        if (has(can, verb)) {
          s.verb = verb;
          s.post = *rules.find_post(v.post);
          found = true;
          break;
        }
      }
    }
    if (!found) throw std::runtime_error(fmt::format("route {} at {}: stuck in {}", r.code, r.office, to_string(v.state)));
    const Post& p = rules.post(s.post);
    s.by_a.actor = rules.staff(p.a).id;
    s.by_b.actor = rules.staff(p.b).id;
    e.act(id, s.verb, s.by_a);
    steps.push_back(std::move(s));
  }
  throw std::runtime_error(fmt::format("route {} at {}: no end after 64 steps", r.code, r.office));
}

}  // namespace

HallData load_hall(const Config& cfg) {
  return HallData{RuleSet::load(cfg.rules_dir), Calendar::load(cfg.calendar_dir)};
}

DateTime working_time_after(const Calendar& cal, DateTime t, std::int64_t seconds) {
  DateTime next = t.plus_seconds(seconds);
  Date day = next.date();
  if (cal.is_working_day(day) && next.seconds_of_day() >= kOpen && next.seconds_of_day() < kClose)
    return next;
  if (cal.is_working_day(day) && next.seconds_of_day() < kOpen) return DateTime::at(day, 8, 30);
  return DateTime::at(cal.add_working_days(day, 1), 8, 30);
}

DateTime BenchClock::tick(std::int64_t seconds) {
  std::int64_t cur = now_.load(std::memory_order_relaxed);
  for (;;) {
    // Fast path: the same day, still open (the calendar is consulted only when a day ends).
    std::int64_t next = cur + seconds;
    const std::int64_t sod = next % 86400;
    if (next / 86400 != cur / 86400 || sod < kOpen || sod >= kClose)
      next = working_time_after(cal_, DateTime::from_seconds(cur), seconds).seconds();
    if (now_.compare_exchange_weak(cur, next, std::memory_order_relaxed)) return DateTime::from_seconds(next);
  }
}

void BenchClock::set(DateTime t) {
  std::int64_t cur = now_.load(std::memory_order_relaxed);
  while (cur < t.seconds() && !now_.compare_exchange_weak(cur, t.seconds(), std::memory_order_relaxed)) {
  }
}

bool AwayBoard::may_leave(const RuleSet& rules, StaffRef s, DateTime from, DateTime until) const {
  for (const Post& p : rules.posts()) {
    if (p.a != s && p.b != s) continue;
    const StaffRef other = p.a == s ? p.b : p.a;
    const std::size_t i = index_of(other);
    if (i < away_.size() && away_[i].first < until && from < away_[i].second) return false;
  }
  return true;
}

std::vector<Route> discover_routes(const HallData& hall, const RouteFilter& f) {
  const RuleSet& rules = hall.rules;
  auto clock = std::make_shared<ManualClock>(DateTime::at(Date::from_ymd(2025, 3, 3), 9));
  Engine scratch(rules, hall.calendar, clock);
  std::vector<Route> routes;

  auto add = [&](MatterRef mref, OfficeRef at, bool delegated, bool village) {
    const Matter& m = rules.matter(mref);
    const auto window = receiving_post(rules, m, at, village);
    if (!window) return;
    Route r;
    r.matter = mref;
    r.kind = m.kind;
    r.code = m.code;
    r.office = rules.office(at).id;
    r.window = *window;
    r.delegated = delegated;
    r.village = village;
    r.stages = static_cast<int>(m.stages.size());
    r.promised_limit = m.promised_limit;
    for (const Material& mat : m.materials) {
      r.submission.materials.push_back(mat.name);
      (mat.tolerable ? r.tolerable : r.required).push_back(mat.name);
    }
    r.submission.matter = m.code;
    r.submission.office = r.office;
    r.submission.actor = rules.staff(rules.post(*window).a).id;
    r.submission.applicant = "刘某";
    try {
      // Two walks with consecutive case ids: a post that differs between them is chosen by
      // the engine per case (dynamic); everything else is fixed by the rules.
      std::vector<Step> first = walk(scratch, rules, r);
      const std::vector<Step> second = walk(scratch, rules, r);
      if (first.size() != second.size()) return;
      for (std::size_t i = 0; i < first.size(); ++i) first[i].dynamic = first[i].post != second[i].post;
      r.steps = std::move(first);
    } catch (const Error&) {
      return;  // the rules do not take this matter here (no window, not proxy-able ...)
    }
    routes.push_back(std::move(r));
  };

  for (std::uint32_t i = 0; i < rules.matters().size(); ++i) {
    const Matter& m = rules.matters()[i];
    const bool wanted = (m.kind == MatterKind::instant && f.instant) ||
                        (m.kind == MatterKind::committed && f.committed) ||
                        (m.kind == MatterKind::escalated && f.escalated) ||
                        (m.kind == MatterKind::joint && f.joint);
    if (!wanted) continue;
    const OfficeRef home = rules.department(m.department).office;
    add(MatterRef{i}, home, false, false);
    if (f.delegated) {
      for (const Delegation& d : rules.delegations())
        if (index_of(d.matter) == i && d.in_force(Date::from_ymd(2025, 3, 3)))
          add(MatterRef{i}, d.township, true, false);
    }
    if (f.village && m.village_proxy) {
      for (std::uint32_t o = 0; o < rules.offices().size(); ++o)
        if (rules.offices()[o].level == Level::village && rules.offices()[o].parent == home)
          add(MatterRef{i}, OfficeRef{o}, false, true);
    }
  }
  if (routes.empty()) throw std::runtime_error("no route found in the rule set for the workload");
  return routes;
}

}  // namespace bench
