// The 办不成事反映窗口 figures (tally.hpp, issue 14): read from each case's coordination
// record (CaseView::coordination), not from event details.
#include "supervision/tally.hpp"

namespace workflow::detail {

void UnresolvedTally::add(const CaseView& c) {
  if (!c.coordination) return;
  const CoordinationView& k = *c.coordination;
  UnresolvedPathFigures& f = figures_;
  ++f.sent;
  ++f.by_window[k.window];
  if (k.state != CoordinationState::coordinating) {
    ++f.handed;
    ++f.by_unit[k.unit];
  }
  if (k.state == CoordinationState::settled) {
    ++f.settled;
    f.settled_on_time += k.on_time;
    f.settled_late += !k.on_time;
    f.on_time_rate.add(k.on_time);
    return;
  }
  ++f.open;
  f.coordinating += k.state == CoordinationState::coordinating;
  f.open_overdue += k.state == CoordinationState::handed && k.light == Light::red;
}

}  // namespace workflow::detail
