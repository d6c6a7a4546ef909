// The registry behind CAMP_REGISTER_COMMAND, and the process exit code commands set.
#include "Command.h"

#include <algorithm>
#include <vector>

namespace camp::driver {

namespace {
struct Entry {
  int order;
  CommandSetup setup;
};
std::vector<Entry> &registry() {
  static std::vector<Entry> entries;
  return entries;
}
int &exitCodeRef() {
  static int code = 0;
  return code;
}
} // namespace

CommandRegistration::CommandRegistration(int order, CommandSetup setup) {
  registry().push_back({order, std::move(setup)});
}

void setExitCode(int code) { exitCodeRef() = std::max(exitCodeRef(), code); }
int exitCode() { return exitCodeRef(); }

void registerAllCommands(CLI::App &app) {
  auto entries = registry();
  std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.order < b.order; });
  for (const Entry &e : entries)
    e.setup(app);
}

} // namespace camp::driver
