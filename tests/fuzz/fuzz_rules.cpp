// The rule loader on arbitrary bytes: RuleSet::from_files is the in-memory way in (the same
// reading and validation as RuleSet::load). NUL bytes split the input into files, named
// f0.yaml, f1.yaml, ... (a NUL cannot appear in a valid rule file), so the seeds can be whole
// rule sets and the checks across files are reached. Any outcome but a workflow::Error or a
// rule set is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "workflow/error.hpp"
#include "workflow/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<workflow::RuleFile> files;
  std::size_t from = 0;
  for (;;) {
    const std::size_t nul = bytes.find('\0', from);
    files.push_back({"f" + std::to_string(files.size()) + ".yaml",
                     bytes.substr(from, nul == std::string::npos ? std::string::npos : nul - from)});
    if (nul == std::string::npos) break;
    from = nul + 1;
  }
  try {
    const workflow::RuleSet rules = workflow::RuleSet::from_files(std::move(files), "fuzz");
    (void)rules.version();
  } catch (const workflow::Error&) {
  }
  return 0;
}
