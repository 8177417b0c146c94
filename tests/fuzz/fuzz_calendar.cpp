// The calendar loader on arbitrary bytes. It reads a directory only, so the input is written
// as the one year file of a scratch directory (named 2026.yaml, as the shipped ones are named
// after their year). Any outcome but a workflow::Error or a calendar is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "workflow/calendar.hpp"
#include "workflow/error.hpp"

namespace {
std::filesystem::path scratch_dir() {
  std::string dir = (std::filesystem::temp_directory_path() / "workflow-fuzz-calendar-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) std::abort();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = scratch_dir();
  {
    std::ofstream out(dir / "2026.yaml", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const workflow::Calendar calendar = workflow::Calendar::load(dir);
    (void)calendar;
  } catch (const workflow::Error&) {
  }
  return 0;
}
