// 好差评 in the demo hall (simulation.hpp): applicants rate concluded services through the
// window's rating device, online or when 12345 phones them; a bad rating (1–2) opens a
// rectification task that the unit which handled the case works (verify → rectify, explain or
// appeal → call back → close), most within the deadline, some late.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim_common.hpp"

namespace workflow::cli::sim {

class RatingDesk {
 public:
  explicit RatingDesk(Desk desk);

  // Adds the day's ratings and rectification work to `agenda`.
  void plan_day(Date day, Agenda& agenda);

 private:
  struct Step {
    Date day;
    Verb verb;
    std::string reason;
  };

  void collect(Date day);              // cases concluded since yesterday: who rates, how, when
  void rate(CaseId id, const Rating& r);
  void plan_rectification(CaseId id, const Rating& r, Date opened);
  void rectify(Date day);              // the units' rectification steps due today
  std::string rectifier(CaseId id, Verb verb) const;  // who of the unit may give `verb` now

  Desk desk_;
  const RuleSet& rules_;
  const Calendar& cal_;
  std::set<CaseId> seen_;                  // concluded cases already considered for a rating
  std::map<Date, std::vector<std::pair<CaseId, Rating>>> ratings_;  // day → ratings to give
  std::map<CaseId, std::vector<Step>> tasks_;  // open rectification tasks: steps still to do
};

}  // namespace workflow::cli::sim
