// The oversight side of a case: supervision orders (督办) issued on it and the moves of its
// stage between posts of a unit (改派). Few cases have any, so these live in a side table keyed
// by case id (like ratings), not in every case's compact record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

struct OrderRecord {
  StaffRef issuer{};
  PostRef issuer_post{};  // a post with issues_orders
  DepartmentRef unit{};   // the unit it is addressed to: the one holding the case
  std::string reason;
  Date issued;
  Date due;               // last working day of reply_days
  std::uint16_t reply_days = 0;
  OrderState state = OrderState::open;
  Light light = Light::green;  // frozen at the reply
  bool has_reply = false;      // the unit replied (it may be escalated or closed since)
  Date replied;                // valid with has_reply
  StaffRef replier{};
  std::string reply;
  Date ended;                  // valid once closed or escalated
  StaffRef ender{};
  std::string outcome;
};

struct ReassignmentRecord {
  DateTime time;
  StaffRef actor{};
  PostRef actor_post{};
  PostRef from{};
  PostRef to{};
  std::string reason;
};

struct OversightRecord {
  std::vector<OrderRecord> orders;  // order number n is orders[n - 1]
  std::vector<ReassignmentRecord> reassignments;
};

}  // namespace workflow::detail
