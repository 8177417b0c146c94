#include "workflow/paths.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <system_error>

namespace workflow {
namespace {

bool is_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return !p.empty() && std::filesystem::is_directory(p, ec);
}

// The file this code was loaded from: the shared library, or the executable it is linked into.
std::filesystem::path loaded_object() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&find_shipped_rules_dir), &info) != 0 &&
      info.dli_fname != nullptr && info.dli_fname[0] == '/') {
    return info.dli_fname;
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : self;
}

}  // namespace

std::filesystem::path find_shipped_rules_dir(const char* hint) {
  if (const char* env = std::getenv("WORKFLOW_RULES_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  if (hint != nullptr && is_dir(hint)) return std::filesystem::path(hint).lexically_normal();
  if (const std::filesystem::path object = loaded_object(); !object.empty()) {
    const std::filesystem::path dir = object.parent_path();
    for (const std::filesystem::path& beside :
         {dir / WORKFLOW_LIBDIR_TO_RULES_DIR, dir / ".." / "share" / "workflow" / "rules"}) {
      if (is_dir(beside)) return beside.lexically_normal();
    }
  }
  const std::filesystem::path installed = WORKFLOW_INSTALL_RULES_DIR;
  if (is_dir(installed)) return installed;
  const std::filesystem::path source = WORKFLOW_SOURCE_RULES_DIR;
  if (is_dir(source)) return source;
  return installed;
}

}  // namespace workflow
