// The case lifecycle machine (lifecycle.hpp): every phase × trigger pair, the guards that tell
// one matter kind from another, and whole cases as a hall runs them. The expectations are
// written out by hand from the hall's rules, never derived from the machine.
#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <string>

#include "lifecycle/lifecycle.hpp"

using workflow::detail::can_fire;
using workflow::detail::Facts;
using workflow::detail::fire;
using workflow::detail::LifecycleState;
using workflow::detail::Path;
using workflow::detail::Phase;
using workflow::detail::Step;
using workflow::detail::Trigger;
using workflow::detail::trigger_count;

namespace {

const char* const phase_names[] = {
    "received", "awaiting_materials", "on_the_spot", "preliminary_review", "back_office_review",
    "opinions", "escalated", "decided", "issued", "refused", "withdrawn", "terminated", "revoked"};
const char* const trigger_names[] = {
    "accept", "refuse", "notify_missing", "supplement", "review_pass", "review_return",
    "approve", "deny", "report_up", "higher_approve", "higher_deny", "opinion_agree",
    "opinion_disagree", "issue", "suspend", "resume", "extend", "withdraw", "terminate",
    "deemed_accept", "opinion_deemed", "supplement_overdue", "revoke"};

std::string describe(LifecycleState s) {
  return std::string(phase_names[static_cast<int>(s.phase)]) + (s.suspended ? "+suspended" : "");
}
std::string describe(LifecycleState s, Trigger t) {
  return describe(s) + " --" + trigger_names[static_cast<int>(t)] + "-->";
}

bool same_bytes(const LifecycleState& a, const LifecycleState& b) {
  return std::memcmp(&a, &b, sizeof(LifecycleState)) == 0;
}

// What a trigger should do: refused, or the state after it.
struct Expect {
  bool fires;
  Phase to;
  bool suspended;
};
constexpr Expect NO{false, Phase::received, false};
constexpr Expect go(Phase p) { return {true, p, false}; }
constexpr Expect REC = go(Phase::received), AWM = go(Phase::awaiting_materials),
                 OTS = go(Phase::on_the_spot), PRE = go(Phase::preliminary_review),
                 BOR = go(Phase::back_office_review), OPI = go(Phase::opinions),
                 ESC = go(Phase::escalated), DEC = go(Phase::decided), ISS = go(Phase::issued),
                 REF = go(Phase::refused), WDR = go(Phase::withdrawn),
                 TRM = go(Phase::terminated), RVK = go(Phase::revoked);
// The same phase with the clock stopped (suspend).
constexpr Expect sus(Expect e) { return {true, e.to, true}; }

// Checks one trigger against its expectation, and that can_fire agrees without touching the
// state, and that a refused trigger leaves the state byte-identical.
void check(LifecycleState start, Trigger t, const Facts& f, Expect e) {
  INFO(describe(start, t));
  LifecycleState probe = start;
  const bool predicted = can_fire(probe, t, f);
  CHECK(same_bytes(probe, start));
  CHECK(predicted == e.fires);

  LifecycleState s = start;
  const Step step = fire(s, t, f);
  CHECK(step.fired == e.fires);
  CHECK(step.from == start.phase);
  if (e.fires) {
    INFO("got " << describe(s));
    CHECK(s.phase == e.to);
    CHECK(s.suspended == e.suspended);
    CHECK(step.to == e.to);
    CHECK(step.suspended == e.suspended);
  } else {
    CHECK(same_bytes(s, start));
    CHECK(step.to == start.phase);
    CHECK(step.suspended == start.suspended);
  }
}

// Representative facts: the kind of matter a case in that phase usually is, with 容缺
// materials still owed and the extension unused, so that every row that may fire there does.
Facts at_intake() {  // a committed matter, only 容缺-eligible items missing, 容缺 asked for
  return Facts{.path = Path::committed, .only_tolerable_missing = true, .tolerate_missing = true};
}
Facts instant_owed() { return Facts{.path = Path::instant, .tolerance_pending = true}; }
Facts committed_first_stage() {
  return Facts{.path = Path::committed, .materials_complete = true, .tolerance_pending = true,
               .has_stages = true, .at_first_stage = true};
}
Facts committed_last_stage() {
  return Facts{.path = Path::committed, .materials_complete = true, .tolerance_pending = true,
               .has_stages = true, .at_last_stage = true};
}
Facts nothing_owed() {
  return Facts{.path = Path::committed, .materials_complete = true, .has_stages = true,
               .at_last_stage = true};
}
Facts joint_pending() {
  return Facts{.path = Path::joint, .materials_complete = true, .tolerance_pending = true,
               .opinions_pending = true, .opinions_all_agree = true};
}
// 告知承诺: an approval on commitment whose verification found the commitment false.
Facts false_commitment() {
  return Facts{.path = Path::committed, .materials_complete = true, .false_commitment = true};
}
Facts escalated_owed() {
  return Facts{.path = Path::escalated, .materials_complete = true, .tolerance_pending = true};
}

struct MatrixRow {
  Phase phase;
  bool suspended;
  Facts facts;
  std::array<Expect, trigger_count> expect;  // in Trigger order
};

}  // namespace

TEST_CASE("lifecycle: the state is two bytes") {
  CHECK(sizeof(LifecycleState) <= 2);
  const LifecycleState fresh;
  CHECK(fresh.phase == Phase::received);
  CHECK_FALSE(fresh.suspended);
}

TEST_CASE("lifecycle: every phase x trigger pair") {
  // Columns in Trigger order: accept, refuse, notify_missing, supplement, review_pass,
  // review_return, approve, deny, report_up, higher_approve, higher_deny, opinion_agree,
  // opinion_disagree, issue, suspend, resume, extend, withdraw, terminate, deemed_accept,
  // opinion_deemed, supplement_overdue, revoke. NO: refused; a phase: fires and lands there
  // (the same phase: an internal step); sus(X): fires, phase X kept, clock stopped.
  // clang-format off
  const MatrixRow rows[] = {
  //                                                           acc  ref  ntfy supp pass ret  appr deny up   happ hden agr  dis  iss  suspend   res  ext  wdr  term deem opdm ovd  rvk
  {Phase::received,           false, at_intake(),             {PRE, REF, AWM, REC, NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  WDR, TRM, PRE, NO,  NO,  NO }},
  {Phase::awaiting_materials, false, at_intake(),             {NO,  REF, NO,  REC, NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  {Phase::on_the_spot,        false, instant_owed(),          {NO,  NO,  NO,  OTS, NO,  NO,  DEC, DEC, NO,  NO,  NO,  NO,  NO,  NO,  sus(OTS), NO,  NO,  WDR, TRM, NO,  NO,  TRM, NO }},
  {Phase::preliminary_review, false, committed_first_stage(), {NO,  NO,  NO,  PRE, BOR, NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  sus(PRE), NO,  PRE, WDR, TRM, NO,  NO,  TRM, NO }},
  {Phase::back_office_review, false, committed_first_stage(), {NO,  NO,  NO,  BOR, BOR, PRE, NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  sus(BOR), NO,  BOR, WDR, TRM, NO,  NO,  TRM, NO }},
  {Phase::back_office_review, false, committed_last_stage(),  {NO,  NO,  NO,  BOR, NO,  BOR, DEC, DEC, NO,  NO,  NO,  NO,  NO,  NO,  sus(BOR), NO,  BOR, WDR, TRM, NO,  NO,  TRM, NO }},
  {Phase::opinions,           false, joint_pending(),         {NO,  NO,  NO,  OPI, NO,  NO,  NO,  NO,  NO,  NO,  NO,  OPI, OPI, NO,  sus(OPI), NO,  OPI, WDR, TRM, NO,  OPI, TRM, NO }},
  {Phase::escalated,          false, escalated_owed(),        {NO,  NO,  NO,  ESC, NO,  NO,  NO,  NO,  NO,  DEC, DEC, NO,  NO,  NO,  sus(ESC), NO,  ESC, WDR, TRM, NO,  NO,  TRM, NO }},
  // Decided under 容缺 with materials owed: the result waits for them (or the case ends).
  {Phase::decided,            false, committed_last_stage(),  {NO,  NO,  NO,  DEC, NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  TRM, NO }},
  {Phase::decided,            false, nothing_owed(),          {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  ISS, NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  // 撤销: an approval on a false commitment (告知承诺) is revoked, issued or not yet.
  {Phase::decided,            false, false_commitment(),      {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  ISS, NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  RVK}},
  {Phase::issued,             false, false_commitment(),      {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  RVK}},
  {Phase::revoked,            false, false_commitment(),      {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  // Concluded: nothing fires, whatever the facts say.
  {Phase::issued,             false, committed_last_stage(),  {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  {Phase::refused,            false, at_intake(),             {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  {Phase::withdrawn,          false, joint_pending(),         {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  {Phase::terminated,         false, escalated_owed(),        {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO }},
  // Suspended (§45): only resume, withdraw and terminate get through; the phase is kept.
  {Phase::on_the_spot,        true,  instant_owed(),          {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       OTS, NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  {Phase::preliminary_review, true,  committed_first_stage(), {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       PRE, NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  {Phase::back_office_review, true,  committed_last_stage(),  {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       BOR, NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  {Phase::opinions,           true,  joint_pending(),         {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       OPI, NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  {Phase::escalated,          true,  escalated_owed(),        {NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,       ESC, NO,  WDR, TRM, NO,  NO,  NO,  NO }},
  };
  // clang-format on

  int phases_seen[workflow::detail::phase_count] = {};
  for (const MatrixRow& row : rows) {
    if (!row.suspended) ++phases_seen[static_cast<int>(row.phase)];
    for (int t = 0; t < trigger_count; ++t) {
      check(LifecycleState{row.phase, row.suspended}, static_cast<Trigger>(t), row.facts,
            row.expect[t]);
    }
  }
  for (int p = 0; p < workflow::detail::phase_count; ++p) {
    INFO(phase_names[p]);
    CHECK(phases_seen[p] >= 1);
  }
}

namespace {
struct GuardCase {
  const char* why;
  Phase phase;
  Trigger trigger;
  Facts facts;
  Expect expect;
};
}  // namespace

TEST_CASE("lifecycle: guards tell the matter kinds and the facts apart") {
  using enum Trigger;
  const Path instant = Path::instant, committed = Path::committed, escalated = Path::escalated,
             joint = Path::joint;
  // clang-format off
  const GuardCase cases[] = {
    // Acceptance (受理).
    {"instant, complete: decided on the spot",  Phase::received, accept, {.path = instant, .materials_complete = true}, OTS},
    {"instant under 容缺",                       Phase::received, accept, {.path = instant, .only_tolerable_missing = true, .tolerate_missing = true}, OTS},
    {"容缺-eligible gap, 容缺 not asked",         Phase::received, accept, {.path = committed, .only_tolerable_missing = true}, NO},
    {"容缺 asked, gap not eligible",             Phase::received, accept, {.path = committed, .tolerate_missing = true}, NO},
    {"nothing missing, 容缺 flag irrelevant",    Phase::received, accept, {.path = committed, .materials_complete = true, .tolerate_missing = true}, PRE},
    {"escalated, complete",                     Phase::received, accept, {.path = escalated, .materials_complete = true}, PRE},
    {"joint, complete",                         Phase::received, accept, {.path = joint, .materials_complete = true}, PRE},
    {"告知承诺, allowed",                         Phase::received, accept, {.path = committed, .on_promise = true, .promise_allowed = true}, DEC},
    {"告知承诺 with complete materials",          Phase::received, accept, {.path = joint, .materials_complete = true, .on_promise = true, .promise_allowed = true}, DEC},
    {"告知承诺 not allowed for the matter",        Phase::received, accept, {.path = committed, .materials_complete = true, .on_promise = true}, NO},
    {"告知承诺 on an instant matter",              Phase::received, accept, {.path = instant, .materials_complete = true, .on_promise = true, .promise_allowed = true}, NO},
    {"§32 deemed, instant",                     Phase::received, deemed_accept, {.path = instant}, OTS},
    {"§32 deemed, joint",                       Phase::received, deemed_accept, {.path = joint}, PRE},
    {"一次性告知 with nothing missing",            Phase::received, notify_missing, {.path = committed, .materials_complete = true}, NO},
    {"一次性告知",                                 Phase::received, notify_missing, {.path = instant}, AWM},
    {"materials brought after the notice",      Phase::awaiting_materials, supplement, {.path = committed}, REC},
    // Preliminary review (初审).
    {"committed without stages still goes to the back office", Phase::preliminary_review, review_pass, {.path = committed}, BOR},
    {"escalated with lower stages",             Phase::preliminary_review, review_pass, {.path = escalated, .has_stages = true}, BOR},
    {"escalated without stages: report up, not pass", Phase::preliminary_review, review_pass, {.path = escalated}, NO},
    {"joint: to the departments' opinions",     Phase::preliminary_review, review_pass, {.path = joint}, OPI},
    {"instant never passes review",             Phase::preliminary_review, review_pass, {.path = instant}, NO},
    {"escalated without stages: report up",     Phase::preliminary_review, report_up, {.path = escalated}, ESC},
    {"escalated with stages: not yet",          Phase::preliminary_review, report_up, {.path = escalated, .has_stages = true}, NO},
    {"committed never reports up",              Phase::preliminary_review, report_up, {.path = committed}, NO},
    {"the window cannot approve at 初审",         Phase::preliminary_review, approve, {.path = committed}, NO},
    // §38 (前台受理、后台审批): 初审 decides nothing; the deciding organ denies.
    {"the window cannot deny at 初审",            Phase::preliminary_review, deny, {.path = joint}, NO},
    {"nor a lower level an escalated case",     Phase::preliminary_review, deny, {.path = escalated}, NO},
    // Back-office stages.
    {"middle stage passes on",                  Phase::back_office_review, review_pass, {.path = committed, .has_stages = true}, BOR},
    {"last stage cannot pass on",               Phase::back_office_review, review_pass, {.path = committed, .has_stages = true, .at_last_stage = true}, NO},
    {"middle stage returns one stage",          Phase::back_office_review, review_return, {.path = committed, .has_stages = true}, BOR},
    {"first stage returns to 初审",               Phase::back_office_review, review_return, {.path = escalated, .has_stages = true, .at_first_stage = true}, PRE},
    {"committed, last stage approves",          Phase::back_office_review, approve, {.path = committed, .has_stages = true, .at_last_stage = true}, DEC},
    {"committed, middle stage cannot approve",  Phase::back_office_review, approve, {.path = committed, .has_stages = true}, NO},
    {"committed, middle stage cannot deny",     Phase::back_office_review, deny, {.path = committed, .has_stages = true}, NO},
    {"escalated: the lower level never decides", Phase::back_office_review, approve, {.path = escalated, .has_stages = true, .at_last_stage = true}, NO},
    {"escalated: the lower level never denies", Phase::back_office_review, deny, {.path = escalated, .has_stages = true, .at_last_stage = true}, NO},
    {"escalated, last lower stage reports up",  Phase::back_office_review, report_up, {.path = escalated, .has_stages = true, .at_last_stage = true}, ESC},
    {"escalated, middle stage cannot report",   Phase::back_office_review, report_up, {.path = escalated, .has_stages = true}, NO},
    {"committed never reports up",              Phase::back_office_review, report_up, {.path = committed, .has_stages = true, .at_last_stage = true}, NO},
    // Joint opinions.
    {"opinion after all have answered",         Phase::opinions, opinion_agree, {.path = joint}, NO},
    {"disagree after all have answered",        Phase::opinions, opinion_disagree, {.path = joint, .opinions_all_agree = true}, NO},
    {"deemed after all have answered",          Phase::opinions, opinion_deemed, {.path = joint}, NO},
    {"approve while opinions are pending",      Phase::opinions, approve, {.path = joint, .opinions_pending = true, .opinions_all_agree = true}, NO},
    {"approve, all agreed",                     Phase::opinions, approve, {.path = joint, .opinions_all_agree = true}, DEC},
    {"approve over a disagreement",             Phase::opinions, approve, {.path = joint}, NO},
    {"deny while opinions are pending",         Phase::opinions, deny, {.path = joint, .opinions_pending = true}, NO},
    {"deny after a disagreement",               Phase::opinions, deny, {.path = joint}, DEC},
    {"deny though all agreed",                  Phase::opinions, deny, {.path = joint, .opinions_all_agree = true}, DEC},
    // 容缺 and extension, where nothing is owed or the extension is used.
    {"supplement with nothing owed",            Phase::preliminary_review, supplement, {.path = committed}, NO},
    {"supplement with nothing owed, decided",   Phase::decided, supplement, {.path = committed}, NO},
    {"overdue with nothing owed",               Phase::back_office_review, supplement_overdue, {.path = committed}, NO},
    {"overdue with nothing owed, decided",      Phase::decided, supplement_overdue, {.path = committed}, NO},
    {"second extension",                        Phase::back_office_review, extend, {.path = committed, .extended_already = true}, NO},
    {"second extension, escalated",             Phase::escalated, extend, {.path = escalated, .extended_already = true}, NO},
    {"no extension on the spot",                Phase::on_the_spot, extend, {.path = instant}, NO},
  };
  // clang-format on
  for (const GuardCase& c : cases) {
    INFO(c.why);
    check(LifecycleState{c.phase, false}, c.trigger, c.facts, c.expect);
  }
}

namespace {
// Fires a trigger that must fire, and checks where the case ends up.
void step(LifecycleState& s, Trigger t, const Facts& f, Phase to, bool suspended = false) {
  INFO(describe(s, t));
  const LifecycleState before = s;
  const Step st = fire(s, t, f);
  REQUIRE(st.fired);
  CHECK(st.from == before.phase);
  CHECK(st.to == to);
  CHECK(s.phase == to);
  CHECK(s.suspended == suspended);
  CHECK(st.suspended == suspended);
}
// Fires a trigger that must be refused; the case must not change at all.
void refused(LifecycleState& s, Trigger t, const Facts& f) {
  INFO(describe(s, t));
  const LifecycleState before = s;
  const Step st = fire(s, t, f);
  CHECK_FALSE(st.fired);
  CHECK(same_bytes(s, before));
}
}  // namespace

TEST_CASE("lifecycle: whole cases") {
  using enum Trigger;
  LifecycleState s;

  SUBCASE("即办件: accepted, approved on the spot, issued") {
    const Facts f{.path = Path::instant, .materials_complete = true};
    step(s, accept, f, Phase::on_the_spot);
    step(s, approve, f, Phase::decided);
    step(s, issue, f, Phase::issued);
    refused(s, withdraw, f);
  }
  SUBCASE("承诺件 with three back-office stages and one return") {
    Facts f{.path = Path::committed, .materials_complete = true, .has_stages = true};
    step(s, accept, f, Phase::preliminary_review);
    f.at_first_stage = true;
    step(s, review_pass, f, Phase::back_office_review);  // into stage 1
    step(s, review_pass, f, Phase::back_office_review);  // 1 → 2
    f.at_first_stage = false;
    step(s, review_pass, f, Phase::back_office_review);  // 2 → 3
    f.at_last_stage = true;
    refused(s, review_pass, f);                          // nothing after the last stage
    step(s, review_return, f, Phase::back_office_review);  // 3 → 2
    f.at_last_stage = false;
    refused(s, approve, f);                              // stage 2 cannot decide
    step(s, review_pass, f, Phase::back_office_review);  // 2 → 3
    f.at_last_stage = true;
    step(s, approve, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("承诺件: returned from the first stage to 初审, passed again, denied by the organ") {
    Facts f{.path = Path::committed, .materials_complete = true, .has_stages = true,
            .at_first_stage = true, .at_last_stage = true};
    step(s, accept, f, Phase::preliminary_review);
    step(s, review_pass, f, Phase::back_office_review);
    step(s, review_return, f, Phase::preliminary_review);
    refused(s, deny, f);  // the window decides nothing (§38)
    step(s, review_pass, f, Phase::back_office_review);
    step(s, deny, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("上报件 with lower-level stages") {
    Facts f{.path = Path::escalated, .materials_complete = true, .has_stages = true,
            .at_first_stage = true};
    step(s, accept, f, Phase::preliminary_review);
    refused(s, report_up, f);  // the lower stages come first
    step(s, review_pass, f, Phase::back_office_review);
    f.at_first_stage = false;
    f.at_last_stage = true;
    refused(s, approve, f);
    step(s, report_up, f, Phase::escalated);
    refused(s, approve, f);  // only the higher level decides
    step(s, higher_deny, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("上报件 without lower-level stages") {
    const Facts f{.path = Path::escalated, .materials_complete = true};
    step(s, accept, f, Phase::preliminary_review);
    refused(s, review_pass, f);
    step(s, report_up, f, Phase::escalated);
    step(s, extend, f, Phase::escalated);
    step(s, higher_approve, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("联办件: opinions, then approved") {
    Facts f{.path = Path::joint, .materials_complete = true, .opinions_pending = true,
            .opinions_all_agree = true};
    step(s, accept, f, Phase::preliminary_review);
    step(s, review_pass, f, Phase::opinions);
    step(s, opinion_agree, f, Phase::opinions);
    refused(s, approve, f);  // one department still silent
    step(s, opinion_deemed, f, Phase::opinions);  // 超时默许
    f.opinions_pending = false;
    refused(s, opinion_agree, f);  // everyone has answered
    step(s, approve, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("联办件: a disagreement, then denied") {
    Facts f{.path = Path::joint, .materials_complete = true, .opinions_pending = true,
            .opinions_all_agree = true};
    step(s, accept, f, Phase::preliminary_review);
    step(s, review_pass, f, Phase::opinions);
    step(s, opinion_disagree, f, Phase::opinions);
    f.opinions_all_agree = false;
    step(s, opinion_agree, f, Phase::opinions);
    f.opinions_pending = false;
    refused(s, approve, f);
    step(s, deny, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("告知承诺制: straight to decided") {
    const Facts f{.path = Path::committed, .on_promise = true, .promise_allowed = true};
    step(s, accept, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("容缺受理, then the owed materials come") {
    Facts f{.path = Path::committed, .only_tolerable_missing = true, .tolerate_missing = true,
            .has_stages = true, .at_first_stage = true, .at_last_stage = true};
    step(s, accept, f, Phase::preliminary_review);
    f.tolerance_pending = true;
    step(s, review_pass, f, Phase::back_office_review);
    step(s, supplement, f, Phase::back_office_review);
    f.tolerance_pending = false;
    f.materials_complete = true;
    refused(s, supplement_overdue, f);  // nothing owed any more
    step(s, approve, f, Phase::decided);
    step(s, issue, f, Phase::issued);
  }
  SUBCASE("容缺受理, materials not supplied in time: terminated") {
    Facts f{.path = Path::instant, .only_tolerable_missing = true, .tolerate_missing = true};
    step(s, accept, f, Phase::on_the_spot);
    f.tolerance_pending = true;
    step(s, approve, f, Phase::decided);
    step(s, supplement_overdue, f, Phase::terminated);
    refused(s, issue, f);
  }
  SUBCASE("一次性告知, materials supplemented, then accepted") {
    Facts f{.path = Path::committed};
    refused(s, accept, f);
    step(s, notify_missing, f, Phase::awaiting_materials);
    refused(s, accept, f);
    step(s, supplement, f, Phase::received);
    f.materials_complete = true;
    step(s, accept, f, Phase::preliminary_review);
  }
  SUBCASE("不予受理 from awaiting materials") {
    const Facts f{.path = Path::joint};
    step(s, notify_missing, f, Phase::awaiting_materials);
    step(s, refuse, f, Phase::refused);
    refused(s, supplement, f);
  }
}

TEST_CASE("lifecycle: §45 suspension stops the clock and keeps the phase") {
  using enum Trigger;
  Facts f{.path = Path::committed, .materials_complete = true, .tolerance_pending = true,
          .has_stages = true, .at_last_stage = true};
  LifecycleState s{Phase::back_office_review, false};

  refused(s, resume, f);  // nothing to resume
  step(s, suspend, f, Phase::back_office_review, true);
  refused(s, suspend, f);  // already stopped
  refused(s, approve, f);
  refused(s, extend, f);
  refused(s, supplement, f);
  refused(s, supplement_overdue, f);
  refused(s, review_return, f);
  CHECK(s.phase == Phase::back_office_review);
  CHECK(s.suspended);

  step(s, resume, f, Phase::back_office_review, false);
  step(s, extend, f, Phase::back_office_review);  // the blocked triggers work again
  step(s, approve, f, Phase::decided);
  refused(s, suspend, f);  // decided: no clock to stop

  SUBCASE("withdrawn while suspended: concluded, not suspended") {
    LifecycleState t{Phase::opinions, false};
    const Facts j{.path = Path::joint, .opinions_pending = true};
    step(t, suspend, j, Phase::opinions, true);
    step(t, withdraw, j, Phase::withdrawn, false);
    refused(t, resume, j);
  }
  SUBCASE("terminated while suspended") {
    LifecycleState t{Phase::escalated, false};
    step(t, suspend, f, Phase::escalated, true);
    step(t, terminate, f, Phase::terminated, false);
  }
  SUBCASE("no suspension before acceptance") {
    LifecycleState t{Phase::received, false};
    refused(t, suspend, f);
    LifecycleState u{Phase::awaiting_materials, false};
    refused(u, suspend, f);
  }
}

TEST_CASE("lifecycle: a record no step can produce is refused, not guessed at") {
  const Facts f{.path = Path::committed, .materials_complete = true, .tolerance_pending = true};
  for (int t = 0; t < trigger_count; ++t) {
    // The clock cannot be stopped once decided, nor before acceptance.
    for (Phase p : {Phase::received, Phase::decided, Phase::issued}) {
      const LifecycleState start{p, true};
      check(start, static_cast<Trigger>(t), f, NO);
    }
    LifecycleState unknown{static_cast<Phase>(workflow::detail::phase_count), false};
    const LifecycleState before = unknown;
    CHECK_FALSE(fire(unknown, static_cast<Trigger>(t), f).fired);
    CHECK(same_bytes(unknown, before));
  }
}
