// detail::CaseTable: the engine's case records in fixed-size chunks. Growing past a chunk
// copies nothing (a record keeps its address), and a rolled-back submission at a chunk's
// edge leaves the table as it was.
#include <doctest/doctest.h>

#include <cstdint>

#include "engine/case_table.hpp"

using workflow::detail::CaseRecord;
using workflow::detail::CaseTable;

namespace {

void add(CaseTable& t, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    CaseRecord& c = t.emplace_back();
    c.id = t.size();
    c.materials = c.id * 3;
  }
}

}  // namespace

TEST_CASE("CaseTable: records keep their address as the table grows past several chunks") {
  CaseTable t;
  CHECK(t.empty());
  add(t, 10);
  const CaseRecord* first = &t[0];
  const CaseRecord* tenth = &t[9];
  add(t, 3 * CaseTable::kChunk);  // a vector would have moved them by now
  CHECK(t.size() == 3 * CaseTable::kChunk + 10);
  CHECK(&t[0] == first);
  CHECK(&t[9] == tenth);
  std::uint64_t expect = 1;
  bool in_order = true;
  for (const CaseRecord& c : t) {
    in_order = in_order && c.id == expect && c.materials == expect * 3;
    ++expect;
  }
  CHECK(in_order);
  CHECK(expect == t.size() + 1);
}

TEST_CASE("CaseTable: a rolled-back record at a chunk's edge is forgotten, and the next one "
          "takes its place") {
  CaseTable t;
  add(t, CaseTable::kChunk);  // exactly one full chunk
  const CaseRecord* last = &t[CaseTable::kChunk - 1];
  add(t, 1);                  // the first record of a second chunk...
  t.truncate(CaseTable::kChunk);  // ...rolled back
  CHECK(t.size() == CaseTable::kChunk);
  CHECK(&t[CaseTable::kChunk - 1] == last);
  CHECK(t[CaseTable::kChunk - 1].id == CaseTable::kChunk);
  CaseRecord& again = t.emplace_back();
  CHECK(again.id == 0);  // a fresh record, not the rolled-back one's fields
  CHECK(again.materials == 0);
  again.id = t.size();
  CHECK(t[CaseTable::kChunk].id == CaseTable::kChunk + 1);
  t.truncate(0);
  CHECK(t.empty());
  CHECK(t.begin() == t.end());
  add(t, 2);
  CHECK(t[1].id == 2);
}
