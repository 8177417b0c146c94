// 督办 and 改派 in the demo hall (simulation.hpp): the centre's duty leader issues supervision
// orders on some red cases and some badly rated ones; the units reply, most in time, some
// late, a few never, and the leader closes or escalates each order. Window leaders move a
// case from an overloaded window to a quieter one of the same unit now and then. Draws from
// a random stream of its own, so the rest of the hall runs as it did without it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim_common.hpp"

namespace workflow::cli::sim {

class OversightDesk {
 public:
  // `seed`: the run's seed; the desk's stream is derived from it.
  OversightDesk(Desk desk, unsigned seed);

  // Adds the day's supervision and reassignment work to `agenda`.
  void plan_day(Date day, Agenda& agenda);

 private:
  struct Step {
    Date day;
    Verb verb;
    std::uint32_t order;
    std::string reason;
  };

  void supervise(Date day);   // orders on red and badly rated cases not ordered yet
  void follow_up(Date day);   // the replies, closings and escalations due today
  void rebalance(Date day);   // 改派: one case from the busiest window to the quietest
  // Someone present who may give `verb` on the case now: of the posts `posts` (A, else B).
  std::string who(CaseId id, Verb verb, const std::vector<PostRef>& posts) const;
  std::vector<PostRef> unit_posts(const std::string& department) const;

  Desk desk_;
  Rng rng_;
  const RuleSet& rules_;
  const Calendar& cal_;
  std::vector<PostRef> issuers_;        // posts with issues_orders
  std::set<CaseId> ordered_;            // cases already given an order
  std::map<Date, std::vector<std::pair<CaseId, Step>>> steps_;  // day → steps to take
};

}  // namespace workflow::cli::sim
