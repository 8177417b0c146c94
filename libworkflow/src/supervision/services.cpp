// The ratings, bundles, cross-region and proxy figures (tally.hpp). Everything is read from
// the cases (CaseView: rating, rectification, bundle, offices, agent) and their events;
// bundles from Engine::list_bundles().
#include <algorithm>

#include "supervision/tally.hpp"

namespace workflow::detail {

ServiceTally::ServiceTally(const Engine& engine) : engine_(engine) {
  for (int s = 1; s <= 5; ++s) ratings_.by_score[std::to_string(s)] = 0;
}

void ServiceTally::add(const CaseView& c) {
  // 好差评 and the rectification task of a bad rating.
  if (c.rating) {
    const RatingView& r = *c.rating;
    ++ratings_.rated;
    ++ratings_.by_score[std::to_string(r.score)];
    ++ratings_.by_channel[std::string(to_string(r.channel))];
    ratings_.satisfaction.add(r.score >= 4);
    if (r.score <= 2) {
      ++ratings_.bad;
      ratings_.bad_named += r.named;
    }
    if (c.rectification) {
      const RectificationView& t = *c.rectification;
      RectificationTask task{c.id, c.matter, c.matter_name, r.score,
                             std::string(to_string(r.channel)), r.named, t.department,
                             std::string(to_string(t.state)), t.resolution, t.opened.to_string(),
                             t.due.to_string(), t.closed ? t.closed->to_string() : "",
                             std::string(to_string(t.light)), t.called_back,
                             t.closed && *t.closed <= t.due};
      ++ratings_.tasks_opened;
      ++ratings_.by_department[t.department];
      if (!t.resolution.empty()) ++ratings_.by_resolution[t.resolution];
      ratings_.handled.add(t.closed.has_value());
      if (t.closed) {
        ++ratings_.tasks_closed;
        ratings_.closed_on_time += task.on_time;
        ratings_.on_time.add(task.on_time);
        if (!r.named && !t.called_back) ++ratings_.anonymous_closed_without_call_back;
      } else {
        ++ratings_.tasks_open;
        if (t.light == Light::red) ++ratings_.open_overdue;
      }
      if (r.named) ratings_.call_back.add(t.called_back);
      if (r.named && t.called_back) ++ratings_.named_called_back;
      if (r.named && !t.called_back && !t.closed) ++ratings_.named_pending;
      ratings_.tasks.push_back(std::move(task));
    }
  }

  // 一件事一次办: which bundles were given the notice, and what each part is.
  if (c.bundle != 0) {
    parts_[c.id] = {c.bundle, c.id, c.matter, c.matter_name,
                    c.decision == Decision::denied ? "denied" : std::string(to_string(c.state))};
    for (const Event& e : c.history)
      if (e.kind == EventKind::notify_missing) notified_.insert(c.bundle);
  }

  // 跨域通办: accepted at one office, handled at another, issued where the applicant asked.
  if (c.cross_region) {
    ++cross_.cases;
    ++cross_.by_matter[c.matter];
    ++cross_.by_office[c.accepting_office].accepted_for_others;
    ++cross_.by_office[c.handling_office].handled_for_others;
    if (c.issuing_office != c.accepting_office) ++cross_.issue_elsewhere;
    if (c.issuing_office != c.accepting_office && c.issuing_office != c.handling_office)
      ++cross_.third_office;
    for (const Event& e : c.history)
      if (e.kind == EventKind::issue) {
        ++cross_.issued;
        ++cross_.by_office[e.office].issued_here;
      }
  }

  // 帮办代办: the agent post that handed it in, and whom the news went to.
  if (!c.agent_post.empty()) {
    const RuleSet& rules = engine_.rules();
    AgentPostFigures& p = proxy_.by_post[c.agent_post];
    std::string b;
    if (const auto post = rules.find_post(c.agent_post)) {
      p.station = rules.office(rules.post(*post).office).id;
      b = rules.staff(rules.post(*post).b).id;
    }
    ++p.cases;
    ++proxy_.cases;
    bool by_b = false;
    for (const Event& e : c.history) {
      if (e.notify.empty()) continue;
      ++p.notices;
      ++proxy_.notices;
      if (e.notify == b) {
        ++p.notices_to_b;
        ++proxy_.notices_to_b;
        by_b = true;
      }
    }
    p.followed_by_b += by_b;
    proxy_.followed_by_b += by_b;
  }
}

void ServiceTally::finish(SupervisionFigures& f) const {
  f.ratings = ratings_;
  f.cross_region = cross_;
  f.proxy = proxy_;

  const RuleSet& rules = engine_.rules();
  const Calendar& cal = engine_.calendar();
  BundleFigures& b = f.bundles;
  for (const Bundle& rule : rules.bundles()) b.promised_limit[rule.id] = rule.promised_limit;
  for (const BundleView& v : engine_.list_bundles()) {
    // Only bundles with a part in scope.
    if (std::none_of(v.parts.begin(), v.parts.end(),
                     [&](CaseId id) { return parts_.count(id) != 0; }))
      continue;
    ++b.count;
    ++b.by_rule[v.bundle];
    ++b.light_now[std::string(to_string(v.light))];
    if (v.accepted) ++b.accepted;
    if (notified_.count(v.id)) ++b.notified;
    if (v.done) {
      ++b.done;
      bool on_time = false;
      if (v.accepted && v.finished) {
        ++b.days_used[cal.working_days_between(*v.accepted, *v.finished)];
        on_time = v.promised_deadline && *v.finished <= *v.promised_deadline;
      }
      b.on_time += on_time;
      b.on_time_rate.add(on_time);
    } else {
      ++b.open;
    }
    if (!v.denied.empty()) ++b.with_denied;
    for (CaseId part : v.denied) {
      auto it = parts_.find(part);
      if (it != parts_.end()) b.denied.push_back(it->second);
    }
  }
}

}  // namespace workflow::detail
