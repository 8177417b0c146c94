// The case vocabulary's canonical names (case.hpp): the strings the store, the Python layer
// and the tools rely on, so each is pinned here and every name parses back to its value.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "workflow/case.hpp"

using namespace workflow;

namespace {

// Walks an enum from 0 until to_string says "unknown"; checks names are unique and parse back.
template <class Enum, class Parse>
int round_trip(Parse parse) {
  std::set<std::string> seen;
  int n = 0;
  for (;; ++n) {
    const auto value = static_cast<Enum>(n);
    const std::string name(to_string(value));
    if (name == "unknown") break;
    CHECK_MESSAGE(seen.insert(name).second, name);
    const auto parsed = parse(name);
    REQUIRE_MESSAGE(parsed.has_value(), name);
    CHECK(*parsed == value);
  }
  CHECK_FALSE(parse("no-such-name").has_value());
  return n;
}

}  // namespace

TEST_CASE("case names: every value has one canonical name that parses back") {
  CHECK(round_trip<CaseState>(parse_case_state) == 13);
  CHECK(round_trip<Verb>(parse_verb) == 36);
  CHECK(round_trip<Light>(parse_light) == 5);
  CHECK(round_trip<IssueChannel>(parse_issue_channel) == 3);
  CHECK(round_trip<SpecialProcedure>(parse_special_procedure) == 6);
  CHECK(round_trip<AbsenceKind>(parse_absence_kind) == 4);
  CHECK(round_trip<RatingChannel>(parse_rating_channel) == 3);
  CHECK(round_trip<EventKind>(parse_event_kind) == 54);
  CHECK(round_trip<OrderState>([](std::string_view s) -> std::optional<OrderState> {
          for (const OrderState o : {OrderState::open, OrderState::replied, OrderState::closed,
                                     OrderState::escalated}) {
            if (to_string(o) == s) return o;
          }
          return std::nullopt;
        }) == 4);
}

TEST_CASE("case names: each verb's event has the verb's name; the engine's own follow") {
  for (int v = 0; v <= static_cast<int>(Verb::settle_unresolved); ++v) {
    const auto verb = static_cast<Verb>(v);
    CHECK(to_string(static_cast<EventKind>(v + 1)) == to_string(verb));
  }
  // The oversight verbs (督办, 改派) come after the engine's own kinds, in Verb's order.
  for (int v = static_cast<int>(Verb::order); v <= static_cast<int>(Verb::reassign); ++v) {
    const auto kind = static_cast<EventKind>(static_cast<int>(EventKind::order) + v -
                                             static_cast<int>(Verb::order));
    CHECK(to_string(kind) == to_string(static_cast<Verb>(v)));
  }
  CHECK(to_string(Verb::order) == "order");
  CHECK(to_string(Verb::reassign) == "reassign");
  CHECK(parse_verb("escalate_order") == Verb::escalate_order);
  CHECK(to_string(Verb::verify) == "verify");
  CHECK(to_string(Verb::call_back) == "call_back");
  CHECK(to_string(Verb::close_rectification) == "close_rectification");
  CHECK(to_string(EventKind::submitted) == "submitted");
  CHECK(to_string(EventKind::rated) == "rated");
  CHECK(to_string(EventKind::rectification_opened) == "rectification_opened");
  CHECK(to_string(EventKind::rules_installed) == "rules_installed");
  CHECK(to_string(EventKind::rerouted) == "rerouted");
  CHECK(to_string(EventKind::deadlines_recomputed) == "deadlines_recomputed");
  CHECK(to_string(CaseState::revoked) == "revoked");
  CHECK(to_string(Verb::false_promise) == "false_promise");
  CHECK(to_string(EventKind::revoke) == "revoke");
  CHECK(to_string(EventKind::escalation_review_overdue) == "escalation_review_overdue");
  CHECK(to_string(EventKind::issue_overdue) == "issue_overdue");
  CHECK(to_string(EventKind::stage_overdue) == "stage_overdue");
  CHECK(to_string(EventKind::verification_overdue) == "verification_overdue");
  CHECK(to_string(Verification::false_commitment) == "false_commitment");
  CHECK(to_string(EventKind::send_unresolved) == "send_unresolved");
  CHECK(to_string(EventKind::settle_unresolved) == "settle_unresolved");
  CHECK(to_string(CoordinationState::handed) == "handed");
  CHECK(to_string(RatingChannel::window_device) == "window_device");
  CHECK(to_string(RectificationState::calling_back) == "calling_back");
  CHECK(to_string(RectificationState::closed) == "closed");
  CHECK(to_string(Holding::b_covering) == "b_covering");
}
