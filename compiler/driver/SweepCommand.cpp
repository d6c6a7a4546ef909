// `camp sweep FILE --param NAME=LO..HI:STEPS`: a metric over a 1-D or 2-D grid of param values.
#include <fmt/format.h>

#include "AnalysisMetric.h"
#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Metrics.h"
#include "analyses/Render.h"
#include "analyses/Sensitivity.h"
#include "base/Strings.h"

namespace camp::driver {
namespace {

struct SweepCliOptions {
  std::string file;
  EvalOptions eval;
  std::vector<std::string> params;
  std::string metric;
  std::string format = "table";
};

/// NAME=LO..HI[:STEPS]; LO and HI as --set takes them (the param's unit unless written).
std::optional<analyses::SweepAxis> parseAxis(LoadedModel &model, const std::string &spec) {
  const ir::Module &m = model.module();
  const char *help = "write --param NAME=LO..HI:STEPS, e.g. --param conversion=1%..4%:13";
  auto assignment = splitAssignment(spec);
  size_t dots = assignment ? assignment->second.find("..") : std::string::npos;
  if (dots == std::string::npos) {
    commandLineError(fmt::format("`--param {}` is not a sweep", spec), help);
    return std::nullopt;
  }
  const auto &[name, range] = *assignment;
  int32_t p = findParamOrReport(m, name, help);
  if (p < 0)
    return std::nullopt;
  std::string rest = range.substr(dots + 2), lo = range.substr(0, dots), hi = rest;
  analyses::SweepAxis axis;
  axis.param = p;
  axis.steps = 11;
  if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    hi = rest.substr(0, colon);
    double steps = 0;
    if (!analyses::parsePlainNumber(rest.substr(colon + 1), steps) || steps < 2 || steps > 10000 ||
        steps != std::floor(steps)) {
      commandLineError(fmt::format("`{}` is not a number of steps between 2 and 10000", rest.substr(colon + 1)), help);
      return std::nullopt;
    }
    axis.steps = int(steps);
  }
  auto a = parseParamValue(*model.compilation, p, "--param " + name, lo, model.diags);
  auto b = parseParamValue(*model.compilation, p, "--param " + name, hi, model.diags);
  if (!a || !b) {
    printDiagnostics(model.diags, "text");
    setExitCode(2);
    return std::nullopt;
  }
  axis.lo = *a, axis.hi = *b;
  return axis;
}

void runSweepCommand(const SweepCliOptions &opts) {
  if (opts.params.empty() || opts.params.size() > 2) {
    commandLineError("a sweep needs one or two --param NAME=LO..HI:STEPS",
                     "e.g. --param conversion=1%..4%:13 --param aov=60..90:7");
    return;
  }
  LoadOptions lo;
  if (!opts.metric.empty())
    lo.extraLets.emplace_back(analyses::metricLetName(1), opts.metric);
  auto model = loadModel(opts.file, lo);
  if (!model)
    return;
  const ir::Module &m = model->module();
  std::vector<analyses::SweepAxis> axes;
  for (const std::string &spec : opts.params) {
    auto axis = parseAxis(*model, spec);
    if (!axis)
      return;
    axes.push_back(*axis);
  }
  if (axes.size() == 2 && axes[0].param == axes[1].param) {
    commandLineError("the two --param of a 2-D sweep must be different params");
    return;
  }
  auto prepared = prepareModel(std::move(model), opts.eval);
  if (!prepared)
    return;
  auto &params = prepared->params;
  auto &engine = prepared->engine;
  auto chosen = singleMetric(m, opts.metric);
  if (!chosen)
    return;
  analyses::MetricLabel metric = *chosen;
  auto r = analyses::runSweep(m, *engine, params, axes, metric.slot);
  if (opts.format == "json")
    fmt::print("{}", analyses::sweepJson(m, r, metric));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::sweepCsv(m, r, metric));
  else
    fmt::print("{}", analyses::sweepTable(m, r, metric, {useColour(stdout), true}));
}

} // namespace

CAMP_REGISTER_COMMAND(42, [](CLI::App &app) {
  auto opts = std::make_shared<SweepCliOptions>();
  CLI::App *sub = app.add_subcommand("sweep", "A metric over a grid of one or two params' values");
  sub->footer("STEPS points from LO to HI, both included (default 11). With two --param, a heat map\n"
              "(rows: the first param); the numbers are in --format csv or json.\n\n"
              "Examples:\n"
              "  camp sweep examples/multichannel.camp --param conversion=1%..4%:13 --metric spring.profit\n"
              "  camp sweep examples/multichannel.camp --param email_ctr=0.5%..2%:16 --param aov=60..90:7 \\\n"
              "      --metric spring.roi --format csv");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--param", opts->params, "NAME=LO..HI:STEPS (once or twice)")->required();
  sub->add_option("--metric", opts->metric, "The expression to tabulate (default: the first pipeline's profit)");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runSweepCommand(*opts); });
});

} // namespace camp::driver
