// The memory store's event texts (store/memory_store_texts.hpp): a pair of reason and
// detail kept once while it is remembered and read back as given whether it was shared or
// not; the five texts of an event as one number. The store's own behaviour with them is in
// store_test.cpp ("reasons and details, repeated and distinct").
#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "store/memory_store_texts.hpp"

using workflow::detail::EventContext;
using workflow::detail::EventContexts;
using workflow::detail::EventTexts;
using workflow::detail::TextLog;

namespace {
struct Pair {
  std::string reason, detail;
};
}  // namespace

TEST_CASE("EventTexts: a pair kept recently is shared, every pair reads back as given") {
  EventTexts texts;
  CHECK(texts.keep("", "") == EventTexts::kNone);
  CHECK(texts.read(EventTexts::kNone).first.empty());
  CHECK(texts.read(EventTexts::kNone).second.empty());

  const std::uint64_t window = texts.keep("decided: back to the window to issue", "from=nd");
  CHECK(texts.keep("decided: back to the window to issue", "from=nd") == window);
  // The same bytes split elsewhere, or one byte longer, are other pairs.
  const std::uint64_t moved = texts.keep("decided: back to the window to issuefrom=nd", "");
  const std::uint64_t longer = texts.keep("decided: back to the window to issue", "from=nd ");
  CHECK(moved != window);
  CHECK(longer != window);
  CHECK(texts.read(moved).first == "decided: back to the window to issuefrom=nd");
  CHECK(texts.read(moved).second.empty());
  CHECK(texts.read(longer).second == "from=nd ");
  CHECK(texts.read(window).first == "decided: back to the window to issue");
  CHECK(texts.read(window).second == "from=nd");

  // Every split of one text: the same bytes, so only the size of the reason tells two pairs
  // apart when they meet in a slot of the table (some of these 201 do).
  const std::string both = fmt::format("{:->200}", "materials=2/2; deadline=2027-01-05");
  for (std::size_t k = 0; k <= both.size(); ++k) {
    const std::uint64_t p = texts.keep(both.substr(0, k), both.substr(k));
    CHECK(texts.read(p).first.size() == k);
    CHECK(texts.read(p).second == both.substr(k));
  }

  // Far more distinct pairs than the table remembers, each kept twice in a row (shared) and
  // once more after all the others (kept again or shared: either way read back as given).
  std::vector<Pair> given;
  std::vector<std::uint64_t> at;
  for (int i = 0; i < 20000; ++i) {
    given.push_back({i % 3 == 0 ? "" : fmt::format("reason {}", i % 97),
                     fmt::format("matter=360730-{:04}; materials={}/2", i, i % 3)});
    at.push_back(texts.keep(given.back().reason, given.back().detail));
    CHECK(texts.keep(given.back().reason, given.back().detail) == at.back());
  }
  std::set<std::uint64_t> distinct(at.begin(), at.end());
  CHECK(distinct.size() == given.size());  // no two distinct pairs share bytes
  for (std::size_t i = 0; i < given.size(); ++i) {
    const std::uint64_t again = texts.keep(given[i].reason, given[i].detail);
    for (const std::uint64_t p : {at[i], again}) {
      CHECK(texts.read(p).first == given[i].reason);
      CHECK(texts.read(p).second == given[i].detail);
    }
  }
}

TEST_CASE("EventTexts: long free text is not remembered; a text longer than a chunk reads back") {
  EventTexts texts;
  const std::string opinion(300, 'o');  // over the longest remembered pair
  const std::uint64_t first = texts.keep(opinion, "");
  const std::uint64_t second = texts.keep(opinion, "");
  CHECK(first != second);
  CHECK(texts.read(first).first == opinion);
  CHECK(texts.read(second).first == opinion);
  const std::string huge(TextLog::kChunk + 5, 'h');
  const std::uint64_t big = texts.keep("grounds", huge);
  const std::uint64_t after = texts.keep("after", "the huge one");
  CHECK(texts.read(big).first == "grounds");
  CHECK(texts.read(big).second == huge);
  CHECK(texts.read(after).first == "after");
  CHECK(texts.read(after).second == "the huge one");
  CHECK(texts.read(first).first == opinion);  // the earlier chunks are untouched
}

TEST_CASE("EventContexts: each distinct five once, by number; zero names nothing") {
  EventContexts contexts;
  CHECK(contexts.intern(EventContext{}) == 0);
  CHECK(contexts[0] == EventContext{});
  std::vector<EventContext> given;
  std::vector<std::uint32_t> ids;
  // 6,000 contexts, each field varied on its own, so the table grows many times over.
  for (std::uint32_t i = 1; i <= 6000; ++i) {
    given.push_back({i % 50, i % 7, i, i % 3 + 1, i % 5 == 0 ? i : 0});
    ids.push_back(contexts.intern(given.back()));
  }
  CHECK(std::set<std::uint32_t>(ids.begin(), ids.end()).size() == given.size());
  for (std::size_t i = 0; i < given.size(); ++i) {
    CAPTURE(i);
    CHECK(contexts[ids[i]] == given[i]);
    CHECK(contexts.intern(given[i]) == ids[i]);  // again after the others: the same number
  }
  CHECK(contexts.intern(EventContext{}) == 0);
}
