#include "paths.hpp"

#include <cstdlib>
#include <system_error>
#include <unistd.h>

namespace workflow::cli {
namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : self.parent_path();
}

bool is_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return !p.empty() && std::filesystem::is_directory(p, ec);
}

}  // namespace

std::filesystem::path shipped_rules_dir() {
  if (const char* env = std::getenv("WORKFLOW_RULES_DIR"); env != nullptr && *env != '\0') {
    return env;  // an explicit choice is honoured even if wrong: the error will name it
  }
  const std::filesystem::path beside = executable_dir() / ".." / "share" / "workflow" / "rules";
  if (is_dir(beside)) return beside.lexically_normal();
  const std::filesystem::path installed = WORKFLOW_INSTALL_RULES_DIR;
  if (is_dir(installed)) return installed;
  const std::filesystem::path source = WORKFLOW_SOURCE_RULES_DIR;
  if (is_dir(source)) return source;
  return installed;
}

std::filesystem::path shipped_calendar_dir() { return shipped_rules_dir() / "calendar"; }

std::filesystem::path shipped_ningdu_dir() { return shipped_rules_dir() / "ningdu"; }

std::filesystem::path calendar_for_rules(const std::filesystem::path& rules_dir) {
  std::filesystem::path dir = rules_dir.lexically_normal();
  if (!dir.has_filename()) dir = dir.parent_path();  // "rules/ningdu/"
  const std::filesystem::path beside = dir.parent_path() / "calendar";
  return is_dir(beside) ? beside : shipped_calendar_dir();
}

}  // namespace workflow::cli
