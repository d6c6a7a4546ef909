// `camp run FILE`: evaluate one scenario (or compare several) and print the cost breakdown.
#include <fmt/format.h>

#include "Assertions.h"
#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "camp/Report.h"

namespace camp::driver {

namespace {

struct RunOptions {
  std::string file;
  EvalOptions eval;
  std::string format = "table";
  std::string diagnosticsFormat = "text";
  std::vector<std::string> compare;
};

// `--compare base,cheap,…`: each case evaluated with the --set values on top; one grid.
void runCompare(const RunOptions &opts, LoadedModel &model, const runtime::Engine &engine) {
  std::vector<runtime::RunResult> runs;
  for (const std::string &name : opts.compare) {
    auto params = resolveParams(model, name, opts.eval.sets);
    if (!params)
      return;
    runs.push_back(runtime::evaluate(model.module(), engine, std::move(*params), name));
  }
  fmt::print("{}", runtime::renderCompare(runs, opts.format, {useColour(stdout), true}));
  std::fflush(stdout);
  AssertionReport asserts(model);
  for (const runtime::RunResult &r : runs) {
    if (r.error)
      reportEvalError(model, *r.error, r.scenario, r.slots.data());
    else
      asserts.add(r);
  }
  asserts.report();
  if (model.diags.hasErrors()) {
    printDiagnostics(model.diags, opts.diagnosticsFormat == "json" ? "text" : opts.diagnosticsFormat);
    setExitCode(1);
  }
}

void runRun(const RunOptions &opts) {
  LoadOptions lo;
  lo.diagnosticsFormat = opts.diagnosticsFormat;
  auto model = loadModel(opts.file, lo);
  if (!model)
    return;
  if (!opts.compare.empty()) {
    auto engine = makeEngine(model->module(), opts.eval.engine);
    if (engine)
      runCompare(opts, *model, *engine);
    return;
  }
  auto params = resolveParams(*model, opts.eval.scenario, opts.eval.sets);
  if (!params)
    return;
  auto engine = makeEngine(model->module(), opts.eval.engine);
  if (!engine)
    return;
  std::string scenario = opts.eval.scenario.empty() ? "base" : opts.eval.scenario;
  runtime::RunResult r = runtime::evaluate(model->module(), *engine, std::move(*params), scenario);
  if (opts.format == "json")
    fmt::print("{}", runtime::renderJson(r));
  else if (opts.format == "csv")
    fmt::print("{}", runtime::renderCsv(r));
  else if (opts.format == "markdown")
    fmt::print("{}", runtime::renderMarkdown(r));
  else if (!r.error)
    fmt::print("{}", runtime::renderTable(r, {useColour(stdout), true}));
  std::fflush(stdout);
  // Diagnostics name what was evaluated: "scenario `cheap` with --set rate=2".
  std::string label = scenario == "base" ? "the base case" : fmt::format("scenario `{}`", scenario);
  for (const std::string &set : opts.eval.sets)
    label += (label.find(" with ") == std::string::npos ? " with --set " : ", --set ") + set;
  if (opts.eval.sets.empty())
    label = scenario;
  if (r.error) {
    reportEvalError(*model, *r.error, label, r.slots.data());
  } else {
    AssertionReport asserts(*model);
    runtime::RunResult labelled = r;
    labelled.scenario = label;
    asserts.add(labelled);
    asserts.report();
  }
  if (model->diags.hasErrors()) {
    printDiagnostics(model->diags, opts.diagnosticsFormat == "json" ? "text" : opts.diagnosticsFormat);
    setExitCode(1);
  }
}

} // namespace

CAMP_REGISTER_COMMAND(20, [](CLI::App &app) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App *sub = app.add_subcommand("run", "Evaluate a model and print its cost breakdown, revenue, profit and ROI");
  sub->footer("Prints, per pipeline, each stage with its cost lines and categories, subtotals, the category\n"
              "split, revenue, profit, ROI and the unit cost of each stage's output. Assertions are checked\n"
              "for the chosen scenario: a failed one is printed and the exit code is 1.\n\n"
              "Examples:\n"
              "  camp run examples/multichannel.camp\n"
              "  camp run examples/multichannel.camp --scenario strong_creative --format json\n"
              "  camp run examples/multichannel.camp --compare base,cheap_media,strong_creative\n"
              "  camp run examples/multichannel.camp --format markdown > summary.md\n"
              "  camp run examples/multichannel.camp --set conversion=2.5% --set \"hourly=95 USD/h\"");
  sub->add_option("file", opts->file, "The .camp model to run")->required();
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format,
                  "Output format: table (for people), markdown (pull requests, wikis), json (for tools; "
                  "schema in docs/), csv (one row per cost and revenue line)")
      ->check(CLI::IsMember({"table", "markdown", "json", "csv"}));
  sub->add_option("--compare", opts->compare,
                  "Scenarios side by side, e.g. --compare base,cheap_media,strong_creative: cost, revenue, "
                  "profit and ROI per pipeline and in total, and the params each changes")
      ->delimiter(',')
      ->excludes("--scenario");
  sub->add_option("--diagnostics-format", opts->diagnosticsFormat, "text or json, for errors in the model")
      ->check(CLI::IsMember({"text", "json"}));
  sub->callback([opts] { runRun(*opts); });
});

} // namespace camp::driver
