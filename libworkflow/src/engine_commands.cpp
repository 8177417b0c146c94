// Commands: receiving an application (submit) and every verb on a case (act), each checked
// completely before anything changes.
#include <bit>

#include <fmt/format.h>

#include "engine_core.hpp"
#include "sha256.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

static_assert(static_cast<int>(Phase::terminated) == static_cast<int>(CaseState::terminated));
static_assert(static_cast<int>(Trigger::terminate) == static_cast<int>(Verb::terminate));
static_assert(static_cast<int>(Path::joint) == static_cast<int>(MatterKind::joint));

bool needs_reason(Verb v) {
  switch (v) {
    case Verb::refuse: case Verb::review_return: case Verb::deny: case Verb::higher_deny:
    case Verb::opinion_disagree: case Verb::suspend: case Verb::extend: case Verb::withdraw:
    case Verb::terminate:
      return true;
    default:
      return false;
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

// Bit i set for each named material of the matter; unknown names are an error that lists
// the matter's materials, so the window can correct the entry.
std::uint64_t material_bits(const Matter& m, const std::vector<std::string>& names) {
  std::uint64_t bits = 0;
  std::vector<std::string> unknown;
  for (const std::string& name : names) {
    bool found = false;
    for (std::size_t i = 0; i < m.materials.size(); ++i) {
      if (m.materials[i].name == name) {
        bits |= std::uint64_t{1} << i;
        found = true;
      }
    }
    if (!found) unknown.push_back(name);
  }
  if (!unknown.empty()) {
    std::vector<std::string> known;
    for (const Material& mat : m.materials) known.push_back(mat.name);
    throw Error(ErrorCode::invalid_argument,
                fmt::format("matter {} has no material named {}; its materials are: {}", m.code,
                            join(unknown), known.empty() ? "none" : join(known)));
  }
  return bits;
}

void check_details(Verb verb, const Action& a, const Policy& policy) {
  if (needs_reason(verb) && a.reason.empty()) {
    throw Error(ErrorCode::invalid_argument, fmt::format("{} needs a reason", to_string(verb)));
  }
  if (verb == Verb::suspend) {
    if (!a.procedure) {
      throw Error(ErrorCode::invalid_argument,
                  "suspend needs the §45 procedure (hearing, tender, auction, inspection, "
                  "appraisal or expert_review)");
    }
    if (a.days < 1) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("suspend needs the expected duration in working days (got {})",
                              a.days));
    }
  }
  if (verb == Verb::extend && (a.days < 1 || a.days > policy.extension_max_days)) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("an extension is 1 to {} working days (got {})",
                            policy.extension_max_days, a.days));
  }
  if (verb == Verb::supplement && a.materials.empty()) {
    throw Error(ErrorCode::invalid_argument, "supplement needs the materials brought");
  }
  if (verb == Verb::accept && a.tolerate_missing && a.on_promise) {
    throw Error(ErrorCode::invalid_argument,
                "accept with tolerate_missing (容缺) or on_promise (告知承诺), not both");
  }
}

// What identifies a command for its request id: every field that changes what it does.
std::string fingerprint(std::initializer_list<std::string_view> parts,
                        const std::vector<std::string>& materials) {
  std::string text;
  for (std::string_view p : parts) {
    text += p;
    text += '\x1f';
  }
  for (const std::string& m : materials) {
    text += m;
    text += '\x1e';
  }
  return sha256_hex(text).substr(0, 32);
}

}  // namespace

CaseId EngineCore::submit(const Submission& s) {
  const std::string print =
      s.request_id.empty()
          ? std::string{}
          : fingerprint({"submit", s.matter, s.office, s.actor, s.applicant}, s.materials);
  if (!s.request_id.empty()) {
    if (const auto earlier = replayed(s.request_id, print)) return *earlier;
  }
  const auto matter = rules_.find_matter(s.matter);
  if (!matter) throw Error(ErrorCode::not_found, fmt::format("unknown matter '{}'", s.matter));
  const auto at = rules_.find_office(s.office);
  if (!at) throw Error(ErrorCode::not_found, fmt::format("unknown office '{}'", s.office));
  const StaffRef actor = staff_ref(s.actor);
  const Matter& m = rules_.matter(*matter);
  const DateTime now = clock_->now();
  const Intake intake = route_intake(rules_, *matter, *at, now.date());
  const std::uint64_t materials = material_bits(m, s.materials);

  // The receiving person must hold a window post where the application is handed in, or an
  // agent post at the village station for a proxy submission.
  const PostRole role = intake.via_agent ? PostRole::agent : PostRole::window;
  std::optional<PostRef> receiving;
  const auto posts = rules_.posts();
  for (std::uint32_t i = 0; i < posts.size() && !receiving; ++i) {
    if (posts[i].role == role && posts[i].office == *at && holds_now(actor, PostRef{i}, now)) {
      receiving = PostRef{i};
    }
  }
  if (!receiving) {
    throw Error(ErrorCode::permission_denied,
                fmt::format("staff {} holds no {} post at {} and cannot receive applications there",
                            s.actor, to_string(role), s.office));
  }
  if (window_posts(rules_, intake.accepting_office).empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("office {} handles matter {} but has no window post to accept it",
                            rules_.office(intake.accepting_office).id, m.code));
  }

  CaseId id = 0;
  unit([&] {
    CaseRecord& c = cases_.emplace_back();
    id = c.id = cases_.size();
    c.matter = *matter;
    c.accepting_office = intake.accepting_office;
    c.intake_post = intake.accepting_office == *at && !intake.via_agent
                        ? *receiving
                        : window_for(intake.accepting_office, c.id);
    c.post = c.intake_post;
    c.office = intake.accepting_office;
    c.first_handler = actor;
    if (intake.via_agent) c.agent = index_of(actor);
    if (intake.delegation) c.delegation = index_of(*intake.delegation);
    c.applicant = static_cast<std::uint32_t>(applicants_.size());
    applicants_.push_back(s.applicant);
    c.materials = materials;
    c.received = now;

    std::string detail = fmt::format("matter={}; handed_in_at={}; materials={}/{}", m.code,
                                     s.office, std::popcount(materials), m.materials.size());
    if (intake.delegation) {
      const Delegation& d = rules_.delegation(*intake.delegation);
      detail += fmt::format("; delegation={}; mode={}", d.id, to_string(d.mode));
    }
    if (intake.via_agent) detail += fmt::format("; agent={}", s.actor);
    emit(c, EventKind::submitted, now, s.actor, *receiving, intake.note, std::move(detail));
    if (!s.request_id.empty()) request_ = RequestRecord{s.request_id, print, c.id};
    route_to(c, c.intake_post, now, "received at the window");
    // §32: without a notice of missing materials within the policy days, the application
    // counts as accepted on the day it was received.
    const Date last = calendar_.add_working_days(now.date(), rules_.policy().notify_missing_days);
    timers_.push(Timer{DateTime::at(last + 1), c.id, TimerKind::notice_window, 0, 0});
  });
  return id;
}

void EngineCore::act(CaseId id, Verb verb, const Action& a) {
  CaseRecord& c = record(id);
  const std::string print =
      a.request_id.empty()
          ? std::string{}
          : fingerprint({"act", std::to_string(id), to_string(verb), a.actor, a.reason,
                         std::to_string(a.days),
                         a.procedure ? to_string(*a.procedure) : std::string_view{},
                         a.tolerate_missing ? "tolerate" : "", a.on_promise ? "promise" : "",
                         to_string(a.channel)},
                        a.materials);
  if (!a.request_id.empty() && replayed(a.request_id, print)) return;  // already done
  const StaffRef actor = staff_ref(a.actor);
  const DateTime now = clock_->now();
  const Matter& m = rules_.matter(c.matter);
  check_details(verb, a, rules_.policy());
  const std::uint64_t brought = verb == Verb::supplement ? material_bits(m, a.materials) : 0;

  if (is_concluded(c.life.phase)) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} is concluded ({}): no more commands", id,
                            to_string(static_cast<CaseState>(c.life.phase))));
  }
  if (!permitted(c, actor, verb, now)) {
    const std::string message = fmt::format(
        "staff {} may not {} case {}: its stage is at post {} held by {}", a.actor,
        to_string(verb), id, rules_.post(c.post).id, rules_.staff(c.holder).id);
    if (options_.record_denied_attempts) {
      unit([&] {
        emit(c, EventKind::permission_denied, now, a.actor, c.post, message,
             fmt::format("verb={}", to_string(verb)));
      });
    }
    throw Error(ErrorCode::permission_denied, message);
  }

  const std::optional<std::uint8_t> opinion_stage =
      verb == Verb::opinion_agree || verb == Verb::opinion_disagree
          ? opinion_stage_of(c, actor, now)
          : std::nullopt;
  LifecycleState next = c.life;
  const Facts facts = facts_for(c, &a);
  const Step step = detail::fire(next, static_cast<Trigger>(verb), facts);
  if (!step.fired) {
    throw Error(ErrorCode::invalid_transition, explain_refusal(c, verb, facts));
  }

  unit([&] {
    touch(c);
    // An opinion is given for the department's own stage post, not the lead's.
    const PostRef acting_post =
        opinion_stage ? stage_post(rules_, c, *opinion_stage) : c.post;
    std::string detail;
    if (verb == Verb::notify_missing) {
      detail = "missing=" + join(missing_materials(c, false));
    } else if (verb == Verb::supplement) {
      c.materials |= brought;
      detail = "brought=" + join(a.materials);
    } else if (verb == Verb::suspend) {
      detail = fmt::format("procedure={}; expected_days={}", to_string(*a.procedure), a.days);
    } else if (verb == Verb::extend) {
      detail = fmt::format("days={}", a.days);
    } else if (verb == Verb::issue) {
      detail = fmt::format("channel={}", to_string(a.channel));
    } else if (verb == Verb::accept && (a.tolerate_missing || a.on_promise)) {
      detail = a.tolerate_missing ? "tolerate_missing=" + join(missing_materials(c, false))
                                  : std::string("on_promise=true");
    } else if (opinion_stage) {
      detail = fmt::format("stage={}", m.stages[*opinion_stage].name);
    } else if ((verb == Verb::approve || verb == Verb::deny) && c.delegation != kNone) {
      // 委托: the township decides in the delegating agency's name, which stays liable.
      const Delegation& d = rules_.delegation(DelegationRef{c.delegation});
      if (d.mode == DelegationMode::full) {
        detail = "in_name_of=" + (d.from_department ? rules_.department(*d.from_department).id
                                                    : rules_.office(d.from_office).id);
      }
    }
    c.life = next;
    if (!a.request_id.empty()) request_ = RequestRecord{a.request_id, print, id};
    emit(c, static_cast<EventKind>(static_cast<int>(verb) + 1), now, a.actor,
         acting_post, a.reason, std::move(detail));
    apply_step(c, static_cast<Trigger>(verb), step.from, step.to, now, &a, opinion_stage);
  });
}

}  // namespace workflow::detail
