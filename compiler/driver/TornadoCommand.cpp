// `camp tornado FILE`: which assumption matters most? One-at-a-time swings of one metric.
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

struct TornadoCliOptions {
  std::string file;
  EvalOptions eval;
  std::string metric;
  std::string format = "table";
};

void runTornadoCommand(const TornadoCliOptions &opts) {
  auto prepared = prepareModel(opts.file, opts.eval, opts.metric);
  if (!prepared)
    return;
  const ir::Module &m = prepared->module();
  auto &params = prepared->params;
  auto &engine = prepared->engine;
  auto chosen = singleMetric(m, opts.metric);
  if (!chosen)
    return;
  analyses::MetricLabel metric = *chosen;
  std::string problem;
  auto r = analyses::runTornado(m, *engine, params, metric.slot, problem);
  if (!r) {
    commandLineError(problem, "fix the distribution's arguments in the model");
    return;
  }
  if (opts.format == "json")
    fmt::print("{}", analyses::tornadoJson(m, *r, metric));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::tornadoCsv(m, *r, metric));
  else
    fmt::print("{}", analyses::tornadoTable(m, *r, metric, {useColour(stdout), true}));
}

} // namespace

CAMP_REGISTER_COMMAND(41, [](CLI::App &app) {
  auto opts = std::make_shared<TornadoCliOptions>();
  CLI::App *sub = app.add_subcommand("tornado", "Which assumption matters most? Swing each param alone, sorted");
  sub->footer("Each param moves alone to its low and its high while the others keep their base values:\n"
              "the range if it has one, else its distribution's P10 and P90, else -20 %/+20 %. Params\n"
              "are sorted by how far the metric swings.\n\n"
              "Examples:\n"
              "  camp tornado examples/multichannel.camp --metric spring.profit\n"
              "  camp tornado examples/multichannel.camp --metric spring.roi --scenario cheap_media --format json");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--metric", opts->metric, "The expression to explain (default: the first pipeline's profit)");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runTornadoCommand(*opts); });
});

} // namespace camp::driver
