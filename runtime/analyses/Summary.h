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

/// The kept values of a metric, in chunks of 2 MiB: every chunk after the first is mapped in
/// one call (MADV_POPULATE_WRITE) instead of 512 page faults, chunks come from and go back to a
/// process-wide pool (a second run in the same process reuses memory already mapped), and
/// merging moves chunks, never values. The order of values is not kept (nothing reported
/// depends on it).
class ValueStore {
public:
  static constexpr size_t kChunkValues = size_t(1) << 18;
  ValueStore() = default;
  ValueStore(const ValueStore &other);
  ValueStore &operator=(const ValueStore &other);
  ValueStore(ValueStore &&other) noexcept;
  ValueStore &operator=(ValueStore &&other) noexcept;
  ~ValueStore();

  /// Room for `n` <= kChunkValues values at the end; commit() says how many were written.
  double *room(size_t n);
  void commit(size_t n) {
    chunks_.back().used += n;
    size_ += n;
  }
  /// Takes every chunk of `other` (leaving it empty).
  void absorb(ValueStore &&other);
  void clear();
  size_t size() const { return size_; }
  size_t chunkCount() const { return chunks_.size(); }
  const double *chunkData(size_t k) const { return chunks_[k].data; }
  size_t chunkSize(size_t k) const { return chunks_[k].used; }

private:
  struct Chunk {
    double *data = nullptr;
    size_t used = 0;
  };
  std::vector<Chunk> chunks_;
  size_t size_ = 0;
};

/// Everything needed to report one metric, mergeable exactly: moments are exact sums of
/// (x - shift) and (x - shift)^2 per block of samples, so summaries of parts merge to the same
/// bits as one run as long as the parts split at block boundaries. Percentiles come from all
/// the values (exact mode) or from a QuantileSketch (when the memory budget is exceeded).
///
/// In exact mode with more than kFewValues values, the block loop also counts every value into
/// one of 2^16 fine bins keyed by the top 16 bits of its order-preserving bit pattern (sign,
/// exponent, 4 mantissa bits: 16 bins per power of two). They need no range known in advance and merge as integers, so they are
/// the same for any split. Percentiles are then found by selection inside the one fine bin that
/// holds each wanted rank (a radix select, refined 16 bits at a time while a bin is too big),
/// and the 30-bin histogram takes whole fine bins that fall inside one of its bins, binning one
/// by one only the values of fine bins that straddle its edges (docs/analyses.md).
/// Aligned to a cache line: each thread updates its own summaries once per block.
class alignas(64) MetricSummary {
public:
  static constexpr int kHistogramBins = 30;
  static constexpr int kFineBits = 16;
  /// Up to this many kept values there are no fine bins: the percentiles select among a copy of
  /// the values (the 2^16 bins would cost more to clear, and on a VM to fault in, than that).
  static constexpr uint64_t kFewValues = uint64_t(1) << 14;
  /// `shift` must be the same for summaries that will be merged (the metric's nominal value).
  MetricSummary(double shift, bool keepValues);

  /// Adds one block of values (at most ValueStore::kChunkValues); non-finite values count as
  /// undefined.
  void addBlock(const double *values, const uint8_t *skip, size_t n);
  void merge(const MetricSummary &other);
  /// The same, taking other's kept values without copying them.
  void merge(MetricSummary &&other);
  /// Switches from exact values to the sketch (when a merged result would exceed the budget).
  void dropValuesForSketch();
  MetricStats finish() const;
  /// The same figures without copying the kept values; the scans over the kept values run on
  /// `threads` threads (the figures do not depend on it).
  MetricStats finishInPlace(unsigned threads = 1);

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
  void mergeScalars(const MetricSummary &other);
  void percentilesExact(MetricStats &s, unsigned threads);
  void percentilesOfFew(MetricStats &s) const;
  void countFine(const double *values, size_t n);
  void countFine(const ValueStore &store);
  /// Counts all the kept values into fresh fine bins (when their number passes kFewValues).
  void countFineFromValues();
  /// Brings the fine bins to what they are for both summaries' values (before a merge).
  void mergeFine(const MetricSummary &other);
  double shift_;
  bool keepValues_;
  uint64_t count_ = 0, undefined_ = 0, negatives_ = 0;
  double min_ = 0, max_ = 0;
  ExactSum sum_, sumSquares_;
  ValueStore values_;
  std::vector<uint64_t> fine_;   // exact mode, more than kFewValues: the 2^kFineBits fine bins
  std::vector<double> scratch_;  // sketch mode: one block's finite values
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
