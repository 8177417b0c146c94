// Commands: receiving an application (submit) and every verb on a case (act), each checked
// completely before anything changes.
#include <algorithm>
#include <bit>
#include <iterator>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "engine/engine_core.hpp"
#include "engine/command_checks.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

static_assert(static_cast<int>(Phase::terminated) == static_cast<int>(CaseState::terminated));
static_assert(static_cast<int>(Trigger::terminate) == static_cast<int>(Verb::terminate));
static_assert(static_cast<int>(Path::joint) == static_cast<int>(MatterKind::joint));

}  // namespace

CaseId EngineCore::submit(const Submission& given) {
  // A handoff taken in answers to its own request id: delivered twice, it is one case.
  std::optional<Submission> with_id;
  if (given.received_from && given.request_id.empty()) {
    with_id = given;
    with_id->request_id = handoff_request_id(given);
  }
  const Submission& s = with_id ? *with_id : given;
  check_handoffs(s);
  std::string print;
  if (!s.request_id.empty()) {
    // The issue office joins the fingerprint only when given, so ids recorded before it
    // existed still match their retries.
    print = s.issue_office.empty()
                ? fingerprint({"submit", s.matter, s.office, s.actor, s.applicant}, s.materials)
                : fingerprint({"submit", s.matter, s.office, s.actor, s.applicant,
                               "issue_office", s.issue_office},
                              s.materials);
    // Handoffs join the fingerprint only when given, as the issue office does.
    for (const HandoffOut& h : s.hand_over) print += fingerprint({"hand_over", h.to_partition, h.payload}, {});
    if (s.received_from) {
      print += fingerprint({"received_from", s.received_from->from_partition,
                            std::to_string(s.received_from->seq)}, {});
    }
    // Likewise the channel and the assistance, only when they are not the defaults.
    if (s.channel != SubmissionChannel::window || s.assisted != Assistance::none) {
      print = fingerprint({print, "channel", to_string(s.channel), to_string(s.assisted)}, {});
    }
    if (const auto earlier = replayed(s.request_id, print)) return *earlier;
  }
  const auto matter = rules_.find_matter(s.matter);
  if (!matter) throw Error(ErrorCode::not_found, unknown_matter(s.matter));
  const DateTime now = clock_->now();
  CaseId id = 0;
  unit([&] {
    id = open_case(*matter, s, material_bits(rules_.matter(*matter), s.materials), now, 0, {});
    if (!s.request_id.empty()) request_ = RequestRecord{s.request_id, print, id};
    handoffs_ = s.hand_over;
    receipt_ = s.received_from;
  });
  return id;
}

std::string EngineCore::handoff_request_id(const Submission& s) {
  return fmt::format("handoff/{}/{}", s.received_from->from_partition, s.received_from->seq);
}

void EngineCore::check_handoffs(const Submission& s) const {
  for (const HandoffOut& h : s.hand_over) {
    if (h.to_partition.empty()) {
      throw Error(ErrorCode::invalid_argument, "a handoff needs the partition it goes to");
    }
  }
  if (!s.received_from) return;
  if (s.received_from->from_partition.empty() || s.received_from->seq == 0) {
    throw Error(ErrorCode::invalid_argument,
                "a handoff taken in needs its sender's partition and sequence number");
  }
  if (s.request_id != handoff_request_id(s)) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("a handoff taken in answers to request id '{}', not '{}'",
                            handoff_request_id(s), s.request_id));
  }
}

CaseId EngineCore::open_case(MatterRef matter, const Submission& s, std::uint64_t materials,
                             DateTime now, BundleId bundle, std::string bundle_note) {
  const auto at = rules_.find_office(s.office);
  if (!at) throw Error(ErrorCode::not_found, fmt::format("unknown office '{}'", s.office));
  const StaffRef actor = staff_ref(s.actor);
  const Matter& m = rules_.matter(matter);
  const Intake intake = route_intake(rules_, matter, *at, now.date());
  OfficeRef issue_office = intake.accepting_office;
  if (!s.issue_office.empty()) {
    const auto asked = rules_.find_office(s.issue_office);
    if (!asked) {
      throw Error(ErrorCode::not_found, fmt::format("unknown issue office '{}'", s.issue_office));
    }
    if (*asked != intake.accepting_office && !m.cross_region) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("matter {} ({}) is not a cross-region matter (跨域通办): its "
                              "result is issued where it is accepted, {}, not at {}",
                              m.code, m.name, rules_.office(intake.accepting_office).id,
                              s.issue_office));
    }
    if (windows_of(*asked).empty()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("office {} has no window post to issue results", s.issue_office));
    }
    issue_office = *asked;
  }

  // The receiving person must hold a window post where the application is handed in, or an
  // agent post at the village station for a proxy submission.
  const PostRole role = intake.via_agent ? PostRole::agent : PostRole::window;
  std::optional<PostRef> receiving;
  for (const PostRef p : intake_posts_of(*at)) {
    if (rules_.post(p).role == role && holds_now(actor, p, now)) {
      receiving = p;
      break;
    }
  }
  if (!receiving) {
    throw Error(ErrorCode::permission_denied,
                fmt::format("staff {} holds no {} post at {} and cannot receive applications there",
                            s.actor, to_string(role), s.office));
  }
  const auto [channel, assisted] = intake_channel(s, intake, *at);
  if (windows_of(intake.accepting_office).empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("office {} handles matter {} but has no window post to accept it",
                            rules_.office(intake.accepting_office).id, m.code));
  }

  CaseRecord& c = cases_.emplace_back();
  const CaseId id = c.id = cases_.size();
  c.matter = matter;
  c.rules_version = static_cast<std::uint16_t>(versions_.size() - 1);
  c.accepting_office = intake.accepting_office;
  c.issue_office = issue_office;
  c.intake_post = intake.accepting_office == *at && !intake.via_agent
                      ? *receiving
                      : window_for(intake.accepting_office, c.id);
  c.post = c.intake_post;
  c.office = intake.accepting_office;
  c.first_handler = actor;
  if (intake.via_agent) {
    c.agent_post = index_of(*receiving);
  }
  if (intake.delegation) c.delegation = index_of(*intake.delegation);
  c.bundle = static_cast<std::uint32_t>(bundle);
  c.applicant = static_cast<std::uint32_t>(applicants_.size());
  applicants_.push_back(s.applicant);
  c.materials = materials;
  c.received = now;
  c.channel = channel;
  c.assisted = assisted;

  // Every submission writes this detail: compiled patterns, appended in place (the runtime
  // pattern parsing and the temporaries were ~1,500 instructions a submission).
  std::string detail;
  auto out = std::back_inserter(detail);
  fmt::format_to(out, FMT_COMPILE("matter={}; handed_in_at={}; materials={}/{}"), m.code,
                 s.office, std::popcount(materials), m.materials.size());
  if (intake.delegation) {
    const Delegation& d = rules_.delegation(*intake.delegation);
    fmt::format_to(out, FMT_COMPILE("; delegation={}; mode={}"), d.id, to_string(d.mode));
  }
  if (intake.cross_region) {
    fmt::format_to(out, FMT_COMPILE("; cross_region=true; handled_by={}"),
                   rules_.office(handling_office(rules_, c)).id);
  }
  if (issue_office != intake.accepting_office) {
    fmt::format_to(out, FMT_COMPILE("; issue_at={}"), rules_.office(issue_office).id);
  }
  if (intake.via_agent) fmt::format_to(out, FMT_COMPILE("; agent={}"), s.actor);
  if (channel != SubmissionChannel::window) {
    fmt::format_to(out, FMT_COMPILE("; channel={}"), to_string(channel));
  }
  if (assisted != Assistance::none) {
    fmt::format_to(out, FMT_COMPILE("; assisted={}"), to_string(assisted));
  }
  if (!bundle_note.empty()) detail += "; " + bundle_note;
  emit(c, EventKind::submitted, now, s.actor, *receiving, intake.note, std::move(detail));
  route_to(c, c.intake_post, now, "received at the window");
  // §32: without a notice of missing materials within the policy days, the application
  // counts as accepted on the day it was received.
  const Date last = calendar_.add_working_days(now.date(), rules_.policy().notify_missing_days);
  timers_.push(Timer{DateTime::at(last + 1), c.id, TimerKind::notice_window, 0, 0});
  return id;
}

std::pair<SubmissionChannel, Assistance> EngineCore::intake_channel(const Submission& s,
                                                                    const Intake& intake,
                                                                    OfficeRef at) const {
  SubmissionChannel channel = s.channel;
  if (intake.via_agent) {
    if (channel == SubmissionChannel::window) channel = SubmissionChannel::village_agent;
    if (channel != SubmissionChannel::village_agent) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("an application handed in by village agent {} at {} came through "
                              "the agent (channel village_agent), not {}",
                              s.actor, s.office, to_string(channel)));
    }
  } else if (channel == SubmissionChannel::village_agent) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("channel village_agent is for applications a village agent hands "
                            "in at a village station; {} is not one (staff {})",
                            s.office, s.actor));
  }
  if (static_cast<int>(channel) > static_cast<int>(SubmissionChannel::village_agent)) {
    throw Error(ErrorCode::invalid_argument, "unknown submission channel");
  }
  const Level level = rules_.office(at).level;
  if (s.assisted == Assistance::county && level < Level::county) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("county-level assistance (帮办) is given at an office of county "
                            "level or above; {} is a {}", s.office, to_string(level)));
  }
  if (s.assisted == Assistance::township && level > Level::township) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("township-level assistance (帮办) is given at a township or a "
                            "village station under it; {} is a {}", s.office, to_string(level)));
  }
  if (static_cast<int>(s.assisted) > static_cast<int>(Assistance::township)) {
    throw Error(ErrorCode::invalid_argument, "unknown assistance level");
  }
  return {channel, s.assisted};
}

void EngineCore::act(CaseId id, Verb verb, const Action& a) {
  CaseRecord& c = record(id);
  applicants_.prefetch_offsets(c.applicant);  // for the snapshot at the commit
  const std::string print =
      a.request_id.empty() ? std::string{} : action_fingerprint("act", id, verb, a);
  if (!a.request_id.empty() && replayed(a.request_id, print)) return;  // already done
  const StaffRef actor = staff_ref(a.actor);
  const DateTime now = clock_->now();
  check_details(verb, a, rules_.policy());
  if (is_oversight_verb(verb)) {  // 督办 and 改派: engine_orders.cpp
    act_oversight(c, verb, a, actor, now, print);
    return;
  }
  if (verb == Verb::extend) {
    const Matter& m = rules_.matter(c.matter);
    if (a.days > m.extension_days) {
      throw Error(ErrorCode::invalid_argument,
                  m.extension_days == 0
                      ? fmt::format("matter {} has no §42 extension", m.code)
                      : fmt::format("matter {} allows an extension of at most {} working days "
                                    "(§42; got {})", m.code, m.extension_days, a.days));
    }
  }
  if (verb == Verb::accept && a.tolerate_missing && a.on_promise) {
    check_promise_with_tolerance(c);
  }
  const bool rectification = is_rectification_verb(verb);
  const bool promise = is_promise_verb(verb);
  const bool unresolved = is_unresolved_verb(verb);
  applicants_.prefetch_name(c.applicant);  // its offsets have had the checks' time to come
  if (promise) check_promise_step(c, verb);
  if (unresolved) check_unresolved_step(c, verb, a);
  // A verb impossible in the case's state is invalid_transition, whoever gives it: say what
  // state the case is in and what it needs before asking who may act.
  if (!rectification && !promise && !unresolved && !is_concluded(c.life.phase)) {
    LifecycleState probe = c.life;
    const Facts facts = facts_for(c, &a);
    if (!detail::fire(probe, static_cast<Trigger>(verb), facts).fired) {
      throw Error(ErrorCode::invalid_transition, explain_refusal(c, verb, facts));
    }
  }
  // A command on a case that cannot take it is refused as such, before asking who may.
  const bool allowed = rectification ? rectification_post(open_task(c), actor, now).has_value()
                       : promise     ? promise_permitted(c, actor, verb, now)
                       : unresolved  ? unresolved_post(c, actor, verb, now).has_value()
                                     : is_concluded(c.life.phase) ||
                                           permitted(c, actor, verb, now);
  if (!allowed) {
    const std::string message =
        rectification ? fmt::format("staff {} may not {} the rectification of case {}: it "
                                    "belongs to {}",
                                    a.actor, to_string(verb), id,
                                    rules_.department(open_task(c).unit).id)
        : promise ? fmt::format("staff {} may not {} case {}: {} of department {} does", a.actor,
                                to_string(verb), id,
                                verb == Verb::revoke ? "the head (a post with approves_extensions)"
                                                     : "a back-office post",
                                rules_.department(deciding_department(c)).id)
                  : unresolved ? unresolved_denial(c, verb, a.actor)
                               : denial(c, verb, a.actor);
    if (options_.record_denied_attempts) {
      unit([&] {
        emit(c, EventKind::permission_denied, now, a.actor, c.post, message,
             fmt::format("verb={}", to_string(verb)));
      });
    }
    throw Error(ErrorCode::permission_denied, message);
  }
  unit([&] {
    if (rectification) {
      act_on_rectification(c, verb, a, actor, now);
    } else if (promise) {
      act_on_promise(c, verb, a, actor, now);
    } else if (unresolved) {
      act_on_unresolved(c, verb, a, actor, now);
    } else {
      act_on(c, verb, a, actor, now);
    }
    if (!a.request_id.empty()) request_ = RequestRecord{a.request_id, print, id};
  });
}

void EngineCore::check_promise_with_tolerance(const CaseRecord& c) const {
  const Matter& m = rules_.matter(c.matter);
  if (!m.promise_approval) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("case {}: matter {} does not allow approval on commitment (告知承诺), "
                            "so 容缺 and 告知承诺 cannot be combined; accept with "
                            "tolerate_missing alone", c.id, m.code));
  }
  if (c.life.phase == Phase::received && missing_materials(c, true).empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("case {}: no 容缺-eligible material of matter {} is missing, so there "
                            "is nothing to owe under 容缺; accept with on_promise alone",
                            c.id, m.code));
  }
}

std::string EngineCore::denial(const CaseRecord& c, Verb verb, std::string_view actor) const {
  return fmt::format("staff {} may not {} case {}: its stage is at post {} held by {}", actor,
                     to_string(verb), c.id, rules_.post(c.post).id, rules_.staff(c.holder).id);
}

void EngineCore::act_on(CaseRecord& c, Verb verb, const Action& a, StaffRef actor,
                        DateTime now, std::string extra_detail) {
  const CaseId id = c.id;
  const Matter& m = rules_.matter(c.matter);
  const std::uint64_t brought = verb == Verb::supplement ? material_bits(m, a.materials) : 0;
  if (is_concluded(c.life.phase)) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("case {} is concluded ({}): no more commands", id,
                            to_string(static_cast<CaseState>(c.life.phase))));
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
    detail = fmt::format(FMT_COMPILE("procedure={}; expected_days={}"), to_string(*a.procedure), a.days);
  } else if (verb == Verb::extend) {
    detail = fmt::format(FMT_COMPILE("days={}"), a.days);
  } else if (verb == Verb::issue) {
    detail = fmt::format(FMT_COMPILE("channel={}"), to_string(a.channel));
  } else if (verb == Verb::accept && (a.tolerate_missing || a.on_promise)) {
    // With both, the promise excuses what is not 容缺-eligible and the rest is owed.
    if (a.tolerate_missing) detail = "tolerate_missing=" + join(missing_materials(c, a.on_promise));
    if (a.on_promise) {
      detail += std::string(detail.empty() ? "" : "; ") + "on_promise=true";
      const std::vector<std::string> excused = missing_materials(c, false);
      std::vector<std::string> only_excused;
      for (const std::string& name : excused) {
        const auto owed = missing_materials(c, true);
        if (!a.tolerate_missing || std::find(owed.begin(), owed.end(), name) == owed.end()) {
          only_excused.push_back(name);
        }
      }
      if (!only_excused.empty()) detail += "; excused=" + join(only_excused);
    }
  } else if (opinion_stage) {
    detail = fmt::format(FMT_COMPILE("stage={}"), m.stages[*opinion_stage].name);
  } else if ((verb == Verb::approve || verb == Verb::deny) && c.delegation != kNone) {
    // 委托: the township decides in the delegating agency's name, which stays liable.
    const Delegation& d = rules_.delegation(DelegationRef{c.delegation});
    if (d.mode == DelegationMode::full) {
      detail = "in_name_of=" + (d.from_department ? rules_.department(*d.from_department).id
                                                  : rules_.office(d.from_office).id);
    }
  }
  if (!extra_detail.empty()) detail += (detail.empty() ? "" : "; ") + extra_detail;
  c.life = next;
  emit(c, static_cast<EventKind>(static_cast<int>(verb) + 1), now, a.actor,
       acting_post, a.reason, std::move(detail));
  apply_step(c, static_cast<Trigger>(verb), step.from, step.to, now, &a, opinion_stage);
}

}  // namespace workflow::detail
