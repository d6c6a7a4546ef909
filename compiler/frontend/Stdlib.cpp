// The standard library's search path: environment, caller, installed copy, source tree.
#include "frontend/Stdlib.h"

#include <cstdlib>
#include <filesystem>

namespace camp {

std::vector<std::string> stdlibSearchPath(const std::vector<std::string> &extra) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  if (const char *env = std::getenv("CAMP_STDLIB"); env && *env)
    paths.push_back(env);
  paths.insert(paths.end(), extra.begin(), extra.end());
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "camp" / "stdlib";
    if (fs::is_directory(installed, ec))
      paths.push_back(installed.string());
  }
#ifdef CAMP_SOURCE_STDLIB
  paths.push_back(CAMP_SOURCE_STDLIB);
#endif
  return paths;
}

} // namespace camp
