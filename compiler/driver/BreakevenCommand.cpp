// `camp breakeven FILE --param NAME`: the param value at which a metric reaches a target.
#include <fmt/format.h>

#include "AnalysisMetric.h"
#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Metrics.h"
#include "analyses/Render.h"
#include "analyses/Sensitivity.h"

namespace camp::driver {
namespace {

struct BreakevenCliOptions {
  std::string file;
  EvalOptions eval;
  std::string param, metric, target = "0", within;
  std::string format = "table";
};

void runBreakevenCommand(const BreakevenCliOptions &opts) {
  LoadOptions load;
  if (!opts.metric.empty())
    load.extraLets.emplace_back(analyses::metricLetName(1), opts.metric);
  auto model = loadModel(opts.file, load);
  if (!model)
    return;
  const ir::Module &m = model->module();
  int32_t p = findParamOrReport(m, opts.param, "--param names a `param` of the model, e.g. --param conversion");
  if (p < 0)
    return;
  auto prepared = prepareModel(std::move(model), opts.eval);
  if (!prepared)
    return;
  auto &params = prepared->params;
  auto &engine = prepared->engine;
  auto chosen = singleMetric(m, opts.metric);
  if (!chosen)
    return;
  analyses::MetricLabel metric = *chosen;
  // The target is a plain number in the unit the metric is shown in (a percentage as 5%).
  const ir::DisplayUnit &mu = m.slots[metric.slot].unit;
  double target = 0;
  if (!analyses::parsePlainNumber(opts.target, target)) {
    commandLineError(fmt::format("`--target {}` is not a number", opts.target),
                     "write the target in the metric's unit, e.g. --target 5000 or --target 25%");
    return;
  }
  if (!mu.isPercentLike)
    target *= mu.scale == 0 ? 1 : mu.scale;

  auto [lo, hi] = analyses::defaultSearchInterval(m, params, p);
  if (!opts.within.empty()) {
    size_t dots = opts.within.find("..");
    if (dots == std::string::npos) {
      commandLineError(fmt::format("`--within {}` needs the form LO..HI", opts.within), "e.g. --within 0.5%..10%");
      return;
    }
    auto a = parseParamValue(*prepared->model->compilation, p, "--within", opts.within.substr(0, dots), prepared->model->diags);
    auto b = parseParamValue(*prepared->model->compilation, p, "--within", opts.within.substr(dots + 2), prepared->model->diags);
    if (!a || !b) {
      printDiagnostics(prepared->model->diags, "text");
      setExitCode(2);
      return;
    }
    lo = std::min(*a, *b), hi = std::max(*a, *b);
  }
  auto r = analyses::runBreakeven(m, *engine, params, p, metric.slot, target, lo, hi);
  if (opts.format == "json")
    fmt::print("{}", analyses::breakevenJson(m, r, p, metric, target));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::breakevenCsv(m, r, p, metric, target));
  else
    fmt::print("{}", analyses::breakevenTable(m, r, p, metric, target, {useColour(stdout), true}));
}

} // namespace

CAMP_REGISTER_COMMAND(44, [](CLI::App &app) {
  auto opts = std::make_shared<BreakevenCliOptions>();
  CLI::App *sub = app.add_subcommand("breakeven", "At what value of a param does a metric reach a target (default 0)?");
  sub->footer("Searches the param's range (else its distribution's support, 0.1 %..99.9 % for normal and\n"
              "lognormal, else -20 %/+20 %) with the others at their base values, and reports the lowest\n"
              "value where the metric reaches the target, or says that none lies in the interval.\n\n"
              "Examples:\n"
              "  camp breakeven examples/multichannel.camp --param conversion --metric spring.profit\n"
              "  camp breakeven examples/multichannel.camp --param email_ctr --metric spring.roi --target 20% \\\n"
              "      --within 0.5%..10% --format json");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--param", opts->param, "The param to solve for")->required();
  sub->add_option("--metric", opts->metric, "The expression to bring to the target (default: the first pipeline's profit)");
  sub->add_option("--target", opts->target, "The metric's target value, in its unit (default 0)");
  sub->add_option("--within", opts->within, "LO..HI: where to search, in the param's unit");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runBreakevenCommand(*opts); });
});

} // namespace camp::driver
