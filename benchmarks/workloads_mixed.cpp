// mixed: the shipped county rules as a hall lives them. Applications arrive through the
// working day at county, township (delegated matters) and village stations, weighted as in
// tools/simulation.cpp: instant (即办), committed (承诺), escalated (上报) and joint (联办)
// cases; some come incomplete (one complete notice, then the applicant returns), some are
// accepted under 容缺 (the material follows, or never comes and the engine terminates the
// case); some committed cases are suspended for a §45 inspection; a few decisions are
// denials. Every morning the status board marks back-office clerks away (leave, field work),
// so stages pass from A to B (AB岗). Everything runs on one thread in hall time order.
// Baseline: the switch machine replaying the very case commands that succeeded.
#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "drive.hpp"
#include "workloads.hpp"
#include "workflow/error.hpp"

namespace bench {
namespace {

enum class Do : std::uint8_t { morning, arrive, step, notify, supplement_missing, supplement_owed, resume };
enum class Variant : std::uint8_t { complete, incomplete, tolerated, never_supplied };

struct Planned {
  DateTime at;
  std::uint64_t seq = 0;  // ties in time keep planning order, so a seed replays exactly
  Do what = Do::morning;
  std::uint32_t track = 0;
};

// What the hall will do, in (time, planning order). A heap per hall day: the one popped from
// holds a day's few thousand entries, which stay in the cache, where one heap of every open
// case's next step (100k entries and more) missed it at each level of every pop (4% of the
// timed loop, work of the harness). The days are in order, so the order is the single heap's.
// Within a day an entry is ordered by one integer, (second of the day, planning order): a
// comparison of two fields branched at random at each level of the sift-down (3.5% of the
// timed loop); one comparison compiles to conditional moves.
class Plan {
 public:
  bool empty() const { return days_.empty(); }
  void push(const Planned& p) {
    if (p.seq >= kSeqLimit || p.at.seconds() < 0) throw std::logic_error("mixed: plan out of range");
    const std::int64_t day = p.at.seconds() / 86'400;
    const auto second = static_cast<std::uint64_t>(p.at.seconds() - day * 86'400);
    std::vector<Entry>& entries = days_[day];
    entries.push_back(Entry{second << kSeqBits | p.seq, p.track, p.what});
    std::push_heap(entries.begin(), entries.end(), later);
  }
  Planned pop() {
    const auto first = days_.begin();
    std::vector<Entry>& entries = first->second;
    std::pop_heap(entries.begin(), entries.end(), later);
    const Entry e = entries.back();
    entries.pop_back();
    const Planned p{DateTime::from_seconds(first->first * 86'400 + static_cast<std::int64_t>(e.key >> kSeqBits)),
                    e.key & (kSeqLimit - 1), e.what, e.track};
    if (entries.empty()) days_.erase(first);
    return p;
  }
  // The track of the entry pop() returns next (the plan must not be empty).
  std::uint32_t next_track() const { return days_.begin()->second.front().track; }

 private:
  static constexpr int kSeqBits = 40;  // 17 bits of the day's second above it
  static constexpr std::uint64_t kSeqLimit = std::uint64_t{1} << kSeqBits;
  struct Entry {
    std::uint64_t key;  // second of the day << kSeqBits | planning order
    std::uint32_t track;
    Do what;
  };
  static bool later(const Entry& a, const Entry& b) { return a.key > b.key; }
  std::map<std::int64_t, std::vector<Entry>> days_;  // by day number; a few dozen
};

// The harness's own big tables (a record per case, one per command to replay) are written
// once, front to back, into memory reserved before the timed loop. This allocator writes
// every byte as it reserves, so the first write to each new page (a page fault, 5-10 us on
// the benchmark VM: about 8,000 of them here) happens before the loop, not inside it: work
// of the harness, not of the engine.
template <class T>
struct Prefaulted : std::allocator<T> {
  using value_type = T;
  Prefaulted() = default;
  template <class U>
  Prefaulted(const Prefaulted<U>&) noexcept {}
  template <class U>
  struct rebind {
    using other = Prefaulted<U>;
  };
  T* allocate(std::size_t n) {
    T* p = std::allocator<T>::allocate(n);
    std::memset(static_cast<void*>(p), 0, n * sizeof(T));
    return p;
  }
  template <class U>
  bool operator==(const Prefaulted<U>&) const noexcept { return true; }
};

// The harness's knowledge of one case.
struct Track {
  CaseId id = 0;
  std::uint32_t route = 0;
  std::uint16_t step = 0;
  Variant variant = Variant::complete;
  bool late = false, suspend_planned = false, suspended = false, owed = false;
  std::string missing;
};

// What the harness counts, reported by name in the JSON's extra fields (tally_names, in this
// order). Counted in an array: a counter looked up by a formatted name on every arrival was
// 3% of the timed loop, work of the harness, not of the engine.
constexpr int kMatterKinds = static_cast<int>(MatterKind::joint) + 1;
constexpr int kAbsenceKinds = static_cast<int>(AbsenceKind::field_work) + 1;
enum class Tally : std::uint8_t {
  engine_refusals, holder_lookups, notified_missing, suspended, opinion_already_deemed, denied,
  tolerated, tolerated_never_supplied, submitted_delegated, submitted_by_village_agent,
  submitted_kind,                               // + MatterKind: submitted_instant ...
  absence_kind = submitted_kind + kMatterKinds,  // + AbsenceKind: absence_leave ...
  end = absence_kind + kAbsenceKinds
};
constexpr std::size_t kTallies = static_cast<std::size_t>(Tally::end);

std::vector<std::string> tally_names() {
  std::vector<std::string> n = {"engine_refusals", "holder_lookups", "notified_missing", "suspended",
                                "opinion_already_deemed", "denied", "tolerated",
                                "tolerated_never_supplied", "submitted_delegated",
                                "submitted_by_village_agent"};
  for (int k = 0; k < kMatterKinds; ++k) n.push_back(fmt::format("submitted_{}", to_string(MatterKind(k))));
  for (int k = 0; k < kAbsenceKinds; ++k) n.push_back(fmt::format("absence_{}", to_string(AbsenceKind(k))));
  return n;
}

Tally operator+(Tally t, int k) { return static_cast<Tally>(static_cast<int>(t) + k); }

// One successful case command, replayed by the switch machine afterwards.
struct Op {
  std::uint32_t track;
  std::uint16_t route;
  Verb verb;
  std::uint8_t flags;  // submit: materials complete; accept: 容缺
  bool submit;
};

class MixedHall {
 public:
  MixedHall(const Config& cfg, const HallData& hall, std::vector<Route> routes, std::uint64_t n)
      : cfg_(cfg), rules_(hall.rules), cal_(hall.calendar), routes_(std::move(routes)), n_(n),
        per_day_(cfg.smoke ? 60 : 2000), rng_(cfg.seed),
        clock_(std::make_shared<BenchClock>(hall.calendar, hall_start())),
        engine_(hall.rules, hall.calendar, clock_) {
    std::vector<double> w;
    for (const Route& r : routes_) {
      double x = r.kind == MatterKind::instant ? 6 : r.kind == MatterKind::committed ? 2.5
                 : r.kind == MatterKind::joint ? 0.8 : 0.6;
      if (r.delegated) x = 3;
      if (r.village) x = r.kind == MatterKind::instant ? 3 : 1.5;
      w.push_back(x);
    }
    pick_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
    for (std::uint32_t p = 0; p < rules_.posts().size(); ++p)
      if (rules_.posts()[p].role == PostRole::back_office) back_office_.push_back(PostRef{p});
    tracks_.reserve(n);
    ops_.reserve(n * 8);
  }

  Result run() {
    Result r;
    r.workload = "mixed";
    r.variant = fmt::format("routes={} arrivals/day={}", routes_.size(), per_day_);
    plan(DateTime::at(clock_->now().date(), 8, 0), Do::morning, 0);
    Progress progress("mixed", n_, cfg_.progress);
    reset_peak_rss();
    const std::int64_t cpu0 = thread_cpu_ns();
    Stopwatch sw;
    while (!queue_.empty()) {
      const Planned p = queue_.pop();
      // The next entry's case, asked for one command ahead: the harness's own record of a
      // case is cold (200k of them, visited a few times each), and its first read stalled
      // the harness on every command (2% of the timed loop).
      if (!queue_.empty()) {
        if (const std::uint32_t next = queue_.next_track(); next < tracks_.size()) {
          __builtin_prefetch(&tracks_[next]);
        }
      }
      clock_->set(p.at);
      try {
        perform(p);
      } catch (const Error& e) {
        if (e.code() == ErrorCode::store_error) throw;
        if (count(Tally::engine_refusals) == 1) first_refusal_ = e.what();
      }
      progress.update(tracks_.size());
    }
    // Cases whose 容缺 material never came are terminated by their timer: let it fire.
    engine_.advance_to(DateTime::at(cal_.add_working_days(clock_->now().date(), 10)));
    r.seconds = sw.seconds();
    r.cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu0) * 1e-9;
    progress.finish();
    r.peak_rss = peak_rss_bytes();
    r.cases = tracks_.size();
    r.commands = commands_;
    r.transitions = ops_.size();
    r.latency = Latency::of(latency_, latency_clock_.ns_per_tick());
    tally_outcomes(r);
    compare_with_switch(r);
    return r;
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::uint64_t count(Tally what) { return ++counts_.at(static_cast<std::size_t>(what)); }
  void plan(DateTime at, Do what, std::uint32_t t) { queue_.push(Planned{at, seq_++, what, t}); }
  DateTime later(int lo_s, int hi_s) { return working_time_after(cal_, clock_->now(), uniform(lo_s, hi_s)); }
  DateTime in_days(int days) {
    return DateTime::at(cal_.add_working_days(clock_->now().date(), days), 8, 30).plus_seconds(uniform(0, 32'000));
  }

  // The pace of a hall: instant cases in minutes; others half the time the same day, else
  // within a share of the promised limit (late cases take twice that: red lights).
  DateTime next_time(const Track& t) {
    const Route& r = routes_[t.route];
    if (r.kind == MatterKind::instant) return later(120, 900);
    if (chance(0.5)) return later(600, 3 * 3600);
    const int share = std::max(1, r.promised_limit / (r.stages + 2));
    return in_days(uniform(1, t.late ? 2 * share : share));
  }

  // A command, timed, counted; `op` is recorded for the switch replay when it is a case's.
  template <class F>
  void command(F&& f, std::optional<Op> op) {
    ++commands_;
    const std::int64_t t0 = latency_clock_.ticks();
    f();
    latency_.record(latency_clock_.ticks() - t0);
    if (op) ops_.push_back(*op);
  }

  // The step's prebuilt action, by reference: a command that adds to it copies it (a copy
  // of every action was another 3% of the timed loop).
  const Action& actor_of(const Track& t, const Step& s) {
    if (!s.dynamic) return action_for(rules_, &board_, s, clock_->now());
    dynamic_.actor = engine_.holder(t.id);  // the engine chose the post: look the case up
    count(Tally::holder_lookups);
    return dynamic_;
  }

  void perform(const Planned& p) {
    switch (p.what) {
      case Do::morning: return morning();
      case Do::arrive: return arrive();
      case Do::step: return step(p.track);
      case Do::notify: {
        Track& t = tracks_[p.track];
        const Action& a = actor_of(t, routes_[t.route].steps[0]);
        count(Tally::notified_missing);
        command([&] { engine_.notify_missing(t.id, a); },
                Op{p.track, static_cast<std::uint16_t>(t.route), Verb::notify_missing, 0, false});
        return plan(in_days(uniform(1, 3)), Do::supplement_missing, p.track);
      }
      case Do::supplement_missing:
      case Do::supplement_owed: {
        Track& t = tracks_[p.track];
        if (p.what == Do::supplement_owed && !t.owed) return;
        t.owed = false;  // one attempt: a refusal must not leave the issue waiting for ever
        Action a = actor_of(t, routes_[t.route].steps[0]);  // the window of the accepting office
        a.materials = {t.missing};
        command([&] { engine_.supplement(t.id, a); },
                Op{p.track, static_cast<std::uint16_t>(t.route), Verb::supplement, 0, false});
        if (p.what == Do::supplement_missing) plan(later(300, 900), Do::step, p.track);
        return;
      }
      case Do::resume: {
        Track& t = tracks_[p.track];
        const Action& a = actor_of(t, routes_[t.route].steps[t.step]);
        command([&] { engine_.resume(t.id, a); },
                Op{p.track, static_cast<std::uint16_t>(t.route), Verb::resume, 0, false});
        return plan(later(600, 3600), Do::step, p.track);
      }
    }
  }

  // The status board at 08:00, then the day's arrivals.
  void morning() {
    const DateTime from = clock_->now();
    const Date day = from.date();
    for (PostRef post : back_office_) {
      const Post& p = rules_.post(post);
      const bool township = rules_.office(p.office).level == Level::township;
      DateTime until;
      AbsenceKind kind = AbsenceKind::leave;
      if (chance(0.02)) {
        until = DateTime::at(cal_.add_working_days(day, uniform(1, 3)), 8, 0);
      } else if (township && chance(0.05)) {
        kind = AbsenceKind::field_work;
        until = DateTime::at(day, 18, 0);
      } else {
        continue;
      }
      if (board_.away(p.a, from) || !board_.may_leave(rules_, p.a, from, until)) continue;
      command([&] {
        const std::string& who = rules_.staff(p.a).id;
        engine_.mark_away(who, kind, from, until, who);  // recorded by the person
      }, std::nullopt);
      board_.set(p.a, from, until);
      count(Tally::absence_kind + static_cast<int>(kind));
    }
    const std::uint64_t today = std::min<std::uint64_t>(per_day_, n_ - arrivals_planned_);
    for (std::uint64_t i = 0; i < today; ++i) plan(DateTime::at(day, 8, 30).plus_seconds(uniform(0, 32'399)), Do::arrive, 0);
    arrivals_planned_ += today;
    if (arrivals_planned_ < n_ || !queue_.empty())
      plan(DateTime::at(cal_.add_working_days(day, 1), 8, 0), Do::morning, 0);
  }

  void arrive() {
    const auto ti = static_cast<std::uint32_t>(tracks_.size());
    Track& t = tracks_.emplace_back();
    t.route = static_cast<std::uint32_t>(pick_(rng_));
    const Route& r = routes_[t.route];
    const double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
    const bool fixed_window = !r.steps[0].dynamic;
    if (fixed_window && roll < 0.07 && r.required.size() > 1) {
      t.variant = Variant::incomplete;
      t.missing = r.required[static_cast<std::size_t>(uniform(1, static_cast<int>(r.required.size()) - 1))];
    } else if (fixed_window && roll < 0.17 && !r.tolerable.empty() && r.kind != MatterKind::instant) {
      t.variant = chance(0.85) ? Variant::tolerated : Variant::never_supplied;
      t.missing = r.tolerable[static_cast<std::size_t>(uniform(0, static_cast<int>(r.tolerable.size()) - 1))];
    }
    t.late = chance(0.1);
    t.suspend_planned = t.variant == Variant::complete && r.kind == MatterKind::committed && r.promised_limit >= 7 && r.steps.size() > 3 && chance(0.06);
    // The route's prebuilt submission, copied only to leave a material out.
    std::optional<Submission> fewer;
    if (!t.missing.empty()) std::erase(fewer.emplace(r.submission).materials, t.missing);
    const Submission& s = fewer ? *fewer : r.submission;
    command([&] { t.id = engine_.submit(s); },
            Op{ti, static_cast<std::uint16_t>(t.route), Verb::accept, t.missing.empty(), true});
    count(Tally::submitted_kind + static_cast<int>(r.kind));
    if (r.delegated) count(Tally::submitted_delegated);
    if (r.village) count(Tally::submitted_by_village_agent);
    plan(later(60, 600), t.variant == Variant::incomplete ? Do::notify : Do::step, ti);
  }

  void step(std::uint32_t ti) {
    Track& t = tracks_[ti];
    const Route& r = routes_[t.route];
    const Step& s = r.steps[t.step];
    const Action& given = actor_of(t, s);
    std::optional<Action> own;  // a copy, made only when this command adds to the action
    const auto edit = [&]() -> Action& { return own ? *own : own.emplace(given); };
    // §45: the first back-office stage sends an inspector before deciding.
    if (t.suspend_planned && !t.suspended && t.step == 2) {
      Action& a = edit();
      a.procedure = SpecialProcedure::inspection;
      a.reason = "现场核查";
      a.days = uniform(2, 5);
      command([&] { engine_.suspend(t.id, a); }, Op{ti, static_cast<std::uint16_t>(t.route), Verb::suspend, 0, false});
      t.suspended = true;
      count(Tally::suspended);
      return plan(in_days(a.days), Do::resume, ti);
    }
    if (s.verb == Verb::issue && t.owed) return plan(in_days(1), Do::step, ti);  // after the material
    // 联办: a department silent past its share was deemed to agree (超时默许); its clerk sees
    // on the screen that nothing is left to give.
    if (s.verb == Verb::opinion_agree) {
      const std::vector<Verb> can = engine_.available_actions(t.id, given.actor);
      if (std::find(can.begin(), can.end(), Verb::opinion_agree) == can.end()) {
        count(Tally::opinion_already_deemed);
        // The engine's own transition (opinion_deemed) stands in the replay for this one.
        ops_.push_back(Op{ti, static_cast<std::uint16_t>(t.route), Verb::opinion_agree, 0, false});
        if (++t.step < r.steps.size()) plan(later(60, 600), Do::step, ti);
        return;
      }
    }
    Verb verb = s.verb;
    std::uint8_t flags = 0;
    if (verb == Verb::accept && (t.variant == Variant::tolerated || t.variant == Variant::never_supplied)) {
      edit().tolerate_missing = true;
      flags = 1;
    }
    if (verb == Verb::approve && r.kind != MatterKind::joint && chance(0.04)) {
      verb = Verb::deny;
      edit().reason = "不符合法定条件";
      count(Tally::denied);
      t.owed = false;  // 容缺: nothing is owed for a denial
    }
    const Action& a = own ? *own : given;
    command([&] { engine_.act(t.id, verb, a); }, Op{ti, static_cast<std::uint16_t>(t.route), verb, flags, false});
    ++t.step;
    if (flags) {
      count(t.variant == Variant::tolerated ? Tally::tolerated : Tally::tolerated_never_supplied);
      if (t.variant == Variant::never_supplied) return;  // the engine terminates it later
      t.owed = true;
      plan(in_days(uniform(1, 4)), Do::supplement_owed, ti);
    }
    if (t.step < r.steps.size()) plan(next_time(t), Do::step, ti);
  }

  // Outside the timed part: how every case ended, and what the engine recorded.
  void tally_outcomes(Result& r) {
    std::map<std::string, std::uint64_t> ends, kinds;
    for (const Track& t : tracks_) {
      const CaseView v = engine_.get(t.id);
      ++ends[std::string(to_string(v.state))];
      r.events += v.history.size();
      for (const Event& e : v.history) ++kinds[std::string(to_string(e.kind))];
    }
    std::map<std::string, std::uint64_t> counted;  // by name, as the JSON always listed them
    const std::vector<std::string> names = tally_names();
    if (names.size() != kTallies) throw std::logic_error("mixed: a tally has no name");
    for (std::size_t i = 0; i < kTallies; ++i) {
      if (counts_[i] != 0) counted[names[i]] = counts_[i];
    }
    for (const auto& [k, v] : counted) r.extra.push_back({k, static_cast<double>(v)});
    for (const auto& [k, v] : ends) r.extra.push_back({"ended_" + k, static_cast<double>(v)});
    for (const char* k : {"handoff", "routed", "routed_unresolved", "light_changed", "supplement_overdue",
                          "opinion_deemed", "deemed_accepted", "permission_denied"})
      r.extra.push_back({"events_" + std::string(k), static_cast<double>(kinds[k])});
    r.extra.push_back({"hall_days", static_cast<double>(clock_->now().date() - hall_start().date())});
    if (!first_refusal_.empty()) std::fprintf(stderr, "mixed: first refusal: %s\n", first_refusal_.c_str());
  }

  void compare_with_switch(Result& r) {
    double best = 0;
    for (int rep = 0; rep < 5; ++rep) {
      SwitchMachine m;
      m.reserve(tracks_.size());
      std::vector<std::uint32_t> handle(tracks_.size());
      Stopwatch sw;
      for (const Op& op : ops_) {
        const Route& route = routes_[op.route];
        if (op.submit) {
          handle[op.track] = m.submit(route.kind, route.stages, op.flags != 0);
        } else if (!m.act(handle[op.track], op.verb, op.flags != 0)) {
          throw std::runtime_error(fmt::format("switch machine refused {} on {}", to_string(op.verb), route.code));
        }
      }
      best = std::max(best, static_cast<double>(ops_.size()) / sw.seconds());
    }
    r.baseline = "switch machine, same commands";
    r.baseline_unit = "transitions/s";
    r.baseline_value = best;
    r.baseline_ratio = r.rate(r.transitions) / best;
  }

  const Config& cfg_;
  const RuleSet& rules_;
  const Calendar& cal_;
  std::vector<Route> routes_;
  std::uint64_t n_, per_day_, arrivals_planned_ = 0, seq_ = 0, commands_ = 0;
  std::mt19937 rng_;
  std::discrete_distribution<std::size_t> pick_;
  std::shared_ptr<BenchClock> clock_;
  Engine engine_;
  AwayBoard board_;
  std::vector<PostRef> back_office_;
  Plan queue_;
  std::vector<Track, Prefaulted<Track>> tracks_;
  std::vector<Op, Prefaulted<Op>> ops_;
  LatencyHistogram latency_;  // in latency_clock_'s ticks
  LatencyClock latency_clock_;
  std::array<std::uint64_t, kTallies> counts_{};
  Action dynamic_;  // the action of a dynamic step: only its actor is ever set
  std::string first_refusal_;
};

}  // namespace

Result run_mixed(const Config& cfg, const HallData& hall) {
  RouteFilter f;
  f.instant = f.committed = f.escalated = f.joint = f.delegated = f.village = true;
  MixedHall model(cfg, hall, discover_routes(hall, f), cfg.cases_for(200'000, 300));
  return model.run();
}

}  // namespace bench
