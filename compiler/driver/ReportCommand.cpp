// `camp report FILE -o report.html`: the run, its scenarios, uncertainty and forecast on one page.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "Assertions.h"
#include "Command.h"
#include "HtmlReport.h"
#include "ModelLoader.h"
#include "Output.h"
#include "Console.h"
#include "analyses/Metrics.h"
#include "analyses/Forecast.h"
#include "analyses/ForecastSamples.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Render.h"
#include "analyses/Sensitivity.h"
#include "analyses/Sobol.h"
#include "base/Strings.h"
#include "camp/Report.h"

namespace camp::driver {
namespace {

using nlohmann::ordered_json;

struct ReportOptions {
  std::string file, output;
  std::vector<std::string> scenarios, sets;
  std::string engine = "auto";
  std::string forecast;
  uint64_t samples = 0, seed = 1;
  uint64_t sobolSamples = 2000;
  unsigned threads = 0;
};

// ---- Assumptions: every param as the model states it ------------------------------------------

std::string numberIn(double canonical, const ir::DisplayUnit &unit) {
  ir::DisplayUnit bare = unit;
  bare.text.clear();
  bare.isMoney = false;
  return runtime::formatValue(canonical, bare);
}

std::string distributionText(const ir::Param &p) {
  static const char *names[] = {"", "uniform", "triangular", "pert", "normal", "lognormal", "beta", "discrete"};
  const ir::Distribution &d = p.dist;
  if (d.kind == ir::DistKind::None)
    return "";
  std::string args;
  for (size_t k = 0; k < d.args.size(); ++k) {
    // Beta's shape parameters and a lognormal's sigma are plain numbers, not in the param's unit.
    bool plainArg = d.kind == ir::DistKind::Beta ? k < 2 : d.kind == ir::DistKind::Lognormal && k == 1;
    args += (k ? ", " : "") + (plainArg ? shortestDouble(d.args[k]) : numberIn(d.args[k], p.unit));
    if (d.kind == ir::DistKind::Discrete && k < d.weights.size())
      args += fmt::format(": {:.4g}%", d.weights[k] * 100);
  }
  return fmt::format("{}({}) {}", names[size_t(d.kind)], args, p.unit.text);
}

ordered_json assumptionsJson(const ir::Module &m, const std::vector<double> &params) {
  ordered_json list = ordered_json::array();
  for (size_t i = 0; i < m.params.size(); ++i) {
    const ir::Param &p = m.params[i];
    std::string range;
    if (p.range)
      range = fmt::format("in [{}, {}] {}", numberIn(p.range->first, p.unit), numberIn(p.range->second, p.unit), p.unit.text);
    list.push_back({{"name", p.name},
                    {"value", analyses::shownValue(params[i], p.unit)},
                    {"unit", p.unit.text},
                    {"shown", numberIn(params[i], p.unit)},
                    {"range", range},
                    {"distribution", distributionText(p)},
                    {"doc", p.doc}});
  }
  return list;
}

// ---- Where the report comes from ---------------------------------------------------------------

std::string shellQuote(const std::string &s) {
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string commandOutput(const std::string &command) {
  std::string out;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return out;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe))
    out += buffer;
  if (pclose(pipe) != 0)
    return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

// "3f2a9c1b7d0e" (or "… with local changes"), "" outside a git repository.
std::string gitRevision(const std::string &file) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  std::string git = "git -C " + shellQuote(dir.string()) + " ";
  std::string rev = commandOutput(git + "rev-parse --short=12 HEAD 2>/dev/null");
  if (rev.empty())
    return "";
  std::string status = commandOutput(git + "status --porcelain -- " + shellQuote(std::filesystem::path(file).filename().string()) +
                                     " 2>/dev/null");
  return status.empty() ? rev : rev + " with local changes to the model";
}

// Now, or SOURCE_DATE_EPOCH for reproducible builds of the page.
std::string reportDate() {
  std::time_t t = std::time(nullptr);
  if (const char *epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch)
    t = std::time_t(std::strtoll(epoch, nullptr, 10));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

// ---- The analyses, each through its own JSON builder -------------------------------------------

ordered_json parsed(const std::string &json) { return ordered_json::parse(json); }

/// The base case and each compared scenario, --set applied on top of each.
bool addScenarios(ReportData &data, LoadedModel &model, const runtime::Engine &engine, const ReportOptions &opts) {
  const ir::Module &m = model.module();
  std::vector<std::string> names = opts.scenarios;
  if (names.empty())
    for (const ir::Scenario &s : m.scenarios)
      names.push_back(s.name);
  names.insert(names.begin(), "base");
  data.scenarios = ordered_json::array();
  for (const std::string &name : names) {
    if (name == "base" && &name != &names.front())
      continue;
    auto params = resolveParams(model, name, opts.sets);
    if (!params)
      return false;
    int s = m.findScenario(name);
    ordered_json changes = ordered_json::array();
    if (s >= 0)
      for (auto &[param, value] : m.scenarios[size_t(s)].overrides)
        changes.push_back({{"name", m.params[size_t(param)].name},
                           {"shown", runtime::formatValue(value, m.params[size_t(param)].unit)}});
    runtime::RunResult r = runtime::evaluate(m, engine, std::move(*params), name);
    data.scenarios.push_back({{"name", name},
                              {"title", s >= 0 ? m.scenarios[size_t(s)].title : "Base case"},
                              {"changes", changes},
                              {"run", parsed(runtime::renderJson(r))}});
  }
  return true;
}

void addUncertainty(ReportData &data, const ir::Module &m, const runtime::Engine &engine,
                    const std::vector<double> &params, const ReportOptions &opts) {
  if (opts.samples == 0) {
    data.uncertaintyNote = "run `camp report` with --samples N (e.g. --samples 20000) to see the spread of the "
                           "figures, the tornado and the Sobol indices.";
    return;
  }
  if (m.pipelines.empty()) {
    data.uncertaintyNote = "the model has no pipeline, so there is no cost, profit or ROI to sample.";
    return;
  }
  std::vector<analyses::MetricLabel> labels;
  for (const analyses::NamedSlot &s : analyses::defaultMetrics(m))
    labels.push_back({s.name, s.slot});
  analyses::McOptions mo;
  mo.samples = opts.samples;
  mo.seed = opts.seed;
  mo.threads = opts.threads;
  mo.baseParams = params;
  mo.pinned = analyses::pinnedParams(m, "", opts.sets);
  for (const auto &l : labels)
    mo.metricSlots.push_back(l.slot);
  std::atomic<uint64_t> done{0};
  mo.progress = &done;
  std::string problem;
  std::optional<analyses::McResult> mc;
  {
    ProgressBar bar("Monte Carlo", opts.samples, &done);
    mc = analyses::runMonteCarlo(m, engine, mo, problem);
  }
  if (!mc) {
    data.uncertaintyNote = "the Monte Carlo could not run: " + problem;
    return;
  }
  data.mc = parsed(analyses::mcJson(m, *mc, labels));

  analyses::MetricLabel profit{m.pipelines[0].name + ".profit", m.pipelines[0].profitSlot};
  if (auto t = analyses::runTornado(m, engine, params, profit.slot, problem))
    data.tornado = parsed(analyses::tornadoJson(m, *t, profit));
  analyses::SobolOptions so;
  so.samples = std::min(opts.samples, opts.sobolSamples);
  so.seed = opts.seed;
  so.threads = opts.threads;
  so.bootstrap = 100;
  so.baseParams = params;
  so.pinned = mo.pinned;
  so.metricSlot = profit.slot;
  if (auto s = analyses::runSobol(m, engine, so, problem))
    data.sobol = parsed(analyses::sobolJson(m, *s, profit));
  else
    data.uncertaintyNote = problem;
}

/// Sampled forecasts for the fan chart: as many as the Monte Carlo, at most this many (each
/// draw bills every month, so a 10-year forecast costs about 120 model evaluations per draw).
constexpr uint64_t kMaxForecastSamples = 10000;

void addForecast(ReportData &data, const ir::Module &m, const runtime::Engine &engine, const std::vector<double> &params,
                 int32_t index, const ReportOptions &opts) {
  if (index < 0) {
    data.forecastNote = "The model has no forecast block.";
    return;
  }
  std::string problem;
  auto r = analyses::runForecast(m, engine, params, index, problem);
  if (!r) {
    data.forecastNote = "The forecast could not be run: " + problem;
    return;
  }
  std::optional<analyses::ForecastUncertainty> bands;
  if (opts.samples > 0) {
    analyses::ForecastSampleOptions so;
    so.samples = std::min(opts.samples, kMaxForecastSamples);
    so.seed = opts.seed;
    so.threads = opts.threads;
    so.pinned = analyses::pinnedParams(m, "", opts.sets);
    std::atomic<uint64_t> done{0};
    so.progress = &done;
    ProgressBar bar("Forecast samples", so.samples, &done);
    bands = analyses::runForecastSamples(m, engine, params, index, so, problem);
  }
  data.forecast = parsed(analyses::forecastJson(m, *r, bands ? &*bands : nullptr));
}

int32_t chooseForecast(const ir::Module &m, const std::string &name, bool &ok) {
  ok = true;
  if (name.empty())
    return m.forecasts.empty() ? -1 : 0;
  std::string names;
  for (size_t f = 0; f < m.forecasts.size(); ++f) {
    if (m.forecasts[f].name == name)
      return int32_t(f);
    names += (names.empty() ? "" : ", ") + m.forecasts[f].name;
  }
  ok = false;
  commandLineError(fmt::format("the model has no forecast `{}`", name),
                   names.empty() ? "this model declares no forecast" : "its forecasts are: " + names);
  return -1;
}

bool writeFile(const std::string &path, const std::string &text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out)
      return false;
    out.write(text.data(), std::streamsize(text.size()));
    if (!out.flush())
      return false;
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec)
    std::filesystem::remove(temporary, ec);
  return !ec;
}

void runReport(const ReportOptions &opts) {
  std::string searched;
  auto lib = findChartLibrary(searched);
  if (!lib) {
    commandLineError("camp report needs the Vega-Lite scripts it embeds, and found none (looked in " + searched + ")",
                     "`.ci/build` installs them into the build tree; an installed camp has them in share/camp/js; "
                     "or point CAMP_REPORT_JS at a folder with vega.min.js, vega-lite.min.js and vega-embed.min.js");
    return;
  }
  auto model = loadModel(opts.file);
  if (!model)
    return;
  const ir::Module &m = model->module();
  bool forecastOk = true;
  int32_t forecastIndex = chooseForecast(m, opts.forecast, forecastOk);
  if (!forecastOk)
    return;
  EvalOptions eval;
  eval.sets = opts.sets;
  eval.engine = opts.engine;
  auto prepared = prepareModel(std::move(model), eval);
  if (!prepared)
    return;
  LoadedModel &loaded = *prepared->model;
  const runtime::Engine &engine = *prepared->engine;

  runtime::RunResult base = runtime::evaluate(m, engine, prepared->params, "base");
  if (base.error) {
    reportEvalError(loaded, *base.error, "base", base.slots.data());
    printDiagnostics(loaded.diags, "text");
    setExitCode(1);
    return;
  }
  ReportData data;
  std::string settings;
  for (const std::string &s : opts.sets)
    settings += (settings.empty() ? "--set " : ", --set ") + s;
  data.meta = {{"title", m.title}, {"file", opts.file}, {"revision", gitRevision(opts.file)},
               {"version", CAMP_VERSION}, {"date", reportDate()}, {"settings", settings}};
  if (opts.samples > 0) {
    data.meta["samples"] = opts.samples;
    data.meta["seed"] = opts.seed;
  }
  data.run = parsed(runtime::renderJson(base));
  data.assumptions = assumptionsJson(m, prepared->params);
  if (!addScenarios(data, loaded, engine, opts))
    return;
  addUncertainty(data, m, engine, prepared->params, opts);
  addForecast(data, m, engine, prepared->params, forecastIndex, opts);

  std::string html = renderHtmlReport(data, *lib);
  if (!writeFile(opts.output, html)) {
    commandLineError(fmt::format("could not write `{}`", opts.output), "check that its folder exists and is writable");
    return;
  }
  if (opts.output != "-")
    std::fprintf(stderr, "wrote %s (%s KB)\n", opts.output.c_str(), groupThousands(double(html.size()) / 1024, 0).c_str());
  AssertionReport asserts(loaded);
  asserts.add(base);
  if (asserts.report() > 0) {
    printDiagnostics(loaded.diags, "text");
    setExitCode(1);
  }
}

} // namespace

CAMP_REGISTER_COMMAND(46, [](CLI::App &app) {
  auto opts = std::make_shared<ReportOptions>();
  CLI::App *sub = app.add_subcommand("report", "Write one self-contained HTML page with tables and charts for a CFO");
  sub->footer("The page holds the summary per pipeline and in total, unit cost per stage output, a cost\n"
              "waterfall and category split, the assumptions, billing, every scenario side by side, and\n"
              "with --samples the histograms, CDFs, probability of a loss, assertion odds, tornado and\n"
              "Sobol indices of profit; with a forecast block, the monthly chart. Everything is inline:\n"
              "it opens offline and prints to PDF from the browser. The base case (with --set) is the\n"
              "main figure; --scenario chooses which scenarios are compared (default: all). Exit code 1\n"
              "when an assertion fails in the base case (the page is still written). docs/cli.md.\n\n"
              "Examples:\n"
              "  camp report examples/multichannel.camp -o report.html\n"
              "  camp report examples/multichannel.camp -o report.html --samples 20000 --seed 7\n"
              "  camp report examples/factory_forecast.camp -o factory.html --forecast factory");
  sub->add_option("file", opts->file, "The .camp model")->required();
  sub->add_option("-o,--output", opts->output, "The HTML file to write (- for standard output)")->required();
  sub->add_option("--samples,-n", opts->samples, "Monte Carlo samples for the uncertainty section (default: none)")
      ->check(CLI::Range(uint64_t(0), uint64_t(1) << 32));
  sub->add_option("--seed", opts->seed, "Seed of the random stream (default 1)");
  sub->add_option("--sobol-samples", opts->sobolSamples,
                  "Rows of Sobol's sample matrices, at most --samples (default 2000)")
      ->check(CLI::Range(uint64_t(2), uint64_t(1) << 24));
  sub->add_option("--threads,-j", opts->threads, "Threads (default: every core)");
  sub->add_option("--scenario", opts->scenarios, "A scenario to compare with the base case (repeatable; default: all)");
  sub->add_option("--forecast", opts->forecast, "Which forecast block to chart (default: the first)");
  sub->add_option("--set", opts->sets, "Override a param for every figure: NAME=VALUE (repeatable)")
      ->type_name("NAME=VALUE");
  sub->add_option("--engine", opts->engine, "Evaluator: auto (JIT when available), jit, interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
  sub->callback([opts] { runReport(*opts); });
});

} // namespace camp::driver
