// Mergeable metric summaries: exact moments, exact or sketched percentiles, histograms.
#include "analyses/Summary.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <new>
#include <thread>

#include <sys/mman.h>

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

// ---- ValueStore -----------------------------------------------------------------------------

namespace {

constexpr size_t kChunkBytes = ValueStore::kChunkValues * sizeof(double);

/// Chunks given back by finished summaries, kept (up to a bound) for the next run in the
/// process: their pages are already mapped, so a second run takes no page faults.
class ChunkPool {
public:
  static constexpr size_t kMaxKept = 64; // 128 MiB
  ~ChunkPool() {
    for (double *p : free_)
      std::free(p);
  }
  /// `whole`: the chunk will be filled (its store already has one), so its pages are mapped in
  /// one call instead of one fault each. A store's first chunk is left to fault page by page: a
  /// small run touches only the few pages it writes.
  double *take(bool whole) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!free_.empty()) {
        double *p = free_.back();
        free_.pop_back();
        return p;
      }
    }
    void *p = std::aligned_alloc(kChunkBytes, kChunkBytes);
    if (!p)
      throw std::bad_alloc();
    // Not MADV_HUGEPAGE (docs/performance.md, tenth session): a 2 MiB page needs 2 MiB of
    // contiguous memory, and on a KVM guest measured, when the kernel had to find it in memory
    // the host had not yet backed, a run of 8 million samples took up to 0.66 s instead of
    // 0.37 s. Mapping 4 KiB pages in one call was steady at 0.38 s. Kernels before Linux 5.14
    // refuse the advice, and the pages then fault as they are written.
#ifdef MADV_POPULATE_WRITE
    constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
    constexpr int kPopulateWrite = 23; // Linux's value; older headers lack the name
#endif
    if (whole)
      madvise(p, kChunkBytes, kPopulateWrite);
    return static_cast<double *>(p);
  }
  void give(double *p) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (free_.size() < kMaxKept) {
        free_.push_back(p);
        return;
      }
    }
    std::free(p);
  }

private:
  std::mutex mutex_;
  std::vector<double *> free_;
};

ChunkPool &chunkPool() {
  static ChunkPool pool;
  return pool;
}

} // namespace

ValueStore::ValueStore(const ValueStore &other) { *this = other; }

ValueStore &ValueStore::operator=(const ValueStore &other) {
  if (this == &other)
    return *this;
  clear();
  for (const Chunk &c : other.chunks_) {
    std::memcpy(room(c.used), c.data, c.used * sizeof(double));
    commit(c.used);
  }
  return *this;
}

ValueStore::ValueStore(ValueStore &&other) noexcept
    : chunks_(std::move(other.chunks_)), size_(other.size_) {
  other.chunks_.clear();
  other.size_ = 0;
}

ValueStore &ValueStore::operator=(ValueStore &&other) noexcept {
  if (this == &other)
    return *this;
  clear();
  chunks_ = std::move(other.chunks_);
  size_ = other.size_;
  other.chunks_.clear();
  other.size_ = 0;
  return *this;
}

ValueStore::~ValueStore() { clear(); }

double *ValueStore::room(size_t n) {
  if (chunks_.empty() || kChunkValues - chunks_.back().used < n)
    chunks_.push_back(Chunk{chunkPool().take(!chunks_.empty()), 0});
  return chunks_.back().data + chunks_.back().used;
}

void ValueStore::absorb(ValueStore &&other) {
  // Keep a partly filled chunk last, so that appending goes on filling it.
  for (Chunk &c : other.chunks_)
    chunks_.insert(chunks_.empty() ? chunks_.end() : chunks_.end() - 1, c);
  size_ += other.size_;
  other.chunks_.clear();
  other.size_ = 0;
}

void ValueStore::clear() {
  for (Chunk &c : chunks_)
    chunkPool().give(c.data);
  chunks_.clear();
  size_ = 0;
}

// ---- MetricSummary ---------------------------------------------------------------------------

namespace {

constexpr size_t kFineBins = size_t(1) << MetricSummary::kFineBits;
constexpr int kFineShift = 64 - MetricSummary::kFineBits;

/// A 64-bit key whose unsigned order is the order of the (non-NaN) doubles.
inline uint64_t orderKey(double x) {
  uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return (u >> 63) ? ~u : (u | (uint64_t(1) << 63));
}

inline double fromKey(uint64_t k) {
  uint64_t u = (k >> 63) ? (k & ~(uint64_t(1) << 63)) : ~k;
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

/// How far ahead (in values: 2 KiB) the full scans of the kept values ask for them. The scans
/// are bound by memory, not arithmetic; on a KVM guest measured (docs/performance.md, tenth
/// session) the hardware prefetcher alone left them at about 3 GB/s, and this made both scans
/// of 8 million values 2.6 times as fast.
constexpr size_t kScanPrefetch = 256;

/// Asks for data[j + kScanPrefetch], or for the chunk's last value near its end (a pointer past
/// the chunk would be undefined behaviour even unread).
inline void prefetchAhead(const double *data, size_t j, size_t n) {
  __builtin_prefetch(data + std::min(j + kScanPrefetch, n - 1));
}

/// Runs work(thread, chunk) for every chunk of `store` on up to `threads` threads.
template <typename F> void forChunks(const ValueStore &store, unsigned threads, F &&work) {
  size_t chunks = store.chunkCount();
  threads = unsigned(std::min<size_t>(std::max(threads, 1u), std::max<size_t>(chunks, 1)));
  if (threads == 1) {
    for (size_t k = 0; k < chunks; ++k)
      work(0u, k);
    return;
  }
  std::atomic<size_t> next{0};
  auto loop = [&](unsigned id) {
    for (size_t k; (k = next.fetch_add(1, std::memory_order_relaxed)) < chunks;)
      work(id, k);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(loop, t);
  loop(0);
  for (auto &t : pool)
    t.join();
}

} // namespace

MetricSummary::MetricSummary(double shift, bool keepValues)
    : shift_(std::isfinite(shift) ? shift : 0.0), keepValues_(keepValues) {}

void MetricSummary::addBlock(const double *values, const uint8_t *skip, size_t n) {
  if (n == 0)
    return;
  double *kept;
  if (keepValues_) {
    kept = values_.room(n);
  } else {
    if (scratch_.size() < n)
      scratch_.resize(n);
    kept = scratch_.data();
  }
  // Compact the finite, not skipped values without branches, straight into their storage.
  size_t k = 0;
  uint64_t undefined = 0;
  for (size_t i = 0; i < n; ++i) {
    double x = values[i];
    bool taken = !(skip && skip[i]);
    bool finite = std::isfinite(x);
    undefined += taken & !finite;
    kept[k] = x;
    k += taken & finite;
  }
  undefined_ += undefined;
  if (k == 0)
    return;

  // Moments, extremes and the sign in independent lanes, so the loop vectorises; each lane's
  // sums go into the exact sums, which makes the result independent of how lanes combine.
  constexpr size_t kLanes = 8;
  double s1[kLanes] = {}, s2[kLanes] = {}, lo[kLanes], hi[kLanes];
  uint64_t neg[kLanes] = {};
  for (size_t j = 0; j < kLanes; ++j)
    lo[j] = hi[j] = kept[0];
  size_t i = 0;
  for (; i + kLanes <= k; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) {
      double x = kept[i + j], d = x - shift_;
      s1[j] += d;
      s2[j] += d * d;
      lo[j] = x < lo[j] ? x : lo[j];
      hi[j] = x > hi[j] ? x : hi[j];
      neg[j] += x < 0;
    }
  for (size_t j = 0; i + j < k; ++j) {
    double x = kept[i + j], d = x - shift_;
    s1[j] += d;
    s2[j] += d * d;
    lo[j] = x < lo[j] ? x : lo[j];
    hi[j] = x > hi[j] ? x : hi[j];
    neg[j] += x < 0;
  }
  double blockMin = lo[0], blockMax = hi[0];
  for (size_t j = 0; j < kLanes; ++j) {
    sum_.add(s1[j]);
    sumSquares_.add(s2[j]);
    blockMin = std::min(blockMin, lo[j]);
    blockMax = std::max(blockMax, hi[j]);
    negatives_ += neg[j];
  }
  min_ = count_ == 0 ? blockMin : std::min(min_, blockMin);
  max_ = count_ == 0 ? blockMax : std::max(max_, blockMax);
  count_ += k;

  if (keepValues_) {
    values_.commit(k);
    if (!fine_.empty())
      countFine(kept, k);
    else if (count_ > kFewValues)
      countFineFromValues();
    return;
  }
  for (size_t j = 0; j < k; ++j)
    sketch_.add(kept[j]);
}

void MetricSummary::countFine(const double *values, size_t n) {
  uint64_t *fine = fine_.data();
  for (size_t j = 0; j < n; ++j)
    ++fine[orderKey(values[j]) >> kFineShift];
}

void MetricSummary::countFine(const ValueStore &store) {
  for (size_t c = 0; c < store.chunkCount(); ++c)
    countFine(store.chunkData(c), store.chunkSize(c));
}

void MetricSummary::countFineFromValues() {
  fine_.assign(kFineBins, 0);
  countFine(values_);
}

void MetricSummary::mergeFine(const MetricSummary &other) {
  if (fine_.empty() && other.fine_.empty())
    return; // counted, if the merged values are many, once they have all arrived
  if (fine_.empty()) {
    // Ours are few: start from other's counts and add ours.
    fine_ = other.fine_;
    countFine(values_);
    return;
  }
  if (other.fine_.empty()) {
    countFine(other.values_);
    return;
  }
  for (size_t b = 0; b < kFineBins; ++b)
    fine_[b] += other.fine_[b];
}

void MetricSummary::dropValuesForSketch() {
  if (!keepValues_)
    return;
  for (size_t c = 0; c < values_.chunkCount(); ++c)
    for (size_t j = 0; j < values_.chunkSize(c); ++j)
      sketch_.add(values_.chunkData(c)[j]);
  values_.clear();
  fine_.clear();
  fine_.shrink_to_fit();
  keepValues_ = false;
}

void MetricSummary::mergeScalars(const MetricSummary &other) {
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
}

void MetricSummary::merge(const MetricSummary &other) {
  mergeScalars(other);
  if (keepValues_ && other.keepValues_) {
    mergeFine(other);
    for (size_t c = 0; c < other.values_.chunkCount(); ++c) {
      size_t n = other.values_.chunkSize(c);
      std::memcpy(values_.room(n), other.values_.chunkData(c), n * sizeof(double));
      values_.commit(n);
    }
    if (fine_.empty() && count_ > kFewValues)
      countFineFromValues();
    return;
  }
  dropValuesForSketch();
  if (other.keepValues_) {
    for (size_t c = 0; c < other.values_.chunkCount(); ++c)
      for (size_t j = 0; j < other.values_.chunkSize(c); ++j)
        sketch_.add(other.values_.chunkData(c)[j]);
    return;
  }
  sketch_.merge(other.sketch_);
}

void MetricSummary::merge(MetricSummary &&other) {
  if (!(keepValues_ && other.keepValues_)) {
    merge(static_cast<const MetricSummary &>(other));
    return;
  }
  mergeScalars(other);
  if (fine_.empty() && !other.fine_.empty()) {
    fine_ = std::move(other.fine_); // ours are few: add them to other's counts
    countFine(values_);
  } else {
    mergeFine(other);
  }
  values_.absorb(std::move(other.values_));
  if (fine_.empty() && count_ > kFewValues)
    countFineFromValues();
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

/// The histogram bin of a value: floor((x - min) / (max - min) * bins), clamped; the same
/// arithmetic as written in docs/analyses.md, with the histogram's constants read once.
class BinOf {
public:
  explicit BinOf(const Histogram &h)
      : min_(h.edges.front()), range_(h.edges.back() - h.edges.front()),
        bins_(double(h.counts.size())), last_(h.counts.size() - 1),
        flat_(!(h.edges.back() > h.edges.front())) {}
  size_t operator()(double x) const {
    if (flat_ || x <= min_)
      return 0;
    return std::min(size_t((x - min_) / range_ * bins_), last_);
  }

private:
  double min_, range_, bins_;
  size_t last_;
  bool flat_;
};

size_t binOf(const Histogram &h, double x) { return BinOf(h)(x); }

/// One wanted order statistic during the radix select: its rank among the values whose key
/// starts with `prefix` (the top `bits` bits), and how many values share that prefix.
struct RankTarget {
  uint64_t rank = 0;
  uint64_t prefix = 0;
  int bits = 0;
  uint64_t count = 0;
  double value = 0;
  bool found = false;
  bool matches(uint64_t key) const { return (key >> (64 - bits)) == prefix; }
};

/// The distinct (prefix, bits) of the targets not found yet that `select` picks.
template <typename Pick>
std::vector<std::pair<uint64_t, int>> groupsOf(const std::vector<RankTarget> &targets, Pick pick) {
  std::vector<std::pair<uint64_t, int>> groups;
  for (const RankTarget &t : targets)
    if (!t.found && pick(t) &&
        std::find(groups.begin(), groups.end(), std::pair{t.prefix, t.bits}) == groups.end())
      groups.emplace_back(t.prefix, t.bits);
  return groups;
}

size_t groupIndex(const std::vector<std::pair<uint64_t, int>> &groups, const RankTarget &t) {
  return size_t(std::find(groups.begin(), groups.end(), std::pair{t.prefix, t.bits}) - groups.begin());
}

} // namespace

MetricStats MetricSummary::finish() const {
  MetricSummary copy = *this;
  return copy.finishInPlace();
}

namespace {
constexpr double kPercentiles[] = {0.05, 0.10, 0.50, 0.90, 0.95};
} // namespace

void MetricSummary::percentilesOfFew(MetricStats &s) const {
  std::vector<double> v;
  v.reserve(count_);
  for (size_t c = 0; c < values_.chunkCount(); ++c)
    v.insert(v.end(), values_.chunkData(c), values_.chunkData(c) + values_.chunkSize(c));
  s.histogram = emptyHistogram(min_, max_, kHistogramBins);
  const BinOf binOfValue(s.histogram);
  for (double x : v)
    ++s.histogram.counts[binOfValue(x)];
  // The wanted ranks ascending: each selection leaves the larger values after the rank found.
  double *out[] = {&s.p5, &s.p10, &s.p50, &s.p90, &s.p95};
  auto from = v.begin();
  for (size_t k = 0; k < 5; ++k) {
    double h = kPercentiles[k] * double(count_ - 1);
    uint64_t lo = uint64_t(std::floor(h)), hi = std::min(lo + 1, count_ - 1);
    auto at = [&](uint64_t rank) {
      auto it = v.begin() + long(rank);
      if (it >= from) {
        std::nth_element(from, it, v.end());
        from = it + 1;
      }
      return *it;
    };
    double a = at(lo), b = at(hi);
    *out[k] = a + (h - std::floor(h)) * (b - a);
  }
}

void MetricSummary::percentilesExact(MetricStats &s, unsigned threads) {
  if (fine_.empty()) {
    percentilesOfFew(s);
    return;
  }
  double *out[] = {&s.p5, &s.p10, &s.p50, &s.p90, &s.p95};
  const unsigned scanThreads = std::max(threads, 1u);
  // Ranks lo and lo + 1 of each percentile, ascending; located first in the fine bins.
  std::vector<RankTarget> targets;
  for (double q : kPercentiles) {
    uint64_t lo = uint64_t(std::floor(q * double(count_ - 1)));
    targets.push_back({lo});
    targets.push_back({std::min(lo + 1, count_ - 1)});
  }
  for (RankTarget &t : targets) {
    // Each on its own: the ranks are not in order when two percentiles share one (n < 20).
    uint64_t before = 0;
    size_t bin = 0;
    while (before + fine_[bin] <= t.rank)
      before += fine_[bin++];
    t.prefix = bin, t.bits = kFineBits, t.count = fine_[bin];
    t.rank -= before;
  }

  // The 30-bin histogram: whole fine bins that fall inside one of its bins count at once.
  s.histogram = emptyHistogram(min_, max_, kHistogramBins);
  const BinOf binOfValue(s.histogram);
  const uint64_t keyMin = orderKey(min_), keyMax = orderKey(max_);
  // Whether the keys [first, last] (clamped to the values' range) fall in one histogram bin.
  auto oneBin = [&](uint64_t first, uint64_t last, size_t &k) {
    k = binOfValue(fromKey(std::max(first, keyMin)));
    return k == binOfValue(fromKey(std::min(last, keyMax)));
  };
  // Rows of a second level, for the fine bins that need a closer look: those holding a target
  // and those straddling a histogram edge (at most 10 + 29; row 0 takes every other value).
  constexpr int kSubBits = 10;
  constexpr size_t kSubBins = size_t(1) << kSubBits;
  constexpr int kSubShift = kFineShift - kSubBits;
  std::vector<uint8_t> row(kFineBins, 0);
  std::vector<uint64_t> rowBin(1, 0);
  auto addRow = [&](size_t b) {
    if (!row[b])
      row[b] = uint8_t(rowBin.size()), rowBin.push_back(b);
  };
  for (size_t b = 0; b < kFineBins; ++b) {
    size_t k;
    if (!fine_[b])
      continue;
    if (oneBin(uint64_t(b) << kFineShift, ((uint64_t(b) + 1) << kFineShift) - 1, k))
      s.histogram.counts[k] += fine_[b];
    else
      addRow(b);
  }
  for (const RankTarget &t : targets)
    addRow(size_t(t.prefix));
  const size_t rows = rowBin.size();

  // Scan 1, without branches: counts by the next 10 bits of the key in every row.
  std::vector<std::vector<uint64_t>> subLocal(scanThreads);
  forChunks(values_, scanThreads, [&](unsigned id, size_t c) {
    std::vector<uint64_t> &sub = subLocal[id];
    if (sub.empty())
      sub.assign(rows * kSubBins, 0);
    const uint8_t *rowOf = row.data();
    const double *data = values_.chunkData(c);
    for (size_t j = 0, n = values_.chunkSize(c); j < n; ++j) {
      prefetchAhead(data, j, n);
      uint64_t key = orderKey(data[j]);
      ++sub[rowOf[key >> kFineShift] * kSubBins + ((key >> kSubShift) & (kSubBins - 1))];
    }
  });
  std::vector<uint64_t> sub(rows * kSubBins, 0);
  for (const auto &l : subLocal)
    for (size_t i = 0; i < l.size(); ++i)
      sub[i] += l[i];
  // Sub-bins of straddling fine bins: whole ones count at once, the others are flagged (2).
  std::vector<uint8_t> flag(rows * kSubBins, 0);
  for (size_t r = 1; r < rows; ++r) {
    uint64_t b = rowBin[r];
    if (!fine_[b])
      continue;
    size_t k;
    bool straddles = !oneBin(b << kFineShift, ((b + 1) << kFineShift) - 1, k);
    for (size_t d = 0; straddles && d < kSubBins; ++d) {
      uint64_t n = sub[r * kSubBins + d];
      if (!n)
        continue;
      uint64_t first = (b << kFineShift) | (uint64_t(d) << kSubShift);
      if (oneBin(first, first + ((uint64_t(1) << kSubShift) - 1), k))
        s.histogram.counts[k] += n;
      else
        flag[r * kSubBins + d] |= 2;
    }
  }
  for (RankTarget &t : targets) {
    size_t r = row[t.prefix];
    uint64_t seen = 0;
    size_t d = 0;
    while (seen + sub[r * kSubBins + d] <= t.rank)
      seen += sub[r * kSubBins + d++];
    t.prefix = (t.prefix << kSubBits) | d, t.bits += kSubBits, t.count = sub[r * kSubBins + d];
    t.rank -= seen;
  }

  // A sub-bin still too big to select in (a very narrow spread) is split by up to 16 more bits
  // of the key, one scan each time; when all 64 bits agree the key is the value.
  const uint64_t gatherMax = std::max<uint64_t>(count_ / 64, 1 << 14);
  for (;;) {
    auto groups = groupsOf(targets, [&](const RankTarget &t) { return t.count > gatherMax; });
    if (groups.empty())
      break;
    std::vector<std::vector<std::vector<uint64_t>>> local(scanThreads,
                                                          std::vector<std::vector<uint64_t>>(groups.size()));
    forChunks(values_, scanThreads, [&](unsigned id, size_t c) {
      auto &counts = local[id];
      for (auto &v : counts)
        if (v.empty())
          v.assign(kFineBins, 0);
      const double *data = values_.chunkData(c);
      for (size_t j = 0, n = values_.chunkSize(c); j < n; ++j) {
        prefetchAhead(data, j, n);
        uint64_t key = orderKey(data[j]);
        for (size_t g = 0; g < groups.size(); ++g) {
          int bits = groups[g].second, width = std::min(16, 64 - bits);
          if ((key >> (64 - bits)) == groups[g].first)
            ++counts[g][(key >> (64 - bits - width)) & ((uint64_t(1) << width) - 1)];
        }
      }
    });
    for (RankTarget &t : targets) {
      if (t.found || t.count <= gatherMax)
        continue;
      size_t g = groupIndex(groups, t);
      int width = std::min(16, 64 - t.bits);
      std::vector<uint64_t> counts(kFineBins, 0);
      for (auto &l : local)
        for (size_t b = 0; b < l[g].size(); ++b)
          counts[b] += l[g][b];
      uint64_t seen = 0;
      size_t d = 0;
      while (seen + counts[d] <= t.rank)
        seen += counts[d++];
      t.prefix = (t.prefix << width) | d, t.bits += width, t.count = counts[d], t.rank -= seen;
      if (t.bits == 64)
        t.found = true, t.value = fromKey(t.prefix);
    }
  }

  // Scan 2: the few flagged values. Straddling ones are binned one by one (2); the values of
  // each target's bin are gathered (1) and std::nth_element picks the rank among them.
  auto groups = groupsOf(targets, [](const RankTarget &) { return true; });
  for (auto &[prefix, bits] : groups) {
    uint64_t at = prefix >> (bits - kFineBits - kSubBits); // the sub-bin holding the group
    flag[row[at >> kSubBits] * kSubBins + (at & (kSubBins - 1))] |= 1;
  }
  struct Local {
    std::vector<uint64_t> counts;
    std::vector<std::vector<double>> gathered;
  };
  std::vector<Local> local(scanThreads);
  forChunks(values_, scanThreads, [&](unsigned id, size_t c) {
    Local &l = local[id];
    if (l.counts.empty()) {
      l.counts.assign(s.histogram.counts.size(), 0);
      l.gathered.resize(groups.size());
    }
    const uint8_t *rowOf = row.data(), *flagOf = flag.data();
    const double *data = values_.chunkData(c);
    for (size_t j = 0, n = values_.chunkSize(c); j < n; ++j) {
      prefetchAhead(data, j, n);
      double x = data[j];
      uint64_t key = orderKey(x);
      uint8_t f = flagOf[rowOf[key >> kFineShift] * kSubBins + ((key >> kSubShift) & (kSubBins - 1))];
      if (!f)
        continue;
      if (f & 2)
        ++l.counts[binOfValue(x)];
      if (f & 1)
        for (size_t g = 0; g < groups.size(); ++g)
          if ((key >> (64 - groups[g].second)) == groups[g].first)
            l.gathered[g].push_back(x);
    }
  });
  std::vector<std::vector<double>> gathered(groups.size());
  for (Local &l : local) {
    for (size_t k = 0; k < l.counts.size(); ++k)
      s.histogram.counts[k] += l.counts[k];
    for (size_t g = 0; g < l.gathered.size(); ++g)
      gathered[g].insert(gathered[g].end(), l.gathered[g].begin(), l.gathered[g].end());
  }
  for (RankTarget &t : targets) {
    if (t.found)
      continue;
    std::vector<double> &v = gathered[groupIndex(groups, t)];
    std::nth_element(v.begin(), v.begin() + long(t.rank), v.end());
    t.value = v[t.rank];
  }
  for (size_t k = 0; k < 5; ++k) {
    double h = kPercentiles[k] * double(count_ - 1);
    double a = targets[2 * k].value, b = targets[2 * k + 1].value;
    *out[k] = a + (h - std::floor(h)) * (b - a);
  }
}

MetricStats MetricSummary::finishInPlace(unsigned threads) {
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
  if (keepValues_) {
    percentilesExact(s, threads);
    return s;
  }
  s.histogram = emptyHistogram(min_, max_, kHistogramBins);
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
