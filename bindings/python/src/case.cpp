// Cases, bundles, ratings, events and clocks as Python sees them: plain read-only snapshots
// whose enums are the canonical lower-case strings of case.hpp, plus the vocabularies as
// tuples so scripts can validate or enumerate without hard-coding them.
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "workflow/case.hpp"
#include "workflow/clock.hpp"

namespace workflow::python {
namespace {

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

bool concluded(CaseState s) {
  return s == CaseState::issued || s == CaseState::refused || s == CaseState::withdrawn ||
         s == CaseState::terminated || s == CaseState::revoked;
}

template <class Enum>
py::tuple tuple_of(Enum last) {
  const auto names = names_of(last);
  py::tuple out(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) out[i] = py::str(names[i]);
  return out;
}

void bind_vocabularies(py::module_& m) {
  m.attr("STATES") = tuple_of(CaseState::revoked);
  m.attr("VERBS") = tuple_of(Verb::reassign);
  m.attr("LIGHTS") = tuple_of(Light::escalated_red);
  m.attr("DECISIONS") = tuple_of(Decision::denied);
  m.attr("CHANNELS") = tuple_of(IssueChannel::e_certificate);
  m.attr("PROCEDURES") = tuple_of(SpecialProcedure::expert_review);
  m.attr("ABSENCE_KINDS") = tuple_of(AbsenceKind::field_work);
  m.attr("HOLDINGS") = tuple_of(Holding::unresolved);
  m.attr("EVENT_KINDS") = tuple_of(EventKind::reassign);
  m.attr("VERIFICATIONS") = tuple_of(Verification::false_commitment);
  m.attr("RATING_CHANNELS") = tuple_of(RatingChannel::phone);
  m.attr("SUBMISSION_CHANNELS") = tuple_of(SubmissionChannel::village_agent);
  m.attr("ASSISTANCE") = tuple_of(Assistance::township);
  m.attr("RECTIFICATION_STATES") = tuple_of(RectificationState::closed);
  m.attr("ORDER_STATES") = tuple_of(OrderState::escalated);
  m.attr("COORDINATION_STATES") = tuple_of(CoordinationState::settled);
}

void bind_event(py::module_& m) {
  py::class_<Event>(m, "Event", "One entry of a case's history.")
      .def_readonly("case_id", &Event::case_id)
      .def_readonly("seq", &Event::seq, "1, 2, ... within the case.")
      .def_property_readonly("kind", [](const Event& e) { return name(e.kind); },
                             "'submitted', a verb, or one of the engine's own kinds\n"
                             "('light_changed', 'handoff', 'deemed_accepted', ...).")
      .def_property_readonly(
          "verb",
          [](const Event& e) -> std::optional<std::string> {
            // Verb events follow `submitted` in EventKind, in the order of Verb (the case
            // verbs, then the rectification verbs, then the 告知承诺 follow-up verbs, then
            // the 办不成事 window's); the oversight verbs (督办, 改派) follow the engine's own kinds.
            const int k = static_cast<int>(e.kind);
            if ((k >= static_cast<int>(EventKind::accept) &&
                 k <= static_cast<int>(EventKind::settle_unresolved)) ||
                (k >= static_cast<int>(EventKind::order) &&
                 k <= static_cast<int>(EventKind::reassign))) {
              return name(e.kind);
            }
            return std::nullopt;
          },
          "The verb of a command event, None for 'submitted' and the engine's own events.")
      .def_readonly("time", &Event::time, "Hall-local time (naive datetime).")
      .def_readonly("actor", &Event::actor, "Staff id, or the system actor for timers.")
      .def_readonly("office", &Event::office)
      .def_readonly("post", &Event::post, "Post the actor acted for ('' for system events).")
      .def_readonly("reason", &Event::reason, "The reason given, or the engine's explanation.")
      .def_readonly("detail", &Event::detail, "Kind-specific facts, 'key=value; ...'.")
      .def_readonly("rules_version", &Event::rules_version)
      .def_property_readonly(
          "notify", [](const Event& e) { return non_empty(e.notify); },
          "帮办代办: the village agent to tell (whoever holds the case's agent post now), when\n"
          "the case was handed in by one and the event is news for the applicant (a notice,\n"
          "acceptance, decision, result, suspension, extension, termination); else None.")
      .def("__repr__", [](const Event& e) {
        return "<Event case " + std::to_string(e.case_id) + " #" + std::to_string(e.seq) + " " +
               name(e.kind) + " by " + e.actor + " at " + e.time.to_string() + ">";
      });
}

void bind_case_view(py::module_& m) {
  py::class_<CaseView>(m, "Case",
                       "A case (办件) as it stood when read: a snapshot, not a live object.\n"
                       "Engine.case() fills .history; Engine.cases() leaves it empty.")
      .def_readonly("id", &CaseView::id)
      .def_readonly("matter", &CaseView::matter, "Matter code.")
      .def_readonly("matter_name", &CaseView::matter_name)
      .def_property_readonly("kind", [](const CaseView& v) { return name(v.kind); },
                             "'instant', 'committed', 'escalated' or 'joint'.")
      .def_property_readonly("state", [](const CaseView& v) { return name(v.state); },
                             "One of workflow.STATES.")
      .def_readonly("suspended", &CaseView::suspended, "§45: the clock is stopped.")
      .def_property_readonly("concluded", [](const CaseView& v) { return concluded(v.state); },
                             "Issued, refused, withdrawn or terminated.")
      .def_property_readonly("decision", [](const CaseView& v) { return name(v.decision); },
                             "'none', 'approved' or 'denied'.")
      .def_readonly("office", &CaseView::office, "Office handling the current stage.")
      .def_readonly("accepting_office", &CaseView::accepting_office,
                    "Where the application was accepted (the applicant's window).")
      .def_readonly("handling_office", &CaseView::handling_office,
                    "The office that reviews and decides it.")
      .def_readonly("issuing_office", &CaseView::issuing_office,
                    "Where the result is issued: the accepting office, or (跨域通办) the office\n"
                    "the applicant asked for.")
      .def_readonly("cross_region", &CaseView::cross_region,
                    "跨域通办: accepted in one office, handled by another.")
      .def_readonly("post", &CaseView::post, "Post holding the current stage.")
      .def_readonly("holder", &CaseView::holder, "Staff id acting on it now.")
      .def_property_readonly("holding", [](const CaseView& v) { return name(v.holding); },
                             "'a_holder', 'b_covering' or 'unresolved'.")
      .def_readonly("applicant", &CaseView::applicant)
      .def_property_readonly("agent", [](const CaseView& v) { return non_empty(v.agent); },
                             "Village agent who submitted it (帮办代办), or None.")
      .def_property_readonly(
          "agent_post", [](const CaseView& v) { return non_empty(v.agent_post); },
          "That agent's post, whose holder follows the case; or None.")
      .def_property_readonly(
          "following_agent", [](const CaseView& v) { return non_empty(v.following_agent); },
          "Who holds agent_post now (B while A is away) and gets the notices; or None.")
      .def_property_readonly(
          "bundle",
          [](const CaseView& v) -> std::optional<BundleId> {
            if (v.bundle == 0) return std::nullopt;
            return v.bundle;
          },
          "Id of the bundle (一件事一次办) this case is a part of, or None.")
      .def_readonly("first_handler", &CaseView::first_handler, "首问负责制.")
      .def_property_readonly("channel", [](const CaseView& v) { return name(v.channel); },
                             "How the application came (渠道): one of SUBMISSION_CHANNELS.")
      .def_property_readonly("assisted", [](const CaseView& v) { return name(v.assisted); },
                             "帮办: none, county or township.")
      .def_property_readonly("delegation", [](const CaseView& v) { return non_empty(v.delegation); },
                             "Delegation id the case runs under, or None.")
      .def_property_readonly(
          "delegation_mode",
          [](const CaseView& v) -> std::optional<std::string> {
            if (!v.delegation_mode) return std::nullopt;
            return name(*v.delegation_mode);
          },
          "'window_forward', 'partial', 'full' or None.")
      .def_readonly("received", &CaseView::received)
      .def_readonly("accepted", &CaseView::accepted, "Acceptance date; None until accepted.")
      .def_readonly("promised_deadline", &CaseView::promised_deadline)
      .def_readonly("legal_deadline", &CaseView::legal_deadline)
      .def_readonly("supplement_deadline", &CaseView::supplement_deadline,
                    "容缺: tolerated materials due by this day, or None.")
      .def_property_readonly(
          "deadlines",
          [](const CaseView& v) {
            py::dict d;
            d["promised"] = py::cast(v.promised_deadline);
            d["legal"] = py::cast(v.legal_deadline);
            d["supplement"] = py::cast(v.supplement_deadline);
            return d;
          },
          "{'promised': date|None, 'legal': date|None, 'supplement': date|None}.")
      .def_readonly("missing_materials", &CaseView::missing_materials)
      .def_property_readonly("light", [](const CaseView& v) { return name(v.light); },
                             "One of workflow.LIGHTS ('none' until the clock starts).")
      .def_readonly("suspended_working_days", &CaseView::suspended_working_days)
      .def_readonly("extension_days", &CaseView::extension_days)
      .def_readonly("on_promise", &CaseView::on_promise, "Approved under 告知承诺制.")
      .def_readonly("excused_materials", &CaseView::excused_materials,
                    "告知承诺: materials the commitment stands in for (never missing).")
      .def_readonly("escalation_review_deadline", &CaseView::escalation_review_deadline,
                    "§43 上报件: the lower level reports up by this day, or None.")
      .def_property_readonly(
          "escalation_review_light",
          [](const CaseView& v) { return name(v.escalation_review_light); },
          "Light of the §43 review: green, yellow on its last day, red once overrun; 'none'\n"
          "where it does not apply.")
      .def_readonly("issue_deadline", &CaseView::issue_deadline,
                    "§44: an approval is issued by this day, or None.")
      .def_property_readonly("issue_light", [](const CaseView& v) { return name(v.issue_light); },
                             "Light of the §44 issue days (as escalation_review_light).")
      .def_property_readonly("stage", [](const CaseView& v) { return non_empty(v.stage); },
                             "The current back-office stage's name, or None.")
      .def_readonly("stage_deadline", &CaseView::stage_deadline,
                    "环节时限: the current stage's share_days end on this day, or None.")
      .def_property_readonly("stage_light", [](const CaseView& v) { return name(v.stage_light); },
                             "Light of the current stage's share (as escalation_review_light).")
      .def_readonly("overdue_stages", &CaseView::overdue_stages,
                    "Names of the stages that overran their share (环节超时).")
      .def_property_readonly(
          "verification", [](const CaseView& v) { return name(v.verification); },
          "告知承诺 verification: one of workflow.VERIFICATIONS ('none' for other cases).")
      .def_readonly("verification_deadline", &CaseView::verification_deadline,
                    "告知承诺: the commitment is verified by this day, or None.")
      .def_property_readonly(
          "verification_light", [](const CaseView& v) { return name(v.verification_light); },
          "Light of the verification days (as escalation_review_light).")
      .def_readonly("deadlines_provisional", &CaseView::deadlines_provisional,
                    "A deadline reaches into a calendar year whose official notice is not out\n"
                    "yet (statutory holidays only); recomputed once the official year is loaded.")
      .def_readonly("rating", &CaseView::rating, "The applicant's rating (好差评), or None.")
      .def_readonly("rectification", &CaseView::rectification,
                    "The rectification task a bad rating opened (差评整改), or None.")
      .def_readonly("orders", &CaseView::orders,
                    "Supervision orders (督办) issued on the case, oldest first (OrderView).")
      .def_readonly("reassignments", &CaseView::reassignments,
                    "Moves of the case's stage between posts of a unit (改派), oldest first.")
      .def_readonly("coordination", &CaseView::coordination,
                    "Its coordination at the 办不成事反映窗口 once sent there, or None.")
      .def_readonly("rules_version", &CaseView::rules_version)
      .def_readonly("history", &CaseView::history, "Events in order (empty from Engine.cases()).")
      .def("__repr__", [](const CaseView& v) {
        return "<Case " + std::to_string(v.id) + " " + v.matter + " " + name(v.state) + " at " +
               v.post + " light=" + name(v.light) + ">";
      });
}

void bind_ratings(py::module_& m) {
  py::class_<RatingView>(m, "RatingView", "An applicant's rating of a concluded case (好差评).")
      .def_readonly("score", &RatingView::score,
                    "5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意.")
      .def_property_readonly("channel", [](const RatingView& r) { return name(r.channel); },
                             "One of workflow.RATING_CHANNELS.")
      .def_readonly("named", &RatingView::named,
                    "实名: the applicant left a name and contact, so a bad rating is called back.")
      .def_readonly("comment", &RatingView::comment, "What the applicant wrote ('' if nothing).")
      .def_readonly("time", &RatingView::time, "When it was given (hall-local).")
      .def("__repr__", [](const RatingView& r) {
        return "<RatingView " + std::to_string(r.score) + " by " + name(r.channel) +
               (r.named ? " named" : " anonymous") + ">";
      });
  py::class_<RectificationView>(
      m, "RectificationView",
      "The task a bad rating (1-2) opens for the unit that handled the case (谁办理谁负责):\n"
      "verify, then rectify / explain / appeal, then call back (required if the rating was\n"
      "named), then close, within policy['rectification_days'] working days.")
      .def_property_readonly("state", [](const RectificationView& r) { return name(r.state); },
                             "One of workflow.RECTIFICATION_STATES.")
      .def_readonly("department", &RectificationView::department,
                    "Id of the department that owns the task.")
      .def_readonly("opened", &RectificationView::opened)
      .def_readonly("due", &RectificationView::due,
                    "opened + policy['rectification_days'] working days.")
      .def_readonly("closed", &RectificationView::closed, "The day it was closed, or None.")
      .def_property_readonly("light", [](const RectificationView& r) { return name(r.light); },
                             "'green', 'yellow' or 'red' (overdue); frozen when closed.")
      .def_property_readonly(
          "resolution", [](const RectificationView& r) { return non_empty(r.resolution); },
          "'rectify', 'explain' or 'appeal' once resolved, else None.")
      .def_readonly("called_back", &RectificationView::called_back,
                    "The applicant was called back (回访).")
      .def("__repr__", [](const RectificationView& r) {
        return "<RectificationView " + name(r.state) + " " + r.department + " due " +
               r.due.to_string() + " light=" + name(r.light) + ">";
      });
}

void bind_oversight(py::module_& m) {
  py::class_<OrderView>(
      m, "OrderView",
      "A supervision order (督办) on a case: issued to the unit holding it with a reason and a\n"
      "reply due in working days; the unit replies; the issuing side closes or escalates it.")
      .def_readonly("number", &OrderView::number, "1, 2, ... within the case.")
      .def_readonly("issued_by", &OrderView::issued_by, "Staff id of the issuer.")
      .def_readonly("issuer_post", &OrderView::issuer_post, "Their post (issues_orders).")
      .def_readonly("department", &OrderView::department, "The unit it is addressed to.")
      .def_readonly("reason", &OrderView::reason)
      .def_readonly("issued", &OrderView::issued)
      .def_readonly("reply_days", &OrderView::reply_days, "Working days to reply.")
      .def_readonly("due", &OrderView::due, "The reply is due by this day.")
      .def_property_readonly("state", [](const OrderView& o) { return name(o.state); },
                             "One of workflow.ORDER_STATES.")
      .def_property_readonly("light", [](const OrderView& o) { return name(o.light); },
                             "'green', 'yellow' (the last day), 'red' (late); frozen at the reply.")
      .def_readonly("replied", &OrderView::replied, "The day the unit replied, or None.")
      .def_property_readonly("replied_by", [](const OrderView& o) { return non_empty(o.replied_by); })
      .def_property_readonly("reply", [](const OrderView& o) { return non_empty(o.reply); })
      .def_readonly("replied_on_time", &OrderView::replied_on_time, "Replied by `due`.")
      .def_readonly("ended", &OrderView::ended, "The day it was closed or escalated, or None.")
      .def_property_readonly("ended_by", [](const OrderView& o) { return non_empty(o.ended_by); })
      .def_property_readonly("outcome", [](const OrderView& o) { return non_empty(o.outcome); },
                             "The reason given when closing or escalating it.")
      .def("__repr__", [](const OrderView& o) {
        return "<OrderView " + std::to_string(o.number) + " " + name(o.state) + " to " +
               o.department + " due " + o.due.to_string() + " light=" + name(o.light) + ">";
      });
  py::class_<ReassignmentView>(m, "ReassignmentView",
                               "A move of a case's stage to another post of its unit (改派).")
      .def_readonly("time", &ReassignmentView::time)
      .def_readonly("actor", &ReassignmentView::actor)
      .def_readonly("actor_post", &ReassignmentView::actor_post,
                    "The stage's supervisor post, or the unit leader's (reassigns).")
      .def_readonly("department", &ReassignmentView::department)
      .def_readonly("from_post", &ReassignmentView::from_post)
      .def_readonly("to_post", &ReassignmentView::to_post)
      .def_readonly("reason", &ReassignmentView::reason)
      .def("__repr__", [](const ReassignmentView& r) {
        return "<ReassignmentView " + r.from_post + " -> " + r.to_post + " by " + r.actor + ">";
      });
}

void bind_coordination(py::module_& m) {
  py::class_<CoordinationView>(
      m, "CoordinationView",
      "A case sent to the 办不成事反映窗口: why and by whom, the unit it was handed to with a\n"
      "due date in working days, and the outcome (send_unresolved, hand_to_unit,\n"
      "settle_unresolved).")
      .def_property_readonly("state", [](const CoordinationView& k) { return name(k.state); },
                             "One of workflow.COORDINATION_STATES.")
      .def_readonly("window", &CoordinationView::window, "The 办不成事 window's post id.")
      .def_readonly("window_office", &CoordinationView::window_office)
      .def_readonly("reason", &CoordinationView::reason, "Why it was sent there.")
      .def_readonly("sent_by", &CoordinationView::sent_by, "Staff id of the sender.")
      .def_readonly("sent_by_post", &CoordinationView::sent_by_post)
      .def_readonly("sent", &CoordinationView::sent)
      .def_property_readonly("unit", [](const CoordinationView& k) { return non_empty(k.unit); },
                             "Department id it was handed to, or None.")
      .def_property_readonly(
          "handed_by", [](const CoordinationView& k) { return non_empty(k.handed_by); },
          "Staff id who handed it on, or None.")
      .def_readonly("handed", &CoordinationView::handed, "The day it was handed on, or None.")
      .def_readonly("settle_days", &CoordinationView::settle_days,
                    "The settle limit in working days (0 until handed).")
      .def_readonly("due", &CoordinationView::due, "handed + settle_days working days, or None.")
      .def_property_readonly("light", [](const CoordinationView& k) { return name(k.light); },
                             "'none' until handed, then 'green', 'yellow' or 'red' (overdue);\n"
                             "frozen when settled.")
      .def_property_readonly(
          "outcome", [](const CoordinationView& k) { return non_empty(k.outcome); },
          "What was settled, or None.")
      .def_property_readonly(
          "settled_by", [](const CoordinationView& k) { return non_empty(k.settled_by); },
          "Staff id who recorded the outcome, or None.")
      .def_readonly("settled", &CoordinationView::settled, "The day it was settled, or None.")
      .def_readonly("on_time", &CoordinationView::on_time, "Settled on or before due.")
      .def("__repr__", [](const CoordinationView& k) {
        return "<CoordinationView " + name(k.state) + " at " + k.window +
               (k.unit.empty() ? std::string{} : " unit " + k.unit) + ">";
      });
}

void bind_bundle_view(py::module_& m) {
  py::class_<BundleView>(m, "BundleView",
                         "A bundle application (一件事一次办) as it stood when read: its parts\n"
                         "(one case per matter) and what they add up to.")
      .def_readonly("id", &BundleView::id)
      .def_readonly("bundle", &BundleView::bundle, "Bundle id in the rule set (RuleSet.bundle()).")
      .def_readonly("name", &BundleView::name)
      .def_readonly("office", &BundleView::office, "The accepting office.")
      .def_readonly("applicant", &BundleView::applicant)
      .def_readonly("parts", &BundleView::parts, "Case ids, in the rule's order of matters.")
      .def_readonly("received", &BundleView::received)
      .def_readonly("accepted", &BundleView::accepted,
                    "The day the last part was accepted; None while a part awaits materials.")
      .def_readonly("promised_deadline", &BundleView::promised_deadline,
                    "accepted + the bundle's own promised limit, or None.")
      .def_readonly("done", &BundleView::done, "Every part concluded.")
      .def_readonly("finished", &BundleView::finished,
                    "The day the last part concluded; None until done.")
      .def_property_readonly("light", [](const BundleView& b) { return name(b.light); },
                             "Against the bundle's own promise ('none' until accepted); frozen\n"
                             "when done.")
      .def_readonly("missing_materials", &BundleView::missing_materials,
                    "Everything any open part still lacks, each once.")
      .def_readonly("denied", &BundleView::denied, "Parts denied, refused or terminated.")
      .def("__repr__", [](const BundleView& b) {
        return "<BundleView " + std::to_string(b.id) + " " + b.bundle + " " +
               std::to_string(b.parts.size()) + " parts" + (b.done ? " done" : "") +
               " light=" + name(b.light) + ">";
      });
}

void bind_clocks(py::module_& m) {
  py::class_<Clock, std::shared_ptr<Clock>>(
      m, "Clock", "What the engine reads the time from: ManualClock or SystemClock.")
      .def("now", &Clock::now, "The current hall-local time.");
  py::class_<ManualClock, Clock, std::shared_ptr<ManualClock>>(
      m, "ManualClock",
      "A clock that moves only when told: for tests and simulations.\n\n"
      "Engine.advance_to(t) fires the timers due by t and moves this clock to t; set()\n"
      "moves the clock alone (timers then fire before the engine's next command).")
      .def(py::init<DateTime>(), py::arg("start"))
      .def("set", &ManualClock::set, py::arg("t"), "Sets the time (backwards allowed here).");
  py::class_<SystemClock, Clock, std::shared_ptr<SystemClock>>(
      m, "SystemClock", "The wall clock in China Standard Time (UTC+8), whatever the machine's zone.")
      .def(py::init<>());
}

}  // namespace

void bind_case(py::module_& m) {
  bind_vocabularies(m);
  bind_event(m);
  bind_ratings(m);  // before Case, whose .rating and .rectification return them
  bind_oversight(m);  // before Case, whose .orders and .reassignments return them
  bind_coordination(m);  // likewise .coordination
  bind_case_view(m);
  bind_bundle_view(m);
  bind_clocks(m);
}

}  // namespace workflow::python
