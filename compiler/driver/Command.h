// Self-registration of `camp` subcommands, so each command lives in one file of its own.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace camp::driver {

/// Adds one subcommand to the app. The subcommand's callback sets the process exit code
/// with setExitCode (0 ok, 1 model errors or failed assertions, 2 bad command line or file).
using CommandSetup = std::function<void(CLI::App &app)>;

struct CommandRegistration {
  CommandRegistration(int order, CommandSetup setup);
};

void setExitCode(int code);
int exitCode();

/// Calls every registered setup, in `order`.
void registerAllCommands(CLI::App &app);

} // namespace camp::driver

#define CAMP_CONCAT_INNER(a, b) a##b
#define CAMP_CONCAT(a, b) CAMP_CONCAT_INNER(a, b)
/// CAMP_REGISTER_COMMAND(30, [](CLI::App &app) { auto *sub = app.add_subcommand(...); ... });
#define CAMP_REGISTER_COMMAND(order, setup) \
  static ::camp::driver::CommandRegistration CAMP_CONCAT(campCommand_, __LINE__)(order, setup)
