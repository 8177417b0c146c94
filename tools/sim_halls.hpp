// The demo hall's halls (simulation.hpp): every office of the rule set where applications are
// handed in, with the windows (or village agents) that receive them and what each receives.
#pragma once

#include <string>
#include <vector>

#include "workflow/engine.hpp"

namespace workflow::cli::sim {

// One kind of application a hall receives, with its weight in the hall's mix.
struct Offer {
  MatterRef matter{};
  double weight = 1;
};

// 跨域通办: a matter of another office that this township's windows take in (异地代收), and
// the other offices (the handling one among them) where an applicant may ask for the result.
struct CrossOffer {
  MatterRef matter{};
  std::vector<std::string> issue_offices;
};

// An office where applications are handed in: a county or township centre, or a village
// station (where the agent submits for residents).
struct Hall {
  std::string office;
  Level level = Level::county;
  int market_offset = -1;  // townships: which day of the 3-day market (墟日) cycle
  double per_day = 0;      // mean arrivals on an ordinary day
  double cross_per_day = 0;  // townships: mean cross-region applications a day
  std::vector<PostRef> counters;  // window posts, or agent posts at a village
  std::vector<Offer> offers;
  std::vector<CrossOffer> cross;
};

// The halls of the rule set, in office order. Which matter a hall takes is asked of a scratch
// engine on `start`, so the list follows the rules (delegations, proxy, cross-region flags).
std::vector<Hall> build_halls(const RuleSet& rules, const Calendar& calendar, Date start);

// The posts of `hall` that receive matter `m`: the matter's department window if the hall
// has one (e.g. the county's “一窗办” windows), else the comprehensive windows, else all.
std::vector<PostRef> receiving_posts(const RuleSet& rules, const Hall& hall, MatterRef m);

}  // namespace workflow::cli::sim
