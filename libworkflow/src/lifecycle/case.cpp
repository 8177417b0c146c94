// Canonical names of the case vocabulary. These strings are a contract: the Python layer,
// the store's columns and the command-line tool all use them.
#include "workflow/case.hpp"

#include <array>

namespace workflow {
namespace {

constexpr std::array<std::string_view, 13> kStates{
    "received", "awaiting_materials", "on_the_spot", "preliminary_review",
    "back_office_review", "opinions", "escalated", "decided",
    "issued", "refused", "withdrawn", "terminated", "revoked"};

constexpr std::array<std::string_view, 31> kVerbs{
    "accept", "refuse", "notify_missing", "supplement", "review_pass", "review_return",
    "approve", "deny", "report_up", "higher_approve", "higher_deny", "opinion_agree",
    "opinion_disagree", "issue", "suspend", "resume", "extend", "withdraw", "terminate",
    "verify", "rectify", "explain", "appeal", "call_back", "close_rectification",
    "confirm_promise", "false_promise", "revoke",
    "send_unresolved", "hand_to_unit", "settle_unresolved"};
// The oversight verbs (督办, 改派): after the case verbs, and again after the engine's events.
constexpr std::array<std::string_view, 5> kOversightVerbs{
    "order", "reply_order", "close_order", "escalate_order", "reassign"};
constexpr std::array<std::string_view, 4> kOrderStates{"open", "replied", "closed", "escalated"};

constexpr std::array<std::string_view, 5> kLights{"none", "green", "yellow", "red",
                                                  "escalated_red"};
constexpr std::array<std::string_view, 3> kDecisions{"none", "approved", "denied"};
constexpr std::array<std::string_view, 3> kChannels{"pickup", "post", "e_certificate"};
constexpr std::array<std::string_view, 6> kProcedures{"hearing",    "tender",    "auction",
                                                      "inspection", "appraisal", "expert_review"};
constexpr std::array<std::string_view, 4> kAbsences{"leave", "vacation", "out", "field_work"};
constexpr std::array<std::string_view, 3> kHoldings{"a_holder", "b_covering", "unresolved"};

// Event kinds: "submitted", the 31 case verbs, the engine's own, then the oversight verbs.
constexpr std::array<std::string_view, 17> kEngineEvents{
    "deemed_accepted", "opinion_deemed", "supplement_overdue", "handoff",
    "routed_unresolved", "routed", "light_changed", "permission_denied",
    "rated", "rectification_opened", "rules_installed", "rerouted", "deadlines_recomputed",
    "escalation_review_overdue", "issue_overdue", "stage_overdue", "verification_overdue"};
constexpr std::array<std::string_view, 3> kRatingChannels{"window_device", "online", "phone"};
constexpr std::array<std::string_view, 6> kSubmissionChannels{
    "window", "online", "mobile", "self_service", "post", "village_agent"};
constexpr std::array<std::string_view, 3> kAssistance{"none", "county", "township"};
constexpr std::array<std::string_view, 5> kRectificationStates{
    "verifying", "resolving", "calling_back", "called_back", "closed"};
constexpr std::array<std::string_view, 4> kVerifications{"none", "pending", "confirmed",
                                                         "false_commitment"};
constexpr std::array<std::string_view, 3> kCoordinationStates{"coordinating", "handed",
                                                              "settled"};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : std::string_view{"unknown"};
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_of(const std::array<std::string_view, N>& names,
                             std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseState s) noexcept { return name_of(kStates, s); }
std::string_view to_string(Verb v) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < kVerbs.size() ? kVerbs[i] : name_of(kOversightVerbs, i - kVerbs.size());
}
std::string_view to_string(OrderState s) noexcept { return name_of(kOrderStates, s); }
std::string_view to_string(Light l) noexcept { return name_of(kLights, l); }
std::string_view to_string(Decision d) noexcept { return name_of(kDecisions, d); }
std::string_view to_string(IssueChannel c) noexcept { return name_of(kChannels, c); }
std::string_view to_string(SpecialProcedure p) noexcept { return name_of(kProcedures, p); }
std::string_view to_string(AbsenceKind k) noexcept { return name_of(kAbsences, k); }
std::string_view to_string(Holding h) noexcept { return name_of(kHoldings, h); }
std::string_view to_string(RatingChannel c) noexcept { return name_of(kRatingChannels, c); }
std::string_view to_string(SubmissionChannel c) noexcept {
  return name_of(kSubmissionChannels, c);
}
std::string_view to_string(Assistance a) noexcept { return name_of(kAssistance, a); }
std::optional<SubmissionChannel> parse_submission_channel(std::string_view s) noexcept {
  return parse_of<SubmissionChannel>(kSubmissionChannels, s);
}
std::optional<Assistance> parse_assistance(std::string_view s) noexcept {
  return parse_of<Assistance>(kAssistance, s);
}
std::string_view to_string(RectificationState s) noexcept {
  return name_of(kRectificationStates, s);
}

std::string_view to_string(Verification v) noexcept { return name_of(kVerifications, v); }
std::string_view to_string(CoordinationState s) noexcept {
  return name_of(kCoordinationStates, s);
}

std::string_view to_string(EventKind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  if (i == 0) return "submitted";
  if (i <= kVerbs.size()) return kVerbs[i - 1];
  if (i <= kVerbs.size() + kEngineEvents.size()) return kEngineEvents[i - 1 - kVerbs.size()];
  return name_of(kOversightVerbs, i - 1 - kVerbs.size() - kEngineEvents.size());
}

std::optional<CaseState> parse_case_state(std::string_view s) noexcept {
  return parse_of<CaseState>(kStates, s);
}
std::optional<Verb> parse_verb(std::string_view s) noexcept {
  if (const auto v = parse_of<Verb>(kVerbs, s)) return v;
  if (const auto v = parse_of<std::uint8_t>(kOversightVerbs, s)) {
    return static_cast<Verb>(*v + kVerbs.size());
  }
  return std::nullopt;
}
std::optional<Light> parse_light(std::string_view s) noexcept {
  return parse_of<Light>(kLights, s);
}
std::optional<IssueChannel> parse_issue_channel(std::string_view s) noexcept {
  return parse_of<IssueChannel>(kChannels, s);
}
std::optional<SpecialProcedure> parse_special_procedure(std::string_view s) noexcept {
  return parse_of<SpecialProcedure>(kProcedures, s);
}
std::optional<AbsenceKind> parse_absence_kind(std::string_view s) noexcept {
  return parse_of<AbsenceKind>(kAbsences, s);
}

std::optional<RatingChannel> parse_rating_channel(std::string_view s) noexcept {
  return parse_of<RatingChannel>(kRatingChannels, s);
}

std::optional<EventKind> parse_event_kind(std::string_view s) noexcept {
  for (int k = 0; k <= static_cast<int>(EventKind::reassign); ++k) {
    if (to_string(static_cast<EventKind>(k)) == s) return static_cast<EventKind>(k);
  }
  return std::nullopt;
}

// The event kinds mirror the verbs after `submitted`; keep the two lists in step.
static_assert(static_cast<int>(EventKind::accept) == 1 + static_cast<int>(Verb::accept));
static_assert(static_cast<int>(EventKind::settle_unresolved) ==
              1 + static_cast<int>(Verb::settle_unresolved));
static_assert(static_cast<int>(EventKind::verification_overdue) ==
              static_cast<int>(EventKind::settle_unresolved) + kEngineEvents.size());
static_assert(kVerbs.size() == static_cast<std::size_t>(Verb::settle_unresolved) + 1);
static_assert(static_cast<std::size_t>(Verb::order) == kVerbs.size());
static_assert(static_cast<std::size_t>(Verb::reassign) + 1 == kVerbs.size() + kOversightVerbs.size());
static_assert(static_cast<int>(EventKind::order) == static_cast<int>(EventKind::verification_overdue) + 1);
static_assert(static_cast<int>(EventKind::reassign) - static_cast<int>(EventKind::order) ==
              static_cast<int>(Verb::reassign) - static_cast<int>(Verb::order));
static_assert(kStates.size() == static_cast<std::size_t>(CaseState::revoked) + 1);

}  // namespace workflow
