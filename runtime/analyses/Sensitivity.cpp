// Tornado, sweeps and break-even: each evaluates the model at hand-picked parameter vectors.
#include "analyses/Sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analyses/Distributions.h"
#include "analyses/Sampling.h"

namespace camp::analyses {
namespace {

double metricWith(const ir::Module &module, const runtime::Engine &engine,
                  std::vector<double> params, int32_t param, double value, int32_t slot) {
  params[param] = value;
  return evalSlotAt(engine, module, params, slot);
}

std::pair<double, double> plusMinus20(double base) {
  double a = 0.8 * base, b = 1.2 * base;
  return {std::min(a, b), std::max(a, b)};
}

} // namespace

std::optional<TornadoResult> runTornado(const ir::Module &module, const runtime::Engine &engine,
                                        const std::vector<double> &baseParams, int32_t metricSlot,
                                        std::string &problem) {
  TornadoResult r;
  r.base = evalSlotAt(engine, module, baseParams, metricSlot);
  for (size_t p = 0; p < module.params.size(); ++p) {
    const ir::Param &param = module.params[p];
    TornadoBar bar;
    bar.param = int32_t(p);
    if (param.range) {
      bar.source = SwingSource::Range;
      std::tie(bar.low, bar.high) = *param.range;
    } else if (param.dist.kind != ir::DistKind::None) {
      auto sampler = Sampler::forParam(param, problem);
      if (!sampler)
        return std::nullopt;
      bar.source = SwingSource::Percentiles;
      bar.low = sampler->quantile(0.10);
      bar.high = sampler->quantile(0.90);
    } else {
      bar.source = SwingSource::PlusMinus20;
      std::tie(bar.low, bar.high) = plusMinus20(baseParams[p]);
    }
    bar.metricLow = metricWith(module, engine, baseParams, bar.param, bar.low, metricSlot);
    bar.metricHigh = metricWith(module, engine, baseParams, bar.param, bar.high, metricSlot);
    bar.swing = std::fabs(bar.metricHigh - bar.metricLow);
    r.bars.push_back(bar);
  }
  // NaN swings (a failed evaluation) sort last.
  std::stable_sort(r.bars.begin(), r.bars.end(), [](const TornadoBar &a, const TornadoBar &b) {
    double x = std::isnan(a.swing) ? -1 : a.swing, y = std::isnan(b.swing) ? -1 : b.swing;
    return x > y;
  });
  return r;
}

SweepResult runSweep(const ir::Module &module, const runtime::Engine &engine,
                     const std::vector<double> &baseParams, const std::vector<SweepAxis> &axes,
                     int32_t metricSlot) {
  SweepResult r;
  r.axes = axes;
  std::vector<double> params = baseParams;
  int outer = axes.size() > 1 ? axes[0].steps : 1;
  const SweepAxis &inner = axes.back();
  for (int i = 0; i < outer; ++i) {
    if (axes.size() > 1)
      params[axes[0].param] = axes[0].at(i);
    for (int j = 0; j < inner.steps; ++j) {
      params[inner.param] = inner.at(j);
      r.values.push_back(evalSlotAt(engine, module, params, metricSlot));
    }
  }
  return r;
}

BreakevenResult runBreakeven(const ir::Module &module, const runtime::Engine &engine,
                             const std::vector<double> &baseParams, int32_t param,
                             int32_t metricSlot, double target, double lo, double hi) {
  BreakevenResult r;
  r.lo = lo, r.hi = hi;
  auto gap = [&](double x) {
    return metricWith(module, engine, baseParams, param, x, metricSlot) - target;
  };
  r.metricAtLo = gap(lo) + target;
  r.metricAtHi = gap(hi) + target;
  // A root is either a scan point where the gap is exactly zero, or a sign change between two.
  struct Candidate {
    double a, b;  // a == b: an exact zero at a scan point
    double ga, gb;
  };
  std::vector<Candidate> candidates;
  double prevX = lo, prevG = gap(lo);
  if (prevG == 0) {
    ++r.crossings;
    candidates.push_back({lo, lo, 0, 0});
  }
  for (int k = 1; k <= kBreakevenScan; ++k) {
    double x = k == kBreakevenScan ? hi : lo + (hi - lo) * k / kBreakevenScan;
    double g = gap(x);
    bool finite = std::isfinite(prevG) && std::isfinite(g);
    if (finite && g == 0 && prevG != 0) {
      ++r.crossings;
      candidates.push_back({x, x, 0, 0});
    } else if (finite && g != 0 && prevG != 0 && (g < 0) != (prevG < 0)) {
      ++r.crossings;
      candidates.push_back({prevX, x, prevG, g});
    }
    prevX = x, prevG = g;
  }
  for (const Candidate &c : candidates) {
    if (c.a == c.b) {
      r.found = true, r.value = c.a, r.metricAtValue = target;
      return r;
    }
    double a = c.a, b = c.b, ga = c.ga, gb = c.gb;
    for (int it = 0; it < 200; ++it) {
      double mid = a + (b - a) / 2;
      if (mid <= a || mid >= b)
        break;
      double gm = gap(mid);
      if (gm == 0) {
        a = b = mid, ga = gb = 0;
        break;
      }
      if ((gm < 0) == (ga < 0))
        a = mid, ga = gm;
      else
        b = mid, gb = gm;
    }
    // Verify by evaluating the metric where the root is reported: a continuous metric is within
    // a rounding error of the target there; one that jumped is still a tier's step away.
    double x = a == b ? a : a + (b - a) / 2;
    double gx = gap(x);
    double scale = std::abs(c.ga) + std::abs(c.gb);
    if (std::isfinite(gx) && std::abs(gx) <= kBreakevenTolerance * scale) {
      r.found = true, r.value = x, r.metricAtValue = gx + target;
      return r;
    }
    if (std::isnan(r.discontinuityAt)) {
      r.discontinuityAt = x;
      r.jumpFrom = ga + target;
      r.jumpTo = gb + target;
    }
  }
  return r;
}

std::pair<double, double> defaultSearchInterval(const ir::Module &module,
                                                const std::vector<double> &baseParams,
                                                int32_t param) {
  const ir::Param &p = module.params[param];
  if (p.range)
    return *p.range;
  std::string ignored;
  if (p.dist.kind != ir::DistKind::None)
    if (auto s = Sampler::forParam(p, ignored))
      return s->plausibleBounds();
  return plusMinus20(baseParams[param]);
}

} // namespace camp::analyses
