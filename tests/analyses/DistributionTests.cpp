// Tests of the random stream and the samplers against analytic moments and quantiles.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <map>

#include "analyses/Distributions.h"
#include "analyses/Rng.h"
#include "analyses/SamplerMath.h"

#include <algorithm>
#include <bit>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/erf.hpp>

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

namespace {

/// Distance in units in the last place between two finite doubles of one sign.
double ulps(double a, double b) {
  if (a == b)
    return 0;
  int64_t ia = std::bit_cast<int64_t>(a), ib = std::bit_cast<int64_t>(b);
  return std::fabs(double(ia - ib));
}

/// u from 2^-54 to 1 - 2^-53: the generator's whole range, dense in both tails.
std::vector<double> generatorRange() {
  std::vector<double> us;
  for (double t = -37.4; t <= 37.4; t += 0.01)
    us.push_back(std::min(1 / (1 + std::exp(-t)), kMaxUniform));
  us.push_back(0x1p-54);
  us.push_back(1 - 0x1p-53);
  for (int i = 1; i < 1000; ++i)
    us.push_back(i / 1000.0);
  return us;
}

} // namespace

TEST_CASE("the samplers' log and exp are within 1 ulp of libm", "[dist][math]") {
  double worstLog = 0, worstExp = 0;
  // log: every binade of the normal range, 4,000 points each near 1 where cancellation bites.
  for (double x = 0x1p-1020; x < 0x1p1020; x *= 1.0137)
    worstLog = std::max(worstLog, ulps(smath::log(x), std::log(x)));
  for (int i = -4000; i <= 4000; ++i) {
    double x = 1 + i * 1e-4;
    worstLog = std::max(worstLog, ulps(smath::log(x), std::log(x)));
  }
  for (double x = -745; x <= 709.7; x += 0.0137)
    worstExp = std::max(worstExp, ulps(smath::exp(x), std::exp(x)));
  for (int i = -4000; i <= 4000; ++i) {
    double x = i * 1e-5;
    worstExp = std::max(worstExp, ulps(smath::exp(x), std::exp(x)));
  }
  CHECK(worstLog <= 1);
  CHECK(worstExp <= 1);
  CHECK(smath::log(1.0) == 0);
  CHECK(smath::exp(0.0) == 1);
  CHECK(smath::exp(710.0) == HUGE_VAL);
  CHECK(smath::exp(-746.0) == 0);
  CHECK(std::isnan(smath::exp(std::nan(""))));
}

TEST_CASE("the normal quantile (AS241) agrees with Boost.Math to 1e-15 relative", "[dist][math]") {
  double worst = 0;
  for (double u : generatorRange()) {
    double exact = -1.4142135623730950488 * boost::math::erfc_inv(2 * u);
    double got = smath::normalQuantile(u);
    worst = std::max(worst, exact == 0 ? std::fabs(got) : std::fabs(got / exact - 1));
  }
  CHECK(worst < 1e-15);
  CHECK(smath::normalQuantile(0.5) == 0);
  // Symmetric: the tail uses min(u, 1 - u), exact for u >= 1/2.
  CHECK(smath::normalQuantile(31.0 / 32) == -smath::normalQuantile(1.0 / 32));
  CHECK(smath::normalQuantile(1 - 0x1p-53) == -smath::normalQuantile(0x1p-53));
}

TEST_CASE("normal and lognormal samplers against their exact quantiles", "[dist][math]") {
  Sampler n = samplerOf(paramWith(ir::DistKind::Normal, {75, 8}));
  Sampler l = samplerOf(paramWith(ir::DistKind::Lognormal, {100, 30}));
  double sigma = std::sqrt(std::log1p(0.09)), mu = std::log(100.0) - sigma * sigma / 2;
  double worstN = 0, worstL = 0;
  for (double u : generatorRange()) {
    double z = -1.4142135623730950488 * boost::math::erfc_inv(2 * u);
    double exactN = 75 + 8 * z, exactL = std::exp(mu + sigma * z);
    worstN = std::max(worstN, std::fabs(n.quantile(u) / exactN - 1));
    worstL = std::max(worstL, std::fabs(l.quantile(u) / exactL - 1));
  }
  CHECK(worstN < 1e-14);
  CHECK(worstL < 1e-14);
}

TEST_CASE("the beta table's error over the generator's whole range", "[dist][math]") {
  // The stated bound (docs/sampling.md): 1e-9 of the unit interval, absolute, for the shapes
  // below (PERTs have 1 <= a, b <= 5; beta(0.5, 0.5) and beta(2, 40) are the awkward ones).
  for (auto [a, b] : {std::pair{7.0 / 3, 11.0 / 3}, {3.0, 3.0}, {0.5, 0.5}, {1.0, 4.2},
                      {5.0, 1.0}, {1.0, 1.0}, {2.0, 40.0}, {1.0, 5.0}}) {
    BetaQuantile q(a, b);
    double worst = 0;
    for (double u : generatorRange())
      worst = std::max(worst, std::fabs(q(u) - boost::math::ibeta_inv(a, b, u)));
    INFO("beta(" << a << ", " << b << "): worst " << worst);
    CHECK(worst < 1e-9);
  }
}

TEST_CASE("triangular and discrete quantiles are their closed forms", "[dist][math]") {
  // triangular(1, 2, 4): F(x) = (x-1)^2 / 3 below the mode, 1 - (4-x)^2 / 6 above.
  for (double x : {1.25, 1.5, 1.999, 2.5, 3.0, 3.9}) {
    double u = x < 2 ? (x - 1) * (x - 1) / 3 : 1 - (4 - x) * (4 - x) / 6;
    CHECK(smath::triangularQuantile(u, 1, 2, 4) == Approx(x).epsilon(1e-14));
  }
  const double values[] = {1, 2, 5}, cumulative[] = {0.2, 0.7, 1.0};
  CHECK(smath::discreteQuantile(values, cumulative, 3, 0x1p-54) == 1);
  CHECK(smath::discreteQuantile(values, cumulative, 3, 0.2) == 1);
  CHECK(smath::discreteQuantile(values, cumulative, 3, std::nextafter(0.2, 1)) == 2);
  CHECK(smath::discreteQuantile(values, cumulative, 3, 0.7) == 2);
  CHECK(smath::discreteQuantile(values, cumulative, 3, 1 - 0x1p-53) == 5);
}

TEST_CASE("Latin hypercube strata: a keyed bijection of the block", "[rng]") {
  for (uint32_t key : {0u, 1u, 0xdeadbeefu, 123456789u})
    for (uint64_t block : {0ull, 1ull, 977ull, (1ull << 40) + 3}) {
      std::array<uint32_t, 4> keys = latinKeys(7, block, key, Stream::Sample);
      std::vector<int> seen(1024, 0);
      for (uint32_t i = 0; i < 1024; ++i)
        ++seen[latinStratum(i, keys)];
      CHECK(std::count(seen.begin(), seen.end(), 1) == 1024);
    }
  // Its uniform lies in its stratum, and the extremes stay inside (0, 1).
  CHECK(latinUniform(0, 0) == 0x1p-54);
  CHECK(latinUniform(1023, (uint64_t(1) << 53) - 1) == kMaxUniform);
  CHECK(openUniform((uint64_t(1) << 53) - 1) == kMaxUniform);
  CHECK(openUniform((uint64_t(1) << 53) - 2) == 1 - 0x1p-52); // 2^53 - 1.5 ties to even
  CHECK(openUniform((uint64_t(1) << 52) + 1) == 0.5 + 0x1p-52); // b + 0.5 ties to even
  CHECK(int(latinUniform(517, 12345678901ull) * 1024) == 517);
}

TEST_CASE("beta tables are shared, stored once and read back bit for bit; damaged ones are rebuilt", "[dist][store]") {
  std::map<std::string, std::string> files;
  int loads = 0, hits = 0, stores = 0;
  useBetaTableStore({[&](const std::string &name) -> std::optional<std::string> {
                       ++loads;
                       auto it = files.find(name);
                       if (it == files.end())
                         return std::nullopt;
                       ++hits;
                       return it->second;
                     },
                     [&](const std::string &name, std::string_view bytes) {
                       ++stores;
                       files[name] = std::string(bytes);
                     }});
  const double a = 2.6, b = 3.4;
  const BetaQuantile built(a, b); // the reference: built here, never through the store
  const size_t n = 2 * (BetaQuantile::kKnots + 1);
  auto sameAsBuilt = [&](const BetaQuantile &q) {
    return std::equal(q.table(), q.table() + n, built.table(),
                      [](double x, double y) { return std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y); });
  };
  {
    auto first = BetaQuantile::shared(a, b);
    CHECK(stores == 1);
    CHECK(files.size() == 1);
    CHECK(sameAsBuilt(*first));
    auto again = BetaQuantile::shared(a, b); // alive in the process: neither loaded nor stored
    CHECK(again == first);
    CHECK(loads == 1);
    CHECK(stores == 1);
  }
  {
    auto loaded = BetaQuantile::shared(a, b); // every holder gone: read from the store
    CHECK(hits == 1);
    CHECK(stores == 1);
    CHECK(sameAsBuilt(*loaded));
    CHECK((*loaded)(0.3) == built(0.3));
  }
  {
    std::string &bytes = files.begin()->second;
    double nan = std::nan("");
    std::memcpy(bytes.data() + 8 * 2 * 100, &nan, sizeof nan); // knot 100 damaged
    auto rebuilt = BetaQuantile::shared(a, b);
    CHECK(hits == 2);
    CHECK(stores == 2); // refused, rebuilt and stored afresh
    CHECK(sameAsBuilt(*rebuilt));
  }
  {
    files.begin()->second.resize(100); // truncated
    auto rebuilt = BetaQuantile::shared(a, b);
    CHECK(stores == 3);
    CHECK(sameAsBuilt(*rebuilt));
  }
  CHECK(BetaQuantile::deserialize(a, b, std::string(8 * n, '\0')).has_value()); // the checks are of shape only
  CHECK_FALSE(BetaQuantile::deserialize(a, b, std::string(8 * n + 8, '\0')).has_value());
  std::string decreasing = built.serialize();
  double big = 0.9;
  std::memcpy(decreasing.data() + 8 * 2 * 10, &big, sizeof big); // knot 10 above knot 11
  CHECK_FALSE(BetaQuantile::deserialize(a, b, decreasing).has_value());
  std::string negativeSlope = built.serialize();
  double minusOne = -1;
  std::memcpy(negativeSlope.data() + 8 * (2 * 10 + 1), &minusOne, sizeof minusOne); // knot 10's slope
  CHECK_FALSE(BetaQuantile::deserialize(a, b, negativeSlope).has_value());
  CHECK(BetaQuantile::deserialize(a, b, built.serialize()).has_value());
  {
    auto other = BetaQuantile::shared(b, a); // another shape: its own entry
    CHECK(files.size() == 2);
    CHECK((*other)(0.5) == BetaQuantile(b, a)(0.5));
  }
  useBetaTableStore({});
}

TEST_CASE("every knot of a beta table is Boost's ibeta_inv to 1e-13 of its distance to 0 or 1, or 2 ulps", "[dist][table]") {
  // The knots of shapes with a, b >= 1 come from Halley steps (Distributions.cpp, refineKnot);
  // the others straight from Boost. Either way each knot is the quantile at its own u. Near
  // x = 1 a double cannot hold 1 - x to better than its last place, hence the 2 ulps.
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  const std::pair<double, double> shapes[] = {{2.6, 3.4}, {1, 1}, {1, 5}, {5, 1}, {3, 3},
                                              {7.0 / 3, 11.0 / 3}, {2, 40}, {40, 2}, {0.5, 0.5}, {1.2, 0.7}};
  for (auto [a, b] : shapes) {
    BetaQuantile q(a, b);
    int bad = 0;
    double worstExcess = 0; // the largest error as a multiple of its tolerance
    for (int j = 0; j <= BetaQuantile::kKnots; ++j) {
      double t = BetaQuantile::kTableLo + j * BetaQuantile::kStep;
      double u = 1 / (1 + std::exp(-t)), v = 1 / (1 + std::exp(t));
      double exact = t < 0 ? boost::math::ibeta_inv(a, b, u, Policy()) : boost::math::ibetac_inv(a, b, v, Policy());
      double x = q.table()[2 * j];
      double tolerance = std::max(1e-13 * std::min(exact, 1 - exact),
                                  2 * (std::nextafter(exact, 2.0) - exact));
      double excess = std::fabs(x - exact) / tolerance;
      worstExcess = std::max(worstExcess, excess);
      bad += !(excess <= 1);
    }
    INFO("beta(" << a << ", " << b << "): worst error " << worstExcess << " of its tolerance");
    CHECK(bad == 0);
  }
}
