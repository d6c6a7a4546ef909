// Paired Monte Carlo of two model versions on common random numbers (keyed by param name).
#include "analyses/PairedDiff.h"

#include <algorithm>
#include <cmath>

#include "analyses/Sampling.h"

namespace camp::analyses {

double PairedMetric::shareAbove(double x) const {
  if (sortedChanges.empty())
    return 0;
  auto it = std::upper_bound(sortedChanges.begin(), sortedChanges.end(), x);
  return double(sortedChanges.end() - it) / double(sortedChanges.size());
}

namespace {

/// Hyndman & Fan type 7 (NumPy's default), as the Monte Carlo summaries use, on sorted values.
double percentile(const std::vector<double> &sorted, double q) {
  double h = q * double(sorted.size() - 1);
  size_t lo = size_t(h), hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

Quantiles quantilesOf(std::vector<double> &values) {
  std::sort(values.begin(), values.end());
  return {percentile(values, 0.10), percentile(values, 0.50), percentile(values, 0.90)};
}

/// One version's samplers, design and per-thread buffers.
struct Side {
  const PairedSide *in = nullptr;
  std::vector<Sampler> samplers;
  UniformDesign design;
};

/// Evaluates samples [first, first + n) of one side into out[k][first ...] (NaN: failed).
void evalBlock(const Side &s, uint64_t first, size_t n, std::vector<std::vector<double>> &out) {
  const ir::Module &m = *s.in->module;
  std::vector<std::vector<double>> draws(m.params.size());
  std::vector<double *> columns(m.params.size(), nullptr);
  std::vector<const double *> params(m.params.size(), nullptr);
  for (size_t p = 0; p < m.params.size(); ++p)
    if (s.samplers[p].isRandom()) {
      draws[p].resize(n);
      columns[p] = draws[p].data();
      params[p] = columns[p];
    }
  drawParams(s.samplers, s.design, first, n, columns);
  std::vector<std::vector<double>> slotValues(m.slots.size());
  std::vector<double *> slots(m.slots.size(), nullptr);
  for (int32_t slot : s.in->slots)
    if (!slots[slot]) {
      slotValues[slot].resize(n);
      slots[slot] = slotValues[slot].data();
    }
  std::vector<int64_t> errors(n);
  runtime::Batch batch;
  batch.n = n;
  batch.params = params.data();
  batch.fixed = s.in->baseParams.data();
  batch.slots = slots.data();
  batch.errors = errors.data();
  s.in->engine->evalBatch(batch);
  for (size_t k = 0; k < s.in->slots.size(); ++k)
    for (size_t i = 0; i < n; ++i)
      out[k][first + i] = errors[i] == runtime::kOk ? slots[s.in->slots[k]][i] : std::nan("");
}

} // namespace

std::optional<PairedResult> runPaired(const PairedSide &before, const PairedSide &after,
                                      const PairedOptions &options, std::string &problem) {
  Side sides[2];
  const PairedSide *inputs[2] = {&before, &after};
  for (int v = 0; v < 2; ++v) {
    Side &s = sides[v];
    s.in = inputs[v];
    if (!makeSamplers(*s.in->module, {}, s.samplers, problem))
      return std::nullopt;
    s.design = makeUniformDesign(*s.in->module, drawnParams(s.samplers), options.sampling, options.seed,
                                 Stream::Sample, true);
  }
  size_t metrics = before.slots.size(), n = options.samples;
  std::vector<std::vector<double>> values[2];
  for (auto &v : values)
    v.assign(metrics, std::vector<double>(n));
  uint64_t blocks = (n + kBlock - 1) / kBlock;
  parallelChunks(blocks, options.threads, nullptr, [&](unsigned, uint64_t b) {
    uint64_t first = b * kBlock;
    size_t m = size_t(std::min<uint64_t>(kBlock, n - first));
    for (int v = 0; v < 2; ++v)
      evalBlock(sides[v], first, m, values[v]);
  });

  PairedResult r;
  r.samples = n;
  std::vector<uint8_t> ok(n, 1);
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < metrics && ok[i]; ++k)
      ok[i] = std::isfinite(values[0][k][i]) && std::isfinite(values[1][k][i]);
  r.used = uint64_t(std::count(ok.begin(), ok.end(), 1));
  if (r.used == 0) {
    problem = "no sample could be evaluated in both versions";
    return std::nullopt;
  }
  for (size_t k = 0; k < metrics; ++k) {
    std::vector<double> o, a, change;
    o.reserve(r.used), a.reserve(r.used), change.reserve(r.used);
    for (size_t i = 0; i < n; ++i)
      if (ok[i]) {
        o.push_back(values[0][k][i]);
        a.push_back(values[1][k][i]);
        change.push_back(values[1][k][i] - values[0][k][i]);
      }
    PairedMetric pm;
    pm.before = quantilesOf(o);
    pm.after = quantilesOf(a);
    pm.change = quantilesOf(change);
    pm.sortedChanges = std::move(change);
    pm.pIncrease = pm.shareAbove(0);
    r.metrics.push_back(std::move(pm));
  }
  return r;
}

} // namespace camp::analyses
