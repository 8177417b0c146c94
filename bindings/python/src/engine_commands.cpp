// workflow.Engine's commands (on cases, on bundles, ratings), queries, roster, time and
// observers. Every call into the C++ engine runs with the GIL released: commands wait for the
// store's sync, and observers (which take the GIL) run on the commanding thread, so holding the
// GIL across a call could deadlock against another Python thread.
#include <algorithm>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "py_engine.hpp"
#include "workflow/rule_changes.hpp"

namespace workflow::python {
namespace {

// The details (keyword arguments beyond actor and request_id) each verb uses: the fields of
// workflow::Action the engine reads for it (case.hpp, docs/engine.md). Every verb records a
// reason if given; the ones whose reason the engine requires are listed in kActDoc.
std::vector<std::string> details_of(Verb v) {
  switch (v) {
    case Verb::accept: return {"tolerate_missing", "on_promise"};
    case Verb::supplement: return {"materials"};
    case Verb::issue: return {"channel"};
    case Verb::suspend: return {"reason", "procedure", "days"};
    case Verb::extend: return {"reason", "days"};
    case Verb::refuse: case Verb::review_return: case Verb::deny: case Verb::higher_deny:
    case Verb::opinion_disagree: case Verb::resume: case Verb::withdraw: case Verb::terminate:
    case Verb::verify: case Verb::rectify: case Verb::explain: case Verb::appeal:
    case Verb::call_back: case Verb::close_rectification: case Verb::confirm_promise:
    case Verb::false_promise: case Verb::revoke: case Verb::send_unresolved:
    case Verb::settle_unresolved:
      return {"reason"};
    case Verb::order: return {"reason", "days"};
    case Verb::reply_order: case Verb::close_order: case Verb::escalate_order:
      return {"reason", "order"};
    case Verb::reassign: return {"reason", "to_post"};
    case Verb::hand_to_unit: return {"unit", "days", "reason"};
    default: return {};
  }
}

// The Action of act()/act_bundle(): a detail the verb does not use is a TypeError naming it
// and the verb (None means "not given").
Action action_of(const char* method, Verb verb, std::string actor, const py::object& reason,
                 const py::object& materials, const py::object& days, const py::object& procedure,
                 const py::object& tolerate_missing, const py::object& on_promise,
                 const py::object& channel, const py::object& to_post, const py::object& order,
                 const py::object& unit,
                 const std::optional<std::string>& request_id) {
  const std::vector<std::string> uses = details_of(verb);
  const std::pair<const char*, const py::object*> given[] = {
      {"reason", &reason}, {"materials", &materials}, {"days", &days},
      {"procedure", &procedure}, {"tolerate_missing", &tolerate_missing},
      {"on_promise", &on_promise}, {"channel", &channel}, {"to_post", &to_post},
      {"order", &order}, {"unit", &unit}};
  for (const auto& [key, value] : given) {
    if (value->is_none() || std::find(uses.begin(), uses.end(), key) != uses.end()) continue;
    std::string takes = "actor";
    for (const std::string& u : uses) takes += ", " + u;
    throw py::type_error(std::string(method) + "(): verb '" + name(verb) +
                         "' takes no keyword argument '" + key + "' (it takes " + takes +
                         ", request_id)");
  }
  Action a;
  a.actor = std::move(actor);
  if (!reason.is_none()) a.reason = reason.cast<std::string>();
  if (!materials.is_none()) a.materials = materials.cast<std::vector<std::string>>();
  if (!days.is_none()) a.days = days.cast<int>();
  if (!procedure.is_none()) {
    a.procedure = parse_name(parse_special_procedure, procedure.cast<std::string>(), "procedure",
                             SpecialProcedure::expert_review);
  }
  if (!tolerate_missing.is_none()) a.tolerate_missing = tolerate_missing.cast<bool>();
  if (!on_promise.is_none()) a.on_promise = on_promise.cast<bool>();
  if (!channel.is_none()) {
    a.channel = parse_name(parse_issue_channel, channel.cast<std::string>(), "channel",
                           IssueChannel::e_certificate);
  }
  if (!to_post.is_none()) a.to_post = to_post.cast<std::string>();
  if (!order.is_none()) {
    const long n = order.cast<long>();
    if (n < 0) throw py::value_error("order is a supervision order's number, 1 or more");
    a.order = static_cast<std::uint32_t>(n);
  }
  if (!unit.is_none()) a.unit = unit.cast<std::string>();
  a.request_id = request_id.value_or("");
  return a;
}

// The last verb: every verb runs 0..kLastVerb (the case verbs, then the rectification verbs,
// the 告知承诺 follow-up, the 办不成事 window's verbs and the oversight verbs).
constexpr Verb kLastVerb = Verb::reassign;

// act() and act_bundle(): the subject, the verb, then every detail keyword-only, None when
// not given. The named verb methods (engine.accept(...), ...) are defined in Python
// (workflow/_verbs.py) from VERB_DETAILS, each with exactly its own keywords.
template <class Class, class F>
void def_command(Class& cls, const char* name, const char* subject, F f, const char* doc) {
  cls.def(name, f, py::arg(subject), py::arg("verb"), py::kw_only(), py::arg("actor"),
          py::arg("reason") = py::none(), py::arg("materials") = py::none(),
          py::arg("days") = py::none(), py::arg("procedure") = py::none(),
          py::arg("tolerate_missing") = py::none(), py::arg("on_promise") = py::none(),
          py::arg("channel") = py::none(), py::arg("to_post") = py::none(),
          py::arg("order") = py::none(), py::arg("unit") = py::none(),
          py::arg("request_id") = py::none(), doc);
}

const char* const kActDoc =
    "Gives a command on a case.\n\n"
    "verb: one of workflow.VERBS. actor: staff id (required). Each verb takes only the\n"
    "details it uses (workflow.VERB_DETAILS); another one raises TypeError naming it:\n"
    "reason: refuse, review_return, deny, higher_deny, opinion_disagree, suspend, extend,\n"
    "withdraw, terminate and the rectification verbs verify, rectify, explain, appeal,\n"
    "call_back (required: what was found or done); resume and close_rectification (optional).\n"
    "materials: supplement. days: suspend (expected working days), extend (added days).\n"
    "procedure: suspend, one of workflow.PROCEDURES. tolerate_missing / on_promise: accept.\n"
    "channel: issue, one of workflow.CHANNELS (default 'pickup'). request_id (every verb): a\n"
    "retry with the same id is answered without being redone.\n\n"
    "Raises NotFound, PermissionDenied, InvalidTransition, InvalidArgument (e.g. a required\n"
    "reason missing), CalendarError or StoreError; a refused command changes nothing (a\n"
    "refused attempt by someone without the stage is recorded as a 'permission_denied' event).\n\n"
    "On a concluded case with a bad rating, the rectification verbs work its task (差评整改),\n"
    "in order: verify; then rectify, explain or appeal; then call_back (required when the\n"
    "rating was named); then close_rectification. They are given by the unit that handled\n"
    "the case (its posts, A or B, or their supervisor).\n\n"
    "An approval on commitment (告知承诺, accept with on_promise) is followed up by the\n"
    "deciding organ: confirm_promise (reason optional) or false_promise (reason required) by\n"
    "one of its back-office posts, then, after a false commitment, revoke (reason required)\n"
    "by its head (a post with approves_extensions): the case ends 'revoked'. accept may\n"
    "combine tolerate_missing and on_promise where the matter allows 告知承诺: the 容缺\n"
    "materials missing are owed, the rest excused.\n\n"
    "Oversight (督办, 改派): order (reason required; days: the reply limit, default the\n"
    "rules' order_reply_days) by a post with issues_orders over the unit holding the case;\n"
    "reply_order (reason: the reply) by that unit; close_order / escalate_order by the issuing\n"
    "side; order: the order's number when several apply. reassign (reason, to_post) by the\n"
    "stage's supervisor or the unit's leader (reassigns), to another post of the same unit\n"
    "and role. See Case.orders and Case.reassignments.\n\n"
    "The 办不成事反映窗口 (Case.coordination): send_unresolved (reason required) by a post\n"
    "with sends_unresolved (a window or a supervisor); hand_to_unit by the window (its\n"
    "holders or supervisor) with unit (a department id that handles the matter, required),\n"
    "days (the settle limit in working days, 0 or omitted: policy['unresolved_settle_days'])\n"
    "and an optional reason; settle_unresolved (reason: the outcome, required) by the window\n"
    "or the unit (its A and B, even marked away, whoever holds its posts, or their\n"
    "supervisor).";

const char* const kActBundleDoc =
    "Gives a window command to every part of a bundle it applies to now: accept, refuse,\n"
    "notify_missing, supplement, issue or withdraw, with the same details as Engine.act.\n"
    "One notice of missing materials lists everything the bundle lacks; materials brought\n"
    "(supplement) are shared out to the parts that need them. All parts or none.\n\n"
    "Raises NotFound (bundle, actor), InvalidArgument (not a window verb: give it on the\n"
    "part's case), PermissionDenied (the actor may not act on one of the parts) or\n"
    "InvalidTransition (accept while a part still lacks materials, or a verb that applies\n"
    "to no part now).";

void bind_commands(py::class_<PyEngine>& cls) {
  def_command(
      cls, "act", "case_id",
      [](PyEngine& self, CaseId id, const std::string& verb, std::string actor,
         const py::object& reason, const py::object& materials, const py::object& days,
         const py::object& procedure, const py::object& tolerate_missing,
         const py::object& on_promise, const py::object& channel, const py::object& to_post,
         const py::object& order, const py::object& unit,
         std::optional<std::string> request_id) {
        const Verb v = parse_name(parse_verb, verb, "verb", kLastVerb);
        const Action a = action_of("act", v, std::move(actor), reason, materials, days,
                                   procedure, tolerate_missing, on_promise, channel, to_post,
                                   order, unit, request_id);
        auto engine = self.get();
        py::gil_scoped_release unlocked;
        engine->act(id, v, a);
      },
      kActDoc);
}

void bind_bundle_and_rating_commands(py::class_<PyEngine>& cls) {
  def_command(
      cls, "act_bundle", "bundle_id",
      [](PyEngine& self, BundleId id, const std::string& verb, std::string actor,
         const py::object& reason, const py::object& materials, const py::object& days,
         const py::object& procedure, const py::object& tolerate_missing,
         const py::object& on_promise, const py::object& channel, const py::object& to_post,
         const py::object& order, const py::object& unit,
         std::optional<std::string> request_id) {
        const Verb v = parse_name(parse_verb, verb, "verb", kLastVerb);
        const Action a = action_of("act_bundle", v, std::move(actor), reason, materials, days,
                                   procedure, tolerate_missing, on_promise, channel, to_post,
                                   order, unit, request_id);
        auto engine = self.get();
        py::gil_scoped_release unlocked;
        engine->act_bundle(id, v, a);
      },
      kActBundleDoc);
  cls.def(
      "rate",
      [](PyEngine& self, CaseId id, int score, const std::string& channel, bool named,
         std::string comment, const std::optional<std::string>& request_id) {
        Rating r;
        r.score = score;
        r.channel =
            parse_name(parse_rating_channel, channel, "rating channel", RatingChannel::phone);
        r.named = named;
        r.comment = std::move(comment);
        r.request_id = request_id.value_or("");
        auto engine = self.get();
        py::gil_scoped_release unlocked;
        engine->rate(id, r);
      },
      py::arg("case_id"), py::arg("score"), py::kw_only(), py::arg("channel") = "window_device",
      py::arg("named") = false, py::arg("comment") = "", py::arg("request_id") = py::none(),
      "Records the applicant's rating of a concluded case (好差评), once per case.\n\n"
      "score: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. channel: one of\n"
      "workflow.RATING_CHANNELS. named (实名): the applicant left a name and contact, so a bad\n"
      "rating must be called back. A score of 1-2 opens a rectification task for the unit that\n"
      "handled the case (Case.rectification), worked with the rectification verbs of act().\n\n"
      "Raises NotFound, InvalidTransition (not concluded, already rated) or InvalidArgument\n"
      "(score outside 1-5, unknown channel).");
}

void bind_queries(py::class_<PyEngine>& cls) {
  cls.def(
         "available_actions",
         [](PyEngine& self, CaseId id, const std::string& actor) {
           auto engine = self.get();
           std::vector<Verb> verbs;
           {
             py::gil_scoped_release unlocked;
             verbs = engine->available_actions(id, actor);
           }
           std::vector<std::string> out;
           for (Verb v : verbs) out.push_back(name(v));
           return out;
         },
         py::arg("case_id"), py::arg("actor"),
         "The verbs `actor` may give on the case now (empty if none; for a concluded case,\n"
         "the rectification verbs of its open task).")
      .def(
          "case",
          [](PyEngine& self, CaseId id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->get(id);
          },
          py::arg("case_id"), "The case with its full history. Raises NotFound.")
      .def(
          "view",
          [](PyEngine& self, CaseId id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->view(id);
          },
          py::arg("case_id"),
          "The case without its history (.history is empty): much cheaper than case(), for\n"
          "the state, holder, lights and deadlines. Raises NotFound.")
      .def(
          "holder",
          [](PyEngine& self, CaseId id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->holder(id);
          },
          py::arg("case_id"),
          "The staff id acting on the case now (Case.holder), the cheapest look-up. Raises\n"
          "NotFound.")
      .def(
          "cases",
          [](PyEngine& self, std::optional<std::string> state, std::optional<std::string> office,
             std::optional<std::string> light, std::optional<std::string> post,
             std::optional<std::string> matter, std::optional<bool> suspended,
             std::optional<std::string> agent, std::optional<BundleId> bundle,
             std::optional<bool> on_promise, std::optional<bool> verification_due) {
            CaseFilter filter;
            if (state) filter.state = parse_name(parse_case_state, *state, "state", CaseState::revoked);
            if (light) filter.light = parse_name(parse_light, *light, "light", Light::escalated_red);
            filter.office = office.value_or("");
            filter.post = post.value_or("");
            filter.matter = matter.value_or("");
            filter.suspended = suspended;
            filter.agent = agent.value_or("");
            filter.bundle = bundle;
            filter.on_promise = on_promise;
            filter.verification_due = verification_due;
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->list(filter);
          },
          py::kw_only(), py::arg("state") = py::none(), py::arg("office") = py::none(),
          py::arg("light") = py::none(), py::arg("post") = py::none(),
          py::arg("matter") = py::none(), py::arg("suspended") = py::none(),
          py::arg("agent") = py::none(), py::arg("bundle") = py::none(),
          py::arg("on_promise") = py::none(), py::arg("verification_due") = py::none(),
          "Cases matching every filter given, in id order, without history. `office`\n"
          "matches the office the case is at now, or where it is accepted, handled or issued.\n"
          "`agent`: a staff id; the cases whose agent post (帮办代办) they hold now. `bundle`:\n"
          "a bundle id; its parts. `on_promise`: approved on commitment (告知承诺) or not.\n"
          "`verification_due`: the commitment's verification is still to be recorded or not.")
      .def(
          "bundle",
          [](PyEngine& self, BundleId id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->get_bundle(id);
          },
          py::arg("bundle_id"), "The bundle (一件事一次办) with this id. Raises NotFound.")
      .def(
          "bundles",
          [](PyEngine& self) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->list_bundles();
          },
          "Every bundle, in id order.")
      .def(
          "next_due",
          [](PyEngine& self) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->next_due();
          },
          "The earliest pending timer, or None.")
      .def(
          "now",
          [](PyEngine& self) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->now();
          },
          "The engine clock's current time.");
}

void bind_time_and_roster(py::class_<PyEngine>& cls) {
  cls.def(
         "advance_to",
         [](PyEngine& self, DateTime t) {
           auto engine = self.get();
           py::gil_scoped_release unlocked;
           engine->advance_to(t);
         },
         py::arg("t"),
         "Fires every timer due at or before `t` in order (events stamped with their due\n"
         "time), then moves a ManualClock to `t`. Going back is a no-op.")
      .def(
          "mark_away",
          [](PyEngine& self, const std::string& staff, const std::string& kind, DateTime until,
             std::optional<DateTime> start, const std::string& actor,
             const std::optional<std::string>& request_id) {
            const AbsenceKind k = parse_name(parse_absence_kind, kind, "absence kind",
                                             AbsenceKind::field_work);
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            engine->mark_away(staff, k, start.value_or(engine->now()), until, actor,
                              request_id.value_or(""));
          },
          py::arg("staff"), py::arg("kind"), py::kw_only(), py::arg("until"),
          py::arg("start") = py::none(), py::arg("actor"), py::arg("request_id") = py::none(),
          "The status board (去向牌): `staff` is away from `start` (default: now) until\n"
          "`until` (exclusive). kind: one of workflow.ABSENCE_KINDS. Work of the posts they\n"
          "hold as A passes to B. `actor` records who put it on the board (named in the\n"
          "handoff events); `request_id` makes a retry harmless. Raises NotFound,\n"
          "InvalidArgument if until <= start.")
      .def(
          "mark_back",
          [](PyEngine& self, const std::string& staff, const std::string& actor,
             const std::optional<std::string>& request_id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            engine->mark_back(staff, actor, request_id.value_or(""));
          },
          py::arg("staff"), py::kw_only(), py::arg("actor"), py::arg("request_id") = py::none(),
          "Ends the staff member's absence now: new work goes to them again.");
}

void bind_observers(py::class_<PyEngine>& cls) {
  cls.def(
         "on_event",
         [](PyEngine& self, py::function callback) {
           auto engine = self.get();
           auto holder = std::make_shared<PyObserver>(std::move(callback));
           Observer observer = [holder](const Event& e) { (*holder)(e); };
           py::gil_scoped_release unlocked;
           return engine->subscribe(std::move(observer));
         },
         py::arg("callback"),
         "Calls callback(event) for every event once it is durable, in order, on the thread\n"
         "that gave the command (or advance_to). Returns a token for unsubscribe().\n\n"
         "An exception raised by the callback does not undo or fail the command (it is\n"
         "already durable) and does not stop the other observers: it is reported through\n"
         "sys.unraisablehook, like an exception in a weakref callback.")
      .def(
          "unsubscribe",
          [](PyEngine& self, std::uint64_t token) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            engine->unsubscribe(token);
          },
          py::arg("token"), "Stops the observer registered with on_event (unknown tokens: no-op).");
}

void bind_rule_install(py::class_<PyEngine>& cls) {
  cls.def(
         "plan_rules",
         [](PyEngine& self, const LoadedRules& rules, const std::string& actor) {
           auto engine = self.get();
           py::gil_scoped_release unlocked;
           return engine->plan_rules(rules.rules, actor);
         },
         py::arg("rules"), py::kw_only(), py::arg("actor"),
         "What installing `rules` would do (an InstallPlan), changing nothing: the changes,\n"
         "the open cases, those that keep their old terms, the cases rerouted, the absences\n"
         "dropped and every problem (plan.ok is False if there are any).")
      .def(
          "install_rules",
          [](PyEngine& self, const LoadedRules& rules, const std::string& actor) {
            auto engine = self.get();
            InstallPlan plan;
            {
              py::gil_scoped_release unlocked;
              plan = engine->install_rules(rules.rules, actor);
            }
            self.rules = rules;
            return plan;
          },
          py::arg("rules"), py::kw_only(), py::arg("actor"),
          "Installs `rules` on the live engine in one audited commit (a 'rules_installed'\n"
          "event of case 0 by `actor`, a 'rerouted' event per case moved) and returns the\n"
          "InstallPlan as done. Open cases keep the terms of the version they were accepted\n"
          "under; new cases take the new one. Raises InvalidArgument listing every problem\n"
          "(unknown actor, an office with open cases removed, ...) and then changes nothing.")
      .def(
          "installed_rules",
          [](PyEngine& self) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->installed_rules();
          },
          "Every rule set the store's cases have run under, in install order (list of\n"
          "InstalledRules; the last is the running one).")
      .def(
          "update_calendar",
          [](PyEngine& self, const Calendar& calendar) {
            auto engine = self.get();
            {
              py::gil_scoped_release unlocked;
              engine->update_calendar(calendar);
            }
            self.calendar = calendar;
          },
          py::arg("calendar"),
          "Replaces the working-day calendar (typically when the State Council's notice for a\n"
          "provisional year is loaded): each open case whose deadlines reached into a year now\n"
          "official is recomputed once, with a deadlines_recomputed event giving the old and\n"
          "new dates. Raises InvalidArgument if the new calendar lacks a year the old one had.");
}

}  // namespace

void bind_engine_commands(py::module_& m, py::class_<PyEngine>& cls) {
  py::dict details;
  for (const std::string& verb : names_of(kLastVerb)) {
    details[py::str(verb)] = py::tuple(py::cast(details_of(*parse_verb(verb))));
  }
  m.attr("VERB_DETAILS") = details;
  bind_rule_install(cls);
  bind_commands(cls);
  bind_bundle_and_rating_commands(cls);
  bind_queries(cls);
  bind_time_and_roster(cls);
  bind_observers(cls);
}

}  // namespace workflow::python
