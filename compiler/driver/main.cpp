// The `camp` executable: builds the CLI11 app from the registered subcommands and runs it.
#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>
#include <exception>
#include <fmt/format.h>

#include "Command.h"
#include "base/Strings.h"
#include "Output.h"

namespace {

// CLI11's words, in the style of every other message (lower-case start, no full stop), and
// the one it gives for a missing or unknown command said plainly.
std::string usageMessage(const CLI::ParseError &e, const CLI::App &app, int argc, char **argv) {
  std::string text = e.what();
  if (dynamic_cast<const CLI::RequiredError *>(&e) && text.find("subcommand") != std::string::npos) {
    if (argc < 2 || argv[1][0] == '-')
      return "name a command, e.g. `camp run FILE.camp`";
    std::vector<std::string> names;
    for (const CLI::App *sub : app.get_subcommands({}))
      names.push_back(sub->get_name());
    std::string near = camp::closestName(argv[1], names);
    return fmt::format("`{}` is not a camp command{}", argv[1], near.empty() ? "" : "; did you mean `" + near + "`?");
  }
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && (text.size() < 2 || !std::isupper(uint8_t(text[1]))))
    text[0] = char(text[0] - 'A' + 'a');
  while (!text.empty() && (text.back() == '.' || text.back() == '\n'))
    text.pop_back();
  return text;
}

// Where the options of the command being parsed are explained.
std::string usageHelp(const CLI::App &app) {
  auto parsed = app.get_subcommands();
  if (parsed.empty())
    return "run `camp --help` for the list of commands";
  return fmt::format("run `camp {} --help` for its options and examples", parsed.front()->get_name());
}

} // namespace

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
    // An unknown option or subcommand, a missing or rejected value: a UsageError like any other.
    camp::driver::commandLineError(usageMessage(e, app, argc, argv), usageHelp(app));
    return 2;
  } catch (const std::exception &e) {
    // Not reached by any known input; kept so that no input prints a stack trace.
    std::fprintf(stderr, "camp: internal error: %s\n", e.what());
    return 2;
  }
  std::fflush(stdout);
  return camp::driver::exitCode();
}
