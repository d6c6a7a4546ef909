// The multichannel example's Monte Carlo written by hand, as a C++ programmer would without Camp.
//
// Costs from examples/multichannel.camp and its rates/ order forms (canonical units):
//   labour 32 + 24 + 36 + 40 + 24 + 14 + 20 = 190 h at `hourly`;
//   fixed: audience sync 14 packages of 100,000 x 25 = 350; screening 1,400; orchestration
//   3,600 / 3 = 1,200; agency 60 h x 150 = 9,000; stock 8 x 197 = 1,576; GenAI 0.04 x (25,000 -
//   10,000) = 600; previews 120 x 2.50 = 300; email 1M x 0.00075 + 50 + 0.4M x 0.0004 + 40 =
//   1,000; SMS 120,000 x 0.0079 = 948; BI seats max(4 x 45, 250) = 250: together 16,624;
//   paid social 1.6M x cpm plus 10 % commission.
//   revenue = (1.4M x email_ctr + 120,000 x sms_ctr + 1.6M x social_ctr) x conversion x aov.
// At the nominal values: 15,200 + 16,624 + 24,640 = 56,464 USD, the published benchmark.
#include "multichannel_hand.h"

#include <algorithm>
#include <cmath>

#include "analyses/Rng.h"

namespace camp::bench {
namespace {

double percentile(const std::vector<double> &sorted, double q) {
  double h = q * double(sorted.size() - 1);
  size_t lo = size_t(h), hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

} // namespace

HandSummary runHandLoop(const MultichannelSamplers &s, uint64_t seed, uint64_t n) {
  std::vector<double> values[4];
  for (auto &v : values)
    v.resize(n);
  double sum[4] = {}, sumSq[4] = {};
  HandSummary out;
  for (uint64_t i = 0; i < n; ++i) {
    using analyses::uniformOpen01;
    double hourly = s.hourly.quantile(uniformOpen01(seed, i, s.hourlyIndex));
    double cpm = s.cpm.quantile(uniformOpen01(seed, i, s.cpmIndex));
    double emailCtr = s.emailCtr.quantile(uniformOpen01(seed, i, s.emailCtrIndex));
    double smsCtr = s.smsCtr.quantile(uniformOpen01(seed, i, s.smsCtrIndex));
    double socialCtr = s.socialCtr.quantile(uniformOpen01(seed, i, s.socialCtrIndex));
    double conversion = s.conversion.quantile(uniformOpen01(seed, i, s.conversionIndex));
    double aov = s.aov.quantile(uniformOpen01(seed, i, s.aovIndex));

    double social = 1'600'000 * cpm;
    double cost = 190 * hourly + 16'624 + social + social * 0.10;
    double orders = (1'400'000 * emailCtr + 120'000 * smsCtr + 1'600'000 * socialCtr) * conversion;
    double revenue = orders * aov;
    double profit = revenue - cost;
    double roi = profit / cost;
    double m[4] = {cost, revenue, profit, roi};
    for (int k = 0; k < 4; ++k) {
      values[k][i] = m[k];
      sum[k] += m[k];
      sumSq[k] += m[k] * m[k];
    }
    out.assertsHeld[0] += cost <= 60'000;
    out.assertsHeld[1] += roi >= -0.60;
  }
  for (int k = 0; k < 4; ++k) {
    double mean = sum[k] / double(n);
    out.mean[k] = mean;
    out.sd[k] = std::sqrt(std::max(0.0, (sumSq[k] - double(n) * mean * mean) / double(n - 1)));
    std::sort(values[k].begin(), values[k].end());
    out.p5[k] = percentile(values[k], 0.05);
    out.p50[k] = percentile(values[k], 0.50);
    out.p95[k] = percentile(values[k], 0.95);
  }
  return out;
}

} // namespace camp::bench
