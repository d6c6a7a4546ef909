// Helpers of the sampling commands (mc, diff --samples): --precision, sample export, headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ModelLoader.h"
#include "analyses/Render.h"
#include "analyses/Uniforms.h"
#ifdef CAMP_HAVE_TOOLING
#include "tooling/Diff.h"
#endif

namespace camp::driver {

/// "0.5%" -> 0.005, "0.005" -> 0.005. Reports a command-line error and returns nullopt when it
/// is not a share in (0, 1).
std::optional<double> parsePrecision(const std::string &text);

/// What the run holds fixed, for headers: "scenario `lean`, --set cpm=12" (empty: base case).
std::string conditionsText(const EvalOptions &eval);

/// Warns (a diagnostic at the first changed `correlate`) when the correlations had to be
/// replaced by the nearest valid matrix, naming each pair that changed.
void warnChangedCorrelations(LoadedModel &model, const std::vector<analyses::ChangedPair> &changed);

/// The header of --export-samples: sample, each drawn param, each metric.
std::string sampleCsvHeader(const ir::Module &m, const std::vector<bool> &pinned,
                            const std::vector<analyses::MetricLabel> &metrics);

/// The rows of one block: params in their declared unit (a percentage as a fraction), metrics
/// in their display unit; a failed sample leaves its metrics empty.
std::string sampleCsvRows(const ir::Module &m, const std::vector<analyses::MetricLabel> &metrics,
                          uint64_t first, size_t n, const std::vector<const double *> &params,
                          const std::vector<const double *> &values, const uint8_t *skip);

#ifdef CAMP_HAVE_TOOLING
/// `camp diff --samples N`: what the paired (common-random-number) comparison needs.
struct PairedCliOptions {
  uint64_t samples = 0, seed = 1;
  unsigned threads = 0;
  std::string engine = "auto";
  std::optional<double> failAbove;  // with a probability: an amount in the currency
  double probability = -1;          // share of samples, in [0, 1]
};

/// Adds the paired distribution of cost and profit to every pipeline of `delta` that both
/// versions have (the same draws for params of the same name). Pipelines whose cost rises by
/// more than failAbove in more than `probability` of the samples go to `exceeded` with that
/// share. False after reporting a problem.
bool addUncertainty(tooling::ModelDelta &delta, const std::string &oldPath, const std::string &newPath,
                    const PairedCliOptions &options, std::vector<std::pair<std::string, double>> &exceeded);
#endif

} // namespace camp::driver
