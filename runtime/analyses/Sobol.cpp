// Sobol indices by the Saltelli/Jansen pick-freeze scheme, with bootstrap confidence intervals.
#include "analyses/Sobol.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analyses/Sampling.h"

namespace camp::analyses {

void sobolEstimates(const std::vector<double> &fA, const std::vector<double> &fB,
                    const std::vector<std::vector<double>> &fAB, const std::vector<size_t> &rows,
                    std::vector<double> &first, std::vector<double> &total, double &variance) {
  // Every estimator works on differences or on values centred by the mean of A and B, so
  // adding a constant c to the metric changes no index: the uncentred Saltelli (2010) form
  // sum f(B)(f(AB_i) - f(A)) carries a term c * sum (f(AB_i) - f(A)) whose noise grows with c
  // (a cost of 100,000 +- 1 gave a first-order index of -1274).
  double n = double(rows.size());
  double mean = 0;
  for (size_t j : rows)
    mean += fA[j] + fB[j];
  mean /= 2 * n;
  double var = 0;
  for (size_t j : rows)
    var += (fA[j] - mean) * (fA[j] - mean) + (fB[j] - mean) * (fB[j] - mean);
  variance = var / (2 * n - 1);
  size_t k = fAB.size();
  first.assign(k, 0);
  total.assign(k, 0);
  for (size_t i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (size_t j : rows) {
      double dA = fAB[i][j] - fA[j];
      s += (fB[j] - mean) * dA; // Saltelli 2010, centred
      t += dA * dA;             // Jansen 1999
    }
    first[i] = s / n / variance;
    total[i] = t / (2 * n) / variance;
  }
}

namespace {

double percentile(std::vector<double> xs, double q) {
  std::sort(xs.begin(), xs.end());
  double h = q * double(xs.size() - 1);
  size_t lo = size_t(h), hi = std::min(lo + 1, xs.size() - 1);
  return xs[lo] + (h - double(lo)) * (xs[hi] - xs[lo]);
}

} // namespace

std::optional<SobolResult> runSobol(const ir::Module &module, const runtime::Engine &engine,
                                    const SobolOptions &options, std::string &problem) {
  std::vector<Sampler> samplers;
  if (!makeSamplers(module, options.pinned, samplers, problem))
    return std::nullopt;
  std::vector<size_t> varying;
  for (size_t p = 0; p < samplers.size(); ++p)
    if (samplers[p].isRandom())
      varying.push_back(p);
  if (varying.empty()) {
    problem = "no param has a range or a distribution, so nothing can explain the variance";
    return std::nullopt;
  }
  size_t n = options.samples, k = varying.size(), P = samplers.size();
  // Columns of A (stream Sample) and B (stream SobolB); AB_i reads B's column i, A's others.
  std::vector<std::vector<double>> colA(P), colB(P);
  for (size_t p : varying) {
    colA[p].resize(n);
    colB[p].resize(n);
  }
  // Sobol's estimators assume independent inputs drawn at random: no correlation, no strata.
  UniformDesign designA = makeUniformDesign(module, drawnParams(samplers), SamplingMethod::Random,
                                            options.seed, Stream::Sample, false);
  UniformDesign designB = designA;
  designB.stream = Stream::SobolB;
  uint64_t chunks = (n + kBlock - 1) / kBlock;
  parallelChunks(chunks, options.threads, nullptr, [&](unsigned, uint64_t c) {
    uint64_t lo = c * kBlock, m = std::min<uint64_t>(kBlock, n - lo);
    std::vector<double *> a(P, nullptr), b(P, nullptr);
    for (size_t p : varying)
      a[p] = colA[p].data() + lo, b[p] = colB[p].data() + lo;
    drawParams(samplers, designA, lo, m, a);
    drawParams(samplers, designB, lo, m, b);
  });

  std::vector<double> fA(n), fB(n);
  std::vector<std::vector<double>> fAB(k, std::vector<double>(n));
  auto columns = [&](int matrix) {
    std::vector<const double *> cols(P, nullptr);
    for (size_t i = 0; i < k; ++i) {
      size_t p = varying[i];
      bool fromB = matrix == 1 || (matrix >= 2 && size_t(matrix - 2) == i);
      cols[p] = fromB ? colB[p].data() : colA[p].data();
    }
    return cols;
  };
  // Work items: (matrix, block) so that every thread has something to do even when k is small.
  uint64_t items = (k + 2) * chunks;
  parallelChunks(items, options.threads, options.stop, [&](unsigned, uint64_t item) {
    int matrix = int(item / chunks);
    uint64_t lo = (item % chunks) * kBlock, m = std::min<uint64_t>(kBlock, n - lo);
    std::vector<const double *> cols = columns(matrix);
    for (auto &c : cols)
      if (c)
        c += lo;
    double *out = matrix == 0 ? fA.data() : matrix == 1 ? fB.data() : fAB[matrix - 2].data();
    evalSlotColumns(engine, module, options.metricSlot, cols, options.baseParams, m, out + lo);
  });

  SobolResult r;
  r.samples = n;
  r.evaluations = n * (k + 2);
  r.partial = options.stop && options.stop->load();
  std::vector<size_t> rows;
  for (size_t j = 0; j < n; ++j) {
    bool ok = std::isfinite(fA[j]) && std::isfinite(fB[j]);
    for (size_t i = 0; i < k && ok; ++i)
      ok = std::isfinite(fAB[i][j]);
    if (ok)
      rows.push_back(j);
  }
  r.used = rows.size();
  if (rows.size() < 2) {
    problem = "the metric could not be computed for enough samples";
    return std::nullopt;
  }
  std::vector<double> first, total;
  sobolEstimates(fA, fB, fAB, rows, first, total, r.variance);
  if (!(r.variance > 0)) {
    problem = "the metric does not vary, so it has no variance to explain";
    return std::nullopt;
  }

  // Bootstrap: resample rows with replacement; replicate b draws row t from stream Bootstrap
  // at (sample t, param b). Each replicate is independent, so threads do not change the bits.
  int R = std::max(options.bootstrap, 0);
  std::vector<std::vector<double>> bootFirst(R), bootTotal(R);
  parallelChunks(uint64_t(R), options.threads, nullptr, [&](unsigned, uint64_t b) {
    std::vector<size_t> pick(rows.size());
    for (size_t t = 0; t < rows.size(); ++t) {
      double u = uniformOpen01(options.seed, t, uint32_t(b), Stream::Bootstrap);
      pick[t] = rows[std::min(size_t(u * double(rows.size())), rows.size() - 1)];
    }
    double v;
    sobolEstimates(fA, fB, fAB, pick, bootFirst[b], bootTotal[b], v);
  });
  for (size_t i = 0; i < k; ++i) {
    SobolParam sp;
    sp.param = int32_t(varying[i]);
    sp.first.value = first[i];
    sp.total.value = total[i];
    sp.first.ciLow = sp.first.ciHigh = first[i];
    sp.total.ciLow = sp.total.ciHigh = total[i];
    if (R >= 2) {
      std::vector<double> fs, ts;
      for (int b = 0; b < R; ++b) {
        fs.push_back(bootFirst[b][i]);
        ts.push_back(bootTotal[b][i]);
      }
      sp.first.ciLow = percentile(fs, 0.025), sp.first.ciHigh = percentile(fs, 0.975);
      sp.total.ciLow = percentile(ts, 0.025), sp.total.ciHigh = percentile(ts, 0.975);
    }
    r.params.push_back(sp);
  }
  return r;
}

} // namespace camp::analyses
