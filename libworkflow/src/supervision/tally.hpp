// Internals of supervise() (workflow/supervision.hpp): one pass over the cases in scope. The
// case figures are in supervision.cpp, the ratings, bundles, cross-region and proxy figures
// in services.cpp, the per-unit figures and weeks in units.cpp.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "workflow/supervision.hpp"

namespace workflow::detail {

// "key=value; key=value" → the value of `key` ("" if absent).
std::string event_detail(std::string_view detail, std::string_view key);

// The ratings, bundles, cross-region and proxy figures, gathered case by case.
class ServiceTally {
 public:
  explicit ServiceTally(const Engine& engine);
  // One case in scope, with its history (Engine::get).
  void add(const CaseView& c);
  // Fills f.ratings, f.bundles (the bundles with a part in scope), f.cross_region, f.proxy.
  void finish(SupervisionFigures& f) const;

 private:
  const Engine& engine_;
  RatingFigures ratings_;
  CrossRegionFigures cross_;
  ProxyFigures proxy_;
  std::set<BundleId> notified_;         // bundles given the one notice
  std::map<CaseId, DeniedPart> parts_;  // bundle parts in scope: matter and state
};

// The hall-operations figures (operations.cpp): channels (渠道) and assistance (帮办).
class OperationsTally {
 public:
  OperationsTally();
  // One case in scope, with its history (Engine::get).
  void add(const CaseView& c);
  // Fills f.channels.
  void finish(SupervisionFigures& f) const;

 private:
  ChannelFigures channels_;
};

// Supervision orders (督办) and reassignments (改派) (oversight.cpp).
class OversightTally {
 public:
  // One case in scope (its view carries its orders and reassignments).
  void add(const CaseView& c);
  // Fills f.oversight.
  void finish(SupervisionFigures& f) const { f.oversight = figures_; }

 private:
  OversightFigures figures_;
};

// The 办不成事反映窗口 figures (unresolved.cpp), from each case's coordination record.
class UnresolvedTally {
 public:
  void add(const CaseView& c);
  // Fills f.unresolved_path.
  void finish(SupervisionFigures& f) const { f.unresolved_path = figures_; }

 private:
  UnresolvedPathFigures figures_;
};

// What the per-unit figures and the weeks need to know of one case.
struct CaseFacts {
  std::string unit;  // department id
  Date received;
  bool instant = false;
  bool accepted = false;
  bool first_time_right = false;
  std::optional<Date> decision;  // the first decision, if accepted and decided
  bool on_time = false;
  std::optional<int> score;
  int worst_light = 0;  // 0 none/green, 1 yellow, 2 red, 3 escalated red
  bool red_now = false;
  int handoffs = 0;
};

// The unit that handled the case (see supervision.hpp).
std::string case_unit(const RuleSet& rules, const CaseView& c);

// Fills f.units, f.last_three and f.weeks.
void rank_units(const RuleSet& rules, const std::vector<CaseFacts>& facts, SupervisionFigures& f);
void weekly(const std::vector<CaseFacts>& facts, SupervisionFigures& f);

}  // namespace workflow::detail
