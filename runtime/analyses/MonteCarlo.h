// Monte Carlo over every param's distribution: mergeable, bit-reproducible metric summaries.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyses/Summary.h"
#include "analyses/Uniforms.h"
#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

struct McOptions {
  uint64_t samples = 10000;
  uint64_t seed = 1;
  uint64_t firstSample = 0;         // a part of a bigger run starts here (a multiple of kBlock)
  uint64_t totalSamples = 0;        // the whole run's size, for the exact/sketch choice (0: samples)
  unsigned threads = 0;             // 0: every core
  std::vector<int32_t> metricSlots; // what to summarise
  std::vector<double> baseParams;   // values of params that are not drawn (scenario applied)
  std::vector<bool> pinned;         // params fixed by a scenario or --set: never drawn
  SamplingMethod sampling = SamplingMethod::LatinHypercube;
  bool correlate = true;            // honour the model's `correlate` statements
  /// > 0: stop at the first check (every kPrecisionRound samples) where the standard error of
  /// the mean of every metric is at most precision * |mean|; `samples` is then the maximum.
  double precision = 0;
  /// Called (from worker threads, blocks in any order) with each block's draws and metric
  /// values: params[p] is null for a param that is not drawn; skip[i] marks a failed sample.
  std::function<void(uint64_t first, size_t n, const std::vector<const double *> &params,
                     const std::vector<const double *> &metrics, const uint8_t *skip)>
      onBlock;
  size_t memoryBudgetBytes = size_t(256) << 20; // exact percentiles while values fit in this
  const std::atomic<bool> *stop = nullptr;      // set (e.g. by Ctrl-C) to stop early
  std::atomic<uint64_t> *progress = nullptr;    // samples done so far, for a progress bar
};

/// Samples between two convergence checks: a fixed number of blocks, so the stopping point
/// does not depend on the thread count.
constexpr uint64_t kPrecisionRound = 8 * 1024;

struct McResult {
  uint64_t seed = 0;
  uint64_t requested = 0;           // samples asked for
  uint64_t evaluated = 0;           // samples evaluated (less than requested when stopped)
  uint64_t failed = 0;              // samples where the model could not be evaluated
  bool partial = false;
  bool converged = false;           // with McOptions::precision: the precision was reached
  double precision = 0;             // McOptions::precision
  SamplingMethod sampling = SamplingMethod::LatinHypercube;
  std::string conditions;           // what was pinned, for headers: "scenario `x`, --set a=1"
  std::optional<runtime::EvalError> firstError; // of the lowest failing sample index
  uint64_t firstErrorSample = 0;
  std::vector<MetricSummary> metrics;           // parallel to McOptions::metricSlots
  std::vector<uint64_t> assertsHeld;            // parallel to Module::asserts
  std::vector<MetricStats> stats;               // finished figures of `metrics` (finishAll)
  std::vector<ChangedPair> changedCorrelations; // made valid: the nearest correlation matrix
  /// Combines the result of another part of the same run (same seed, metrics and shift);
  /// call finishAll afterwards.
  void merge(const McResult &other);
  /// Everything but the metrics' summaries (counts, errors, assertions).
  void mergeCounts(const McResult &other);
  /// Finishes every metric's summary into `stats`, metrics in parallel on `threads` threads.
  void finishAll(unsigned threads);
  /// The finished figures of metric k (from `stats` when finishAll ran, else computed now).
  MetricStats statsOf(size_t k) const { return k < stats.size() ? stats[k] : metrics[k].finish(); }
};

/// Runs the Monte Carlo. Returns nullopt with `problem` set when a param's distribution is
/// unusable. Identical bits for any thread count and any engine that honours Engine's contract.
std::optional<McResult> runMonteCarlo(const ir::Module &module, const runtime::Engine &engine,
                                      const McOptions &options, std::string &problem);

/// Whether a run of `samples` with `metrics` metrics keeps every value (exact percentiles).
bool keepsExactValues(uint64_t samples, size_t metrics, size_t memoryBudgetBytes);

} // namespace camp::analyses
