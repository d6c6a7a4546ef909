// `camp sobol FILE`: variance-based sensitivity (first-order and total Sobol indices).
#include <fmt/format.h>

#include "AnalysisMetric.h"
#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Console.h"
#include "analyses/Render.h"
#include "analyses/Sobol.h"

namespace camp::driver {
namespace {

struct SobolCliOptions {
  std::string file;
  EvalOptions eval;
  uint64_t samples = 10000, seed = 1;
  unsigned threads = 0;
  int bootstrap = 200;
  std::string metric;
  std::string format = "table";
};

void runSobolCommand(const SobolCliOptions &opts) {
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
  analyses::SobolOptions so;
  so.samples = opts.samples;
  so.seed = opts.seed;
  so.threads = opts.threads;
  so.bootstrap = opts.bootstrap;
  so.baseParams = params;
  so.pinned = analyses::pinnedParams(m, opts.eval.scenario, opts.eval.sets);
  so.metricSlot = metric.slot;
  analyses::InterruptGuard interrupt;
  so.stop = interrupt.flag();
  std::string problem;
  auto r = analyses::runSobol(m, *engine, so, problem);
  if (!r) {
    std::fprintf(stderr, "camp: error: %s\n", problem.c_str());
    setExitCode(1);
    return;
  }
  if (!m.correlations.empty())
    fmt::print(stderr, "note: Sobol indices assume independent inputs, so the model's {} `correlate` "
                       "statement{} {} ignored here; `camp mc` honours them\n",
               m.correlations.size(), m.correlations.size() == 1 ? "" : "s",
               m.correlations.size() == 1 ? "is" : "are");
  if (opts.format == "json")
    fmt::print("{}", analyses::sobolJson(m, *r, metric));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::sobolCsv(m, *r, metric));
  else
    fmt::print("{}", analyses::sobolTable(m, *r, metric, {useColour(stdout), true}));
  if (r->partial)
    setExitCode(130);
}

} // namespace

CAMP_REGISTER_COMMAND(43, [](CLI::App &app) {
  auto opts = std::make_shared<SobolCliOptions>();
  CLI::App *sub = app.add_subcommand("sobol", "Which uncertainty drives the spread? First-order and total Sobol indices");
  sub->footer("Saltelli's scheme: two sample matrices A and B and, per uncertain param, A with that\n"
              "param's column from B: N x (params + 2) model evaluations. First-order indices by\n"
              "Saltelli (2010), total by Jansen (1999), 95 % intervals by bootstrap. docs/analyses.md.\n\n"
              "Examples:\n"
              "  camp sobol examples/multichannel.camp --metric spring.profit\n"
              "  camp sobol examples/multichannel.camp --samples 100000 --metric spring.roi --format json");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--samples,-n", opts->samples, "Rows N of each sample matrix (default 10000)")
      ->check(CLI::Range(uint64_t(2), uint64_t(1) << 32));
  sub->add_option("--seed", opts->seed, "Seed of the random stream (default 1)");
  sub->add_option("--threads,-j", opts->threads, "Threads (default: every core)");
  sub->add_option("--bootstrap", opts->bootstrap, "Bootstrap resamples for the intervals (default 200)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--metric", opts->metric, "The expression to explain (default: the first pipeline's profit)");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runSobolCommand(*opts); });
});

} // namespace camp::driver
