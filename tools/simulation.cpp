// The demo hall model (see simulation.hpp and docs/hall-demo.md). Every decision draws from
// one std::mt19937 in a fixed order and iterates only ordered containers, so a seed always
// gives the same commands, hence the same cases and events.
#include "simulation.hpp"

#include "back_office.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::cli {
namespace {

using namespace sim;

// One kind of application a hall receives, with its weight in the hall's mix.
struct Offer {
  MatterRef matter{};
  double weight = 1;
};

// An office where applications are handed in: a county or township centre, or a village
// station (where the agent submits for residents).
struct Hall {
  std::string office;
  Level level = Level::county;
  int market_offset = -1;  // townships: which day of the 3-day market (墟日) cycle
  double per_day = 0;      // mean arrivals on an ordinary day
  std::vector<PostRef> counters;  // window posts, or agent posts at a village
  std::vector<Offer> offers;
};

// Half-hour arrival slots of a working day (08:30–12:00, 14:30–17:30) with the morning peak.
constexpr std::array<int, 13> kSlotStart = {510, 540, 570, 600, 630, 660, 690,
                                            870, 900, 930, 960, 990, 1020};
constexpr std::array<double, 13> kSlotWeight = {6, 10, 10, 8, 6, 4, 2, 4, 5, 5, 4, 3, 1};
constexpr std::array<const char*, 16> kSurnames = {"刘", "曾", "温", "黄", "李", "赖", "廖", "钟",
                                                   "邱", "宋", "彭", "罗", "陈", "胡", "谢", "王"};

class HallModel {
 public:
  HallModel(Engine& engine, ManualClock& clock, const SimulationOptions& options)
      : engine_(engine), rules_(engine.rules()), cal_(engine.calendar()), clock_(clock),
        rng_(options.seed), options_(options),
        back_office_(engine, rng_, counts_, [this](const std::string& s) { return away(s); }) {
    build_halls();
  }

  SimulationTally run(const std::function<void(int, int)>& progress) {
    SimulationTally tally;
    Date day = options_.start;
    while (!cal_.is_working_day(day)) day = day + 1;
    tally.first_day = day;
    for (int n = 1; n <= options_.days; ++n) {
      run_day(day, n);
      tally.last_day = day;
      if (progress) progress(n, options_.days);
      day = cal_.add_working_days(day, 1);
    }
    // The supervisor reads the board the next working morning.
    engine_.advance_to(DateTime::at(day, 8, 0));
    tally.days = options_.days;
    tally.counts = counts_;
    tally.first_refusal = first_refusal_;
    return tally;
  }

 private:
  // ---- the halls and what each receives -------------------------------------------------
  void build_halls() {
    int township_no = 0;
    for (std::uint32_t i = 0; i < rules_.offices().size(); ++i) {
      const Office& o = rules_.offices()[i];
      Hall hall{.office = o.id, .level = o.level};
      const bool village = o.level == Level::village;
      for (std::uint32_t p = 0; p < rules_.posts().size(); ++p) {
        const Post& post = rules_.posts()[p];
        if (index_of(post.office) == i &&
            post.role == (village ? PostRole::agent : PostRole::window))
          hall.counters.push_back(PostRef{p});
      }
      if (hall.counters.empty()) continue;
      if (o.level == Level::township) hall.market_offset = township_no++ % 3;
      hall.per_day = village ? 3 : o.level == Level::township ? 9 : o.level == Level::county ? 55 : 1;
      for (std::uint32_t m = 0; m < rules_.matters().size(); ++m) {
        const Matter& matter = rules_.matters()[m];
        const OfficeRef home = rules_.department(matter.department).office;
        const bool delegated = std::any_of(
            rules_.delegations().begin(), rules_.delegations().end(), [&](const Delegation& d) {
              return index_of(d.matter) == m && index_of(d.township) == i;
            });
        double w = matter.kind == MatterKind::instant     ? 6
                   : matter.kind == MatterKind::committed ? 2.5
                   : matter.kind == MatterKind::joint     ? 0.8
                                                          : 0.6;
        bool offered = false;
        if (village) {
          offered = matter.village_proxy && o.parent && home == *o.parent;
          w = matter.kind == MatterKind::instant ? 3 : 1.5;
        } else if (index_of(home) == i) {
          offered = true;
        } else if (delegated) {
          offered = true;
          w = 3;
        }
        if (offered && accepts(hall, MatterRef{m})) hall.offers.push_back({MatterRef{m}, w});
      }
      if (!hall.offers.empty()) halls_.push_back(std::move(hall));
    }
  }

  // Whether the engine takes this matter at this hall (checked once on a scratch engine).
  bool accepts(const Hall& hall, MatterRef m) {
    if (!scratch_) {
      auto clock = std::make_shared<ManualClock>(DateTime::at(options_.start, 9));
      scratch_ = std::make_unique<Engine>(rules_, cal_, clock);
    }
    const Matter& matter = rules_.matter(m);
    std::vector<std::string> all;
    for (const auto& mat : matter.materials) all.push_back(mat.name);
    try {
      scratch_->submit({matter.code, hall.office, counter_clerk(hall, m, false), "试", all});
      return true;
    } catch (const Error&) {
      return false;
    }
  }

  // The clerk who receives the matter: the matter's department window if there is one, else
  // a comprehensive window, else any; B when A is away.
  std::string counter_clerk(const Hall& hall, MatterRef m, bool draw) {
    std::vector<PostRef> same, general;
    for (PostRef p : hall.counters) {
      const Post& post = rules_.post(p);
      if (post.department == rules_.matter(m).department) same.push_back(p);
      if (rules_.department(post.department).id.ends_with("-hall")) general.push_back(p);
    }
    const std::vector<PostRef>& pool = !same.empty() ? same : !general.empty() ? general : hall.counters;
    const Post& post = rules_.post(pool[draw ? uniform(rng_, 0, int(pool.size()) - 1) : 0]);
    const std::string& a = rules_.staff(post.a).id;
    return away(a) ? rules_.staff(post.b).id : a;
  }

  bool away(const std::string& staff) const {
    auto it = away_until_.find(staff);
    return it != away_until_.end() && clock_.now() < it->second;
  }

  void mark_away(const std::string& staff, AbsenceKind kind, DateTime from, DateTime until) {
    if (away(staff)) return;
    engine_.mark_away(staff, kind, from, until);
    away_until_[staff] = until;
    ++counts_[std::string("absence_") + std::string(to_string(kind))];
  }

  // ---- one working day -----------------------------------------------------------------
  struct Task {
    int minute;
    int order;
    std::function<void()> run;
  };

  void run_day(Date day, int n) {
    engine_.advance_to(DateTime::at(day, 8, 0));
    absences(day, n);
    std::vector<Task> tasks;
    int order = 0;
    for (int minute : {9 * 60, 10 * 60 + 30, 15 * 60, 17 * 60})
      tasks.push_back({minute, order++, [this, day, minute] { back_office_.round(day, minute); }});
    for (auto& [id, minute] : returns_[day]) {
      CaseId c = id;
      tasks.push_back({minute, order++, [this, c] { applicant_returns(c); }});
    }
    for (auto& [id, minute] : supplies_[day]) {
      CaseId c = id;
      tasks.push_back({minute, order++, [this, c] { tolerated_supplied(c); }});
    }
    std::discrete_distribution<int> slot(kSlotWeight.begin(), kSlotWeight.end());
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
        const int minute = kSlotStart[slot(rng_)] + uniform(rng_, 0, 29);
        const MatterRef m = hall.offers[pick(rng_)].matter;
        tasks.push_back({minute, order++, [this, h, m, day] { arrive(halls_[h], m, day); }});
      }
    }
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
  void arrive(const Hall& hall, MatterRef m, Date day) {
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
      clerk = counter_clerk(hall, m, true);
    }
    const std::string applicant =
        fmt::format("{}某{}", kSurnames[uniform(rng_, 0, int(kSurnames.size()) - 1)], ++applicants_);
    const CaseId id = engine_.submit({matter.code, hall.office, clerk, applicant, materials});
    ++counts_["submitted"];
    if (hall.level == Level::village) ++counts_["by_village_agent"];
    receive(id, day);
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
    engine_.issue(id, {.actor = c.holder});
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
    if (c.suspended) {  // the window takes it once the §45 procedure is over
      supplies_[cal_.add_working_days(clock_.now().date(), 1)].push_back({id, 600});
      return;
    }
    // The applicant brings it to the window of the accepting office.
    std::string window;
    for (const Post& p : rules_.posts())
      if (p.role == PostRole::window && rules_.office(p.office).id == c.accepting_office) {
        window = rules_.staff(p.a).id;
        break;
      }
    engine_.supplement(id, {.actor = window, .materials = c.missing_materials});
    ++counts_["tolerated_supplied"];
  }

  Engine& engine_;
  const RuleSet& rules_;
  const Calendar& cal_;
  ManualClock& clock_;
  Rng rng_;
  SimulationOptions options_;
  std::unique_ptr<Engine> scratch_;
  std::vector<Hall> halls_;
  std::map<std::string, DateTime> away_until_;
  std::map<Date, std::vector<std::pair<CaseId, int>>> returns_, supplies_;
  std::map<std::string, int> counts_;
  int applicants_ = 0;
  std::string first_refusal_;
  BackOffice back_office_;  // last: it refers to rng_ and counts_
};

}  // namespace

SimulationTally simulate_hall(Engine& engine, ManualClock& clock, const SimulationOptions& options,
                              const std::function<void(int, int)>& progress) {
  HallModel model(engine, clock, options);
  return model.run(progress);
}

}  // namespace workflow::cli
