// Mergeable summaries of one metric's samples: exact moments, percentiles (exact or sketched).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analyses/ExactSum.h"

namespace camp::analyses {

/// A dense log-bucket quantile sketch (the DDSketch mapping): a nonzero value x falls in bucket
/// i = ceil(ln|x| / ln(gamma)) of its sign, gamma = (1 + a) / (1 - a), a = kRelativeAccuracy;
/// the bucket is read back as sign * 2 gamma^i / (gamma + 1), within relative error a of every
/// value in it. Counts are integers, so merging in any order gives the same sketch.
class QuantileSketch {
public:
  static constexpr double kRelativeAccuracy = 1e-3;
  static constexpr double kZeroBelow = 1e-300;
  QuantileSketch();
  void add(double x);
  void merge(const QuantileSketch &other);
  uint64_t count() const { return count_; }
  /// The value of 0-based rank k among the sketched values in ascending order (approximate).
  double valueAtRank(uint64_t k) const;
  /// Visits (representative value, count) from the smallest value up.
  template <typename F> void forEachBucket(F &&visit) const;
  bool operator==(const QuantileSketch &o) const = default;

private:
  struct Store {
    int64_t offset = 0;
    std::vector<uint64_t> counts;
    void add(int64_t index);
    void merge(const Store &other);
    bool operator==(const Store &o) const = default;
  };
  int64_t indexOf(double magnitude) const;
  double valueOf(int64_t index) const;
  double logGamma_ = 0;
  Store positive_, negative_;
  uint64_t zeros_ = 0, count_ = 0;
};

struct Histogram {
  std::vector<double> edges;   // bins + 1 ascending edges; bin k is [edges[k], edges[k+1])
  std::vector<uint64_t> counts; // the last bin also holds values equal to the last edge
};

/// What a finished summary reports (docs/analyses.md defines every figure).
struct MetricStats {
  uint64_t count = 0;      // samples with a finite value
  uint64_t undefined = 0;  // samples where the value was not a number (e.g. ROI of zero cost)
  double mean = 0, sd = 0, stderrMean = 0, min = 0, max = 0;
  double p5 = 0, p10 = 0, p50 = 0, p90 = 0, p95 = 0;
  double pNegative = 0;    // share of counted samples below zero
  bool exactPercentiles = true;
  Histogram histogram;
};

/// Everything needed to report one metric, mergeable exactly: moments are exact sums of
/// (x - shift) and (x - shift)^2 per block of samples, so summaries of parts merge to the same
/// bits as one run as long as the parts split at block boundaries. Percentiles come from all
/// the values (exact mode) or from a QuantileSketch (when the memory budget is exceeded).
class MetricSummary {
public:
  static constexpr int kHistogramBins = 30;
  /// `shift` must be the same for summaries that will be merged (the metric's nominal value).
  MetricSummary(double shift, bool keepValues);

  /// Adds one block of values in order; non-finite values count as undefined.
  void addBlock(const double *values, const uint8_t *skip, size_t n);
  void merge(const MetricSummary &other);
  /// Room for `n` kept values, so that merging parts does not grow the storage step by step.
  void reserve(size_t n) {
    if (keepValues_)
      values_.reserve(n);
  }
  /// Switches from exact values to the sketch (when a merged result would exceed the budget).
  void dropValuesForSketch();
  MetricStats finish() const;
  /// The same figures without copying the kept values (it reorders them, which changes nothing).
  MetricStats finishInPlace();

  uint64_t count() const { return count_; }
  bool keepsValues() const { return keepValues_; }
  /// Adds this summary's count and exact moment sums into running totals (for a convergence
  /// check across the threads' summaries without merging their values).
  void addMoments(uint64_t &count, ExactSum &sum, ExactSum &sumSquares) const {
    count += count_;
    sum.merge(sum_);
    sumSquares.merge(sumSquares_);
  }
  double shift() const { return shift_; }

private:
  double shift_;
  bool keepValues_;
  uint64_t count_ = 0, undefined_ = 0, negatives_ = 0;
  double min_ = 0, max_ = 0;
  ExactSum sum_, sumSquares_;
  std::vector<double> values_;
  QuantileSketch sketch_;
};

template <typename F> void QuantileSketch::forEachBucket(F &&visit) const {
  for (size_t j = negative_.counts.size(); j-- > 0;)
    if (negative_.counts[j])
      visit(-valueOf(negative_.offset + int64_t(j)), negative_.counts[j]);
  if (zeros_)
    visit(0.0, zeros_);
  for (size_t j = 0; j < positive_.counts.size(); ++j)
    if (positive_.counts[j])
      visit(valueOf(positive_.offset + int64_t(j)), positive_.counts[j]);
}

} // namespace camp::analyses
