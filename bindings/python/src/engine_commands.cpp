// workflow.Engine's commands, queries, roster, time and observers. Every call into the C++
// engine runs with the GIL released: commands wait for the store's sync, and observers (which
// take the GIL) run on the commanding thread, so holding the GIL across a call could deadlock
// against another Python thread.
#include <optional>
#include <string>
#include <vector>

#include "py_engine.hpp"

namespace workflow::python {
namespace {

Action action_of(std::string actor, std::string reason, std::vector<std::string> materials,
                 int days, const std::optional<std::string>& procedure, bool tolerate_missing,
                 bool on_promise, const std::string& channel,
                 const std::optional<std::string>& request_id) {
  Action a;
  a.actor = std::move(actor);
  a.reason = std::move(reason);
  a.materials = std::move(materials);
  a.days = days;
  if (procedure) {
    a.procedure = parse_name(parse_special_procedure, *procedure, "procedure",
                             SpecialProcedure::expert_review);
  }
  a.tolerate_missing = tolerate_missing;
  a.on_promise = on_promise;
  a.channel = parse_name(parse_issue_channel, channel, "channel", IssueChannel::e_certificate);
  a.request_id = request_id.value_or("");
  return a;
}

void run_act(PyEngine& self, CaseId id, Verb verb, Action action) {
  auto engine = self.get();
  py::gil_scoped_release unlocked;
  engine->act(id, verb, action);
}

// Defines one case command with the shared keyword-only details, so act() and the 19 named
// verb methods take exactly the same arguments.
template <bool WithVerb, class Class, class F>
void def_command(Class& cls, const char* name, F f, const char* doc) {
  auto details = [&](auto... head) {
    cls.def(name, f, py::arg("case_id"), head..., py::kw_only(), py::arg("actor"),
            py::arg("reason") = "", py::arg("materials") = std::vector<std::string>{},
            py::arg("days") = 0, py::arg("procedure") = py::none(),
            py::arg("tolerate_missing") = false, py::arg("on_promise") = false,
            py::arg("channel") = "pickup", py::arg("request_id") = py::none(), doc);
  };
  if constexpr (WithVerb) {
    details(py::arg("verb"));
  } else {
    details();
  }
}

const char* const kActDoc =
    "Gives a command on a case.\n\n"
    "verb: one of workflow.VERBS. actor: staff id (required). reason: required for refuse,\n"
    "review_return, deny, higher_deny, opinion_disagree, suspend, extend, withdraw, terminate.\n"
    "materials: supplement. days: suspend (expected working days), extend (added days).\n"
    "procedure: suspend, one of workflow.PROCEDURES. tolerate_missing / on_promise: accept.\n"
    "channel: issue, one of workflow.CHANNELS. request_id: a retry with the same id is\n"
    "answered without being redone.\n\n"
    "Raises NotFound, PermissionDenied, InvalidTransition, InvalidArgument, CalendarError or\n"
    "StoreError; a refused command changes nothing (a refused attempt by someone without the\n"
    "stage is recorded as a 'permission_denied' event).";

void bind_commands(py::class_<PyEngine>& cls) {
  def_command<true>(
      cls, "act",
      [](PyEngine& self, CaseId id, const std::string& verb, std::string actor, std::string reason,
         std::vector<std::string> materials, int days, std::optional<std::string> procedure,
         bool tolerate_missing, bool on_promise, std::string channel,
         std::optional<std::string> request_id) {
        const Verb v = parse_name(parse_verb, verb, "verb", Verb::terminate);
        run_act(self, id, v,
                action_of(std::move(actor), std::move(reason), std::move(materials), days,
                          procedure, tolerate_missing, on_promise, channel, request_id));
      },
      kActDoc);
  for (const std::string& verb : names_of(Verb::terminate)) {
    const Verb v = *parse_verb(verb);
    const std::string doc = "engine.act(case_id, '" + verb + "', ...): see Engine.act.";
    def_command<false>(
        cls, verb.c_str(),
        [v](PyEngine& self, CaseId id, std::string actor, std::string reason,
            std::vector<std::string> materials, int days, std::optional<std::string> procedure,
            bool tolerate_missing, bool on_promise, std::string channel,
            std::optional<std::string> request_id) {
          run_act(self, id, v,
                  action_of(std::move(actor), std::move(reason), std::move(materials), days,
                            procedure, tolerate_missing, on_promise, channel, request_id));
        },
        doc.c_str());
  }
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
         "The verbs `actor` may give on the case now (empty if none or concluded).")
      .def(
          "case",
          [](PyEngine& self, CaseId id) {
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->get(id);
          },
          py::arg("case_id"), "The case with its full history. Raises NotFound.")
      .def(
          "cases",
          [](PyEngine& self, std::optional<std::string> state, std::optional<std::string> office,
             std::optional<std::string> light, std::optional<std::string> post,
             std::optional<std::string> matter, std::optional<bool> suspended) {
            CaseFilter filter;
            if (state) filter.state = parse_name(parse_case_state, *state, "state", CaseState::terminated);
            if (light) filter.light = parse_name(parse_light, *light, "light", Light::escalated_red);
            filter.office = office.value_or("");
            filter.post = post.value_or("");
            filter.matter = matter.value_or("");
            filter.suspended = suspended;
            auto engine = self.get();
            py::gil_scoped_release unlocked;
            return engine->list(filter);
          },
          py::kw_only(), py::arg("state") = py::none(), py::arg("office") = py::none(),
          py::arg("light") = py::none(), py::arg("post") = py::none(),
          py::arg("matter") = py::none(), py::arg("suspended") = py::none(),
          "Cases matching every filter given, in id order, without history. `office`\n"
          "matches the handling or the accepting office.")
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

}  // namespace

void bind_engine_commands(py::class_<PyEngine>& cls) {
  bind_commands(cls);
  bind_queries(cls);
  bind_time_and_roster(cls);
  bind_observers(cls);
}

}  // namespace workflow::python
