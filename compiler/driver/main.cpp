// The `camp` executable: builds the CLI11 app from the registered subcommands and runs it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <fmt/format.h>

#include "Command.h"

int main(int argc, char **argv) {
  CLI::App app{"camp — compile and run .camp marketing-campaign cost models", "camp"};
  app.footer("Start with:\n  camp run examples/multichannel.camp\n  camp check my_model.camp\n"
             "Run `camp COMMAND --help` for a command's options and examples.\n"
             "Exit codes: 0 ok, 1 errors in a model or a failed assertion, 2 a bad command line or unreadable file.");
  app.set_version_flag("--version", std::string("camp ") + CAMP_VERSION);
  app.require_subcommand(1);
  camp::driver::registerAllCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return 2;
  } catch (const std::exception &e) {
    // Not reached by any known input; kept so that no input prints a stack trace.
    std::fprintf(stderr, "camp: internal error: %s\n", e.what());
    return 2;
  }
  std::fflush(stdout);
  return camp::driver::exitCode();
}
