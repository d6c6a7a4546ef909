// Loading models for commands: diagnostics printing (text, JSON, SARIF), scenarios and --set, engines.
#include "ModelLoader.h"

#include <mutex>

#ifdef CAMP_HAVE_TOOLING
#include "tooling/Lint.h"
#endif

#include <filesystem>
#include <fmt/format.h>

#include "Command.h"
#include "Output.h"
#include "base/Strings.h"
#include "analyses/Distributions.h"
#include "analyses/Metrics.h"
#include "camp/Results.h"

#ifdef CAMP_HAVE_LLVM
#include "backend/Backend.h"
#endif

namespace camp::driver {

void printDiagnostics(const diag::DiagnosticEngine &diags, const std::string &format) {
#ifdef CAMP_HAVE_TOOLING
  if (format == "sarif") {
    fmt::print("{}", diag::renderSarif(tooling::diagnosticsAsFindings(diags), CAMP_VERSION, "check"));
    return;
  }
#endif
  if (format == "json") {
    fmt::print("{}", diag::renderJson(diags));
    return;
  }
  std::string text = diag::renderText(diags, {useColour(stderr)});
  if (!text.empty())
    fmt::print(stderr, "{}", text);
}

std::unique_ptr<LoadedModel> loadModel(const std::string &path, const LoadOptions &opts) {
  auto model = std::make_unique<LoadedModel>();
  CompileOptions co;
  co.extraLets = opts.extraLets;
  model->compilation = compile(path, model->diags, co);
  if (model->compilation->module && model->diags.warningCount() > 0)
    printDiagnostics(model->diags, opts.diagnosticsFormat);
  if (model->compilation->module)
    return model;
  printDiagnostics(model->diags, opts.diagnosticsFormat);
  setExitCode(model->compilation->unreadable ? 2 : 1);
  return nullptr;
}

void addEvalOptions(CLI::App *sub, EvalOptions &opts) {
  sub->add_option("--scenario", opts.scenario, "Evaluate a scenario declared in the model (default: the base case)");
  sub->add_option("--set", opts.sets,
                  "Override a param: NAME=VALUE, e.g. --set conversion=2.5% or --set hourly=95 USD/h; "
                  "without a unit VALUE is read in the param's own unit")
      ->type_name("NAME=VALUE");
  sub->add_option("--engine", opts.engine, "Evaluator: auto (JIT when available), jit, interp")
      ->check(CLI::IsMember({"auto", "jit", "interp"}));
}

int findParamOrReport(const ir::Module &m, const std::string &name, const std::string &help) {
  int p = m.findParam(name);
  if (p >= 0)
    return p;
  std::vector<std::string> names;
  for (const ir::Param &q : m.params)
    names.push_back(q.name);
  std::string near = closestName(name, names);
  commandLineError(fmt::format("the model has no param `{}`", name),
                   near.empty() ? help : fmt::format("did you mean `{}`?", near));
  return -1;
}

std::optional<std::vector<double>> resolveParams(LoadedModel &model, const std::string &scenario,
                                                 const std::vector<std::string> &sets) {
  const ir::Module &m = model.module();
  int s = -1;
  if (!scenario.empty() && scenario != "base") {
    s = m.findScenario(scenario);
    if (s < 0) {
      std::vector<std::string> names;
      for (const ir::Scenario &sc : m.scenarios)
        names.push_back(sc.name);
      std::string near = closestName(scenario, names);
      std::string list;
      for (const std::string &n : names)
        list += (list.empty() ? "" : ", ") + n;
      commandLineError(fmt::format("the model has no scenario `{}`", scenario),
                       !near.empty() ? fmt::format("did you mean `{}`?", near)
                                     : names.empty() ? "this model declares no scenarios"
                                                     : fmt::format("its scenarios are: {}", list));
      return std::nullopt;
    }
  }
  std::vector<double> params = runtime::scenarioParams(m, s);
  for (const std::string &set : sets) {
    auto assignment = splitAssignment(set);
    if (!assignment) {
      commandLineError(fmt::format("`--set {}` needs the form NAME=VALUE", set), "for example: --set conversion=2.5%");
      return std::nullopt;
    }
    const auto &[name, value] = *assignment;
    int p = findParamOrReport(m, name, "--set overrides a `param` of the model");
    if (p < 0)
      return std::nullopt;
    int before = model.diags.errorCount();
    auto v = parseParamValue(*model.compilation, p, "--set " + name, value, model.diags);
    if (!v) {
      if (model.diags.errorCount() > before)
        printDiagnostics(model.diags, "text");
      setExitCode(2);
      return std::nullopt;
    }
    params[size_t(p)] = *v;
  }
  return params;
}

std::unique_ptr<runtime::Engine> makeEngine(const ir::Module &m, const std::string &engine) {
  if (engine == "interp")
    return runtime::makeInterpreter(m);
#ifdef CAMP_HAVE_LLVM
  // The machine code of models compiled before comes from the user's cache folder
  // (docs/cli.md, "Compiled code is cached"; CAMP_CACHE_DIR=off turns it off).
  static std::once_flag cacheOnce;
  std::call_once(cacheOnce, [] {
    backend::usePersistentCache(backend::defaultCacheDirectory());
    // The PERT and beta params' quantile tables too: a warm start does not rebuild them.
    analyses::useBetaTableStore({backend::loadCachedData, backend::storeCachedData});
  });
  std::string error;
  backend::JitOptions options;
  options.deferEvaluator = true; // Monte Carlo may never evaluate one sample (its cold start)
  auto jit = backend::makeJitEngine(m, error, options, nullptr);
  if (jit)
    return jit;
  if (engine == "jit") {
    commandLineError(fmt::format("the JIT could not compile this model: {}", error), "use --engine interp");
    return nullptr;
  }
  return runtime::makeInterpreter(m);
#else
  if (engine == "jit") {
    commandLineError("this camp was built without LLVM, so --engine jit is not available", "use --engine interp");
    return nullptr;
  }
  return runtime::makeInterpreter(m);
#endif
}

std::optional<PreparedModel> prepareModel(const std::string &file, const EvalOptions &eval,
                                          const std::vector<std::string> &metrics) {
  LoadOptions lo;
  for (size_t k = 0; k < metrics.size(); ++k)
    lo.extraLets.emplace_back(analyses::metricLetName(k + 1), metrics[k]);
  std::unique_ptr<LoadedModel> model = loadModel(file, lo);
  if (!model)
    return std::nullopt;
  return prepareModel(std::move(model), eval);
}

std::optional<PreparedModel> prepareModel(const std::string &file, const EvalOptions &eval, const std::string &metric) {
  return prepareModel(file, eval, metric.empty() ? std::vector<std::string>{} : std::vector<std::string>{metric});
}

std::optional<PreparedModel> prepareModel(std::unique_ptr<LoadedModel> model, const EvalOptions &eval) {
  PreparedModel p;
  p.model = std::move(model);
  auto params = resolveParams(*p.model, eval.scenario, eval.sets);
  if (!params)
    return std::nullopt;
  p.params = std::move(*params);
  p.engine = makeEngine(p.module(), eval.engine);
  if (!p.engine)
    return std::nullopt;
  return p;
}

diag::arg::Phrase scenarioPhrase(const std::string &label) {
  if (label == "base")
    return diag::arg::Phrase(diag::arg::Words{"the base case"});
  if (label.find(' ') != std::string::npos) // already words
    return diag::arg::Phrase(diag::arg::Words{label});
  return diag::phrase<diag::phr::ScenarioNamed>(diag::arg::Name{label});
}

void reportEvalError(LoadedModel &model, const runtime::EvalError &err, const std::string &scenario,
                     const double *slots) {
  const ir::Module &m = model.module();
  SourceRange at;
  if (err.loc >= 0)
    at = sourceRangeOf(model.diags.sources(), m.locs[size_t(err.loc)]);
  auto kind = err.kind == runtime::EvalErrorKind::DivisionByZero     ? diag::Kind::DivisionByZero
              : err.kind == runtime::EvalErrorKind::NegativeQuantity ? diag::Kind::NegativeQuantity
                                                                     : diag::Kind::NotFinite;
  diag::arg::Phrase where = scenarioPhrase(scenario);
  runtime::ErrorParts parts = runtime::errorParts(m, err, slots);
  diag::arg::Words what{parts.where};
  diag::Diagnostic &d =
      parts.form == runtime::ErrorParts::DivisionByZero ? diag::report<diag::msg::DivisionWhileComputing>(model.diags, at, what, where)
      : parts.form == runtime::ErrorParts::Negative     ? diag::report<diag::msg::NegativeWhenEvaluated>(model.diags, at, what, where)
      : parts.form == runtime::ErrorParts::UndefinedRoi
          ? diag::report<diag::msg::UndefinedRoiUsed>(model.diags, at, what, diag::arg::Name{parts.roi},
                                                      diag::arg::Name{parts.pipeline}, where)
          : diag::report<diag::msg::NotFiniteWhenEvaluated>(model.diags, at, what, where);
  d.help = kind == diag::Kind::DivisionByZero
               ? "guard the division, e.g. `if d > 0 then x / d else 0`, or change the input that is zero"
           : kind == diag::Kind::NegativeQuantity
               ? "check the inputs of this quantity, or bound it with `max(0 UNIT, …)`"
               : "a value grew beyond about 1.8e308 or is undefined; check the inputs it uses";
}

} // namespace camp::driver
