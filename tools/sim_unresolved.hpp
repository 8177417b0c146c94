// 办不成事反映窗口 in the demo hall (simulation.hpp): a few complex applications — joint
// (联办, several departments) or 不动产 and 宅基地 ones with a history (历史遗留) — that no
// single window can settle are sent by the window to the centre's 办不成事 window; it hands
// each to a unit with the rules' settle limit the next working day or so, and the unit
// settles most in time, some late. Drawn from a random stream of its own, so the rest of the
// demo is unchanged.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim_common.hpp"

namespace workflow::cli::sim {

class UnresolvedDesk {
 public:
  UnresolvedDesk(Desk desk, unsigned seed);

  // Adds the day's sends, hand-overs and settlements to `agenda`.
  void plan_day(Date day, Agenda& agenda);

 private:
  void collect(Date day);            // today's complex applications: which go there
  void hand(CaseId id, Date day);    // the window hands the case to a unit
  void settle(CaseId id);            // the unit records the outcome
  // Who of `post`'s holders may give `verb` on the case now ("" if neither).
  std::string holder_for(CaseId id, PostRef post, Verb verb) const;

  Desk desk_;
  const RuleSet& rules_;
  const Calendar& cal_;
  Rng rng_;
  std::set<CaseId> seen_;                        // cases already considered
  std::map<Date, std::vector<CaseId>> hand_;     // day → cases the window hands on
  std::map<Date, std::vector<CaseId>> settle_;   // day → cases the unit settles
  int handed_ = 0;                               // cases handed on so far
};

}  // namespace workflow::cli::sim
