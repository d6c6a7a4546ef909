// `camp check FILE...`: parse, check and evaluate every scenario; report errors and failed asserts.
#include <fmt/format.h>

#include "Assertions.h"
#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "camp/Results.h"

namespace camp::driver {

namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string diagnosticsFormat = "text";
};

/// Evaluates the base case and every scenario; returns false on an evaluation error or a
/// failed assertion (already reported to the model's diagnostics).
bool evaluateAllScenarios(LoadedModel &model) {
  const ir::Module &m = model.module();
  auto engine = runtime::makeInterpreter(m);
  AssertionReport asserts(model);
  bool ok = true;
  for (int s = -1; s < int(m.scenarios.size()); ++s) {
    std::string name = s < 0 ? "base" : m.scenarios[size_t(s)].name;
    runtime::RunResult r = runtime::evaluate(m, *engine, runtime::scenarioParams(m, s), name);
    if (r.error) {
      reportEvalError(model, *r.error, name, r.slots.data());
      ok = false;
      continue;
    }
    asserts.add(r);
  }
  return asserts.report() == 0 && ok;
}

void runCheck(const CheckOptions &opts) {
  LoadOptions lo;
  lo.diagnosticsFormat = opts.diagnosticsFormat;
  for (const std::string &file : opts.files) {
    auto model = loadModel(file, lo);
    if (!model)
      continue;
    if (!evaluateAllScenarios(*model)) {
      printDiagnostics(model->diags, opts.diagnosticsFormat);
      setExitCode(1);
      continue;
    }
    if (opts.diagnosticsFormat != "text") {
      printDiagnostics(model->diags, opts.diagnosticsFormat);
      continue;
    }
    const ir::Module &m = model->module();
    fmt::print("{}: ok ({} pipeline{}, {} param{}, {} assertion{} checked in {} scenario{})\n", file, m.pipelines.size(),
               m.pipelines.size() == 1 ? "" : "s", m.params.size(), m.params.size() == 1 ? "" : "s", m.asserts.size(),
               m.asserts.size() == 1 ? "" : "s", m.scenarios.size() + 1, m.scenarios.empty() ? "" : "s");
  }
}

} // namespace

CAMP_REGISTER_COMMAND(10, [](CLI::App &app) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App *sub = app.add_subcommand("check", "Check models for errors and failed assertions, without printing results");
  sub->footer("Checks names, units of measure and cycles, then evaluates the base case and every scenario\n"
              "and fails when an assertion does not hold. Exit code 0: all good; 1: errors or a failed\n"
              "assertion; 2: a file could not be read.\n\n"
              "Example:\n  camp check examples/multichannel.camp\n  camp check models/*.camp --diagnostics-format json");
  sub->add_option("files", opts->files, "The .camp files to check")->required();
#ifdef CAMP_HAVE_TOOLING
  sub->add_option("--diagnostics-format", opts->diagnosticsFormat,
                  "text (for people), json (camp.diagnostics/1) or sarif (SARIF 2.1.0, the renderer camp lint uses)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
#else
  sub->add_option("--diagnostics-format", opts->diagnosticsFormat, "text (for people) or json (for tools)")
      ->check(CLI::IsMember({"text", "json"}));
#endif
  sub->callback([opts] { runCheck(*opts); });
});

} // namespace camp::driver
