// `camp mc FILE`: Monte Carlo over every param's distribution, summarised per metric.
#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <mutex>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Console.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Render.h"
#include "Uncertainty.h"

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
  std::string sampling = "lhs";
  std::string precision;
  uint64_t maxSamples = 10'000'000;
  std::string exportPath;
};

/// Writes --export-samples rows in sample order although blocks finish in any order: a block
/// waits (as text) until every block before it is written, so at most about one block per
/// thread is held.
class SampleWriter {
public:
  SampleWriter(std::ofstream &out, uint64_t first) : out_(out), next_(first) {}
  void add(uint64_t first, std::string rows) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_[first] = std::move(rows);
    while (!pending_.empty() && pending_.begin()->first == next_) {
      std::string &text = pending_.begin()->second;
      out_ << text;
      next_ += uint64_t(std::count(text.begin(), text.end(), '\n'));
      pending_.erase(pending_.begin());
    }
  }

private:
  std::ofstream &out_;
  uint64_t next_;
  std::mutex mutex_;
  std::map<uint64_t, std::string> pending_;
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
  mo.sampling = opts.sampling == "random" ? analyses::SamplingMethod::Random
                                          : analyses::SamplingMethod::LatinHypercube;
  if (!opts.precision.empty()) {
    auto p = parsePrecision(opts.precision);
    if (!p)
      return;
    mo.precision = *p;
    mo.samples = opts.maxSamples;
  }
  std::ofstream exportFile;
  std::unique_ptr<SampleWriter> writer;
  if (!opts.exportPath.empty()) {
    exportFile.open(opts.exportPath, std::ios::binary | std::ios::trunc);
    if (!exportFile) {
      commandLineError(fmt::format("cannot write `{}`", opts.exportPath),
                       "check that its folder exists and that you may write there");
      return;
    }
    exportFile << sampleCsvHeader(m, mo.pinned, labels);
    writer = std::make_unique<SampleWriter>(exportFile, 0);
    mo.onBlock = [&](uint64_t first, size_t n, const std::vector<const double *> &ps,
                     const std::vector<const double *> &ms, const uint8_t *skip) {
      writer->add(first, sampleCsvRows(m, labels, first, n, ps, ms, skip));
    };
  }
  for (const auto &l : labels)
    mo.metricSlots.push_back(l.slot);
  std::atomic<uint64_t> done{0};
  mo.progress = &done;
  analyses::InterruptGuard interrupt;
  mo.stop = interrupt.flag();

  std::string problem;
  std::optional<analyses::McResult> r;
  {
    analyses::ProgressBar bar("Monte Carlo", mo.samples, &done);
    r = analyses::runMonteCarlo(m, *engine, mo, problem);
  }
  if (!r) {
    commandLineError(problem, "fix the distribution's arguments in the model");
    return;
  }
  r->conditions = conditionsText(opts.eval);
  warnChangedCorrelations(*prepared->model, r->changedCorrelations);
  if (exportFile.is_open()) {
    exportFile.close();
    if (!exportFile)
      commandLineError(fmt::format("writing `{}` failed (disk full?)", opts.exportPath));
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
              "figures to the last digit for any --threads and either engine. Params named in\n"
              "`correlate a, b = r` get that rank correlation (Iman-Conover), each keeping its own\n"
              "distribution. Ctrl-C stops early and prints what was done, marked partial.\n"
              "Definitions: docs/analyses.md.\n\n"
              "Examples:\n"
              "  camp mc examples/multichannel.camp\n"
              "  camp mc examples/multichannel.camp --samples 1000000 --seed 7 --format json\n"
              "  camp mc examples/multichannel.camp --metric spring.roi --metric \"spring.cost / audience\"\n"
              "  camp mc examples/multichannel.camp --precision 0.5% --max-samples 2000000\n"
              "  camp mc examples/multichannel.camp -n 5000 --export-samples draws.csv");
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
  sub->add_option("--sampling", opts->sampling,
                  "lhs (default): Latin hypercube, each param stratified in every block of 1,024 "
                  "samples; random: independent draws")
      ->check(CLI::IsMember({"lhs", "random"}));
  sub->add_option("--precision", opts->precision,
                  "Stop once the standard error of every metric's mean is at most this share of "
                  "the mean, e.g. 0.5% (checked every 8,192 samples; --samples is then ignored)");
  sub->add_option("--max-samples", opts->maxSamples,
                  "With --precision: stop here even if not converged (default 10000000)")
      ->check(CLI::Range(uint64_t(1), uint64_t(1) << 40));
  sub->add_option("--export-samples", opts->exportPath,
                  "Write every sample to this CSV file: sample, each drawn param (in its declared "
                  "unit; a percentage as a fraction), each metric. Streamed, not held in memory");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->callback([opts] { runMc(*opts); });
});

} // namespace camp::driver
