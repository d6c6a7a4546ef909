// Terminal conventions shared by commands: colour only on a terminal and never with NO_COLOR,
// command-line mistakes as UsageError records (diag/Render.h), and the --format choice.
#pragma once

#include <cstdio>
#include <string>

namespace camp::driver {

/// True when `stream` is a terminal, NO_COLOR is unset and TERM is not "dumb".
bool useColour(FILE *stream);

/// Prints "camp: error: MESSAGE" (and "help: HELP") to stderr and sets exit code 2.
void commandLineError(const std::string &message, const std::string &help = "");

/// The --format choices, as CLI11 validators want them.
inline const char *kFormatHelp = "Output format: table (for people), json (for tools; schema in docs/), csv";

} // namespace camp::driver
