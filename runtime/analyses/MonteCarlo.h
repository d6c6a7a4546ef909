// Monte Carlo over every param's distribution: mergeable, bit-reproducible metric summaries.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyses/Summary.h"
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
  size_t memoryBudgetBytes = size_t(256) << 20; // exact percentiles while values fit in this
  const std::atomic<bool> *stop = nullptr;      // set (e.g. by Ctrl-C) to stop early
  std::atomic<uint64_t> *progress = nullptr;    // samples done so far, for a progress bar
};

struct McResult {
  uint64_t seed = 0;
  uint64_t requested = 0;           // samples asked for
  uint64_t evaluated = 0;           // samples evaluated (less than requested when stopped)
  uint64_t failed = 0;              // samples where the model could not be evaluated
  bool partial = false;
  std::optional<runtime::EvalError> firstError; // of the lowest failing sample index
  uint64_t firstErrorSample = 0;
  std::vector<MetricSummary> metrics;           // parallel to McOptions::metricSlots
  std::vector<uint64_t> assertsHeld;            // parallel to Module::asserts
  std::vector<MetricStats> stats;               // finished figures of `metrics` (finishAll)
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
