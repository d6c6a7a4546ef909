// Tests of the random stream and the samplers against analytic moments and quantiles.
#include <catch2/catch.hpp>

#include <cmath>

#include "analyses/Distributions.h"
#include "analyses/Rng.h"

using namespace camp;
using namespace camp::analyses;

namespace {

ir::Param paramWith(ir::DistKind kind, std::vector<double> args, std::vector<double> weights = {}) {
  ir::Param p;
  p.name = "x";
  p.dist.kind = kind;
  p.dist.args = std::move(args);
  p.dist.weights = std::move(weights);
  return p;
}

Sampler samplerOf(const ir::Param &p) {
  std::string problem;
  auto s = Sampler::forParam(p, problem);
  REQUIRE(s);
  return *s;
}

/// Mean and variance of the distribution by midpoint quadrature of its quantile function.
std::pair<double, double> quadratureMoments(const Sampler &s, int n = 1 << 20) {
  double sum = 0, sumSq = 0;
  for (int i = 0; i < n; ++i) {
    double x = s.quantile((i + 0.5) / n);
    sum += x;
    sumSq += x * x;
  }
  double mean = sum / n;
  return {mean, sumSq / n - mean * mean};
}

} // namespace

TEST_CASE("the stream is Philox4x32-10 (Random123 known-answer vector)", "[rng]") {
  // Random123's kat_vectors: philox4x32 10 rounds, counter 0 and key 0 give
  // 6627e8d5 e169c58d bc57ac4c 9b00dbd8; we keep the top 53 bits of the first two words.
  uint64_t bits = ((uint64_t(0x6627e8d5u) << 32) | 0xe169c58du) >> 11;
  CHECK(uniformOpen01(0, 0, 0) == (double(bits) + 0.5) / 9007199254740992.0);
  // A different param, sample or stream is a different counter, hence a different number.
  CHECK(uniformOpen01(0, 0, 1) != uniformOpen01(0, 0, 0));
  CHECK(uniformOpen01(0, 1, 0) != uniformOpen01(0, 0, 0));
  CHECK(uniformOpen01(0, 0, 0, Stream::SobolB) != uniformOpen01(0, 0, 0));
  CHECK(uniformOpen01(1, 0, 0) != uniformOpen01(0, 0, 0));
}

TEST_CASE("uniform draws are uniform on (0, 1)", "[rng]") {
  const int n = 400000;
  double sum = 0, below = 0;
  for (int i = 0; i < n; ++i) {
    double u = uniformOpen01(42, i, 3);
    REQUIRE(u > 0);
    REQUIRE(u < 1);
    sum += u;
    below += u < 0.25;
  }
  // sd of the mean of n uniforms is sqrt(1/12/n) = 4.6e-4; allow 5 sd.
  CHECK(std::fabs(sum / n - 0.5) < 2.3e-3);
  // sd of a share p = 0.25 is sqrt(p(1-p)/n) = 6.8e-4.
  CHECK(std::fabs(below / n - 0.25) < 3.5e-3);
}

TEST_CASE("the beta quantile table agrees with Boost.Math", "[dist]") {
  for (auto [a, b] : {std::pair{7.0 / 3, 11.0 / 3}, {3.0, 3.0}, {0.5, 0.5}, {1.0, 4.2},
                      {5.0, 1.0}, {1.0, 1.0}, {2.0, 40.0}}) {
    BetaQuantile q(a, b);
    double worst = 0;
    for (int i = 1; i < 20000; ++i) {
      double u = i / 20000.0;
      worst = std::max(worst, std::fabs(q(u) - q.direct(u)));
    }
    INFO("beta(" << a << ", " << b << ")");
    CHECK(worst < 1e-9);
  }
}

TEST_CASE("moments match the analytic formulas", "[dist]") {
  SECTION("uniform(2, 5): mean 3.5, variance 9/12") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Uniform, {2, 5})));
    CHECK(m == Approx(3.5).epsilon(1e-9));
    CHECK(v == Approx(0.75).epsilon(1e-6));
  }
  SECTION("triangular(1, 2, 4): mean 7/3, variance (1+16+4-4-2-8)/18 = 7/18") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Triangular, {1, 2, 4})));
    CHECK(m == Approx(7.0 / 3).epsilon(1e-8));
    CHECK(v == Approx(7.0 / 18).epsilon(1e-6));
  }
  SECTION("pert(1, 2, 4): mean (1+4*2+4)/6 = 13/6, variance (13/6-1)(4-13/6)/7 = 77/252") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Pert, {1, 2, 4})));
    CHECK(m == Approx(13.0 / 6).epsilon(1e-8));
    CHECK(v == Approx(77.0 / 252).epsilon(1e-6));
  }
  SECTION("beta(2, 5): mean 2/7, variance 10/(49*8)") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Beta, {2, 5})));
    CHECK(m == Approx(2.0 / 7).epsilon(1e-8));
    CHECK(v == Approx(10.0 / 392).epsilon(1e-5));
  }
  SECTION("normal(75, 8)") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Normal, {75, 8})));
    CHECK(m == Approx(75).epsilon(1e-9));
    CHECK(v == Approx(64).epsilon(1e-3)); // the grid misses tails beyond |z| = 5
  }
  SECTION("lognormal(100, 30) has the variable's own mean and sd") {
    auto [m, v] = quadratureMoments(samplerOf(paramWith(ir::DistKind::Lognormal, {100, 30})));
    CHECK(m == Approx(100).epsilon(1e-4));
    CHECK(std::sqrt(v) == Approx(30).epsilon(2e-3));
  }
  SECTION("discrete(1: 20%, 2: 50%, 5: 30%): mean 0.2 + 1 + 1.5 = 2.7") {
    Sampler s = samplerOf(paramWith(ir::DistKind::Discrete, {1, 2, 5}, {0.2, 0.5, 0.3}));
    auto [m, v] = quadratureMoments(s);
    CHECK(m == Approx(2.7).epsilon(1e-6));
    CHECK(s.quantile(0.1999) == 1);
    CHECK(s.quantile(0.2001) == 2);
    CHECK(s.quantile(0.6999) == 2);
    CHECK(s.quantile(0.7001) == 5);
  }
}

TEST_CASE("quantiles match closed forms", "[dist]") {
  // z(0.975) = 1.959963984540054, z(0.9) = 1.2815515655446004 (standard tables).
  CHECK(normalQuantile(0.975) == Approx(1.959963984540054).epsilon(1e-14));
  Sampler n = samplerOf(paramWith(ir::DistKind::Normal, {75, 8}));
  CHECK(n.quantile(0.1) == Approx(75 - 8 * 1.2815515655446004).epsilon(1e-14));
  // Triangular(1, 2, 4): F(mode) = (2-1)/(4-1) = 1/3, so the 1/3 quantile is the mode, and the
  // median solves 1 - (4-x)^2/((4-1)(4-2)) = 1/2: x = 4 - sqrt(3).
  Sampler t = samplerOf(paramWith(ir::DistKind::Triangular, {1, 2, 4}));
  CHECK(t.quantile(1.0 / 3) == Approx(2).epsilon(1e-12));
  CHECK(t.quantile(0.5) == Approx(4 - std::sqrt(3.0)).epsilon(1e-12));
  // pert(0, 5, 10) is beta(3, 3) scaled: symmetric, median 5.
  Sampler p = samplerOf(paramWith(ir::DistKind::Pert, {0, 5, 10}));
  CHECK(p.quantile(0.5) == Approx(5).epsilon(1e-9));
  // Lognormal median = exp(mu) = mean / sqrt(1 + sd^2/mean^2) = 100 / sqrt(1.09).
  Sampler l = samplerOf(paramWith(ir::DistKind::Lognormal, {100, 30}));
  CHECK(l.quantile(0.5) == Approx(100 / std::sqrt(1.09)).epsilon(1e-12));
}

TEST_CASE("ranges, fixed params and bad arguments", "[dist]") {
  ir::Param ranged;
  ranged.name = "sms_ctr";
  ranged.nominal = 0.02;
  ranged.range = {0.01, 0.04};
  Sampler r = samplerOf(ranged);
  CHECK(r.kind() == Sampler::Kind::Uniform);
  CHECK(r.quantile(0.5) == Approx(0.025));

  ir::Param fixed;
  fixed.name = "hourly";
  fixed.nominal = 80;
  Sampler f = samplerOf(fixed);
  CHECK_FALSE(f.isRandom());
  CHECK(f.quantile(0.3) == 80);

  std::string problem;
  CHECK_FALSE(Sampler::forParam(paramWith(ir::DistKind::Pert, {5, 2, 3}), problem));
  CHECK(problem.find("lo <= mode <= hi") != std::string::npos);
  CHECK_FALSE(Sampler::forParam(paramWith(ir::DistKind::Lognormal, {-1, 2}), problem));
  CHECK(problem.find("mean > 0") != std::string::npos);
}
