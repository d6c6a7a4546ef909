// Mergeable metric summaries: exact moments, exact or sketched percentiles, histograms.
#include "analyses/Summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace camp::analyses {

QuantileSketch::QuantileSketch() {
  double a = kRelativeAccuracy;
  logGamma_ = std::log((1 + a) / (1 - a));
}

int64_t QuantileSketch::indexOf(double magnitude) const {
  return int64_t(std::ceil(std::log(magnitude) / logGamma_));
}

double QuantileSketch::valueOf(int64_t index) const {
  double gamma = std::exp(logGamma_);
  return 2 * std::exp(double(index) * logGamma_) / (gamma + 1);
}

void QuantileSketch::Store::add(int64_t index) {
  if (counts.empty()) {
    offset = index;
    counts.assign(1, 0);
  }
  if (index < offset) {
    // Grow downwards with slack so a slowly falling stream does not copy on every value.
    size_t grow = size_t(offset - index) + counts.size() / 2 + 16;
    counts.insert(counts.begin(), grow, 0);
    offset -= int64_t(grow);
  }
  size_t at = size_t(index - offset);
  if (at >= counts.size())
    counts.resize(at + 1 + counts.size() / 2, 0);
  ++counts[at];
}

void QuantileSketch::Store::merge(const Store &other) {
  for (size_t j = 0; j < other.counts.size(); ++j) {
    if (!other.counts[j])
      continue;
    int64_t index = other.offset + int64_t(j);
    add(index);
    counts[size_t(index - offset)] += other.counts[j] - 1;
  }
}

void QuantileSketch::add(double x) {
  ++count_;
  double m = std::fabs(x);
  if (m < kZeroBelow) {
    ++zeros_;
    return;
  }
  (x > 0 ? positive_ : negative_).add(indexOf(m));
}

void QuantileSketch::merge(const QuantileSketch &other) {
  positive_.merge(other.positive_);
  negative_.merge(other.negative_);
  zeros_ += other.zeros_;
  count_ += other.count_;
}

double QuantileSketch::valueAtRank(uint64_t k) const {
  uint64_t seen = 0;
  double found = std::numeric_limits<double>::quiet_NaN();
  bool done = false;
  forEachBucket([&](double value, uint64_t n) {
    if (done)
      return;
    seen += n;
    if (seen > k) {
      found = value;
      done = true;
    }
  });
  return found;
}

MetricSummary::MetricSummary(double shift, bool keepValues)
    : shift_(std::isfinite(shift) ? shift : 0.0), keepValues_(keepValues) {}

void MetricSummary::addBlock(const double *values, const uint8_t *skip, size_t n) {
  double s1 = 0, s2 = 0;
  for (size_t i = 0; i < n; ++i) {
    if (skip && skip[i])
      continue;
    double x = values[i];
    if (!std::isfinite(x)) {
      ++undefined_;
      continue;
    }
    if (count_ == 0) {
      min_ = max_ = x;
    } else {
      min_ = x < min_ ? x : min_;
      max_ = x > max_ ? x : max_;
    }
    ++count_;
    negatives_ += x < 0;
    double d = x - shift_;
    s1 += d;
    s2 += d * d;
    if (keepValues_)
      values_.push_back(x);
    else
      sketch_.add(x);
  }
  sum_.add(s1);
  sumSquares_.add(s2);
}

void MetricSummary::dropValuesForSketch() {
  if (!keepValues_)
    return;
  for (double x : values_)
    sketch_.add(x);
  values_.clear();
  values_.shrink_to_fit();
  keepValues_ = false;
}

void MetricSummary::merge(const MetricSummary &other) {
  if (other.count_ > 0) {
    if (count_ == 0) {
      min_ = other.min_, max_ = other.max_;
    } else {
      min_ = std::min(min_, other.min_);
      max_ = std::max(max_, other.max_);
    }
  }
  count_ += other.count_;
  undefined_ += other.undefined_;
  negatives_ += other.negatives_;
  sum_.merge(other.sum_);
  sumSquares_.merge(other.sumSquares_);
  if (keepValues_ && other.keepValues_) {
    values_.insert(values_.end(), other.values_.begin(), other.values_.end());
    return;
  }
  dropValuesForSketch();
  if (other.keepValues_) {
    for (double x : other.values_)
      sketch_.add(x);
    return;
  }
  sketch_.merge(other.sketch_);
}

namespace {

// Linear interpolation between closest ranks (Hyndman & Fan type 7, as NumPy's default).
double percentileOfSketch(const QuantileSketch &sketch, double q, double min, double max) {
  double h = q * double(sketch.count() - 1);
  uint64_t lo = uint64_t(std::floor(h));
  double a = sketch.valueAtRank(lo);
  double b = sketch.valueAtRank(std::min(lo + 1, sketch.count() - 1));
  return std::clamp(a + (h - double(lo)) * (b - a), min, max);
}

Histogram emptyHistogram(double min, double max, int bins) {
  Histogram h;
  if (max <= min)
    bins = 1;
  for (int k = 0; k <= bins; ++k)
    h.edges.push_back(k == bins ? max : min + (max - min) * k / bins);
  h.counts.assign(bins, 0);
  return h;
}

size_t binOf(const Histogram &h, double x) {
  double min = h.edges.front(), max = h.edges.back();
  size_t bins = h.counts.size();
  if (!(max > min) || x <= min)
    return 0;
  size_t k = size_t((x - min) / (max - min) * double(bins));
  return std::min(k, bins - 1);
}

} // namespace

MetricStats MetricSummary::finish() const {
  MetricSummary copy = *this;
  return copy.finishInPlace();
}

MetricStats MetricSummary::finishInPlace() {
  MetricStats s;
  s.count = count_;
  s.undefined = undefined_;
  s.exactPercentiles = keepValues_;
  double nan = std::numeric_limits<double>::quiet_NaN();
  if (count_ == 0) {
    s.mean = s.sd = s.stderrMean = s.min = s.max = nan;
    s.p5 = s.p10 = s.p50 = s.p90 = s.p95 = s.pNegative = nan;
    return s;
  }
  double n = double(count_);
  double s1 = sum_.value(), s2 = sumSquares_.value();
  s.mean = shift_ + s1 / n;
  double var = count_ > 1 ? (s2 - s1 * s1 / n) / (n - 1) : 0.0;
  s.sd = std::sqrt(std::max(var, 0.0));
  s.stderrMean = s.sd / std::sqrt(n);
  s.min = min_, s.max = max_;
  s.pNegative = double(negatives_) / n;
  s.histogram = emptyHistogram(min_, max_, kHistogramBins);
  if (keepValues_) {
    // Order statistics by successive selection (linear time) give exactly what a full sort would.
    std::vector<double> &v = values_;
    double *out[] = {&s.p5, &s.p10, &s.p50, &s.p90, &s.p95};
    const double qs[] = {0.05, 0.10, 0.50, 0.90, 0.95};
    size_t from = 0;
    for (int k = 0; k < 5; ++k) {
      double h = qs[k] * double(v.size() - 1);
      size_t lo = size_t(std::floor(h));
      std::nth_element(v.begin() + long(from), v.begin() + long(lo), v.end());
      double a = v[lo], b = a;
      if (lo + 1 < v.size())
        b = *std::min_element(v.begin() + long(lo) + 1, v.end());
      *out[k] = a + (h - double(lo)) * (b - a);
      from = lo;
    }
    for (double x : v)
      ++s.histogram.counts[binOf(s.histogram, x)];
    return s;
  }
  s.p5 = percentileOfSketch(sketch_, 0.05, min_, max_);
  s.p10 = percentileOfSketch(sketch_, 0.10, min_, max_);
  s.p50 = percentileOfSketch(sketch_, 0.50, min_, max_);
  s.p90 = percentileOfSketch(sketch_, 0.90, min_, max_);
  s.p95 = percentileOfSketch(sketch_, 0.95, min_, max_);
  sketch_.forEachBucket([&](double value, uint64_t c) {
    s.histogram.counts[binOf(s.histogram, std::clamp(value, min_, max_))] += c;
  });
  return s;
}

} // namespace camp::analyses
