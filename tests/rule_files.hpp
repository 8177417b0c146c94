// Rule and calendar files copied into a scratch directory for a test to change: the halls
// that install next year's rules, and next year's official calendar. Each edit must find
// its text, so a change of the shipped files that breaks one fails loudly, naming it.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace workflow::testing {

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A copy of the files of directory `from` in `to` (created), for a test to edit.
inline std::filesystem::path copy_rules(const std::filesystem::path& from,
                                        const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (const auto& f : fs::directory_iterator(from)) {
    fs::copy_file(f.path(), to / f.path().filename(), fs::copy_options::overwrite_existing);
  }
  return to;
}

// Replaces the first `old`, which must be there, in `file`.
inline void edit(const std::filesystem::path& file, const std::string& old,
                 const std::string& now) {
  std::string text = read_text(file);
  const std::size_t at = text.find(old);
  REQUIRE_MESSAGE(at != std::string::npos, file.string() << ": " << old);
  text.replace(at, old.size(), now);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace workflow::testing
