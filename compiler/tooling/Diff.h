// `camp diff`: what a change to a model does to cost, revenue, profit and ROI (camp.diff/1).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "camp/Results.h"

namespace camp::tooling {

struct Figures {
  double cost = 0, revenue = 0, profit = 0, roi = 0; // roi may be NaN (zero cost)
};

/// status: "changed", "added", "removed" or "same".
struct LineDelta {
  std::string category, label, status;
  std::optional<double> oldCost, newCost;
};

struct StageDelta {
  std::string name, status;
  std::optional<double> oldCost, newCost;
  std::vector<LineDelta> lines;
};

/// `camp diff --samples N`: the distribution of one figure before, after, and of the paired
/// change (new - old on the same draws), in the currency.
struct UncertainFigure {
  double oldP10 = 0, oldP50 = 0, oldP90 = 0, newP10 = 0, newP50 = 0, newP90 = 0;
  double p10 = 0, p50 = 0, p90 = 0; // of the change
  double pIncrease = 0;             // share of samples where the change is > 0
};

struct UncertainDelta {
  uint64_t samples = 0, used = 0, seed = 0;
  UncertainFigure cost, profit;
};

struct PipelineDelta {
  std::string name, title, status;
  std::optional<Figures> oldFigures, newFigures;
  std::vector<StageDelta> stages;
  std::optional<UncertainDelta> uncertain; // with --samples, for pipelines on both sides
};

struct ParamDelta {
  std::string name, status, unit; // unit: the one the values are shown in (the new model's)
  std::optional<double> oldValue, newValue; // in `unit`
};

struct ModelDelta {
  std::string file, model, currency;
  std::vector<PipelineDelta> pipelines;
  std::vector<ParamDelta> params; // changed, added or removed only
  bool changed() const;
};

/// Compares two base-case evaluations; either side may be missing (a file added or removed).
ModelDelta diffResults(const runtime::RunResult *oldRun, const runtime::RunResult *newRun);

/// Pipelines present on both sides whose cost rose by more than `pct` percent, with the rise.
std::vector<std::pair<std::string, double>> costRisesAbove(const ModelDelta &d, double pct);

std::string renderDiffText(const ModelDelta &d);
std::string renderDiffMarkdown(const ModelDelta &d);
/// One camp.diff/1 object.
std::string renderDiffJson(const ModelDelta &d);

} // namespace camp::tooling
