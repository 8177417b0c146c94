// The rule set's id indexes (src/rules/id_index.hpp): every id added is found with its
// reference, nothing else is, and the first definition of an id wins (the validator reports
// the later one as a duplicate naming the first).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "rules/id_index.hpp"
#include "workflow/rules.hpp"

using namespace workflow;
using workflow::detail::IdIndex;

TEST_CASE("an id index finds every id it was given, across its growth, short ids and long") {
  IdIndex<StaffRef> index;
  CHECK_FALSE(index.find("nd-mj-s01").has_value());  // empty: nothing, and no slot to read
  std::vector<std::string> ids;
  for (int i = 0; i < 3000; ++i) {
    // Staff-like short ids and matter-code-like ids longer than a std::string's own buffer.
    ids.push_back(i % 2 ? fmt::format("nd-t{}-s{:02}", i / 7, i % 7) : fmt::format("360730-LC-SB-{:06}", i));
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto [held, added] = index.try_emplace(ids[i], StaffRef{static_cast<std::uint32_t>(i)});
    REQUIRE(added);
    CHECK(index_of(held) == i);
  }
  CHECK(index.size() == ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto found = index.find(ids[i]);
    REQUIRE(found.has_value());
    CHECK(index_of(*found) == i);
  }
  // Near misses: a prefix, an extension, one byte changed, the empty id.
  CHECK_FALSE(index.find("nd-t0-s0").has_value());
  CHECK_FALSE(index.find("nd-t0-s011").has_value());
  CHECK_FALSE(index.find("360730-LC-SB-000001").has_value());  // odd numbers are staff ids
  CHECK_FALSE(index.find("").has_value());
}

TEST_CASE("an id index keeps the first reference of a repeated id") {
  IdIndex<PostRef> index;
  CHECK(index.try_emplace("nd-w01", PostRef{4}).second);
  const auto [held, added] = index.try_emplace("nd-w01", PostRef{9});
  CHECK_FALSE(added);
  CHECK(index_of(held) == 4);
  CHECK(index_of(*index.find("nd-w01")) == 4);
  CHECK(index.size() == 1);
}

TEST_CASE("the id hash spreads the shipped staff ids, which differ only in their last characters") {
  // Staff ids share an office prefix and end in a number (nd-mj-s01, nd-mj-s02 ...). A hash
  // that did not mix its last word well (an earlier version) put ningdu's 205 on 92 slots of
  // 512 and its look-ups up to 30 probes deep; a good one leaves about 1 - e^(-205/512) = 33%
  // of them sharing a slot.
  const RuleSet rules = RuleSet::load(std::filesystem::path(WORKFLOW_SOURCE_DIR) / "rules" / "ningdu");
  REQUIRE(rules.staff().size() >= 200);
  std::vector<bool> taken(512);
  std::size_t distinct = 0;
  for (const Staff& s : rules.staff()) {
    auto slot = taken.begin() + static_cast<std::ptrdiff_t>(workflow::detail::text_hash(s.id) & 511);
    if (!*slot) ++distinct;
    *slot = true;
  }
  CAPTURE(distinct);
  CHECK(distinct * 10 >= rules.staff().size() * 7);  // at least 70% on slots of their own
}
