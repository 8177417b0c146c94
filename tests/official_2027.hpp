// The shipped calendar with 2027 replaced by an "official" file, for the tests of the turn of
// the year (the shipped 2027.yaml is provisional: the State Council's notice is not out).
// A TEST FIXTURE, not the real notice: it declares Saturday 2027-01-09 a working day and
// 2027-01-02..03 holidays, so a January deadline counted on the provisional year moves.
#pragma once

#include <filesystem>
#include <fstream>

#include "rule_files.hpp"
#include "sqlite_files.hpp"

namespace workflow::testing {

inline std::filesystem::path official_2027(const TempDir& dir) {
  const std::filesystem::path cal = copy_rules(WORKFLOW_SOURCE_DIR "/rules/calendar", dir / "calendar");
  std::ofstream(cal / "2027.yaml", std::ios::trunc) <<
      "year: 2027\n"
      "source: 测试用2027年安排（非真实通知）\n"
      "holidays:\n"
      "  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\n"
      "  - {name: 春节, from: 2027-02-05, to: 2027-02-13}\n"
      "  - {name: 清明节, from: 2027-04-03, to: 2027-04-05}\n"
      "  - {name: 劳动节, from: 2027-05-01, to: 2027-05-05}\n"
      "  - {name: 端午节, from: 2027-06-09, to: 2027-06-09}\n"
      "  - {name: 中秋节, from: 2027-09-15, to: 2027-09-15}\n"
      "  - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}\n"
      "makeup_workdays: [2027-01-09, 2027-02-20, 2027-04-10, 2027-10-09]\n";
  return cal;
}

}  // namespace workflow::testing
