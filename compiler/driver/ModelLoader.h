// What every model-evaluating command shares: compile with diagnostics, --scenario/--set, --engine.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "camp/Engine.h"
#include "diag/Messages.h"
#include "ir/IR.h"
#include "frontend/Compile.h"

namespace camp::driver {

struct LoadOptions {
  std::string diagnosticsFormat = "text"; // text | json
  std::vector<std::pair<std::string, std::string>> extraLets;
};

struct LoadedModel {
  diag::DiagnosticEngine diags;
  std::unique_ptr<Compilation> compilation;
  const ir::Module &module() const { return *compilation->module; }
};

/// Compiles `path`. Prints diagnostics (warnings too) to stderr; on failure returns nullptr and
/// sets the exit code (2: unreadable file, 1: errors in the model).
std::unique_ptr<LoadedModel> loadModel(const std::string &path, const LoadOptions &opts = {});

/// Prints the diagnostics collected so far (text with colour on a terminal, or JSON).
void printDiagnostics(const diag::DiagnosticEngine &diags, const std::string &format);

/// Base values, then the scenario's overrides, then each `--set NAME=VALUE`. A command-line
/// mistake (unknown scenario or param, bad value) is reported with exit code 2 and nullopt.
std::optional<std::vector<double>> resolveParams(LoadedModel &model, const std::string &scenario,
                                                 const std::vector<std::string> &sets);

/// The index of param `name`, or -1 after a command-line error naming the closest param
/// (else `help`) with exit code 2. Used by every option that names a param (--set, --param …).
int findParamOrReport(const ir::Module &m, const std::string &name, const std::string &help);

/// Options every evaluating command takes.
struct EvalOptions {
  std::string scenario;
  std::vector<std::string> sets;
  std::string engine = "auto";
};
void addEvalOptions(CLI::App *sub, EvalOptions &opts);

/// `interp`, `jit`, or `auto` (the JIT when this camp was built with LLVM). nullptr after an error.
std::unique_ptr<runtime::Engine> makeEngine(const ir::Module &m, const std::string &engine);

/// A model ready to evaluate: compiled (with metric expressions), its parameters and an engine.
struct PreparedModel {
  std::unique_ptr<LoadedModel> model;
  std::vector<double> params;
  std::unique_ptr<runtime::Engine> engine;
  const ir::Module &module() const { return model->module(); }
};

/// loadModel with `metrics` compiled as analyses' metric lets (`__metric1`, …), then
/// resolveParams and makeEngine. nullopt after reporting what went wrong.
std::optional<PreparedModel> prepareModel(const std::string &file, const EvalOptions &eval,
                                          const std::vector<std::string> &metrics);
/// The same with at most one metric (`metric` empty: none).
std::optional<PreparedModel> prepareModel(const std::string &file, const EvalOptions &eval, const std::string &metric);
/// The second half alone, for a command that checks its own arguments against the loaded model
/// first: resolveParams and makeEngine. `model` must not be null.
std::optional<PreparedModel> prepareModel(std::unique_ptr<LoadedModel> model, const EvalOptions &eval);

/// A run's label in a message: "the base case", "scenario `high`", or a label that is already
/// words ("the base case with --set rate=2").
diag::arg::Phrase scenarioPhrase(const std::string &label);

/// Reports an evaluation error as a diagnostic pointing at the source line.
/// `slots` (the values computed before the error) lets the message name an undefined ROI.
void reportEvalError(LoadedModel &model, const runtime::EvalError &err, const std::string &scenario,
                     const double *slots = nullptr);

} // namespace camp::driver
