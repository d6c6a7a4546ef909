// Paired (common-random-number) Monte Carlo of two versions of a model: the distribution of the
// change new - old in each metric, sample by sample, on the same draws of every shared param.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyses/Uniforms.h"
#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

/// One version: its module, an engine for it, its base values and the slots to compare
/// (slots[k] of the old side is paired with slots[k] of the new side).
struct PairedSide {
  const ir::Module *module = nullptr;
  const runtime::Engine *engine = nullptr;
  std::vector<double> baseParams;
  std::vector<int32_t> slots;
};

struct PairedOptions {
  uint64_t samples = 10000;
  uint64_t seed = 1;
  unsigned threads = 0;
  SamplingMethod sampling = SamplingMethod::LatinHypercube;
};

struct Quantiles {
  double p10 = 0, p50 = 0, p90 = 0;
};

struct PairedMetric {
  Quantiles before, after, change;  // of old, new and new - old (type-7 percentiles)
  double pIncrease = 0;             // share of samples where new - old > 0
  std::vector<double> sortedChanges;
  /// The share of samples whose change is above `x`.
  double shareAbove(double x) const;
};

struct PairedResult {
  uint64_t samples = 0;             // asked for
  uint64_t used = 0;                // where both versions could be evaluated
  std::vector<PairedMetric> metrics; // parallel to the sides' slots
};

/// Draws both versions' params from one design keyed by param name (so a param both versions
/// declare with the same distribution gets the same value in every sample) and evaluates both.
/// nullopt with `problem` set when a distribution is unusable or no sample could be evaluated.
std::optional<PairedResult> runPaired(const PairedSide &before, const PairedSide &after,
                                      const PairedOptions &options, std::string &problem);

} // namespace camp::analyses
