// The coordination of a case sent to the 办不成事反映窗口: few cases go there, so, like
// ratings, the record lives in a side table keyed by case id and travels with the case's
// snapshot, not in every open case's hot record.
#pragma once

#include <cstdint>
#include <string>

#include "workflow/case.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

struct CoordinationRecord {
  CoordinationState state = CoordinationState::coordinating;
  PostRef window{};      // the 办不成事 window that coordinates it
  StaffRef sent_by{};
  PostRef sent_post{};   // the post the sender sent it through
  Date sent;
  DepartmentRef unit{};  // valid once handed
  StaffRef handed_by{};  // valid once handed
  Date handed;           // valid once handed
  std::uint16_t settle_days = 0;
  Date due;              // last working day to settle, valid once handed
  Light light = Light::none;
  StaffRef settled_by{};  // valid once settled
  Date settled;           // valid once settled
  std::uint32_t generation = 0;  // light timers older than this are stale
  std::string reason;    // why it was sent
  std::string outcome;   // what was settled
};

}  // namespace workflow::detail
