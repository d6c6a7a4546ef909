// `camp forecast FILE`: runs a model's `forecast` block month by month (LANGUAGE.md, Forecast).
#include <fmt/format.h>

#include "Command.h"
#include "Console.h"
#include "ModelLoader.h"
#include "Output.h"
#include "Uncertainty.h"
#include "analyses/Forecast.h"
#include "analyses/ForecastSamples.h"
#include "analyses/Metrics.h"
#include "analyses/Render.h"
#include "base/Strings.h"

namespace camp::driver {
namespace {

struct ForecastCliOptions {
  std::string file;
  EvalOptions eval;
  std::string forecast;
  std::string format = "table";
  std::string by = "category";
  uint64_t samples = 0, seed = 1; // samples > 0: percentiles from that many sampled forecasts
  unsigned threads = 0;
  std::string sampling = "lhs";
};

/// Forecasts at N sampled param vectors, with a progress bar; nullopt after reporting a problem.
std::optional<analyses::ForecastUncertainty> sampleForecasts(PreparedModel &prepared, const ForecastCliOptions &opts,
                                                             int32_t index) {
  const ir::Module &m = prepared.module();
  const ir::Forecast &f = m.forecasts[size_t(index)];
  size_t months = size_t((f.endYear * 12 + f.endMonth) - (f.startYear * 12 + f.startMonth) + 1);
  if (opts.samples > analyses::maxForecastSamples(months)) {
    commandLineError(fmt::format("--samples {} is too many for this {}-month forecast", opts.samples, months),
                     fmt::format("ask for at most {}: every sample's monthly figures are kept for exact percentiles "
                                 "(24 bytes per sample and month, within 1 GiB)",
                                 groupThousands(double(analyses::maxForecastSamples(months)), 0)));
    return std::nullopt;
  }
  analyses::ForecastSampleOptions so;
  so.samples = opts.samples;
  so.seed = opts.seed;
  so.threads = opts.threads;
  so.pinned = analyses::pinnedParams(m, opts.eval.scenario, opts.eval.sets);
  so.sampling = opts.sampling == "random" ? analyses::SamplingMethod::Random : analyses::SamplingMethod::LatinHypercube;
  std::atomic<uint64_t> done{0};
  so.progress = &done;
  InterruptGuard interrupt;
  so.stop = interrupt.flag();
  std::string problem;
  std::optional<analyses::ForecastUncertainty> u;
  {
    ProgressBar bar("Forecast samples", so.samples, &done);
    u = analyses::runForecastSamples(m, *prepared.engine, prepared.params, index, so, problem);
  }
  if (!u) {
    commandLineError(problem, "fix the distribution's arguments in the model");
    return std::nullopt;
  }
  warnChangedCorrelations(*prepared.model, u->changedCorrelations);
  return u;
}

/// Says which samples failed (the first one as a diagnostic) and that the shares leave them out.
void reportFailedSamples(PreparedModel &prepared, const ForecastCliOptions &opts, const analyses::ForecastUncertainty &u) {
  if (u.firstError) {
    reportEvalError(*prepared.model, *u.firstError, opts.eval.scenario.empty() ? "base" : opts.eval.scenario);
    printDiagnostics(prepared.model->diags, "text");
    std::fprintf(stderr, "%llu of %llu sampled forecasts could not be evaluated and were left out (the first: sample %llu)\n",
                 (unsigned long long)u.failed, (unsigned long long)u.evaluated, (unsigned long long)u.firstErrorSample);
  }
  if (u.partial) {
    std::fprintf(stderr, "stopped: %llu of %llu sampled forecasts were run; the percentiles above are partial\n",
                 (unsigned long long)u.evaluated, (unsigned long long)u.requested);
    setExitCode(130);
  }
}

void runForecastCommand(const ForecastCliOptions &opts) {
  auto model = loadModel(opts.file);
  if (!model)
    return;
  const ir::Module &m = model->module();
  if (m.forecasts.empty()) {
    commandLineError("this model has no forecast block",
                     "add one, e.g. `forecast plan \"Plan\" monthly 2026-01 .. 2026-12 { run spring per 4 /month }`");
    return;
  }
  int32_t index = 0;
  if (!opts.forecast.empty()) {
    index = -1;
    std::string names;
    for (size_t f = 0; f < m.forecasts.size(); ++f) {
      if (m.forecasts[f].name == opts.forecast)
        index = int32_t(f);
      names += (names.empty() ? "" : ", ") + m.forecasts[f].name;
    }
    if (index < 0) {
      commandLineError(fmt::format("the model has no forecast `{}`", opts.forecast), "its forecasts are: " + names);
      return;
    }
  } else if (m.forecasts.size() > 1) {
    std::fprintf(stderr, "note: the model has %zu forecasts; showing `%s` (choose with --forecast NAME)\n",
                 m.forecasts.size(), m.forecasts[0].name.c_str());
  }
  auto prepared = prepareModel(std::move(model), opts.eval);
  if (!prepared)
    return;
  auto &params = prepared->params;
  auto &engine = prepared->engine;
  std::string problem;
  auto r = analyses::runForecast(m, *engine, params, index, problem);
  if (!r) {
    std::vector<double> slots(m.slots.size());
    runtime::EvalError err;
    if (!engine->evalOne(params.data(), slots.data(), err)) {
      reportEvalError(*prepared->model, err, opts.eval.scenario.empty() ? "base" : opts.eval.scenario);
      printDiagnostics(prepared->model->diags, "text");
    } else {
      std::fprintf(stderr, "camp: error: %s\n", problem.c_str());
    }
    setExitCode(1);
    return;
  }
  std::optional<analyses::ForecastUncertainty> u;
  if (opts.samples > 0) {
    u = sampleForecasts(*prepared, opts, index);
    if (!u)
      return;
  }
  const analyses::ForecastUncertainty *bands = u ? &*u : nullptr;
  if (opts.format == "json")
    fmt::print("{}", analyses::forecastJson(m, *r, bands));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::forecastCsv(m, *r, bands));
  else
    fmt::print("{}", analyses::forecastTable(m, *r, {useColour(stdout), true}, opts.by == "pipeline", bands));
  std::fflush(stdout);
  // A breached budget fails the run, like a failed assertion (the base case decides).
  if (r->budgetBreached())
    setExitCode(1);
  if (u)
    reportFailedSamples(*prepared, opts, *u);
}

} // namespace

CAMP_REGISTER_COMMAND(45, [](CLI::App &app) {
  auto opts = std::make_shared<ForecastCliOptions>();
  CLI::App *sub = app.add_subcommand("forecast", "Month by month: runs, cost by category, revenue, profit, cumulative");
  sub->footer("Each month a pipeline runs rate x (1 + growth)^(months/12) x season times. Metered lines\n"
              "(exactly one rate-card price call) are billed like the vendor's invoice: on the month's\n"
              "total quantity (`billed yearly` prices on the contract year's), so tiers, packages,\n"
              "allowances, minimums and maximums apply per billing period. Fees allocated per run\n"
              "(`esp.platform * 1 month / 10`) are billed once a month instead. Commitments are drawn\n"
              "down, overage premiums billed, unused commitment trued up; the report names the month\n"
              "each allowance and commitment runs out. A breached `budget` exits with status 1.\n\n"
              "With --samples N the whole forecast is also billed at N draws of the uncertain params\n"
              "(the draws of `camp mc` with the same --seed): each month gets P10/P50/P90 of cost,\n"
              "profit and cumulative profit, each budget period the probability that it is breached,\n"
              "and each allowance and commitment the probability that it has run out by each month.\n"
              "The exit status still follows the base case. Definitions: docs/analyses.md.\n\n"
              "Examples:\n"
              "  camp forecast examples/factory_forecast.camp\n"
              "  camp forecast examples/factory_forecast.camp --forecast factory --format csv\n"
              "  camp forecast examples/loyalty_forecast.camp --samples 2000 --seed 7");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--forecast", opts->forecast, "Which forecast block (default: the first)");
  sub->add_option("--samples,-n", opts->samples,
                  "Also bill the forecast at this many draws of the uncertain params and report "
                  "percentiles and probabilities (default 0: base case only; at most 1,000,000, and "
                  "fewer for long forecasts: 24 bytes are kept per sample and month, within 1 GiB)")
      ->check(CLI::Range(uint64_t(0), uint64_t(1'000'000)));
  sub->add_option("--seed", opts->seed, "Seed of the random stream, as in `camp mc` (default 1)");
  sub->add_option("--threads,-j", opts->threads, "Threads for --samples (default: every core)");
  sub->add_option("--sampling", opts->sampling,
                  "lhs (default): Latin hypercube, as `camp mc`; random: independent draws")
      ->check(CLI::IsMember({"lhs", "random"}));
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--by", opts->by, "Split the monthly cost by `category` (default) or by `pipeline`")
      ->check(CLI::IsMember({"category", "pipeline"}));
  sub->callback([opts] { runForecastCommand(*opts); });
});

} // namespace camp::driver
