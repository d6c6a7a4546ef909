// Forecasts with uncertainty: each sampled param vector is billed month by month like the base
// case; percentiles per month, breach and run-out shares are counted over the samples.
#include "analyses/ForecastSamples.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>
#include <map>

#include "analyses/Sampling.h"

namespace camp::analyses {

double percentileType7(std::vector<double> &values, double q) {
  if (values.empty())
    return std::numeric_limits<double>::quiet_NaN();
  double h = q * double(values.size() - 1);
  size_t lo = size_t(std::floor(h));
  std::nth_element(values.begin(), values.begin() + ptrdiff_t(lo), values.end());
  double a = values[lo];
  if (lo + 1 >= values.size())
    return a;
  // The next order statistic is the smallest of the values above position lo.
  double b = *std::min_element(values.begin() + ptrdiff_t(lo) + 1, values.end());
  return a + (h - double(lo)) * (b - a);
}

uint64_t maxForecastSamples(size_t months) {
  constexpr uint64_t kBudgetBytes = uint64_t(1) << 30, kBytesPerSampleMonth = 3 * sizeof(double);
  return std::min<uint64_t>(1'000'000, kBudgetBytes / (kBytesPerSampleMonth * std::max<size_t>(1, months)));
}

double ForecastUncertainty::breachProbability(size_t b, const std::string &period) const {
  if (b >= budgets.size())
    return 0;
  for (const PeriodRisk &r : budgets[b])
    if (r.period == period)
      return r.probability;
  return 0;
}

namespace {

/// Counts of one thread (integers, so the sum over threads does not depend on who did what).
struct Tally {
  uint64_t failed = 0;
  std::optional<runtime::EvalError> firstError;
  uint64_t firstErrorSample = 0;
  std::vector<std::map<std::string, uint64_t>> breaches; // per budget: period -> samples
  std::vector<std::vector<uint64_t>> allowanceFirst;     // per allowance: samples first exceeded in month k
  std::vector<std::vector<uint64_t>> commitFirst;        // per commitment: samples run out in month k

  Tally(const ForecastResult &base) {
    size_t months = base.months.size();
    breaches.resize(base.budgets.size());
    allowanceFirst.assign(base.allowances.size(), std::vector<uint64_t>(months, 0));
    commitFirst.assign(base.commits.size(), std::vector<uint64_t>(months, 0));
  }

  void add(const ForecastResult &r) {
    for (size_t b = 0; b < breaches.size() && b < r.budgets.size(); ++b)
      for (const BudgetBreach &x : r.budgets[b].breaches)
        ++breaches[b][x.period];
    for (size_t a = 0; a < allowanceFirst.size() && a < r.allowances.size(); ++a)
      if (auto k = r.allowances[a].firstExceeded; k && *k < allowanceFirst[a].size())
        ++allowanceFirst[a][*k];
    for (size_t c = 0; c < commitFirst.size() && c < r.commits.size(); ++c)
      if (auto k = r.commits[c].exhausted; k && *k < commitFirst[c].size())
        ++commitFirst[c][*k];
  }

  void fail(const runtime::EvalError &e, uint64_t sample) {
    ++failed;
    if (!firstError || sample < firstErrorSample) {
      firstError = e;
      firstErrorSample = sample;
    }
  }

  void merge(const Tally &o) {
    failed += o.failed;
    if (o.firstError && (!firstError || o.firstErrorSample < firstErrorSample)) {
      firstError = o.firstError;
      firstErrorSample = o.firstErrorSample;
    }
    for (size_t b = 0; b < breaches.size(); ++b)
      for (const auto &[period, n] : o.breaches[b])
        breaches[b][period] += n;
    auto addCounts = [](std::vector<std::vector<uint64_t>> &into, const std::vector<std::vector<uint64_t>> &from) {
      for (size_t i = 0; i < into.size(); ++i)
        for (size_t k = 0; k < into[i].size(); ++k)
          into[i][k] += from[i][k];
    };
    addCounts(allowanceFirst, o.allowanceFirst);
    addCounts(commitFirst, o.commitFirst);
  }
};

/// Cumulative shares: out[k] = (counts[0] + ... + counts[k]) / total.
std::vector<double> cumulativeShares(const std::vector<uint64_t> &counts, uint64_t total) {
  std::vector<double> out;
  uint64_t sum = 0;
  for (uint64_t c : counts) {
    sum += c;
    out.push_back(total ? double(sum) / double(total) : 0.0);
  }
  return out;
}

/// The figures kept per sample and month: cost, profit, cumulative profit (NaN: sample failed).
struct Columns {
  size_t months = 0;
  uint64_t samples = 0;
  std::vector<double> cost, profit, cumulative; // [month * samples + sample]
  Columns(size_t m, uint64_t n)
      : months(m), samples(n), cost(m * n, std::numeric_limits<double>::quiet_NaN()), profit(cost), cumulative(cost) {}
  /// Keeps samples [0, kept) only.
  void truncate(uint64_t kept) {
    for (std::vector<double> *v : {&cost, &profit, &cumulative}) {
      std::vector<double> out(months * kept);
      for (size_t k = 0; k < months; ++k)
        std::copy_n(v->begin() + ptrdiff_t(k * samples), kept, out.begin() + ptrdiff_t(k * kept));
      *v = std::move(out);
    }
    samples = kept;
  }
  void set(uint64_t i, const ForecastResult &r) {
    for (size_t k = 0; k < months && k < r.months.size(); ++k) {
      cost[k * samples + i] = r.months[k].cost;
      profit[k * samples + i] = r.months[k].profit;
      cumulative[k * samples + i] = r.months[k].cumulativeProfit;
    }
  }
  Band band(const std::vector<double> &all, size_t k) const {
    std::vector<double> v;
    v.reserve(samples);
    for (uint64_t i = 0; i < samples; ++i)
      if (double x = all[k * samples + i]; !std::isnan(x))
        v.push_back(x);
    Band b;
    b.p10 = percentileType7(v, 0.10);
    b.p50 = percentileType7(v, 0.50);
    b.p90 = percentileType7(v, 0.90);
    return b;
  }
};

} // namespace

std::optional<ForecastUncertainty> runForecastSamples(const ir::Module &module, const runtime::Engine &engine,
                                                      const std::vector<double> &baseParams, int32_t index,
                                                      const ForecastSampleOptions &options, std::string &problem) {
  std::vector<Sampler> samplers;
  if (!makeSamplers(module, options.pinned, samplers, problem))
    return std::nullopt;
  auto base = runForecast(module, engine, baseParams, index, problem);
  if (!base)
    return std::nullopt;
  if (options.samples > maxForecastSamples(base->months.size())) {
    problem = fmt::format("at most {} samples for a forecast of {} months (the figures of every sample and month "
                          "are kept for exact percentiles, within 1 GiB)",
                          maxForecastSamples(base->months.size()), base->months.size());
    return std::nullopt;
  }
  ForecastUncertainty u;
  u.seed = options.seed;
  u.requested = options.samples;
  u.sampling = options.sampling;
  for (const Sampler &s : samplers)
    u.drawn += s.isRandom();
  // The same design as `camp mc` with the same seed: the forecast sees exactly mc's draws.
  UniformDesign design = makeUniformDesign(module, drawnParams(samplers), options.sampling, options.seed,
                                           Stream::Sample, options.correlate, &u.changedCorrelations);
  const uint64_t n = options.samples;
  Columns columns(base->months.size(), n);
  // One tally per block, merged in block order: the counts do not depend on the thread count,
  // and a run stopped early (Ctrl-C) keeps exactly its leading finished blocks.
  std::vector<std::optional<Tally>> tallies(size_t((n + kBlock - 1) / kBlock));
  parallelChunks(tallies.size(), options.threads, options.stop, [&](unsigned, uint64_t block) {
    uint64_t first = block * kBlock;
    size_t count = size_t(std::min<uint64_t>(kBlock, n - first));
    std::vector<std::vector<double>> drawn(samplers.size());
    std::vector<double *> cols(samplers.size(), nullptr);
    for (size_t p = 0; p < samplers.size(); ++p)
      if (samplers[p].isRandom()) {
        drawn[p].resize(count);
        cols[p] = drawn[p].data();
      }
    drawParams(samplers, design, first, count, cols);
    Tally tally(*base);
    std::vector<double> params = baseParams, slots;
    for (size_t i = 0; i < count; ++i) {
      for (size_t p = 0; p < samplers.size(); ++p)
        if (cols[p])
          params[p] = cols[p][i];
      runtime::EvalError err;
      if (!evalAt(engine, module, params, slots, &err)) {
        tally.fail(err, first + i);
        continue;
      }
      ForecastResult r = forecastAt(module, engine, params, std::move(slots), index);
      columns.set(first + i, r);
      tally.add(r);
    }
    tallies[block] = std::move(tally);
    if (options.progress)
      options.progress->fetch_add(count, std::memory_order_relaxed);
  });
  Tally total(*base);
  size_t finished = 0;
  for (; finished < tallies.size() && tallies[finished]; ++finished)
    total.merge(*tallies[finished]);
  u.evaluated = std::min<uint64_t>(n, uint64_t(finished) * kBlock);
  u.partial = u.evaluated < n;
  if (u.partial)
    columns.truncate(u.evaluated);
  u.failed = total.failed;
  u.firstError = total.firstError;
  u.firstErrorSample = total.firstErrorSample;
  uint64_t ok = u.evaluated - std::min(u.evaluated, u.failed);
  for (size_t k = 0; k < columns.months; ++k)
    u.months.push_back({columns.band(columns.cost, k), columns.band(columns.profit, k),
                        columns.band(columns.cumulative, k)});
  for (const auto &periods : total.breaches) {
    std::vector<PeriodRisk> risks;
    for (const auto &[period, count] : periods) // std::map: calendar order (ISO month texts)
      risks.push_back({period, ok ? double(count) / double(ok) : 0.0});
    u.budgets.push_back(std::move(risks));
  }
  for (const auto &counts : total.allowanceFirst)
    u.allowanceRunOut.push_back(cumulativeShares(counts, ok));
  for (const auto &counts : total.commitFirst)
    u.commitRunOut.push_back(cumulativeShares(counts, ok));
  return u;
}

} // namespace camp::analyses
