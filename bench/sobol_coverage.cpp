// Coverage of camp's Sobol bootstrap intervals: over many seeds, how often the 95 % interval of
// each index holds the analytic value, on Ishigami and the Sobol' G-function (a = 0, 1, 4.5, 9,
// 99, 99), both shifted by 1e6 (a cost-like metric). The figures go in docs/analyses.md.
//
// usage: camp_sobol_coverage [SEEDS [N [BOOTSTRAP]]]   (default 400 seeds, N = 2000, 200)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>

#include "ModuleBuilder.h"
#include "analyses/Sobol.h"

using namespace camp;
using namespace camp::analyses;

namespace {

struct Case {
  std::string name;
  testing::ModuleBuilder b;
  int32_t slot = -1;
  std::vector<double> S, ST;
};

void ishigami(Case &c, double shift) {
  const double pi = 3.14159265358979323846, a = 7, bb = 0.1;
  auto &b = c.b;
  for (const char *name : {"x1", "x2", "x3"})
    b.param(name, 0, ir::DistKind::Uniform, {-pi, pi});
  int32_t s1 = b.op(ir::Op::Sin, b.par(0));
  int32_t s2 = b.node(ir::Op::PowInt, b.op(ir::Op::Sin, b.par(1)), -1, -1, 2);
  int32_t x34 = b.node(ir::Op::PowInt, b.par(2), -1, -1, 4);
  int32_t t3 = b.op(ir::Op::Mul, b.op(ir::Op::Mul, b.num(bb), x34), b.op(ir::Op::Sin, b.par(0)));
  int32_t y = b.op(ir::Op::Add, b.op(ir::Op::Add, s1, b.op(ir::Op::Mul, b.num(a), s2)), t3);
  c.slot = b.slot("f", b.op(ir::Op::Add, b.num(shift), y));
  double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  double V = a * a / 8 + bb * pi4 / 5 + bb * bb * pi8 / 18 + 0.5;
  double V1 = 0.5 * (1 + bb * pi4 / 5) * (1 + bb * pi4 / 5), V2 = a * a / 8;
  double V13 = bb * bb * pi8 * (1.0 / 18 - 1.0 / 50);
  c.S = {V1 / V, V2 / V, 0};
  c.ST = {(V1 + V13) / V, V2 / V, V13 / V};
}

void gFunction(Case &c, double shift) {
  std::vector<double> a = {0, 1, 4.5, 9, 99, 99};
  auto &b = c.b;
  int32_t prod = -1;
  std::vector<double> Vi;
  double P = 1;
  for (size_t i = 0; i < a.size(); ++i) {
    int32_t x = b.par(b.param("x" + std::to_string(i + 1), 0.5, ir::DistKind::Uniform, {0, 1}));
    int32_t dev = b.op(ir::Op::Abs, b.op(ir::Op::Sub, b.op(ir::Op::Mul, b.num(4), x), b.num(2)));
    int32_t term = b.op(ir::Op::Div, b.op(ir::Op::Add, dev, b.num(a[i])), b.num(1 + a[i]));
    prod = prod < 0 ? term : b.op(ir::Op::Mul, prod, term);
    Vi.push_back(1.0 / (3 * (1 + a[i]) * (1 + a[i])));
    P *= 1 + Vi.back();
  }
  c.slot = b.slot("g", b.op(ir::Op::Add, b.num(shift), prod));
  for (double v : Vi) {
    c.S.push_back(v / (P - 1));
    c.ST.push_back(v * P / (1 + v) / (P - 1));
  }
}

} // namespace

int main(int argc, char **argv) {
  int seeds = argc > 1 ? std::atoi(argv[1]) : 400;
  uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
  int boot = argc > 3 ? std::atoi(argv[3]) : 200;
  Case cases[2];
  cases[0].name = "Ishigami + 1e6";
  ishigami(cases[0], 1e6);
  cases[1].name = "G-function + 1e6";
  gFunction(cases[1], 1e6);
  fmt::print("Sobol 95 % bootstrap intervals: {} seeds, N = {}, {} resamples, percentile intervals\n\n", seeds, n,
             boot);
  fmt::print("{:<18} {:<6} {:>12} {:>12}\n", "function", "param", "first", "total");
  int allHits = 0, allTrials = 0;
  for (Case &c : cases) {
    auto engine = runtime::makeInterpreter(c.b.m);
    size_t k = c.S.size();
    std::vector<int> firstHits(k, 0), totalHits(k, 0);
    for (int seed = 1; seed <= seeds; ++seed) {
      SobolOptions o;
      o.samples = n;
      o.seed = uint64_t(seed);
      o.threads = 0;
      o.bootstrap = boot;
      o.baseParams = c.b.nominal();
      o.metricSlot = c.slot;
      std::string problem;
      auto r = runSobol(c.b.m, *engine, o, problem);
      if (!r) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        return 2;
      }
      for (size_t i = 0; i < k; ++i) {
        firstHits[i] += r->params[i].first.ciLow <= c.S[i] && c.S[i] <= r->params[i].first.ciHigh;
        totalHits[i] += r->params[i].total.ciLow <= c.ST[i] && c.ST[i] <= r->params[i].total.ciHigh;
      }
    }
    for (size_t i = 0; i < k; ++i) {
      fmt::print("{:<18} x{:<5} {:>11.1f}% {:>11.1f}%\n", c.name, i + 1, 100.0 * firstHits[i] / seeds,
                 100.0 * totalHits[i] / seeds);
      allHits += firstHits[i] + totalHits[i];
      allTrials += 2 * seeds;
    }
  }
  fmt::print("\nall indices: {:.1f} % of {} intervals hold the analytic value\n", 100.0 * allHits / allTrials,
             allTrials);
  return 0;
}
