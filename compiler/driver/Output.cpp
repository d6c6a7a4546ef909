// Colour detection and command-line error printing.
#include "Output.h"

#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

#include "Command.h"

namespace camp::driver {

bool useColour(FILE *stream) {
  const char *noColour = std::getenv("NO_COLOR");
  if (noColour && *noColour)
    return false;
  const char *term = std::getenv("TERM");
  if (term && std::string(term) == "dumb")
    return false;
  return isatty(fileno(stream)) != 0;
}

void commandLineError(const std::string &message, const std::string &help) {
  bool colour = useColour(stderr);
  fmt::print(stderr, "camp: {}: {} [UsageError]\n", colour ? "\033[1;31merror\033[0m" : "error", message);
  if (!help.empty())
    fmt::print(stderr, "{}: {}\n", colour ? "\033[1mhelp\033[0m" : "help", help);
  setExitCode(2);
}

} // namespace camp::driver
