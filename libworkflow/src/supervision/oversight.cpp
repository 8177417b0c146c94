// The oversight figures (tally.hpp, issue 14): supervision orders (督办) and how their units
// replied (按期回复率), and reassignments (改派) per unit. Read from each case's records.
#include "supervision/tally.hpp"

namespace workflow::detail {

void OversightTally::add(const CaseView& c) {
  OversightFigures& f = figures_;
  if (!c.orders.empty()) ++f.cases_ordered;
  for (const OrderView& o : c.orders) {
    ++f.orders;
    ++f.orders_by_unit[o.department];
    if (o.replied) {
      ++f.replied;
      f.replied_on_time += o.replied_on_time;
      f.reply_on_time_rate.add(o.replied_on_time);
    } else if (o.light == Light::red) {
      // Not replied and past its due day: counts against the rate (the light stops at an
      // escalation, so an order escalated late without a reply is red too).
      ++f.overdue;
      f.reply_on_time_rate.add(false);
    }
    f.open += o.state == OrderState::open;
    f.closed += o.state == OrderState::closed;
    f.escalated += o.state == OrderState::escalated;
  }
  for (const ReassignmentView& r : c.reassignments) {
    ++f.reassignments;
    ++f.reassignments_by_unit[r.department];
  }
}

}  // namespace workflow::detail
