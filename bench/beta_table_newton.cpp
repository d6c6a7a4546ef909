// Standalone experiment (not built by CMake): the PERT beta-quantile table of BetaQuantile built
// with one Boost ibeta_inv per knot (as runtime/analyses/Distributions.cpp does) against Halley
// steps on ibeta from the previous knots' extrapolation. Prints both times and the largest
// relative difference. usage: g++ -O2 -std=c++20 bench/beta_table_newton.cpp -o /tmp/bt && /tmp/bt [a b]
#include <boost/math/special_functions/beta.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>
using P = boost::math::policies::policy<boost::math::policies::promote_double<false>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>>;
constexpr double lo = -38.0; constexpr int K = 11264; constexpr double step = -2 * lo / K;
int main(int argc, char **argv) {
  double a = argc > 2 ? atof(argv[1]) : 2.6, b = argc > 2 ? atof(argv[2]) : 3.4;
  std::vector<double> ref(K + 1), fast(K + 1);
  auto t0 = std::chrono::steady_clock::now();
  for (int j = 0; j <= K; ++j) {
    double t = lo + j * step, u = 1 / (1 + std::exp(-t)), v = 1 / (1 + std::exp(t));
    ref[j] = t < 0 ? boost::math::ibeta_inv(a, b, u, P()) : boost::math::ibetac_inv(a, b, v, P());
    volatile double pdf = boost::math::ibeta_derivative(a, b, ref[j], P()); (void)pdf;
  }
  auto t1 = std::chrono::steady_clock::now();
  // Newton in t-space from the previous knot's x: solve logit(I_x(a,b)) = t.
  int iters = 0;
  for (int j = 0; j <= K; ++j) {
    double t = lo + j * step, u = 1 / (1 + std::exp(-t)), v = 1 / (1 + std::exp(t));
    double x;
    if (j < 2 || j > K - 2) {
      x = t < 0 ? boost::math::ibeta_inv(a, b, u, P()) : boost::math::ibetac_inv(a, b, v, P());
    } else {
      // extrapolate linearly from two previous knots
      x = 2 * fast[j - 1] - fast[j - 2];
      if (!(x > 0 && x < 1)) x = fast[j - 1];
      for (int it = 0; it < 6; ++it) {
        ++iters;
        double F = t < 0 ? boost::math::ibeta(a, b, x, P()) - u : v - boost::math::ibetac(a, b, x, P());
        double f = boost::math::ibeta_derivative(a, b, x, P());
        double dx = F / f;
        // Halley: f'/f = (a-1)/x - (b-1)/(1-x)
        double r = (a - 1) / x - (b - 1) / (1 - x);
        dx = dx / (1 - 0.5 * dx * r);
        double nx = x - dx;
        if (nx <= 0) nx = x / 2; if (nx >= 1) nx = (1 + x) / 2;
        bool done = std::fabs(nx - x) <= 1e-15 * std::fabs(nx);
        x = nx;
        if (done) break;
      }
    }
    fast[j] = x;
    volatile double pdf = boost::math::ibeta_derivative(a, b, x, P()); (void)pdf;
  }
  auto t2 = std::chrono::steady_clock::now();
  double maxrel = 0;
  for (int j = 0; j <= K; ++j) if (ref[j] > 0) maxrel = std::fmax(maxrel, std::fabs(fast[j] - ref[j]) / ref[j]);
  printf("a=%g b=%g ibeta_inv: %.2f ms  newton-from-previous: %.2f ms (%.2f iters/knot)  max rel diff %.3g\n", a, b,
         std::chrono::duration<double, std::milli>(t1 - t0).count(), std::chrono::duration<double, std::milli>(t2 - t1).count(),
         double(iters) / K, maxrel);
}
