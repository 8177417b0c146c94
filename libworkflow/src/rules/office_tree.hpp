// The shape of the office tree (city → county → township → village): which offices lie
// below which, and loops in parent chains. The validator rejects loops; routing will ask
// "is this township below that county" again when it follows delegations.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "workflow/rules.hpp"

namespace workflow::detail {

// Whether `office` is strictly below `ancestor`. The walk is bounded by the table size, so
// a parent loop cannot make it spin.
inline bool is_below(std::span<const Office> offices, OfficeRef office,
                     OfficeRef ancestor) noexcept {
  std::optional<OfficeRef> at = offices[index_of(office)].parent;
  for (std::size_t steps = 0; at && steps < offices.size(); ++steps) {
    if (*at == ancestor) return true;
    at = offices[index_of(*at)].parent;
  }
  return false;
}

// Every loop of parent links, each once: its members in chain order, starting with the one
// first in the table, so the report does not depend on where a walk happened to enter it.
inline std::vector<std::vector<std::uint32_t>> parent_loops(std::span<const Office> offices) {
  enum class Seen { no, this_walk, before };
  std::vector<Seen> seen(offices.size(), Seen::no);
  std::vector<std::vector<std::uint32_t>> loops;
  for (std::uint32_t start = 0; start < offices.size(); ++start) {
    std::vector<std::uint32_t> walk;
    for (std::uint32_t i = start; seen[i] != Seen::before;) {
      if (seen[i] == Seen::this_walk) {  // back on this walk: the rest of it is a loop
        std::vector<std::uint32_t> loop(std::find(walk.begin(), walk.end(), i), walk.end());
        std::rotate(loop.begin(), std::min_element(loop.begin(), loop.end()), loop.end());
        loops.push_back(std::move(loop));
        break;
      }
      seen[i] = Seen::this_walk;
      walk.push_back(i);
      if (!offices[i].parent) break;
      i = index_of(*offices[i].parent);
    }
    for (std::uint32_t member : walk) seen[member] = Seen::before;
  }
  return loops;
}

}  // namespace workflow::detail
