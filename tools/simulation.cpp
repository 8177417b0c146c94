// The demo hall model (see simulation.hpp and docs/hall-demo.md). Every decision draws from
// one std::mt19937 in a fixed order and iterates only ordered containers, so a seed always
// gives the same commands, hence the same cases and events.
#include "simulation.hpp"

#include "back_office.hpp"
#include "sim_bundles.hpp"
#include "sim_halls.hpp"
#include "sim_orders.hpp"
#include "sim_ratings.hpp"
#include "sim_unresolved.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

using namespace sim;

constexpr std::array<const char*, 16> kSurnames = {"刘", "曾", "温", "黄", "李", "赖", "廖", "钟",
                                                   "邱", "宋", "彭", "罗", "陈", "胡", "谢", "王"};

class HallModel {
 public:
  HallModel(Engine& engine, ManualClock& clock, const SimulationOptions& options)
      : engine_(engine), rules_(engine.rules()), cal_(engine.calendar()), clock_(clock),
        rng_(options.seed), channel_rng_(options.seed * 7919u + 14u), options_(options),
        halls_(build_halls(rules_, cal_, options.start)),
        back_office_(engine, rng_, counts_, [this](const std::string& s) { return away(s); }),
        bundles_(desk(), [this](const std::string& office, MatterRef m) { return clerk_at(office, m); }),
        ratings_(desk()), oversight_(desk(), options.seed), unresolved_(desk(), options.seed) {}

  SimulationTally run(const std::function<void(int, int)>& progress) {
    SimulationTally tally;
    Date day = options_.start;
    while (!cal_.is_working_day(day)) day = day + 1;
    tally.first_day = day;
    for (int n = 1; n <= options_.days; ++n) {
      try {
        run_day(day, n);
        tally.last_day = day;
        if (progress) progress(n, options_.days);
        day = cal_.add_working_days(day, 1);
      } catch (const Error& e) {
        throw SimulationFailed(day, n, options_.days, e.what());
      }
    }
    // The supervisor reads the board the next working morning.
    try {
      engine_.advance_to(DateTime::at(day, 8, 0));
    } catch (const Error& e) {
      throw SimulationFailed(day, options_.days, options_.days, e.what());
    }
    tally.days = options_.days;
    tally.counts = counts_;
    tally.first_refusal = first_refusal_;
    return tally;
  }

 private:
  Desk desk() {
    return {engine_, rng_, counts_, [this](const std::string& s) { return away(s); }};
  }

  // The clerk who receives the matter at the hall (sim_halls.hpp: its department window, else
  // a comprehensive one); B when A is away.
  std::string counter_clerk(const Hall& hall, MatterRef m) {
    const std::vector<PostRef> pool = receiving_posts(rules_, hall, m);
    const Post& post = rules_.post(pool[uniform(rng_, 0, int(pool.size()) - 1)]);
    const std::string& a = rules_.staff(post.a).id;
    return away(a) ? rules_.staff(post.b).id : a;
  }

  std::string clerk_at(const std::string& office, MatterRef m) {
    for (const Hall& hall : halls_)
      if (hall.office == office) return counter_clerk(hall, m);
    return {};
  }

  bool away(const std::string& staff) const {
    auto it = away_until_.find(staff);
    return it != away_until_.end() && clock_.now() < it->second;
  }

  void mark_away(const std::string& staff, AbsenceKind kind, DateTime from, DateTime until) {
    if (away(staff)) return;
    // Each clerk records their own absence on the status board (去向牌).
    engine_.mark_away(staff, kind, from, until, staff);
    away_until_[staff] = until;
    ++counts_[std::string("absence_") + std::string(to_string(kind))];
  }

  // ---- one working day -----------------------------------------------------------------
  void run_day(Date day, int n) {
    engine_.advance_to(DateTime::at(day, 8, 0));
    absences(day, n);
    Agenda agenda;
    for (int minute : {9 * 60, 10 * 60 + 30, 15 * 60, 17 * 60})
      agenda.add(minute, [this, day, minute] { back_office_.round(day, minute); });
    for (auto& [id, minute] : returns_[day]) {
      CaseId c = id;
      agenda.add(minute, [this, c] { applicant_returns(c); });
    }
    for (auto& [id, minute] : supplies_[day]) {
      CaseId c = id;
      agenda.add(minute, [this, c] { tolerated_supplied(c); });
    }
    for (std::size_t h = 0; h < halls_.size(); ++h) {
      const Hall& hall = halls_[h];
      const bool market = hall.market_offset >= 0 && (day.day_number() + hall.market_offset) % 3 == 0;
      if (market) ++counts_["market_days"];
      std::poisson_distribution<int> arrivals(hall.per_day * (market ? 1.8 : 1.0));
      const int k = arrivals(rng_);
      std::vector<double> w;
      for (const Offer& o : hall.offers) w.push_back(o.weight);
      std::discrete_distribution<std::size_t> pick(w.begin(), w.end());
      for (int i = 0; i < k; ++i) {
        const int minute = arrival_minute(rng_);
        const MatterRef m = hall.offers[pick(rng_)].matter;
        agenda.add(minute, [this, h, m, day] { arrive(halls_[h], m, day); });
      }
      // 跨域通办: applicants of other townships' (or the county's) matters who live here; one
      // in five asks for the result at another office (where they work, say).
      if (hall.cross.empty()) continue;
      std::poisson_distribution<int> cross(hall.cross_per_day);
      for (int i = cross(rng_); i > 0; --i) {
        const int minute = arrival_minute(rng_);
        const CrossOffer& o = hall.cross[uniform(rng_, 0, int(hall.cross.size()) - 1)];
        std::string issue_at;
        if (!o.issue_offices.empty() && chance(rng_, 0.2))
          issue_at = o.issue_offices[uniform(rng_, 0, int(o.issue_offices.size()) - 1)];
        const MatterRef m = o.matter;
        agenda.add(minute, [this, h, m, day, issue_at] { arrive(halls_[h], m, day, issue_at); });
      }
    }
    bundles_.plan_day(day, agenda);
    ratings_.plan_day(day, agenda);
    oversight_.plan_day(day, agenda);
    unresolved_.plan_day(day, agenda);
    std::vector<Task>& tasks = agenda.tasks();
    std::stable_sort(tasks.begin(), tasks.end(),
                     [](const Task& a, const Task& b) { return a.minute < b.minute; });
    for (Task& t : tasks) {
      engine_.advance_to(DateTime::at(day, t.minute / 60, t.minute % 60));
      try {
        t.run();
      } catch (const Error& e) {
        // The model asked for something the engine refuses: counted and reported, not fatal.
        if (e.code() == ErrorCode::store_error) throw;
        if (counts_["engine_refusals"]++ == 0) first_refusal_ = e.what();
      }
    }
    returns_.erase(day);
    supplies_.erase(day);
  }

  // The status board: leave, field work and errands; on the third day both holders of one
  // township back-office post are away, so its cases go to the 办不成事 window.
  void absences(Date day, int n) {
    const DateTime from = DateTime::at(day, 8, 0);
    const DateTime evening = DateTime::at(day, 18, 0);
    for (const Post& post : rules_.posts()) {
      const std::string& a = rules_.staff(post.a).id;
      const Level level = rules_.office(post.office).level;
      if (post.role == PostRole::back_office) {
        if (chance(rng_, 0.02)) {
          const Date back = cal_.add_working_days(day, uniform(rng_, 1, 3));
          mark_away(a, AbsenceKind::leave, from, DateTime::at(back, 8, 0));
        } else if (level == Level::township && chance(rng_, 0.06)) {
          mark_away(a, AbsenceKind::field_work, from, evening);
        }
      } else if (post.role == PostRole::window && chance(rng_, 0.01)) {
        mark_away(a, AbsenceKind::out, from, DateTime::at(day, 12, 0));
      } else if (post.role == PostRole::agent && !away(a) && !away(rules_.staff(post.b).id) &&
                 chance(rng_, 0.03)) {
        // A village agent away (never both of a station's two at once): B follows A's cases.
        const bool leave = chance(rng_, 0.5);
        const Date back = cal_.add_working_days(day, leave ? uniform(rng_, 1, 3) : 1);
        mark_away(a, leave ? AbsenceKind::leave : AbsenceKind::out, from, DateTime::at(back, 8, 0));
        ++counts_["agent_away"];
      }
    }
    if (n == 3) {
      std::vector<const Post*> staged;
      for (const Matter& m : rules_.matters())
        for (const Stage& s : m.stages) {
          const Post& p = rules_.post(s.post);
          if (rules_.office(p.office).level == Level::township && !p.approves_extensions &&
              std::find(staged.begin(), staged.end(), &p) == staged.end())
            staged.push_back(&p);
        }
      if (!staged.empty()) {
        const Post& p = *staged[uniform(rng_, 0, int(staged.size()) - 1)];
        const DateTime back = DateTime::at(cal_.add_working_days(day, 2), 8, 0);
        mark_away(rules_.staff(p.a).id, AbsenceKind::leave, from, back);
        mark_away(rules_.staff(p.b).id, AbsenceKind::field_work, from, back);
      }
    }
  }

  // ---- intake at the window ------------------------------------------------------------
  void arrive(const Hall& hall, MatterRef m, Date day, const std::string& issue_at = {}) {
    const Matter& matter = rules_.matter(m);
    std::vector<std::string> materials, required, tolerable;
    for (const auto& mat : matter.materials) {
      materials.push_back(mat.name);
      (mat.tolerable ? tolerable : required).push_back(mat.name);
    }
    const double roll = std::uniform_real_distribution<double>(0, 1)(rng_);
    if (roll < 0.07 && required.size() > 1) {
      std::erase(materials, required[uniform(rng_, 1, int(required.size()) - 1)]);
    } else if (roll < 0.17 && !tolerable.empty() && matter.kind != MatterKind::instant) {
      std::erase(materials, tolerable[uniform(rng_, 0, int(tolerable.size()) - 1)]);
    }
    std::string clerk;
    if (hall.level == Level::village) {
      const Post& post = rules_.post(hall.counters[uniform(rng_, 0, int(hall.counters.size()) - 1)]);
      clerk = rules_.staff(away(rules_.staff(post.a).id) ? post.b : post.a).id;
    } else {
      clerk = counter_clerk(hall, m);
    }
    const std::string applicant =
        fmt::format("{}某{}", kSurnames[uniform(rng_, 0, int(kSurnames.size()) - 1)], ++applicants_);
    Submission submission{matter.code, hall.office, clerk, applicant, materials, issue_at};
    choose_channel(hall, submission);
    const CaseId id = engine_.submit(submission);
    ++counts_["submitted"];
    if (hall.level == Level::village) ++counts_["by_village_agent"];
    if (engine_.get(id).cross_region) ++counts_["cross_region"];
    if (!issue_at.empty()) ++counts_["cross_region_issue_elsewhere"];
    receive(id, day);
  }

  // How the application came (渠道): a third at the windows, most of the rest online on
  // 赣服通's app or the 政务服务网, some by post or at a self-service terminal; one window
  // applicant in eight is helped by the level's 帮(代)办 staff. Village stations hand in
  // through their agent. Drawn from a stream of its own, so the rest of the demo is unchanged.
  void choose_channel(const Hall& hall, Submission& s) {
    if (hall.level == Level::village) return;  // village_agent, the engine's default there
    const int r = uniform(channel_rng_, 0, 99);
    s.channel = r < 33   ? SubmissionChannel::window
                : r < 58 ? SubmissionChannel::online
                : r < 86 ? SubmissionChannel::mobile
                : r < 93 ? SubmissionChannel::self_service
                         : SubmissionChannel::post;
    if (s.channel == SubmissionChannel::window && chance(channel_rng_, 0.125)) {
      s.assisted = hall.level >= Level::county ? Assistance::county : Assistance::township;
    }
    ++counts_["channel_" + std::string(to_string(s.channel))];
  }

  // The window checks the materials: accept, accept on 容缺 terms, or give the one notice.
  void receive(CaseId id, Date day) {
    const CaseView c = engine_.get(id);
    const Matter& matter = rules_.matter(*rules_.find_matter(c.matter));
    bool only_tolerable = true;
    for (const auto& name : c.missing_materials)
      for (const auto& mat : matter.materials)
        if (mat.name == name && !mat.tolerable) only_tolerable = false;
    Action act{.actor = c.holder};
    // 告知承诺: where the matter allows it, about half the applicants sign the commitment and
    // are approved at the window (with 容缺 for what they still owe).
    act.on_promise = matter.promise_approval && matter.kind != MatterKind::instant &&
                     (c.missing_materials.empty() || only_tolerable) && chance(rng_, 0.5);
    if (act.on_promise) ++counts_["on_promise"];
    if (c.missing_materials.empty()) {
      engine_.accept(id, act);
    } else if (only_tolerable) {
      act.tolerate_missing = true;
      engine_.accept(id, act);
      ++counts_["tolerated"];
      // Most bring the material within the period; some never do (the case is terminated).
      const int after = chance(rng_, 0.85) ? uniform(rng_, 1, 4) : uniform(rng_, 6, 8);
      supplies_[cal_.add_working_days(day, after)].push_back({id, uniform(rng_, 540, 1020)});
    } else {
      engine_.notify_missing(id, act);
      ++counts_["notify_missing"];
      returns_[cal_.add_working_days(day, uniform(rng_, 1, 3))].push_back({id, uniform(rng_, 540, 1020)});
      return;
    }
    on_the_spot(id);
  }

  void on_the_spot(CaseId id) {
    CaseView c = engine_.get(id);
    if (c.state != CaseState::on_the_spot) return;
    engine_.act(id, Verb::approve, {.actor = c.holder});
    c = engine_.get(id);
    // An instant case applied online is issued as an e-certificate, one by post goes back
    // by post; at the window it is handed over.
    const bool online = c.channel == SubmissionChannel::online ||
                        c.channel == SubmissionChannel::mobile;
    engine_.issue(id, {.actor = c.holder,
                       .channel = online ? IssueChannel::e_certificate
                                  : c.channel == SubmissionChannel::post ? IssueChannel::post
                                                                         : IssueChannel::pickup});
  }

  void applicant_returns(CaseId id) {
    const CaseView c = engine_.get(id);
    if (c.state != CaseState::awaiting_materials) return;
    engine_.supplement(id, {.actor = c.holder, .materials = c.missing_materials});
    ++counts_["came_back"];
    receive(id, clock_.now().date());
  }

  void tolerated_supplied(CaseId id) {
    const CaseView c = engine_.get(id);
    if (c.missing_materials.empty() || c.state >= CaseState::issued) {
      ++counts_["tolerated_too_late"];
      return;
    }
    if (!c.supplement_deadline) return;  // denied meanwhile: nothing is owed any more
    if (c.suspended) {  // the window takes it once the §45 procedure is over
      supplies_[cal_.add_working_days(clock_.now().date(), 1)].push_back({id, 600});
      return;
    }
    // The applicant brings it to a window of the accepting office, to whoever is there.
    std::string window;
    for (const Post& p : rules_.posts()) {
      if (p.role != PostRole::window || rules_.office(p.office).id != c.accepting_office) continue;
      for (const StaffRef s : {p.a, p.b}) {
        const std::string& id = rules_.staff(s).id;
        const auto can = engine_.available_actions(c.id, id);
        if (window.empty() && std::find(can.begin(), can.end(), Verb::supplement) != can.end()) {
          window = id;
        }
      }
    }
    if (window.empty()) {  // nobody at the windows today: the applicant comes back tomorrow
      supplies_[cal_.add_working_days(clock_.now().date(), 1)].push_back({id, 600});
      return;
    }
    engine_.supplement(id, {.actor = window, .materials = c.missing_materials});
    ++counts_["tolerated_supplied"];
  }

  Engine& engine_;
  const RuleSet& rules_;
  const Calendar& cal_;
  ManualClock& clock_;
  Rng rng_;
  Rng channel_rng_;  // the channels (渠道) and assistance: a stream of their own
  SimulationOptions options_;
  std::vector<Hall> halls_;
  std::map<std::string, DateTime> away_until_;
  std::map<Date, std::vector<std::pair<CaseId, int>>> returns_, supplies_;
  std::map<std::string, int> counts_;
  int applicants_ = 0;
  std::string first_refusal_;
  // Last: they refer to rng_, counts_ and halls_.
  BackOffice back_office_;
  BundleDesk bundles_;
  RatingDesk ratings_;
  OversightDesk oversight_;
  UnresolvedDesk unresolved_;
};

}  // namespace

SimulationTally simulate_hall(Engine& engine, ManualClock& clock, const SimulationOptions& options,
                              const std::function<void(int, int)>& progress) {
  HallModel model(engine, clock, options);
  return model.run(progress);
}

}  // namespace workflow::cli
