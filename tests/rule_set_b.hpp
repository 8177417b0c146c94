// Rule set B of the install scenarios: rules/ningdu with the edits of
// data/rules/ningdu-b.edits.yaml, built in a scratch directory. Each edit must match exactly
// as often as it says, so a change of rules/ningdu that breaks an edit fails here, loudly.
#pragma once

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "rule_files.hpp"

namespace workflow::testing {

// Copies rules/ningdu into `dir` (created) and applies the edits.
inline void make_ningdu_b(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  copy_rules(WORKFLOW_SOURCE_DIR "/rules/ningdu", dir);
  const YAML::Node edits = YAML::LoadFile(WORKFLOW_TEST_DATA_DIR "/rules/ningdu-b.edits.yaml");
  for (const YAML::Node& e : edits) {
    const fs::path file = dir / e["file"].as<std::string>();
    REQUIRE_MESSAGE(fs::exists(file), file.string());
    if (e["delete"] && e["delete"].as<bool>()) {
      fs::remove(file);
      continue;
    }
    std::string text = read_text(file);
    const std::string old = e["old"].as<std::string>(), now = e["new"].as<std::string>();
    const int count = e["count"] ? e["count"].as<int>() : 1;
    int found = 0;
    for (std::size_t at = text.find(old); at != std::string::npos;
         at = text.find(old, at + now.size())) {
      text.replace(at, old.size(), now);
      ++found;
    }
    REQUIRE_MESSAGE(found == count, file.string(), ": '", old, "' found ", found, " times");
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }
}

}  // namespace workflow::testing
