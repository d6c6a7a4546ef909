// `camp explain KIND`: what a diagnostic means, like `rustc --explain`.
#include <fmt/format.h>

#include "Command.h"
#include "Output.h"
#include "base/Strings.h"
#include "diag/Diagnostic.h"

namespace camp::driver {

CAMP_REGISTER_COMMAND(90, [](CLI::App &app) {
  auto kind = std::make_shared<std::string>();
  CLI::App *sub = app.add_subcommand("explain", "Explain a diagnostic, e.g. `camp explain UnitMismatch`");
  sub->footer("Every error names its kind in brackets, e.g. [UnitMismatch]. Without a kind, lists them all.");
  sub->add_option("kind", *kind, "The diagnostic kind shown in brackets");
  sub->callback([kind] {
    if (kind->empty()) {
      for (diag::Kind k : diag::allKinds())
        fmt::print("{:<24} {}\n", diag::kindName(k), diag::kindExplanation(k));
      return;
    }
    diag::Kind k;
    if (diag::kindFromName(*kind, k)) {
      fmt::print("{}: {}\n", diag::kindName(k), diag::kindExplanation(k));
      return;
    }
    std::vector<std::string> names;
    for (diag::Kind each : diag::allKinds())
      names.push_back(diag::kindName(each));
    std::string near = closestName(*kind, names);
    commandLineError(fmt::format("there is no diagnostic kind `{}`", *kind),
                     near.empty() ? "run `camp explain` to list them" : fmt::format("did you mean `{}`?", near));
  });
});

} // namespace camp::driver
