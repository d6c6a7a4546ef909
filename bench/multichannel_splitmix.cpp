// The conformance multichannel model's Monte Carlo as a C++ programmer would write it by hand.
//
// The bar `camp mc` is measured against (issue 11): no Camp code, its own counter-based
// splitmix64 generator, closed-form inverse triangular, Box-Muller normals, Marsaglia-Tsang
// gamma variates for PERT (beta = X / (X + Y), scaled), all values kept and the percentiles
// found by std::nth_element; built with -O3 -march=native. It reports for one metric what
// `camp mc --metric spring.profit` reports: mean, sd, min, max, P5/P10/P50/P90/P95, the share
// below zero and a 30-bin histogram, as one JSON line on stdout.
//
// The model (shared/spec/conformance/ok/multichannel.camp and its rates/esp.camp), by hand:
//   cost = 37,540 + 1,577,000 impressions x cpm, where 37,540 USD is every fixed line at its
//   nominal value (294 h x 80 USD/h labour; 280 audience sync; 2,800 enrichment; 1,000
//   orchestration; 6,000 agency; 400 GenAI; 400 previews; 1,140 email sends; 1,500 SMS; 500 BI)
//   revenue = (1,400,000 x email_ctr + 200,000 x sms_ctr) x conversion x aov
//   profit = revenue - cost
//   cpm ~ triangular(9, 12, 16) USD per 1000 impressions, email_ctr ~ triangular(0.6%, 1%, 1.8%),
//   sms_ctr ~ uniform(1%, 4%), conversion ~ pert(1%, 2%, 3.5%), aov ~ normal(75, 8).
//
// usage: multichannel_splitmix SAMPLES [THREADS [SEED]]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

/// splitmix64's output function: a bijective mix of a 64-bit counter.
inline uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The draws of one sample: splitmix64 at positions (sample << 16) + j of the seed's sequence,
/// so that any sample can be drawn on its own (counter-based, as a parallel loop needs).
class SampleStream {
public:
  SampleStream(uint64_t seed, uint64_t sample)
      : base_(seed * 0x9e3779b97f4a7c15ULL + (sample << 16) * 0x9e3779b97f4a7c15ULL) {}
  /// A uniform in (0, 1): 53 random bits, then half a step so that 0 never comes out.
  double uniform() {
    base_ += 0x9e3779b97f4a7c15ULL;
    return (double(mix(base_) >> 11) + 0.5) * 0x1p-53;
  }
  /// A standard normal by Box-Muller, both values of each pair used.
  double normal() {
    if (haveSpare_) {
      haveSpare_ = false;
      return spare_;
    }
    double r = std::sqrt(-2.0 * std::log(uniform())), t = 2.0 * M_PI * uniform();
    spare_ = r * std::sin(t);
    haveSpare_ = true;
    return r * std::cos(t);
  }
  /// Gamma(shape >= 1, 1) by Marsaglia and Tsang (2000).
  double gamma(double d, double c) {
    for (;;) {
      double x = normal(), v = 1.0 + c * x;
      if (v <= 0)
        continue;
      v = v * v * v;
      double u = uniform(), x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v)))
        return d * v;
    }
  }

private:
  uint64_t base_;
  double spare_ = 0;
  bool haveSpare_ = false;
};

/// Inverse CDF of triangular(a, m, b), closed form.
inline double triangular(double u, double a, double m, double b) {
  double f = (m - a) / (b - a);
  return u < f ? a + std::sqrt(u * (b - a) * (m - a)) : b - std::sqrt((1 - u) * (b - a) * (b - m));
}

/// PERT(a, m, b): a + (b - a) Beta(1 + 4 (m - a) / (b - a), 1 + 4 (b - m) / (b - a)).
struct Pert {
  double a, width, dx, cx, dy, cy;
  Pert(double lo, double mode, double hi) : a(lo), width(hi - lo) {
    double alpha = 1 + 4 * (mode - lo) / width, beta = 1 + 4 * (hi - mode) / width;
    dx = alpha - 1.0 / 3, cx = 1 / std::sqrt(9 * dx);
    dy = beta - 1.0 / 3, cy = 1 / std::sqrt(9 * dy);
  }
  double draw(SampleStream &s) const {
    double x = s.gamma(dx, cx), y = s.gamma(dy, cy);
    return a + width * x / (x + y);
  }
};

struct Part {
  double sum = 0, sumSquares = 0, min = INFINITY, max = -INFINITY;
  uint64_t negatives = 0;
};

/// Samples [from, to): the profit of each into out[i], moments about `shift` into the part.
void runRange(uint64_t seed, uint64_t from, uint64_t to, double shift, double *out, Part &part) {
  const Pert conversion(0.01, 0.02, 0.035);
  for (uint64_t i = from; i < to; ++i) {
    SampleStream s(seed, i);
    double cpm = triangular(s.uniform(), 9, 12, 16) / 1000;
    double emailCtr = triangular(s.uniform(), 0.006, 0.01, 0.018);
    double smsCtr = 0.01 + 0.03 * s.uniform();
    double conv = conversion.draw(s);
    double aov = 75 + 8 * s.normal();
    double cost = 37'540 + 1'577'000 * cpm;
    double revenue = (1'400'000 * emailCtr + 200'000 * smsCtr) * conv * aov;
    double profit = revenue - cost;
    out[i] = profit;
    double d = profit - shift;
    part.sum += d;
    part.sumSquares += d * d;
    part.min = std::min(part.min, profit);
    part.max = std::max(part.max, profit);
    part.negatives += profit < 0;
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SAMPLES [THREADS [SEED]]\n", argv[0]);
    return 2;
  }
  uint64_t n = std::strtoull(argv[1], nullptr, 10);
  unsigned threads = argc > 2 ? unsigned(std::atoi(argv[2])) : 1;
  uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  if (n < 2 || threads < 1) {
    std::fprintf(stderr, "need at least 2 samples and 1 thread\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  const double shift = -24'000; // near the mean: keeps the one-pass variance accurate
  std::vector<double> v(n);
  std::vector<Part> parts(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] { runRange(seed, n * t / threads, n * (t + 1) / threads, shift, v.data(), parts[t]); });
  for (auto &t : pool)
    t.join();
  Part all;
  for (const Part &p : parts) {
    all.sum += p.sum, all.sumSquares += p.sumSquares, all.negatives += p.negatives;
    all.min = std::min(all.min, p.min), all.max = std::max(all.max, p.max);
  }
  double dn = double(n);
  double mean = shift + all.sum / dn;
  double sd = std::sqrt(std::max(0.0, (all.sumSquares - all.sum * all.sum / dn) / (dn - 1)));

  // Percentiles (type 7, as NumPy's default) by successive selection.
  const double qs[] = {0.05, 0.10, 0.50, 0.90, 0.95};
  double pct[5];
  auto from = v.begin();
  for (int k = 0; k < 5; ++k) {
    double h = qs[k] * (dn - 1);
    size_t lo = size_t(h);
    std::nth_element(from, v.begin() + long(lo), v.end());
    double a = v[lo], b = lo + 1 < n ? *std::min_element(v.begin() + long(lo) + 1, v.end()) : a;
    pct[k] = a + (h - double(lo)) * (b - a);
    from = v.begin() + long(lo);
  }
  uint64_t hist[30] = {};
  double width = all.max - all.min;
  for (double x : v)
    ++hist[width > 0 ? std::min<size_t>(size_t((x - all.min) / width * 30), 29) : 0];
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("{\"samples\": %llu, \"threads\": %u, \"mean\": %.10g, \"sd\": %.10g, \"min\": %.10g, "
              "\"max\": %.10g, \"p5\": %.10g, \"p10\": %.10g, \"p50\": %.10g, \"p90\": %.10g, "
              "\"p95\": %.10g, \"p_negative\": %.10g, \"seconds\": %.6f, \"histogram\": [",
              (unsigned long long)n, threads, mean, sd, all.min, all.max, pct[0], pct[1], pct[2], pct[3],
              pct[4], double(all.negatives) / dn, seconds);
  for (int k = 0; k < 30; ++k)
    std::printf("%s%llu", k ? ", " : "", (unsigned long long)hist[k]);
  std::printf("]}\n");
  return 0;
}
