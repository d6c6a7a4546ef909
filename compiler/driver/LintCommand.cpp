// `camp lint FILE...`: rule-based checks of models, as text, camp.lint/1 JSON or SARIF 2.1.0.
// Compiled only when camp_tooling is linked into the driver (it defines CAMP_HAVE_TOOLING).
#ifdef CAMP_HAVE_TOOLING
#include <filesystem>
#include <fmt/format.h>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "tooling/Lint.h"

namespace camp::driver {

namespace {

struct LintCommandOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool werror = false;
  std::vector<std::string> disabled;
};

void runLint(const LintCommandOptions &opts) {
  for (const std::string &id : opts.disabled)
    if (!tooling::findRule(id)) {
      std::string ids;
      for (const tooling::LintRule &r : tooling::lintRules())
        ids += (ids.empty() ? "" : ", ") + std::string(r.id);
      commandLineError(fmt::format("there is no lint rule `{}`", id), fmt::format("the rules are: {}", ids));
      return;
    }
  tooling::LintOptions lo;
  lo.disabled = opts.disabled;
  std::vector<std::string> files;
  for (const std::string &file : opts.files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      commandLineError(fmt::format("cannot read `{}`", file), "check the file name");
      continue;
    }
    files.push_back(file);
  }
  size_t linted = files.size();
  // Together: a rate-card library is judged by the linted models that import it.
  std::vector<tooling::Finding> all = tooling::lintFiles(files, lo);
  if (opts.format == "json")
    fmt::print("{}", diag::renderJson(all, diag::JsonStyle::Lint));
  else if (opts.format == "sarif")
    fmt::print("{}", diag::renderSarif(all, CAMP_VERSION, "lint"));
  else
    for (const tooling::Finding &f : all)
      fmt::print("{}", diag::renderText(f, nullptr, {diag::TextStyle::Lint}));
  int errors = 0, warnings = 0;
  for (const tooling::Finding &f : all) {
    errors += f.level == tooling::LintLevel::Error;
    warnings += f.level == tooling::LintLevel::Warning;
  }
  if (opts.format == "text" && all.empty() && linted > 0)
    fmt::print(stderr, "camp lint: no findings in {} file{}\n", linted, linted == 1 ? "" : "s");
  if (errors > 0 || (opts.werror && warnings > 0))
    setExitCode(1);
}

} // namespace

CAMP_REGISTER_COMMAND(61, [](CLI::App &app) {
  auto opts = std::make_shared<LintCommandOptions>();
  CLI::App *sub = app.add_subcommand("lint", "Check models for likely mistakes (unused values, missing steps, loose assumptions)");
  sub->footer("Each finding names its rule; docs/tooling.md explains every rule. Silence one place with a comment\n"
              "`// camp-lint: allow RULE` on the line or the line before. Exit code 1 on errors (or warnings\n"
              "with --werror). --format sarif writes SARIF 2.1.0 for GitHub code scanning.\n\n"
              "Examples:\n"
              "  camp lint model.camp\n"
              "  camp lint model.camp --disable missing-step --werror\n"
              "  camp lint $(git ls-files '*.camp') --format sarif > camp.sarif");
  sub->add_option("files", opts->files, "The .camp models to lint")->required();
  sub->add_option("--format", opts->format, "text (for people), json (camp.lint/1), sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  sub->add_flag("--werror", opts->werror, "Exit 1 when there is any warning");
  sub->add_option("--disable", opts->disabled, "Turn a rule off (repeatable), e.g. --disable missing-step")
      ->type_name("RULE");
  sub->callback([opts] { runLint(*opts); });
});

} // namespace camp::driver

#endif // CAMP_HAVE_TOOLING
