// `camp explain NAME`: what a diagnostic kind, lint rule or command-line error means, like
// `rustc --explain`. Every entry of the one diagnostics table is accepted, in any case.
#include <fmt/format.h>

#include "Command.h"
#include "Output.h"
#include "base/Strings.h"
#include "diag/Diagnostic.h"

namespace camp::driver {

namespace {

void listAll() {
  std::string channel;
  for (const diag::TableEntry &e : diag::diagnosticTable()) {
    if (channel != e.channel) {
      if (!channel.empty())
        fmt::print("\n");
      channel = e.channel;
      fmt::print("{}:\n", channel == "compiler"  ? "Compiler diagnostics (camp check, run, …)"
                          : channel == "lint"    ? "Lint rules (camp lint)"
                                                 : "Command-line errors");
    }
    fmt::print("  {:<24} {}\n", e.name, e.explanation);
  }
}

void explain(const std::string &name) {
  if (name.empty())
    return listAll();
  if (const diag::TableEntry *e = diag::findTableEntry(name)) {
    std::string channel = e->channel;
    if (channel == "compiler")
      fmt::print("{}: {}\n", e->name, e->explanation);
    else
      fmt::print("{} ({} {}, {}): {}\n", e->name, channel, channel == "lint" ? "rule" : "error", e->level,
                 e->explanation);
    if (*e->help)
      fmt::print("{}\n", e->help);
    return;
  }
  std::vector<std::string> names;
  for (const diag::TableEntry &e : diag::diagnosticTable())
    names.push_back(e.name);
  std::string near = closestName(name, names);
  commandLineError(fmt::format("there is no diagnostic kind or lint rule `{}`", name),
                   near.empty() ? "run `camp explain` to list them" : fmt::format("did you mean `{}`?", near));
}

} // namespace

CAMP_REGISTER_COMMAND(90, [](CLI::App &app) {
  auto kind = std::make_shared<std::string>();
  CLI::App *sub = app.add_subcommand("explain", "Explain a diagnostic or lint rule, e.g. `camp explain UnitMismatch`");
  sub->footer("Every error names its kind in brackets, e.g. [UnitMismatch], and every lint finding its rule,\n"
              "e.g. [uncertain-param]; either is accepted, in any case. Without a name, lists them all.");
  sub->add_option("kind", *kind, "The diagnostic kind or lint rule shown in brackets");
  sub->callback([kind] { explain(*kind); });
});

} // namespace camp::driver
