// Bundles (一件事一次办): one submission, one form and one set of materials for several
// matters of several departments. Each part is an ordinary case, routed to its own
// department and run in parallel; the bundle is what the parts add up to, measured
// against the bundle's own promise. Bundles are not stored apart: every part's snapshot
// names its bundle, so a reopened engine rebuilds them.
#include <algorithm>

#include <fmt/format.h>

#include "engine/command_checks.hpp"
#include "engine/engine_core.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {
namespace {

// The materials of the bundle: every part's, each name once, in part order.
std::vector<std::string> bundle_materials(const RuleSet& rules, const Bundle& b) {
  std::vector<std::string> out;
  for (MatterRef m : b.matters) {
    for (const Material& mat : rules.matter(m).materials) {
      if (std::find(out.begin(), out.end(), mat.name) == out.end()) out.push_back(mat.name);
    }
  }
  return out;
}

// The names among `names` that matter `m` asks for.
std::vector<std::string> part_materials(const Matter& m, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    const bool wanted = std::any_of(m.materials.begin(), m.materials.end(),
                                    [&](const Material& mat) { return mat.name == n; });
    if (wanted) out.push_back(n);
  }
  return out;
}

void check_known(const RuleSet& rules, const Bundle& b, const std::vector<std::string>& names) {
  const std::vector<std::string> known = bundle_materials(rules, b);
  std::vector<std::string> unknown;
  for (const std::string& n : names) {
    if (std::find(known.begin(), known.end(), n) == known.end()) unknown.push_back(n);
  }
  if (!unknown.empty()) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("bundle {} has no material named {}; its materials are: {}", b.id,
                            join(unknown), join(known)));
  }
}

bool clock_started(const CaseRecord& c) { return c.light != Light::none || c.on_promise; }

}  // namespace

BundleId EngineCore::submit_bundle(const BundleSubmission& s) {
  std::string print =
      s.request_id.empty()
          ? std::string{}
          : fingerprint({"bundle", s.bundle, s.office, s.actor, s.applicant, s.issue_office},
                        s.materials);
  // The channel joins the fingerprint only when not the default (older ids still match).
  if (!print.empty() && (s.channel != SubmissionChannel::window || s.assisted != Assistance::none)) {
    print = fingerprint({print, "channel", to_string(s.channel), to_string(s.assisted)}, {});
  }
  if (!s.request_id.empty()) {
    if (const auto earlier = replayed(s.request_id, print)) return record(*earlier).bundle;
  }
  const auto def = rules_.find_bundle(s.bundle);
  if (!def) throw Error(ErrorCode::not_found, fmt::format("unknown bundle '{}'", s.bundle));
  const Bundle& b = rules_.bundle(*def);
  const auto at = rules_.find_office(s.office);
  if (!at) throw Error(ErrorCode::not_found, fmt::format("unknown office '{}'", s.office));
  if (*at != b.office) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("bundle {} ({}) is accepted at {}, not at {}", b.id, b.name,
                            rules_.office(b.office).id, s.office));
  }
  check_known(rules_, b, s.materials);
  const DateTime now = clock_->now();
  BundleId id = 0;
  unit([&] {
    id = bundles_.size() + 1;
    bundles_.push_back(BundleRecord{*def, {}});
    for (std::size_t i = 0; i < b.matters.size(); ++i) {
      const Matter& m = rules_.matter(b.matters[i]);
      Submission part{m.code, s.office, s.actor, s.applicant, part_materials(m, s.materials),
                      s.issue_office};
      part.channel = s.channel;
      part.assisted = s.assisted;
      const CaseId c = open_case(b.matters[i], part, material_bits(m, part.materials), now, id,
                                 fmt::format("bundle={}; bundle_rule={}; part={}/{}", id, b.id,
                                             i + 1, b.matters.size()));
      bundles_.back().parts.push_back(c);
    }
    if (!s.request_id.empty()) {
      request_ = RequestRecord{s.request_id, print, bundles_.back().parts.front()};
    }
  });
  return id;
}

void EngineCore::act_bundle(BundleId id, Verb verb, const Action& a) {
  if (id == 0 || id > bundles_.size()) {
    throw Error(ErrorCode::not_found, fmt::format("no bundle {}", id));
  }
  const BundleRecord& br = bundles_[id - 1];
  const Bundle& b = rules_.bundle(br.def);
  switch (verb) {
    case Verb::accept: case Verb::refuse: case Verb::notify_missing: case Verb::supplement:
    case Verb::issue: case Verb::withdraw:
      break;
    default:
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("{} is not a window command for a whole bundle (accept, refuse, "
                              "notify_missing, supplement, issue, withdraw); give it on the "
                              "part's case",
                              to_string(verb)));
  }
  const std::string print =
      a.request_id.empty() ? std::string{} : action_fingerprint("bundle", id, verb, a);
  if (!a.request_id.empty() && replayed(a.request_id, print)) return;
  const StaffRef actor = staff_ref(a.actor);
  check_details(verb, a, rules_.policy());
  if (verb == Verb::supplement) check_known(rules_, b, a.materials);
  const DateTime now = clock_->now();

  // Which parts the command applies to, each with its share of the materials brought.
  std::vector<std::pair<CaseId, Action>> targets;
  std::vector<std::string> blocked;  // accept: parts that cannot be accepted yet
  for (const CaseId part : br.parts) {
    const CaseRecord& c = record(part);
    if (is_concluded(c.life.phase)) continue;
    Action mine = a;
    mine.request_id.clear();
    if (verb == Verb::supplement) {
      mine.materials = part_materials(rules_.matter(c.matter), a.materials);
      if (mine.materials.empty()) continue;
    }
    if (can_fire(c.life, static_cast<Trigger>(verb), facts_for(c, &mine))) {
      if (!permitted(c, actor, verb, now)) {
        throw Error(ErrorCode::permission_denied,
                    fmt::format("{} (part of bundle {})", denial(c, verb, a.actor), id));
      }
      targets.emplace_back(part, std::move(mine));
    } else if (verb == Verb::accept && c.life.phase <= Phase::awaiting_materials) {
      blocked.push_back(
          fmt::format("case {} ({}): {}", part, rules_.matter(c.matter).code,
                      explain_refusal(c, verb, facts_for(c, &mine))));
    }
  }
  // A bundle is accepted whole: one window, one acceptance for every part still waiting.
  if (!blocked.empty()) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("cannot accept bundle {} ({}): {}", id, b.id, join(blocked)));
  }
  if (targets.empty()) {
    throw Error(ErrorCode::invalid_transition,
                fmt::format("{} applies to no part of bundle {} ({}) now", to_string(verb), id,
                            b.id));
  }
  std::string extra = fmt::format("bundle={}", id);
  if (verb == Verb::notify_missing) {
    // 一次性告知 for the bundle: every part's notice lists everything the bundle lacks.
    extra += "; bundle_missing=" + join(bundle_view(id).missing_materials);
  }
  unit([&] {
    for (auto& [part, mine] : targets) act_on(record(part), verb, mine, actor, now, extra);
    if (!a.request_id.empty()) request_ = RequestRecord{a.request_id, print, br.parts.front()};
  });
}

BundleView EngineCore::bundle_view(BundleId id) const {
  if (id == 0 || id > bundles_.size()) {
    throw Error(ErrorCode::not_found, fmt::format("no bundle {}", id));
  }
  const BundleRecord& br = bundles_[id - 1];
  const Bundle& b = rules_.bundle(br.def);
  BundleView v;
  v.id = id;
  v.bundle = b.id;
  v.name = b.name;
  v.office = rules_.office(b.office).id;
  v.parts = br.parts;
  const CaseRecord& first = record(br.parts.front());
  v.applicant = applicants_[first.applicant];
  v.received = first.received;
  bool all_accepted = true;
  bool any_accepted = false;
  Date accepted;
  v.done = true;
  for (const CaseId part : br.parts) {
    const CaseRecord& c = record(part);
    const bool concluded = is_concluded(c.life.phase);
    if (clock_started(c)) {
      any_accepted = true;
      accepted = std::max(accepted, c.accepted);
    } else if (!concluded) {
      all_accepted = false;  // still waiting for materials or acceptance
    }
    if (concluded) {
      v.finished = v.finished ? std::max(*v.finished, c.concluded) : c.concluded;
    } else {
      v.done = false;
      for (std::string& m : owed_materials(c)) {
        if (std::find(v.missing_materials.begin(), v.missing_materials.end(), m) ==
            v.missing_materials.end()) {
          v.missing_materials.push_back(std::move(m));
        }
      }
    }
    if (c.decision == Decision::denied || c.life.phase == Phase::refused ||
        c.life.phase == Phase::terminated) {
      v.denied.push_back(part);
    }
  }
  if (!v.done) v.finished.reset();
  if (all_accepted && any_accepted) {
    v.accepted = accepted;
    v.promised_deadline = calendar_.add_working_days(accepted, b.promised_limit);
    const Deadlines d = compute_deadlines(
        calendar_, rules_.policy(), LimitInputs{accepted, b.promised_limit, b.promised_limit, 0, 0});
    const Date on = v.finished ? *v.finished : clock_->now().date();
    v.light = on >= d.red_from ? Light::red : on >= d.yellow_from ? Light::yellow : Light::green;
  }
  return v;
}

std::vector<BundleView> EngineCore::list_bundles() const {
  std::vector<BundleView> out;
  out.reserve(bundles_.size());
  for (BundleId id = 1; id <= bundles_.size(); ++id) out.push_back(bundle_view(id));
  return out;
}

}  // namespace workflow::detail
