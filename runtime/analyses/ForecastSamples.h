// Forecasts with uncertainty: the whole monthly forecast re-billed at N sampled param vectors.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyses/Forecast.h"
#include "analyses/Uniforms.h"
#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

/// P10, P50 and P90 of one figure over the samples that could be evaluated (Hyndman & Fan
/// type 7, as `camp mc`).
struct Band {
  double p10 = 0, p50 = 0, p90 = 0;
};

struct MonthBands {
  Band cost, profit, cumulativeProfit;
};

/// One budget period that some sample breaches: the share of samples in which it is breached.
struct PeriodRisk {
  std::string period; // as BudgetBreach::period: "2027-11" or "2027-01..2027-12"
  double probability = 0;
};

struct ForecastSampleOptions {
  uint64_t samples = 1000;
  uint64_t seed = 1;
  unsigned threads = 0;                 // 0: every core
  std::vector<bool> pinned;             // params fixed by a scenario or --set: never drawn
  SamplingMethod sampling = SamplingMethod::LatinHypercube;
  bool correlate = true;                // honour the model's `correlate` statements
  const std::atomic<bool> *stop = nullptr;
  std::atomic<uint64_t> *progress = nullptr;
};

/// What N sampled forecasts say, beside the base case (ForecastResult). Every share is over the
/// `evaluated - failed` samples that could be evaluated.
struct ForecastUncertainty {
  uint64_t seed = 0, requested = 0, evaluated = 0, failed = 0;
  bool partial = false;                 // stopped early (Ctrl-C)
  size_t drawn = 0;                     // params drawn (0: every sample is the base case)
  SamplingMethod sampling = SamplingMethod::LatinHypercube;
  std::vector<MonthBands> months;       // parallel to ForecastResult::months
  /// Per budget (parallel to ForecastResult::budgets): every period breached in at least one
  /// sample, in calendar order.
  std::vector<std::vector<PeriodRisk>> budgets;
  /// Per allowance (parallel to ForecastResult::allowances), per month: the share of samples in
  /// which the allowance has been exceeded in that month or before.
  std::vector<std::vector<double>> allowanceRunOut;
  /// Per commitment period (parallel to ForecastResult::commits), per month: the share of
  /// samples in which the commitment has run out in that month or before.
  std::vector<std::vector<double>> commitRunOut;
  std::optional<runtime::EvalError> firstError; // of the lowest failing sample index
  uint64_t firstErrorSample = 0;
  std::vector<ChangedPair> changedCorrelations;
  /// The probability of the base case's breach of budget `b` in `period` (0 when no sample
  /// breaches it).
  double breachProbability(size_t b, const std::string &period) const;
};

/// Draws the params N times as `camp mc` does (same samplers, Latin hypercube and correlations,
/// same seed: the same draws) and bills forecast `index` at each draw. Returns nullopt with
/// `problem` set when a param's distribution is unusable. Identical for any thread count and
/// any engine that honours Engine's contract.
std::optional<ForecastUncertainty> runForecastSamples(const ir::Module &module, const runtime::Engine &engine,
                                                      const std::vector<double> &baseParams, int32_t index,
                                                      const ForecastSampleOptions &options, std::string &problem);

/// The most samples a forecast of `months` months may ask for: the figures of every sample and
/// month are kept for exact percentiles (24 bytes each), within 1 GiB, and at most 1,000,000.
uint64_t maxForecastSamples(size_t months);

/// The type-7 percentile q (0..1) of `values`, which it reorders; NaN when empty.
double percentileType7(std::vector<double> &values, double q);

} // namespace camp::analyses
