#include "routing/routing.hpp"

#include "rules/rule_merge.hpp"

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {

std::optional<PostRef> unresolved_window(const RuleSet& rules, OfficeRef office) {
  std::optional<OfficeRef> at = office;
  while (at) {
    const auto posts = rules.posts();
    for (std::uint32_t i = 0; i < posts.size(); ++i) {
      if (posts[i].role == PostRole::unresolved && posts[i].office == *at &&
          !retired(rules, PostRef{i})) {
        return PostRef{i};
      }
    }
    at = rules.office(*at).parent;
  }
  return std::nullopt;
}

Assignment assign(const RuleSet& rules, const Roster& roster, PostRef post, DateTime now) {
  const Post& p = rules.post(post);
  if (!roster.is_away(p.a, now)) return {post, p.office, p.a, Holding::a_holder};
  if (!roster.is_away(p.b, now)) return {post, p.office, p.b, Holding::b_covering};
  // A and B may not be away together; when they are, nobody can take the stage and it goes
  // to the 办不成事 window for coordination, flagged.
  const std::optional<PostRef> window = unresolved_window(rules, p.office);
  if (!window || *window == post) return {post, p.office, p.a, Holding::unresolved};
  const Post& w = rules.post(*window);
  const StaffRef holder = !roster.is_away(w.a, now) || roster.is_away(w.b, now) ? w.a : w.b;
  return {*window, w.office, holder, Holding::unresolved};
}

bool holds(const RuleSet& rules, const Roster& roster, StaffRef staff, PostRef post,
           DateTime now) {
  const Post& p = rules.post(post);
  if (retired(rules, post)) return false;  // removed by an install: nobody holds it
  if (staff == p.a) return !roster.is_away(p.a, now);
  return staff == p.b && roster.is_away(p.a, now);
}

namespace {

bool is_ancestor(const RuleSet& rules, OfficeRef ancestor, OfficeRef office) {
  for (std::optional<OfficeRef> at = rules.office(office).parent; at;
       at = rules.office(*at).parent) {
    if (*at == ancestor) return true;
  }
  return false;
}

}  // namespace

Intake route_intake(const RuleSet& rules, MatterRef matter, OfficeRef at, Date day) {
  const Matter& m = rules.matter(matter);
  const OfficeRef home = rules.department(m.department).office;
  Intake intake;
  if (rules.office(at).level == Level::village && home != at) {
    // A village station hands applications in on residents' behalf (帮办代办), to the
    // township above it, for the matters the rules open to proxy submission.
    if (!m.village_proxy) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("matter {} ({}) cannot be handed in at village station {}: it "
                              "is not open to village proxy submission",
                              m.code, m.name, rules.office(at).id));
    }
    intake.via_agent = true;
    if (const auto parent = rules.office(at).parent) at = *parent;
  }
  if (at == home) {
    intake.accepting_office = home;
    return intake;
  }
  if (rules.office(at).level == Level::township) {
    if (const auto d = rules.delegation_in_force(matter, at, day)) {
      intake.accepting_office = at;
      intake.delegation = d;
      return intake;
    }
    if (m.cross_region) {
      // 跨域通办 is preferred over sending the applicant up: the township takes it in.
      intake.accepting_office = at;
      intake.cross_region = true;
      return intake;
    }
    if (is_ancestor(rules, home, at)) {
      // No delegation in force (never given, expired or revoked): new cases go back to the
      // delegating level.
      intake.accepting_office = home;
      intake.note = fmt::format("no delegation of {} to {} in force on {}: handled by {}",
                                m.code, rules.office(at).id, day.to_string(),
                                rules.office(home).id);
      return intake;
    }
  }
  if (m.cross_region) {
    intake.accepting_office = at;
    intake.cross_region = true;
    return intake;
  }
  throw Error(ErrorCode::invalid_argument,
              fmt::format("matter {} ({}) is handled by {}, not from {}", m.code, m.name,
                          rules.office(home).id, rules.office(at).id));
}

OfficeRef handling_office(const RuleSet& rules, const CaseRecord& c) {
  if (c.delegation != kNone) {
    const Delegation& d = rules.delegation(DelegationRef{c.delegation});
    return d.mode == DelegationMode::full ? d.township : d.from_office;
  }
  return rules.department(rules.matter(c.matter).department).office;
}

bool is_cross_region(const RuleSet& rules, const CaseRecord& c) {
  return c.delegation == kNone && c.accepting_office != handling_office(rules, c);
}

OfficeRef preliminary_office(const RuleSet& rules, const CaseRecord& c) {
  if (c.delegation != kNone) {
    const Delegation& d = rules.delegation(DelegationRef{c.delegation});
    return d.mode == DelegationMode::window_forward ? d.from_office : c.accepting_office;
  }
  return handling_office(rules, c);
}

PostRef stage_post(const RuleSet& rules, const CaseRecord& c, std::uint8_t stage) {
  if (c.delegation != kNone) {
    const Delegation& d = rules.delegation(DelegationRef{c.delegation});
    if (d.mode == DelegationMode::full && d.post) return *d.post;
  }
  return rules.matter(c.matter).stages[stage].post;
}

std::uint8_t lead_stage(const RuleSet& rules, const Matter& m) {
  for (std::size_t i = 0; i < m.stages.size(); ++i) {
    if (rules.post(m.stages[i].post).department == m.department) {
      return static_cast<std::uint8_t>(i);
    }
  }
  return 0;
}

std::vector<PostRef> window_posts(const RuleSet& rules, OfficeRef office) {
  std::vector<PostRef> out;
  const auto posts = rules.posts();
  for (std::uint32_t i = 0; i < posts.size(); ++i) {
    if (posts[i].role == PostRole::window && posts[i].office == office &&
        !retired(rules, PostRef{i})) {
      out.push_back(PostRef{i});
    }
  }
  return out;
}

}  // namespace workflow::detail
