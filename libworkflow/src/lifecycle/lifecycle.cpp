// The case lifecycle as one Boost.MSM state machine (functor front-end).
//
// A case keeps only its LifecycleState (two bytes). The machine object holds no case data:
// it is a flyweight. To fire a trigger we load the stored state into a machine, let MSM
// process the event, and read the state back. Per-matter differences (instant, committed,
// escalated, joint; 容缺, 告知承诺, stages, opinions) come in through Facts, read by guards.
//
// Two orthogonal regions:
//   1. the phase: received → ... → decided → issued, or refused / withdrawn / terminated;
//   2. the clock: Running ↔ Suspended (§45 hearing, inspection, appraisal ...). Suspended is an
//      MSM interrupt state: while it is active only resume, withdraw and terminate get
//      through, and the phase is kept as it was.
//
// Built as C++17 (Boost 1.74's MSM fails as C++20); includes only lifecycle.hpp, std, Boost.
#include "lifecycle/lifecycle.hpp"

#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#define BOOST_ALLOW_DEPRECATED_HEADERS

#include <array>
#include <cstddef>

#include <boost/mpl/push_back.hpp>
#include <boost/mpl/size.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

// A short namespace at global scope rather than workflow::detail::(anonymous namespace): MSM
// spells these names out in nearly every type it instantiates, the debug info of this TU is
// dominated by such names, and a long prefix costs several seconds of build time.
namespace wflc {
using workflow::detail::Facts;
using workflow::detail::LifecycleState;
using workflow::detail::Path;
using workflow::detail::Phase;
using workflow::detail::phase_count;
using workflow::detail::Trigger;

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;

// ---- Events: one type per trigger, carrying the case's facts for the guards ---------------
struct EventBase {
  const Facts* facts;
};
namespace ev {
struct accept : EventBase {};
struct refuse : EventBase {};
struct notify_missing : EventBase {};
struct supplement : EventBase {};
struct review_pass : EventBase {};
struct review_return : EventBase {};
struct approve : EventBase {};
struct deny : EventBase {};
struct report_up : EventBase {};
struct higher_approve : EventBase {};
struct higher_deny : EventBase {};
struct opinion_agree : EventBase {};
struct opinion_disagree : EventBase {};
struct issue : EventBase {};
struct suspend : EventBase {};
struct resume : EventBase {};
struct extend : EventBase {};
struct withdraw : EventBase {};
struct terminate : EventBase {};
struct deemed_accept : EventBase {};
struct opinion_deemed : EventBase {};
struct supplement_overdue : EventBase {};
struct revoke : EventBase {};
}  // namespace ev

// ---- States ---------------------------------------------------------------------------------
// Set on the phases where the time limit runs (accepted, not yet decided): only there can a
// §45 procedure stop the clock.
struct ClockRunning {};

struct Received : msm::front::state<> {};
struct AwaitingMaterials : msm::front::state<> {};
struct ClockPhase : msm::front::state<> {
  typedef mpl::vector1<ClockRunning> flag_list;
};
struct OnTheSpot : ClockPhase {};
struct PreliminaryReview : ClockPhase {};
struct BackOfficeReview : ClockPhase {};
struct Opinions : ClockPhase {};
struct Escalated : ClockPhase {};
struct Decided : msm::front::state<> {};
struct Issued : msm::front::state<> {};
struct Refused : msm::front::state<> {};
struct Withdrawn : msm::front::state<> {};
struct Terminated : msm::front::state<> {};
struct Revoked : msm::front::state<> {};

struct Running : msm::front::state<> {};
// While a §45 procedure runs every trigger but these is blocked; the phase is untouched.
struct Suspended
    : msm::front::interrupt_state<mpl::vector3<ev::resume, ev::withdraw, ev::terminate>> {};

// ---- Guards: read the facts the engine put on the event -------------------------------------
// Rows sharing a source and an event have mutually exclusive guards, so MSM's row order
// never decides anything.
#define WORKFLOW_GUARD(Name, ...)                                    \
  struct Name {                                                      \
    template <class E, class M, class S, class T>                    \
    bool operator()(const E& e, M&, S&, T&) const {                  \
      const Facts& f = *e.facts;                                     \
      return __VA_ARGS__;                                            \
    }                                                                \
  };

// Intake: complete, or only 容缺-eligible items missing and the window accepts under 容缺.
inline bool materials_ok(const Facts& f) {
  return f.materials_complete || (f.only_tolerable_missing && f.tolerate_missing);
}
WORKFLOW_GUARD(AcceptOnTheSpot, materials_ok(f) && !f.on_promise && f.path == Path::instant)
WORKFLOW_GUARD(AcceptForReview, materials_ok(f) && !f.on_promise && f.path != Path::instant)
// 告知承诺制: the proof is not demanded, so the materials check does not apply; instant
// matters are decided on the spot anyway and never take this route.
WORKFLOW_GUARD(AcceptOnPromise, f.on_promise && f.promise_allowed && f.path != Path::instant)
WORKFLOW_GUARD(IsInstant, f.path == Path::instant)
WORKFLOW_GUARD(NotInstant, f.path != Path::instant)
WORKFLOW_GUARD(MaterialsMissing, !f.materials_complete)
// Preliminary review (初审) passed: where the case goes depends on the matter's kind.
WORKFLOW_GUARD(ToStages, f.path == Path::committed || (f.path == Path::escalated && f.has_stages))
WORKFLOW_GUARD(UpWithoutStages, f.path == Path::escalated && !f.has_stages)
WORKFLOW_GUARD(ToOpinions, f.path == Path::joint)
// Back-office stages: the engine keeps the stage index; the machine only says whether the
// step is allowed.
WORKFLOW_GUARD(MoreStages, !f.at_last_stage)
WORKFLOW_GUARD(NotFirstStage, !f.at_first_stage)
WORKFLOW_GUARD(FirstStage, f.at_first_stage)
WORKFLOW_GUARD(DecideHere, f.path == Path::committed && f.at_last_stage)
WORKFLOW_GUARD(UpAfterStages, f.path == Path::escalated && f.at_last_stage)
// Joint case (联办): opinions come in parallel; the lead decides once all have answered.
WORKFLOW_GUARD(OpinionsPending, f.opinions_pending)
WORKFLOW_GUARD(AllAgreed, !f.opinions_pending && f.opinions_all_agree)
WORKFLOW_GUARD(AllAnswered, !f.opinions_pending)
WORKFLOW_GUARD(TolerancePending, f.tolerance_pending)  // 容缺 materials still owed
WORKFLOW_GUARD(NothingOwed, !f.tolerance_pending)      // 容缺: the licence waits for them
WORKFLOW_GUARD(NotExtended, !f.extended_already)       // §42: extended once at most
WORKFLOW_GUARD(FalseCommitment, f.false_commitment)    // 告知承诺: found false on verification
#undef WORKFLOW_GUARD

struct ClockRunsNow {
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& fsm, S&, T&) const {
    return fsm.template is_flag_active<ClockRunning>();
  }
};

// ---- The transition table --------------------------------------------------------------
// Row<n> is row n of the table. MSM writes the whole table into the name of nearly every type
// it instantiates; numbered rows keep those names short, which makes this TU's debug info
// several times smaller and its build about a third faster than rows written inline would.
// Rows have no actions: the engine derives the effects from trigger, from and to. A target of
// `none` is an internal transition: the phase stays.
template <int N>
struct Row;
constexpr int first_row = __COUNTER__ + 1;
#define ROW(Source, Event, Target, Guard) \
  template <>                              \
  struct Row<__COUNTER__ - first_row> : msm::front::Row<Source, Event, Target, none, Guard> {};

// clang-format off
//  Source             Event                   Target              Guard
// Intake at the window (受理).
ROW(Received,          ev::accept,             OnTheSpot,          AcceptOnTheSpot)
ROW(Received,          ev::accept,             PreliminaryReview,  AcceptForReview)
ROW(Received,          ev::accept,             Decided,            AcceptOnPromise)
ROW(Received,          ev::deemed_accept,      OnTheSpot,          IsInstant)
ROW(Received,          ev::deemed_accept,      PreliminaryReview,  NotInstant)
ROW(Received,          ev::notify_missing,     AwaitingMaterials,  MaterialsMissing)
ROW(AwaitingMaterials, ev::supplement,         Received,           none)
// Materials handed over before any notice (the applicant brings a paper the same day).
ROW(Received,          ev::supplement,         none,               MaterialsMissing)
ROW(Received,          ev::refuse,             Refused,            none)
ROW(AwaitingMaterials, ev::refuse,             Refused,            none)
// Instant case: the window decides now.
ROW(OnTheSpot,         ev::approve,            Decided,            none)
ROW(OnTheSpot,         ev::deny,               Decided,            none)
// Preliminary review (初审) at the window.
ROW(PreliminaryReview, ev::review_pass,        BackOfficeReview,   ToStages)
ROW(PreliminaryReview, ev::review_pass,        Opinions,           ToOpinions)
ROW(PreliminaryReview, ev::report_up,          Escalated,          UpWithoutStages)
// No decision at 初审: the licensing decision belongs to the deciding organ (§38; 前台受理、
// 后台审批), which the window reaches by passing the case on.
// Back-office stages (后台审查); moving between stages keeps the phase.
ROW(BackOfficeReview,  ev::review_pass,        none,               MoreStages)
ROW(BackOfficeReview,  ev::review_return,      none,               NotFirstStage)
ROW(BackOfficeReview,  ev::review_return,      PreliminaryReview,  FirstStage)
ROW(BackOfficeReview,  ev::approve,            Decided,            DecideHere)
ROW(BackOfficeReview,  ev::deny,               Decided,            DecideHere)
ROW(BackOfficeReview,  ev::report_up,          Escalated,          UpAfterStages)
// Reported up (上报): the higher level decides.
ROW(Escalated,         ev::higher_approve,     Decided,            none)
ROW(Escalated,         ev::higher_deny,        Decided,            none)
// Joint case: parallel opinions, then the lead department decides.
ROW(Opinions,          ev::opinion_agree,      none,               OpinionsPending)
ROW(Opinions,          ev::opinion_disagree,   none,               OpinionsPending)
ROW(Opinions,          ev::opinion_deemed,     none,               OpinionsPending)
ROW(Opinions,          ev::approve,            Decided,            AllAgreed)
ROW(Opinions,          ev::deny,               Decided,            AllAnswered)
// Issue at the comprehensive window (出件): an approval accepted under 容缺 is issued only
// once the owed materials are in (a denial ends what was owed).
ROW(Decided,           ev::issue,              Issued,             NothingOwed)
// 容缺: owed materials may come any time after acceptance until the result is issued;
// if the promised day passes first, the case is terminated.
ROW(OnTheSpot,         ev::supplement,         none,               TolerancePending)
ROW(PreliminaryReview, ev::supplement,         none,               TolerancePending)
ROW(BackOfficeReview,  ev::supplement,         none,               TolerancePending)
ROW(Opinions,          ev::supplement,         none,               TolerancePending)
ROW(Escalated,         ev::supplement,         none,               TolerancePending)
ROW(Decided,           ev::supplement,         none,               TolerancePending)
ROW(OnTheSpot,         ev::supplement_overdue, Terminated,         TolerancePending)
ROW(PreliminaryReview, ev::supplement_overdue, Terminated,         TolerancePending)
ROW(BackOfficeReview,  ev::supplement_overdue, Terminated,         TolerancePending)
ROW(Opinions,          ev::supplement_overdue, Terminated,         TolerancePending)
ROW(Escalated,         ev::supplement_overdue, Terminated,         TolerancePending)
ROW(Decided,           ev::supplement_overdue, Terminated,         TolerancePending)
// §42 extension, once, where a review limit runs (not on the spot: decided now).
ROW(PreliminaryReview, ev::extend,             none,               NotExtended)
ROW(BackOfficeReview,  ev::extend,             none,               NotExtended)
ROW(Opinions,          ev::extend,             none,               NotExtended)
ROW(Escalated,         ev::extend,             none,               NotExtended)
// Withdrawn by the applicant, or terminated by the agency, any time before the decision.
ROW(Received,          ev::withdraw,           Withdrawn,          none)
ROW(AwaitingMaterials, ev::withdraw,           Withdrawn,          none)
ROW(OnTheSpot,         ev::withdraw,           Withdrawn,          none)
ROW(PreliminaryReview, ev::withdraw,           Withdrawn,          none)
ROW(BackOfficeReview,  ev::withdraw,           Withdrawn,          none)
ROW(Opinions,          ev::withdraw,           Withdrawn,          none)
ROW(Escalated,         ev::withdraw,           Withdrawn,          none)
ROW(Received,          ev::terminate,          Terminated,         none)
ROW(AwaitingMaterials, ev::terminate,          Terminated,         none)
ROW(OnTheSpot,         ev::terminate,          Terminated,         none)
ROW(PreliminaryReview, ev::terminate,          Terminated,         none)
ROW(BackOfficeReview,  ev::terminate,          Terminated,         none)
ROW(Opinions,          ev::terminate,          Terminated,         none)
ROW(Escalated,         ev::terminate,          Terminated,         none)
// 撤销: an approval on the applicant's commitment (告知承诺) that verification found false is
// revoked by the deciding organ, whether or not the licence has gone out yet.
ROW(Decided,           ev::revoke,             Revoked,            FalseCommitment)
ROW(Issued,            ev::revoke,             Revoked,            FalseCommitment)
// Region 2, the clock (§45). Withdraw/terminate end the interruption here while region 1
// concludes the case in the same event.
ROW(Running,           ev::suspend,            Suspended,          ClockRunsNow)
ROW(Suspended,         ev::resume,             Running,            none)
ROW(Suspended,         ev::withdraw,           Running,            none)
ROW(Suspended,         ev::terminate,          Running,            none)
// clang-format on
#undef ROW
constexpr int row_count = __COUNTER__ - first_row;

// Row<0> ... Row<N-1> as one mpl sequence (mpl::vector takes at most 20 at once).
template <int N>
struct FirstRows {
  typedef typename mpl::push_back<typename FirstRows<N - 1>::type, Row<N - 1>>::type type;
};
template <>
struct FirstRows<0> {
  typedef mpl::vector0<> type;
};

// ---- The machine ----------------------------------------------------------------------------
struct Lifecycle_ : msm::front::state_machine_def<Lifecycle_> {
  typedef int no_message_queue;     // events never post events
  typedef int no_exception_thrown;  // guards do not throw
  typedef mpl::vector2<Received, Running> initial_state;

  typedef FirstRows<row_count>::type transition_table;

  // A trigger no row takes is simply refused; the engine reports it as a typed error.
  template <class Fsm, class E>
  void no_transition(const E&, Fsm&, int) {}
};

using Machine = msm::back::state_machine<Lifecycle_>;

// ---- Phase ↔ MSM state ids (MSM numbers states itself; never hard-code its numbers) ---------
template <class S>
constexpr int id_of = msm::back::get_state_id<Machine::stt, S>::value;

template <class... S>
struct StateList {};
// In Phase order.
using PhaseStates =
    StateList<Received, AwaitingMaterials, OnTheSpot, PreliminaryReview, BackOfficeReview,
              Opinions, Escalated, Decided, Issued, Refused, Withdrawn, Terminated, Revoked>;

template <class... S>
constexpr std::array<int, sizeof...(S)> ids_of(StateList<S...>) {
  return {{id_of<S>...}};
}
constexpr std::array<int, phase_count> phase_to_id = ids_of(PhaseStates{});
constexpr int state_count = phase_count + 2;  // + Running, Suspended
static_assert(Machine::nr_regions::value == 2);
static_assert(mpl::size<msm::back::generate_state_set<Machine::stt>::type>::value == state_count,
              "every state of the table is a Phase, Running or Suspended");

// Ids are 0 .. state_count-1, one per state (so the table below is a permutation).
constexpr bool ids_are_distinct() {
  std::array<bool, state_count> seen{};
  for (int id : phase_to_id) {
    if (id < 0 || id >= state_count || seen[id]) return false;
    seen[id] = true;
  }
  for (int id : {id_of<Running>, id_of<Suspended>}) {
    if (id < 0 || id >= state_count || seen[id]) return false;
    seen[id] = true;
  }
  return true;
}
static_assert(ids_are_distinct());

constexpr std::array<Phase, state_count> make_id_to_phase() {
  std::array<Phase, state_count> out{};
  for (int p = 0; p < phase_count; ++p) out[phase_to_id[p]] = static_cast<Phase>(p);
  return out;
}
constexpr std::array<Phase, state_count> id_to_phase = make_id_to_phase();

// ---- Loading a stored state into the flyweight ----------------------------------------------
// MSM's back-end serializes itself with `ar & m_states` among other members. This "archive"
// copies the stored region ids into m_states and ignores everything else.
struct StateLoader {
  const int* src;
  int n;
  template <class T>
  StateLoader& operator&(T&) {
    return *this;
  }
  template <std::size_t N>
  StateLoader& operator&(int (&states)[N]) {
    for (std::size_t i = 0; i < N && static_cast<int>(i) < n; ++i) states[i] = src[i];
    return *this;
  }
};

void load(Machine& m, const LifecycleState& s) {
  const int ids[2] = {phase_to_id[static_cast<int>(s.phase)],
                      s.suspended ? id_of<Suspended> : id_of<Running>};
  StateLoader loader{ids, 2};
  m.serialize(loader, 0);
}

// Processes one event; true if some row took it.
template <class E>
bool process(Machine& m, const Facts& facts) {
  // MSM swallows an event blocked by the interrupt state and still answers HANDLED_TRUE,
  // so a suspended case is checked here, with MSM's own interrupt flags.
  if (m.is_flag_active<msm::InterruptedFlag>() && !m.is_flag_active<msm::EndInterruptFlag<E>>())
    return false;
  // Regions' answers are OR-ed: a guard rejection in one region and no row in another give
  // HANDLED_GUARD_REJECT; any region that fired sets HANDLED_TRUE.
  return (m.process_event(E{{&facts}}) & msm::back::HANDLED_TRUE) != 0;
}

bool dispatch(Machine& m, Trigger t, const Facts& f) {
  switch (t) {
    case Trigger::accept: return process<ev::accept>(m, f);
    case Trigger::refuse: return process<ev::refuse>(m, f);
    case Trigger::notify_missing: return process<ev::notify_missing>(m, f);
    case Trigger::supplement: return process<ev::supplement>(m, f);
    case Trigger::review_pass: return process<ev::review_pass>(m, f);
    case Trigger::review_return: return process<ev::review_return>(m, f);
    case Trigger::approve: return process<ev::approve>(m, f);
    case Trigger::deny: return process<ev::deny>(m, f);
    case Trigger::report_up: return process<ev::report_up>(m, f);
    case Trigger::higher_approve: return process<ev::higher_approve>(m, f);
    case Trigger::higher_deny: return process<ev::higher_deny>(m, f);
    case Trigger::opinion_agree: return process<ev::opinion_agree>(m, f);
    case Trigger::opinion_disagree: return process<ev::opinion_disagree>(m, f);
    case Trigger::issue: return process<ev::issue>(m, f);
    case Trigger::suspend: return process<ev::suspend>(m, f);
    case Trigger::resume: return process<ev::resume>(m, f);
    case Trigger::extend: return process<ev::extend>(m, f);
    case Trigger::withdraw: return process<ev::withdraw>(m, f);
    case Trigger::terminate: return process<ev::terminate>(m, f);
    case Trigger::deemed_accept: return process<ev::deemed_accept>(m, f);
    case Trigger::opinion_deemed: return process<ev::opinion_deemed>(m, f);
    case Trigger::supplement_overdue: return process<ev::supplement_overdue>(m, f);
    case Trigger::revoke: return process<ev::revoke>(m, f);
  }
  return false;  // not a trigger
}

}  // namespace wflc

namespace workflow::detail {

Step fire(LifecycleState& state, Trigger trigger, const Facts& facts) {
  Step step;
  step.from = step.to = state.phase;
  step.suspended = state.suspended;
  // A record no step can produce (unknown phase, or a stopped clock outside the phases where
  // it runs) is refused rather than guessed at.
  if (static_cast<int>(state.phase) >= phase_count ||
      (state.suspended && !clock_runs_in(state.phase)))
    return step;

  // The machine holds no case data, so one per thread serves every case.
  static thread_local wflc::Machine machine;
  wflc::load(machine, state);
  if (!wflc::dispatch(machine, trigger, facts)) return step;

  const int* ids = machine.current_state();
  state.phase = wflc::id_to_phase[ids[0]];
  state.suspended = ids[1] == wflc::id_of<wflc::Suspended>;
  step.fired = true;
  step.to = state.phase;
  step.suspended = state.suspended;
  return step;
}

bool can_fire(const LifecycleState& state, Trigger trigger, const Facts& facts) {
  LifecycleState scratch = state;
  return fire(scratch, trigger, facts).fired;
}

}  // namespace workflow::detail
