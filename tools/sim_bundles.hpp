// 一件事一次办 in the demo hall (simulation.hpp): applicants for each bundle of the rule set
// (宁都: 企业开办一件事 at the county centre) hand in one form and one set of materials at one
// window. Some lack a material: one notice for the whole bundle, and they come back with it
// the next working day. Once accepted, the window decides the instant parts on the spot and
// the departments work the others (BackOffice); when every part is decided the window issues
// them together.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim_common.hpp"

namespace workflow::cli::sim {

class BundleDesk {
 public:
  // `clerk(office, matter)`: who receives that matter at that office's windows now.
  BundleDesk(Desk desk, std::function<std::string(const std::string&, MatterRef)> clerk);

  // Adds the day's bundle arrivals, returns and issue rounds to `agenda`.
  void plan_day(Date day, Agenda& agenda);

 private:
  void arrive(BundleRef rule, Date day);
  void accept(BundleId id);
  void come_back(BundleId id);
  void issue_ready();
  // The window clerk holding the bundle's parts now (they share the intake window).
  std::string window_holder(const BundleView& b) const;

  Desk desk_;
  const RuleSet& rules_;
  const Calendar& cal_;
  std::function<std::string(const std::string&, MatterRef)> clerk_;
  std::map<Date, std::vector<std::pair<BundleId, int>>> returns_;  // day → (bundle, minute)
  std::set<BundleId> open_;  // accepted, not yet issued
  int firms_ = 0;
};

}  // namespace workflow::cli::sim
