// The fuzz targets' regression inputs (tests/fuzz/regressions/<target>/, docs/fuzzing.md)
// replayed in the normal suite, so a regression shows here even where clang is missing: each
// input must end as the target requires, in a value or a workflow::Error. The fixes
// themselves are tested in the hall's terms in calendar_test.cpp and recovery_test.cpp.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/case_codec.hpp"
#include "sqlite_files.hpp"
#include "workflow/calendar.hpp"
#include "workflow/error.hpp"
#include "workflow/rules.hpp"

namespace fs = std::filesystem;
using namespace workflow;

namespace {

// Every regression input of `target`, as {file name, bytes}.
std::vector<std::pair<std::string, std::string>> inputs(const char* target) {
  std::vector<std::pair<std::string, std::string>> out;
  const fs::path dir = fs::path(WORKFLOW_SOURCE_DIR) / "tests" / "fuzz" / "regressions" / target;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out.emplace_back(entry.path().filename().string(), bytes.str());
  }
  return out;
}

// Runs `f`; fine if it returns or throws a workflow::Error, a failure naming `input` otherwise.
template <class F>
void ends_well(const std::string& input, F&& f) {
  INFO("regression input " << input);
  try {
    f();
  } catch (const Error&) {
  } catch (const std::exception& e) {
    FAIL("not a workflow::Error: " << e.what());
  }
}

}  // namespace

TEST_CASE("fuzz regressions: every input of the calendar loader loads or is refused") {
  const auto all = inputs("calendar");
  CHECK(!all.empty());
  for (const auto& [name, bytes] : all) {
    testing::TempDir dir;
    std::ofstream(dir / "2026.yaml", std::ios::binary) << bytes;
    ends_well(name, [&] { (void)Calendar::load(dir.path); });
  }
}

TEST_CASE("fuzz regressions: every input of the engine-state decoder decodes or is refused") {
  const auto all = inputs("engine_state");
  CHECK(!all.empty());
  for (const auto& [name, bytes] : all) {
    ends_well(name, [&] { (void)detail::decode_engine_state(bytes); });
  }
}
