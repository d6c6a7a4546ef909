// `camp mc FILE`: Monte Carlo over every param's distribution, summarised per metric.
#include <fmt/format.h>

#include "Command.h"
#include "Console.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Metrics.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Render.h"

namespace camp::driver {
namespace {

struct McCliOptions {
  std::string file;
  EvalOptions eval;
  uint64_t samples = 10000, seed = 1;
  unsigned threads = 0;
  std::vector<std::string> metrics;
  std::string format = "table";
  double memoryMiB = 256;
};

void runMc(const McCliOptions &opts) {
  auto prepared = prepareModel(opts.file, opts.eval, opts.metrics);
  if (!prepared)
    return;
  const ir::Module &m = prepared->module();
  auto &params = prepared->params;
  auto &engine = prepared->engine;

  std::vector<analyses::MetricLabel> labels;
  for (size_t k = 0; k < opts.metrics.size(); ++k)
    labels.push_back({opts.metrics[k], m.findSlot(analyses::metricLetName(k + 1))});
  if (opts.metrics.empty())
    for (const analyses::NamedSlot &s : analyses::defaultMetrics(m))
      labels.push_back({s.name, s.slot});
  if (labels.empty()) {
    commandLineError("this model has no pipeline, so there is no default metric",
                     "name one with --metric EXPR, e.g. --metric \"my_value * 2\"");
    return;
  }

  analyses::McOptions mo;
  mo.samples = opts.samples;
  mo.seed = opts.seed;
  mo.threads = opts.threads;
  mo.baseParams = params;
  mo.pinned = analyses::pinnedParams(m, opts.eval.scenario, opts.eval.sets);
  mo.memoryBudgetBytes = size_t(opts.memoryMiB * 1024 * 1024);
  for (const auto &l : labels)
    mo.metricSlots.push_back(l.slot);
  std::atomic<uint64_t> done{0};
  mo.progress = &done;
  InterruptGuard interrupt;
  mo.stop = interrupt.flag();

  std::string problem;
  std::optional<analyses::McResult> r;
  {
    ProgressBar bar("Monte Carlo", opts.samples, &done);
    r = analyses::runMonteCarlo(m, *engine, mo, problem);
  }
  if (!r) {
    commandLineError(problem, "fix the distribution's arguments in the model");
    return;
  }
  analyses::View view{useColour(stdout), true};
  if (opts.format == "json")
    fmt::print("{}", analyses::mcJson(m, *r, labels));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::mcCsv(m, *r, labels));
  else
    fmt::print("{}", analyses::mcTable(m, *r, labels, view));
  std::fflush(stdout);
  if (r->firstError) {
    std::string scenario = opts.eval.scenario.empty() ? "base" : opts.eval.scenario;
    reportEvalError(*prepared->model, *r->firstError, scenario);
    printDiagnostics(prepared->model->diags, "text");
    std::fprintf(stderr, "%llu of %llu samples could not be evaluated and were left out (the first: sample %llu)\n",
                 (unsigned long long)r->failed, (unsigned long long)r->evaluated,
                 (unsigned long long)r->firstErrorSample);
    if (r->failed == r->evaluated)
      setExitCode(1);
  }
  if (r->partial) {
    std::fprintf(stderr, "stopped: %llu of %llu samples were run; the figures above are partial\n",
                 (unsigned long long)r->evaluated, (unsigned long long)r->requested);
    setExitCode(130);
  }
}

} // namespace

CAMP_REGISTER_COMMAND(40, [](CLI::App &app) {
  auto opts = std::make_shared<McCliOptions>();
  CLI::App *sub = app.add_subcommand("mc", "Monte Carlo: how sure are we? Draw every uncertain param and summarise");
  sub->footer("Each sample draws every param from its distribution (a range alone is uniform; a param\n"
              "with neither stays fixed, as do params set by --scenario or --set) and evaluates the\n"
              "model. For each metric: mean, sd, percentiles, the share below zero and a histogram; for\n"
              "each assert, the share of samples in which it holds. The same --seed gives the same\n"
              "figures to the last digit for any --threads and either engine. Ctrl-C stops early and\n"
              "prints what was done, marked partial. Definitions: docs/analyses.md.\n\n"
              "Examples:\n"
              "  camp mc examples/multichannel.camp\n"
              "  camp mc examples/multichannel.camp --samples 1000000 --seed 7 --format json\n"
              "  camp mc examples/multichannel.camp --metric spring.roi --metric \"spring.cost / audience\"");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--samples,-n", opts->samples, "Number of samples (default 10000)")->check(CLI::Range(uint64_t(1), uint64_t(1) << 40));
  sub->add_option("--seed", opts->seed, "Seed of the random stream (default 1)");
  sub->add_option("--threads,-j", opts->threads, "Threads (default: every core)");
  sub->add_option("--metric", opts->metrics,
                  "An expression to summarise, in the model's names (repeatable; default: each pipeline's "
                  "cost, revenue, profit and roi)");
  sub->add_option("--memory", opts->memoryMiB,
                  "MiB for exact percentiles; beyond, a sketch within 0.1 % is used (default 256)")
      ->check(CLI::PositiveNumber);
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runMc(*opts); });
});

} // namespace camp::driver
