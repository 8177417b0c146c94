// detail::ChunkedLog and detail::TextLog: the memory store's events and their texts in fixed
// chunks. Growing past a chunk copies nothing (an entry keeps its address), and a text never
// straddles two chunks, so a position and a length always name the bytes appended.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/chunked_log.hpp"

using workflow::detail::ChunkedArray;
using workflow::detail::ChunkedLog;
using workflow::detail::TextLog;

namespace {
struct Entry {
  std::uint64_t a = 0;
  std::uint32_t b = 0;
};
}  // namespace

TEST_CASE("ChunkedLog: entries across chunk edges keep their values and their addresses") {
  ChunkedLog<Entry, 16> log;  // chunks of 16
  CHECK(log.empty());
  std::vector<const Entry*> where;
  for (std::uint32_t i = 0; i < 100; ++i) {
    log.push_back({i * 3ull, i});
    where.push_back(&log.back());
  }
  REQUIRE(log.size() == 100);
  for (std::uint32_t i = 0; i < 100; ++i) {
    CHECK(log[i].a == i * 3ull);
    CHECK(log[i].b == i);
    CHECK(&log[i] == where[i]);  // never moved by the chunks added after it
  }
  log[17].b = 99;
  CHECK(log[17].b == 99);
}

TEST_CASE("ChunkedArray: entries that own memory grow in place across chunks and are destroyed") {
  // Each entry holds a text longer than the string's own buffer: under the sanitizers a
  // table that forgot to destroy its entries leaks every one (LeakSanitizer fails the run).
  ChunkedArray<std::string, 8> table;
  CHECK(table.empty());
  table.grow_to(3);
  REQUIRE(table.size() == 3);
  CHECK(table[2].empty());  // default-constructed
  for (std::size_t i = 0; i < 3; ++i) table[i] = "受理窗口的第" + std::to_string(i) + "号案卷";
  const std::string* first = &table[0];
  table.grow_to(30);  // past several chunks of 8
  REQUIRE(table.size() == 30);
  CHECK(&table[0] == first);  // never moved
  CHECK(table[1] == "受理窗口的第1号案卷");
  CHECK(table[29].empty());
  table.grow_to(5);  // never shrinks
  CHECK(table.size() == 30);
  for (std::size_t i = 3; i < 30; ++i) table[i] = std::string(40, static_cast<char>('a' + i % 26));
  CHECK(table[8] == std::string(40, 'i'));
  const ChunkedArray<std::string, 8>& read = table;
  CHECK(read[7] == std::string(40, 'h'));
}

TEST_CASE("TextLog: texts side by side, at a chunk's end, longer than a chunk, and empty") {
  TextLog text;
  struct Kept {
    std::uint64_t position;
    std::string a, b;
  };
  std::vector<Kept> kept;
  auto add = [&](std::string a, std::string b) {
    kept.push_back({text.append(a, b), std::move(a), std::move(b)});
  };
  add("受理", "missing=营业执照; 章程");
  add("", "");
  // Fill the first chunk to within 3 bytes of its end, then a text that does not fit.
  const std::size_t used = kept[0].a.size() + kept[0].b.size();
  add(std::string(TextLog::kChunk - used - 3, 'x'), "");
  add("abcd", "ef");  // 6 bytes: starts the second chunk
  add("", "");        // at once after it
  add(std::string(TextLog::kChunk + 10, 'y'), "z");  // a chunk of its own
  add("", "");                                        // after a chunk of its own: a new one
  add("after", "long");
  for (const Kept& k : kept) {
    const std::string_view both = text.view(k.position, k.a.size() + k.b.size());
    CHECK(both.substr(0, k.a.size()) == k.a);
    CHECK(both.substr(k.a.size()) == k.b);
  }
  CHECK((kept[3].position >> TextLog::kShift) == 1);  // did not straddle the first chunk
  CHECK((kept[5].position & (TextLog::kChunk - 1)) == 0);
  CHECK((kept[6].position >> TextLog::kShift) == (kept[5].position >> TextLog::kShift) + 1);
}
