// The uniforms behind every draw: Latin hypercube strata, keys by name, Iman–Conover correlation,
// the nearest correlation matrix, and what LHS buys on a linear model.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "ModuleBuilder.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Sampling.h"
#include "analyses/Uniforms.h"

using namespace camp;
using namespace camp::analyses;
using camp::testing::ModuleBuilder;

namespace {

std::vector<std::vector<double>> uniformsOf(const ir::Module &m, SamplingMethod method, uint64_t seed,
                                            uint64_t first, size_t n, bool correlate = true) {
  std::vector<bool> drawn;
  for (const auto &p : m.params)
    drawn.push_back(p.dist.kind != ir::DistKind::None || p.range.has_value());
  UniformDesign d = makeUniformDesign(m, drawn, method, seed, Stream::Sample, correlate);
  std::vector<std::vector<double>> cols(m.params.size());
  std::vector<double *> ptrs(m.params.size(), nullptr);
  for (size_t p = 0; p < m.params.size(); ++p)
    if (drawn[p]) {
      cols[p].resize(n);
      ptrs[p] = cols[p].data();
    }
  drawUniforms(d, first, n, ptrs);
  return cols;
}

double quantileOf(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[size_t(q * double(v.size() - 1))];
}

} // namespace

TEST_CASE("Latin hypercube: every block holds each of its 1,024 strata once per param", "[uniforms]") {
  ModuleBuilder b;
  b.param("a", 0, ir::DistKind::Uniform, {0, 1});
  b.param("b", 0, ir::DistKind::Uniform, {0, 1});
  auto cols = uniformsOf(b.m, SamplingMethod::LatinHypercube, 5, 0, 3 * 1024);
  for (int p = 0; p < 2; ++p)
    for (int block = 0; block < 3; ++block) {
      std::vector<int> seen(1024, 0);
      for (int i = 0; i < 1024; ++i) {
        double u = cols[p][block * 1024 + i];
        REQUIRE(u > 0);
        REQUIRE(u < 1);
        ++seen[int(u * 1024)];
      }
      CHECK(std::count(seen.begin(), seen.end(), 1) == 1024);
    }
  // the two params are not stratified the same way
  CHECK(cols[0] != cols[1]);
}

TEST_CASE("draws are keyed by the param's name, not its position", "[uniforms]") {
  ModuleBuilder one, two;
  one.param("ctr", 0, ir::DistKind::Uniform, {0, 1});
  one.param("cpm", 0, ir::DistKind::Uniform, {0, 1});
  two.param("added", 0, ir::DistKind::Normal, {0, 1});
  two.param("cpm", 0, ir::DistKind::Uniform, {0, 1});
  two.param("fixed", 3);
  two.param("ctr", 0, ir::DistKind::Uniform, {0, 1});
  for (SamplingMethod method : {SamplingMethod::LatinHypercube, SamplingMethod::Random}) {
    auto a = uniformsOf(one.m, method, 9, 1000, 3000);
    auto b = uniformsOf(two.m, method, 9, 1000, 3000);
    CHECK(a[0] == b[3]);
    CHECK(a[1] == b[1]);
  }
}

TEST_CASE("a split run draws the same uniforms as a whole one", "[uniforms][invariance]") {
  ModuleBuilder b;
  b.param("a", 0, ir::DistKind::Uniform, {0, 1});
  b.param("c", 0, ir::DistKind::Uniform, {0, 1});
  b.m.correlations.push_back({0, 1, 0.7, -1});
  auto whole = uniformsOf(b.m, SamplingMethod::LatinHypercube, 3, 0, 5000);
  auto head = uniformsOf(b.m, SamplingMethod::LatinHypercube, 3, 0, 1700);
  auto tail = uniformsOf(b.m, SamplingMethod::LatinHypercube, 3, 1700, 3300);
  for (int p = 0; p < 2; ++p) {
    std::vector<double> joined = head[p];
    joined.insert(joined.end(), tail[p].begin(), tail[p].end());
    CHECK(joined == whole[p]);
  }
}

TEST_CASE("Iman-Conover gives the asked rank correlations and keeps each marginal", "[uniforms][correlate]") {
  ModuleBuilder b;
  b.param("ctr", 0, ir::DistKind::Triangular, {0.006, 0.009, 0.015});
  b.param("conversion", 0, ir::DistKind::Normal, {0.02, 0.004});
  b.param("aov", 0, ir::DistKind::Lognormal, {4, 0.3});
  b.param("cpm", 0, ir::DistKind::Uniform, {10, 18});
  b.m.correlations.push_back({0, 1, 0.6, -1});
  b.m.correlations.push_back({1, 2, -0.4, -1});
  b.m.correlations.push_back({0, 3, 0.25, -1});
  // 20 whole blocks: a block's set of values is kept exactly; a run that ends inside a block
  // keeps only the first samples of its (reordered) design.
  const size_t blocks = 20 * 1024;
  for (SamplingMethod method : {SamplingMethod::LatinHypercube, SamplingMethod::Random}) {
    INFO((method == SamplingMethod::Random ? "random" : "lhs"));
    auto cor = uniformsOf(b.m, method, 17, 0, blocks, true);
    auto ind = uniformsOf(b.m, method, 17, 0, blocks, false);
    auto all = cor;
    for (auto *v : {&cor, &ind})
      for (auto &col : *v)
        if (!col.empty())
          col.resize(20000); // rank correlations over 20,000 samples
    CHECK(rankCorrelation(cor[0], cor[1]) == Approx(0.6).margin(0.02));
    CHECK(rankCorrelation(cor[1], cor[2]) == Approx(-0.4).margin(0.02));
    CHECK(rankCorrelation(cor[0], cor[3]) == Approx(0.25).margin(0.02));
    // pairs not written are asked to be uncorrelated (the matrix is valid: eigenvalues > 0.1)
    CHECK(rankCorrelation(cor[0], cor[2]) == Approx(0.0).margin(0.02));
    CHECK(rankCorrelation(cor[2], cor[3]) == Approx(0.0).margin(0.02));
    CHECK(std::abs(rankCorrelation(ind[0], ind[1])) < 0.03);
    for (int p = 0; p < 4; ++p) {
      // Reordering within blocks keeps every block's set of values: the marginal is untouched.
      std::vector<double> x = all[p], y = uniformsOf(b.m, method, 17, 0, blocks, false)[p];
      std::sort(x.begin(), x.end());
      std::sort(y.begin(), y.end());
      CHECK(x == y);
      // and the uniforms' quantiles are the uniform's own (sd of a 10 % quantile: 0.002)
      for (double q : {0.1, 0.5, 0.9})
        CHECK(quantileOf(cor[p], q) == Approx(q).margin(0.01));
    }
  }
}

TEST_CASE("perfect and opposite correlations", "[uniforms][correlate]") {
  ModuleBuilder b;
  b.param("a", 0, ir::DistKind::Uniform, {0, 1});
  b.param("b", 0, ir::DistKind::Uniform, {0, 1});
  b.param("c", 0, ir::DistKind::Uniform, {0, 1});
  b.m.correlations.push_back({0, 1, 1.0, -1});
  b.m.correlations.push_back({0, 2, -1.0, -1});
  b.m.correlations.push_back({1, 2, -1.0, -1}); // implied by the two above: a valid, singular matrix
  auto u = uniformsOf(b.m, SamplingMethod::LatinHypercube, 1, 0, 4096);
  CHECK(rankCorrelation(u[0], u[1]) == Approx(1.0).margin(1e-9));
  CHECK(rankCorrelation(u[0], u[2]) == Approx(-1.0).margin(1e-9));
}

TEST_CASE("the nearest correlation matrix (Higham 2002, section 4)", "[uniforms][correlate]") {
  // Higham's example: A = [1 1 0; 1 1 1; 0 1 1] is not a correlation matrix; the nearest one in
  // the Frobenius norm is [1 .7607 .1573; .7607 1 .7607; .1573 .7607 1] (Higham 2002, p. 343).
  std::vector<double> a = {1, 1, 0, 1, 1, 1, 0, 1, 1};
  std::vector<double> x = nearestCorrelation(a, 3);
  CHECK(x[1] == Approx(0.7607).margin(1e-4));
  CHECK(x[2] == Approx(0.1573).margin(1e-4));
  CHECK(x[5] == Approx(0.7607).margin(1e-4));
  CHECK(x[0] == 1.0);
  // A valid matrix comes back unchanged.
  std::vector<double> ok = {1, 0.5, 0.5, 1};
  std::vector<double> same = nearestCorrelation(ok, 2);
  CHECK(same[1] == Approx(0.5).margin(1e-12));

  ModuleBuilder b;
  b.param("a", 0, ir::DistKind::Uniform, {0, 1});
  b.param("b", 0, ir::DistKind::Uniform, {0, 1});
  b.param("c", 0, ir::DistKind::Uniform, {0, 1});
  b.m.correlations.push_back({0, 1, 0.9, -1});
  b.m.correlations.push_back({1, 2, 0.9, -1});
  b.m.correlations.push_back({0, 2, -0.9, -1});
  std::vector<ChangedPair> changed;
  makeUniformDesign(b.m, {true, true, true}, SamplingMethod::LatinHypercube, 1, Stream::Sample, true, &changed);
  REQUIRE(changed.size() == 3);
  for (const ChangedPair &c : changed)
    CHECK(std::abs(c.used) < std::abs(c.asked));
}

TEST_CASE("Latin hypercube: the mean of a linear model is 100x closer than random sampling's", "[uniforms][lhs]") {
  // y = 3 a + 2 b - c, a ~ uniform(0, 10), b ~ normal(5, 2), c ~ triangular(1, 2, 6):
  // E[y] = 3 * 5 + 2 * 5 - (1 + 2 + 6) / 3 = 22.
  ModuleBuilder b;
  int32_t a = b.param("a", 5, ir::DistKind::Uniform, {0, 10});
  int32_t bb = b.param("b", 5, ir::DistKind::Normal, {5, 2});
  int32_t c = b.param("c", 2, ir::DistKind::Triangular, {1, 2, 6});
  int32_t y = b.slot("y", b.op(ir::Op::Sub,
                               b.op(ir::Op::Add, b.op(ir::Op::Mul, b.num(3), b.par(a)),
                                    b.op(ir::Op::Mul, b.num(2), b.par(bb))),
                               b.par(c)));
  auto engine = runtime::makeInterpreter(b.m);
  auto rms = [&](SamplingMethod method) {
    double sq = 0;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      McOptions o;
      o.samples = 10240;
      o.seed = seed;
      o.threads = 2;
      o.metricSlots = {y};
      o.baseParams = b.nominal();
      o.sampling = method;
      std::string problem;
      auto r = runMonteCarlo(b.m, *engine, o, problem);
      REQUIRE(r);
      double err = r->metrics[0].finish().mean - 22;
      sq += err * err;
    }
    return std::sqrt(sq / 20);
  };
  double lhs = rms(SamplingMethod::LatinHypercube), random = rms(SamplingMethod::Random);
  INFO("rms error: lhs " << lhs << ", random " << random);
  // random: sd(y) / sqrt(n) = sqrt(9 * 100/12 + 4 * 4 + 21/18) / sqrt(10240) = 0.0949
  CHECK(random == Approx(0.095).epsilon(0.5));
  CHECK(lhs * 100 <= random);
}

TEST_CASE("Monte Carlo with correlations and LHS is identical for any threads and split", "[mc][invariance][correlate]") {
  ModuleBuilder b;
  int32_t x = b.param("x", 1, ir::DistKind::Pert, {0, 1, 4});
  int32_t y = b.param("y", 2, ir::DistKind::Normal, {2, 0.5});
  b.m.correlations.push_back({x, y, -0.5, -1});
  int32_t s = b.slot("s", b.op(ir::Op::Mul, b.par(x), b.par(y)));
  auto engine = runtime::makeInterpreter(b.m);
  McOptions o;
  o.samples = 10000;
  o.seed = 4;
  o.metricSlots = {s};
  o.baseParams = b.nominal();
  std::string problem;
  o.threads = 1;
  auto one = runMonteCarlo(b.m, *engine, o, problem);
  o.threads = 2;
  auto two = runMonteCarlo(b.m, *engine, o, problem);
  McOptions head = o, tail = o;
  head.samples = 3072, head.totalSamples = 10000;
  tail.firstSample = 3072, tail.samples = 10000 - 3072, tail.totalSamples = 10000;
  auto h = runMonteCarlo(b.m, *engine, head, problem);
  auto t = runMonteCarlo(b.m, *engine, tail, problem);
  REQUIRE(one);
  REQUIRE(two);
  REQUIRE(h);
  REQUIRE(t);
  h->merge(*t);
  for (const McResult *r : {&*two, &*h}) {
    MetricStats a = one->metrics[0].finish(), c = r->metrics[0].finish();
    CHECK(std::memcmp(&a.mean, &c.mean, sizeof(double)) == 0);
    CHECK(std::memcmp(&a.sd, &c.sd, sizeof(double)) == 0);
    CHECK(std::memcmp(&a.p10, &c.p10, sizeof(double)) == 0);
  }
}

TEST_CASE("mc precision: stops at the first check where the standard error is small enough", "[mc][precision]") {
  // y ~ normal(100, 10): the standard error after n samples is 10 / sqrt(n); 0.1 % of the mean
  // is 0.1, reached from n = 10,000. Checks come every 8,192 samples: 8,192 gives 0.110 (not
  // enough), 16,384 gives 0.078, so the run stops at 16,384.
  ModuleBuilder b;
  int32_t x = b.param("x", 100, ir::DistKind::Normal, {100, 10});
  int32_t y = b.slot("y", b.op(ir::Op::Add, b.par(x), b.num(0)));
  auto engine = runtime::makeInterpreter(b.m);
  McOptions o;
  o.samples = 1000000;
  o.seed = 8;
  o.threads = 2;
  o.metricSlots = {y};
  o.baseParams = b.nominal();
  o.precision = 0.001;
  std::string problem;
  auto r = runMonteCarlo(b.m, *engine, o, problem);
  REQUIRE(r);
  CHECK(r->converged);
  CHECK(r->evaluated == 16384);
  CHECK(r->requested == 16384);
  MetricStats s = r->metrics[0].finish();
  CHECK(s.stderrMean <= 0.001 * s.mean);
  CHECK(s.stderrMean == Approx(10 / std::sqrt(16384.0)).epsilon(0.02));
  CHECK(s.mean == Approx(100).margin(4 * s.stderrMean));
  // Capped before it can converge: not converged, and only the cap is run.
  o.samples = 8192;
  auto capped = runMonteCarlo(b.m, *engine, o, problem);
  REQUIRE(capped);
  CHECK_FALSE(capped->converged);
  CHECK(capped->evaluated == 8192);
  // the same stop for one thread
  o.samples = 1000000;
  o.threads = 1;
  auto single = runMonteCarlo(b.m, *engine, o, problem);
  REQUIRE(single);
  CHECK(single->evaluated == 16384);
}
