// Colour detection, and command-line errors emitted as records for the shared text renderer.
#include "Output.h"

#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

#include "Command.h"
#include "diag/Render.h"

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
  diag::Record r;
  r.code = "UsageError";
  r.message = message;
  r.help = help;
  fmt::print(stderr, "{}", diag::renderText(r, nullptr, {diag::TextStyle::CommandLine, useColour(stderr)}));
  setExitCode(2);
}

} // namespace camp::driver
