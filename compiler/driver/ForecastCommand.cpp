// `camp forecast FILE`: runs a model's `forecast` block month by month (LANGUAGE.md, Forecast).
#include <fmt/format.h>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "analyses/Forecast.h"
#include "analyses/Render.h"

namespace camp::driver {
namespace {

struct ForecastCliOptions {
  std::string file;
  EvalOptions eval;
  std::string forecast;
  std::string format = "table";
  std::string by = "category";
};

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
  if (opts.format == "json")
    fmt::print("{}", analyses::forecastJson(m, *r));
  else if (opts.format == "csv")
    fmt::print("{}", analyses::forecastCsv(m, *r));
  else
    fmt::print("{}", analyses::forecastTable(m, *r, {useColour(stdout), true}, opts.by == "pipeline"));
  // A breached budget fails the run, like a failed assertion.
  if (r->budgetBreached())
    setExitCode(1);
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
              "Examples:\n"
              "  camp forecast examples/factory_forecast.camp\n"
              "  camp forecast examples/factory_forecast.camp --forecast factory --format csv");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("--forecast", opts->forecast, "Which forecast block (default: the first)");
  addEvalOptions(sub, opts->eval);
  sub->add_option("--format", opts->format, kFormatHelp)->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_option("--by", opts->by, "Split the monthly cost by `category` (default) or by `pipeline`")
      ->check(CLI::IsMember({"category", "pipeline"}));
  sub->callback([opts] { runForecastCommand(*opts); });
});

} // namespace camp::driver
