// The ratings, bundles, cross-region and proxy figures of the report (report.hpp), gathered
// case by case during compute_figures' one pass over the store.
#pragma once

#include <map>
#include <set>
#include <string>

#include "report.hpp"

namespace workflow::cli {

class ServiceTally {
 public:
  explicit ServiceTally(const Engine& engine);
  // One case, with its history (Engine::get).
  void add(const CaseView& c);
  // Fills f.ratings, f.bundles, f.cross_region and f.proxy (bundles from list_bundles()).
  void finish(Figures& f) const;

 private:
  const Engine& engine_;
  RatingFigures ratings_;
  CrossRegionFigures cross_;
  ProxyFigures proxy_;
  std::set<BundleId> notified_;            // bundles given the one notice
  std::map<CaseId, DeniedPart> parts_;     // bundle parts: matter and state, for denied ones
};

}  // namespace workflow::cli
