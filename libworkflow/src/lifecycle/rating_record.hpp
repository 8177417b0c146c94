// The cold side of a case: its rating (好差评) and the rectification task a bad one opens.
// Only concluded cases are rated, and few ratings are bad, so these live in a side table
// keyed by case id rather than in every open case's record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workflow/case.hpp"
#include "workflow/rules.hpp"

namespace workflow::detail {

enum class Resolution : std::uint8_t { none, rectify, explain, appeal };

struct RatingRecord {
  std::uint8_t score = 0;
  RatingChannel channel = RatingChannel::window_device;
  bool named = false;
  std::string comment;
  DateTime time;
  // The rectification task, present for a score of 1-2.
  bool task = false;
  RectificationState state = RectificationState::verifying;
  Resolution resolution = Resolution::none;
  bool called_back = false;
  Light light = Light::green;
  DepartmentRef unit{};   // the unit that handled the case (谁办理谁负责)
  Date opened;
  Date due;               // last working day of policy.rectification_days
  Date closed;            // valid once state == closed
  std::uint32_t generation = 0;  // light timers older than this are stale
};

// A bundle's parts, in the rule's order of matters (一件事一次办).
struct BundleRecord {
  BundleRef def{};
  std::vector<CaseId> parts;
};

}  // namespace workflow::detail
