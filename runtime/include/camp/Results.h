// One evaluation of a model for one scenario: parameter values, every slot, assertion outcomes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::runtime {

struct AssertOutcome {
  bool ok = false;
  double lhs = 0, rhs = 0; // meaningful when the assert is a comparison
};

struct RunResult {
  const ir::Module *module = nullptr;
  std::string scenario = "base";
  std::vector<double> params;
  std::vector<double> slots;
  std::optional<EvalError> error; // evaluation stopped here; slots are then incomplete
  std::vector<AssertOutcome> asserts;
  bool allAssertsOk() const;
};

/// One price billed in one pipeline run (ir::Bill), with what its structure says about the
/// quantity: the allowance and overage, the tier reached, the packages started.
struct BillSummary {
  int32_t price = -1;
  double quantity = 0, cost = 0;      // canonical units; cost in the currency
  int lines = 0;
  std::optional<double> included, overage; // prices with an allowance
  int tier = 0;                       // graduated/volume: 1-based tier the quantity reaches; 0 otherwise
  std::optional<double> packages;     // package pricing: packages started
};

std::vector<BillSummary> billing(const RunResult &r, const ir::Pipeline &p);

/// The parameter vector of a scenario (-1: the base case, nominal values).
std::vector<double> scenarioParams(const ir::Module &m, int scenario);

/// Evaluates once and checks every assertion.
RunResult evaluate(const ir::Module &m, const Engine &engine, std::vector<double> params, std::string scenario);

/// An evaluation error in parts: which of its forms, and the names the words for it use (the
/// compiler's diagnostics template them in their table; describeError writes them for reports).
struct ErrorParts {
  enum Form { DivisionByZero, Negative, UndefinedRoi, NotFinite } form = NotFinite;
  std::string where;    // "campaign.cost", "a value", "an assertion", "the quantity of esp.send"
  std::string roi;      // UndefinedRoi: the ROI read, and the pipeline that costs nothing
  std::string pipeline;
};
ErrorParts errorParts(const ir::Module &m, const EvalError &e, const double *slots = nullptr);

/// "division by zero", "the value is infinite" …: words for an evaluation error.
/// With `slots` (the values computed so far) it can name an undefined ROI that caused it.
std::string describeError(const ir::Module &m, const EvalError &e, const double *slots = nullptr);

} // namespace camp::runtime
