// Variance-based sensitivity: first-order (Saltelli 2010) and total (Jansen) Sobol indices.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

struct SobolOptions {
  uint64_t samples = 10000;        // N: rows of each of the matrices A and B
  uint64_t seed = 1;
  unsigned threads = 0;
  int bootstrap = 200;             // resamples for the 95 % confidence intervals
  std::vector<double> baseParams;
  std::vector<bool> pinned;
  int32_t metricSlot = -1;
  const std::atomic<bool> *stop = nullptr;
};

struct SobolIndex {
  double value = 0, ciLow = 0, ciHigh = 0;
};

struct SobolParam {
  int32_t param = -1;
  SobolIndex first, total;
};

struct SobolResult {
  uint64_t samples = 0;            // N asked for
  uint64_t used = 0;               // rows where every evaluation succeeded
  uint64_t evaluations = 0;        // N * (k + 2)
  double variance = 0;             // of the metric over A and B together
  bool partial = false;
  std::vector<SobolParam> params;  // the random params, in declaration order
};

/// Estimates the indices of every param that has a range or a distribution. nullopt with
/// `problem` set when no param varies or a distribution is unusable.
std::optional<SobolResult> runSobol(const ir::Module &module, const runtime::Engine &engine,
                                    const SobolOptions &options, std::string &problem);

/// The estimators on given evaluations (exposed for tests): fA, fB and fAB[i] of equal length.
void sobolEstimates(const std::vector<double> &fA, const std::vector<double> &fB,
                    const std::vector<std::vector<double>> &fAB, const std::vector<size_t> &rows,
                    std::vector<double> &first, std::vector<double> &total, double &variance);

} // namespace camp::analyses
