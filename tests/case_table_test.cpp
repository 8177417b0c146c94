// detail::CaseTable: the engine's case records in fixed-size chunks. Growing past a chunk
// copies nothing (a record keeps its address), and a rolled-back submission at a chunk's
// edge leaves the table as it was.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "engine/applicant_table.hpp"
#include "engine/case_table.hpp"

using workflow::detail::ApplicantTable;
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

TEST_CASE("ApplicantTable: names on both sides of a chunk's edge, and rolled back across it") {
  ApplicantTable t;
  const auto name = [](std::size_t i) { return "申请人" + std::to_string(i); };
  const std::size_t n = ApplicantTable::kChunk + 3;
  for (std::size_t i = 0; i < n; ++i) t.push_back(i == 5 ? std::string() : name(i));
  CHECK(t.size() == n);
  CHECK(t[0] == name(0));
  CHECK(t[5].empty());
  CHECK(t[ApplicantTable::kChunk - 1] == name(ApplicantTable::kChunk - 1));
  CHECK(t[ApplicantTable::kChunk] == name(ApplicantTable::kChunk));
  CHECK(t[n - 1] == name(n - 1));
  t.truncate(ApplicantTable::kChunk + 1);  // within the second chunk
  CHECK(t.size() == ApplicantTable::kChunk + 1);
  t.push_back("王某");
  CHECK(t[ApplicantTable::kChunk + 1] == "王某");
  CHECK(t[ApplicantTable::kChunk] == name(ApplicantTable::kChunk));
  t.truncate(ApplicantTable::kChunk);  // at the edge: the second chunk goes
  CHECK(t.size() == ApplicantTable::kChunk);
  t.push_back("刘某");
  CHECK(t[ApplicantTable::kChunk] == "刘某");
  CHECK(t[ApplicantTable::kChunk - 1] == name(ApplicantTable::kChunk - 1));
  t.truncate(0);
  CHECK(t.size() == 0);
  t.push_back("张某");
  CHECK(t[0] == "张某");
}
