// Tests of exact sums, metric summaries (moments, percentiles, histogram) and the sketch.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>

#include "analyses/ExactSum.h"
#include "analyses/Summary.h"

using namespace camp::analyses;

TEST_CASE("exact sums do not depend on the order of additions", "[summary]") {
  ExactSum a;
  for (double x : {1e100, 1.0, -1e100})
    a.add(x);
  CHECK(a.value() == 1.0); // naive left-to-right gives 0
  ExactSum tenth;
  for (int i = 0; i < 10; ++i)
    tenth.add(0.1);
  CHECK(tenth.value() == 1.0); // naive gives 0.9999999999999999

  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  std::vector<double> xs(5000);
  for (double &x : xs)
    x = d(gen) * std::pow(10.0, int(gen() % 12) - 6);
  ExactSum forward, shuffled, merged, left, right;
  for (double x : xs)
    forward.add(x);
  std::shuffle(xs.begin(), xs.end(), gen);
  for (size_t i = 0; i < xs.size(); ++i) {
    shuffled.add(xs[i]);
    (i % 3 ? left : right).add(xs[i]);
  }
  merged.merge(right);
  merged.merge(left);
  CHECK(forward.value() == shuffled.value());
  CHECK(forward.value() == merged.value());
}

TEST_CASE("summary of 1..100 by hand", "[summary]") {
  std::vector<double> xs;
  for (int i = 1; i <= 100; ++i)
    xs.push_back(i);
  MetricSummary s(50, true);
  s.addBlock(xs.data(), nullptr, xs.size());
  MetricStats st = s.finish();
  CHECK(st.count == 100);
  CHECK(st.mean == 50.5);
  // variance of 1..n is n(n+1)/12 = 841.666..., sd = 29.011491975882016
  CHECK(st.sd == Approx(29.011491975882016).epsilon(1e-14));
  CHECK(st.stderrMean == Approx(2.9011491975882016).epsilon(1e-14));
  // type 7: p5 at 0-based rank 0.05*99 = 4.95 -> 5 + 0.95 = 5.95; p95 at 94.05 -> 95.05
  CHECK(st.p5 == Approx(5.95));
  CHECK(st.p50 == Approx(50.5));
  CHECK(st.p95 == Approx(95.05));
  CHECK(st.min == 1);
  CHECK(st.max == 100);
  CHECK(st.pNegative == 0);
  REQUIRE(st.histogram.counts.size() == 30);
  REQUIRE(st.histogram.edges.size() == 31);
  uint64_t total = 0;
  for (auto c : st.histogram.counts)
    total += c;
  CHECK(total == 100);
  // bin width 99/30 = 3.3: [1, 4.3) holds 1, 2, 3, 4
  CHECK(st.histogram.counts[0] == 4);
}

TEST_CASE("skipped and undefined values are not counted", "[summary]") {
  double xs[] = {1, std::nan(""), -3, 7};
  uint8_t skip[] = {0, 0, 0, 1};
  MetricSummary s(0, true);
  s.addBlock(xs, skip, 4);
  MetricStats st = s.finish();
  CHECK(st.count == 2);
  CHECK(st.undefined == 1);
  CHECK(st.mean == -1);
  CHECK(st.pNegative == 0.5);
}

TEST_CASE("merged summaries equal one summary to the bit", "[summary]") {
  std::mt19937_64 gen(11);
  std::normal_distribution<double> d(56000, 2500);
  std::vector<double> xs(8192);
  for (double &x : xs)
    x = d(gen);
  MetricSummary whole(56000, true), a(56000, true), b(56000, true);
  for (size_t i = 0; i < xs.size(); i += 1024)
    whole.addBlock(xs.data() + i, nullptr, 1024);
  for (size_t i = 0; i < xs.size(); i += 1024)
    ((i / 1024) % 2 ? a : b).addBlock(xs.data() + i, nullptr, 1024);
  b.merge(a);
  MetricStats x = whole.finish(), y = b.finish();
  CHECK(x.mean == y.mean);
  CHECK(x.sd == y.sd);
  CHECK(x.p5 == y.p5);
  CHECK(x.p95 == y.p95);
  CHECK(x.histogram.counts == y.histogram.counts);
}

TEST_CASE("the sketch keeps percentiles within its relative accuracy", "[summary]") {
  std::mt19937_64 gen(3);
  std::lognormal_distribution<double> d(8, 1.2);
  std::vector<double> xs(200000);
  for (double &x : xs)
    x = d(gen) * (gen() % 5 == 0 ? -1 : 1);
  MetricSummary exact(0, true), sketched(0, false), part(0, false);
  for (size_t i = 0; i < xs.size(); i += 1000) {
    exact.addBlock(xs.data() + i, nullptr, 1000);
    (i % 2000 ? part : sketched).addBlock(xs.data() + i, nullptr, 1000);
  }
  sketched.merge(part);
  MetricStats e = exact.finish(), s = sketched.finish();
  CHECK_FALSE(s.exactPercentiles);
  CHECK(s.mean == e.mean); // moments stay exact
  for (auto [pe, ps] : {std::pair{e.p5, s.p5}, {e.p10, s.p10}, {e.p50, s.p50}, {e.p90, s.p90},
                        {e.p95, s.p95}})
    CHECK(std::fabs(ps - pe) <= 2.5e-3 * std::fabs(pe));
  CHECK(s.pNegative == e.pNegative);

  QuantileSketch one, two, three;
  for (size_t i = 0; i < 1000; ++i)
    (i % 2 ? one : two).add(xs[i]);
  QuantileSketch ab = one, ba = two;
  ab.merge(two);
  ba.merge(one);
  CHECK(ab.valueAtRank(500) == ba.valueAtRank(500));
}

namespace {

// The documented definitions, computed independently: a full sort and type-7 interpolation;
// bin k of 30 equal bins from min to max holds floor((x - min) / (max - min) * 30), the last
// bin also holding max.
double sortedPercentile(const std::vector<double> &sorted, double q) {
  double h = q * double(sorted.size() - 1);
  size_t lo = size_t(std::floor(h)), hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - double(lo)) * (sorted[hi] - sorted[lo]);
}

void checkStatsAgainstSort(const MetricStats &st, std::vector<double> xs) {
  REQUIRE(st.count == xs.size());
  std::sort(xs.begin(), xs.end());
  CHECK(st.p5 == sortedPercentile(xs, 0.05));
  CHECK(st.p10 == sortedPercentile(xs, 0.10));
  CHECK(st.p50 == sortedPercentile(xs, 0.50));
  CHECK(st.p90 == sortedPercentile(xs, 0.90));
  CHECK(st.p95 == sortedPercentile(xs, 0.95));
  double min = xs.front(), max = xs.back();
  std::vector<uint64_t> counts(max > min ? 30 : 1, 0);
  for (double x : xs)
    ++counts[max > min ? std::min<size_t>(size_t((x - min) / (max - min) * 30), 29) : 0];
  CHECK(st.histogram.counts == counts);
}

void addInBlocks(MetricSummary &s, const double *xs, size_t n) {
  for (size_t i = 0; i < n; i += 1000)
    s.addBlock(xs + i, nullptr, std::min<size_t>(1000, n - i));
}

void checkAgainstSort(const std::vector<double> &xs, unsigned threads) {
  MetricSummary s(xs[0], true);
  addInBlocks(s, xs.data(), xs.size());
  checkStatsAgainstSort(s.finishInPlace(threads), xs);
}

} // namespace

// Up to kFewValues values the percentiles select among a copy; beyond, in the fine bins, which
// are counted when the count passes the limit, in a block or in a merge of either side.
TEST_CASE("summaries on either side of kFewValues, however merged, equal a full sort", "[summary]") {
  constexpr size_t few = MetricSummary::kFewValues;
  std::mt19937_64 gen(17);
  std::normal_distribution<double> d(300, 80);
  std::vector<double> xs(3 * few);
  for (double &x : xs)
    x = d(gen);
  for (size_t n : {few - 1, few, few + 1, 2 * few})
    checkAgainstSort(std::vector<double>(xs.begin(), xs.begin() + long(n)), 1);
  // (first part, second part): few + many, many + few, few + few -> many, few + few -> few.
  for (auto [first, second] : {std::pair{size_t(5000), 2 * few}, std::pair{2 * few, size_t(3)},
                               std::pair{few - 100, size_t(200)}, std::pair{size_t(700), size_t(900)}}) {
    std::vector<double> both(xs.begin(), xs.begin() + long(first + second));
    for (bool move : {false, true}) {
      CAPTURE(first, second, move);
      MetricSummary a(300, true), b(300, true);
      addInBlocks(a, both.data(), first);
      addInBlocks(b, both.data() + first, second);
      if (move)
        a.merge(std::move(b));
      else
        a.merge(b);
      checkStatsAgainstSort(a.finish(), both);
      MetricSummary c(300, true), e(300, true); // the other way round
      addInBlocks(c, both.data() + first, second);
      addInBlocks(e, both.data(), first);
      if (move)
        c.merge(std::move(e));
      else
        c.merge(e);
      checkStatsAgainstSort(c.finish(), both);
    }
  }
}

TEST_CASE("percentiles by selection in fine bins equal those of a full sort", "[summary]") {
  std::mt19937_64 gen(5);
  size_t n = 600'000; // more than two chunks of kept values
  std::vector<double> xs(n);
  SECTION("normal, both signs, on one and two threads") {
    std::normal_distribution<double> d(-2000, 10000);
    for (double &x : xs)
      x = d(gen);
    checkAgainstSort(xs, 1);
    checkAgainstSort(xs, 2);
  }
  SECTION("a narrow spread: every value in one fine bin, refined until it splits") {
    std::normal_distribution<double> d(1e6, 1e-4);
    for (double &x : xs)
      x = d(gen);
    checkAgainstSort(xs, 2);
  }
  SECTION("few distinct values, zeros of both signs") {
    for (double &x : xs)
      x = std::array<double, 5>{-1.5, -0.0, 0.0, 3.0, 3.0}[gen() % 5];
    checkAgainstSort(xs, 1);
  }
  SECTION("all values equal: the key is the value") {
    std::fill(xs.begin(), xs.end(), 42.25);
    checkAgainstSort(xs, 2);
  }
  SECTION("a handful of values: percentiles that share ranks") {
    for (size_t k : {1, 2, 3, 7, 19}) {
      std::vector<double> few(xs.begin(), xs.begin() + long(k));
      std::normal_distribution<double> d(5, 3);
      for (double &x : few)
        x = d(gen);
      checkAgainstSort(few, 1);
    }
  }
  SECTION("a heavy tail") {
    std::lognormal_distribution<double> d(3, 2.5);
    for (double &x : xs)
      x = d(gen);
    checkAgainstSort(xs, 2);
  }
}

TEST_CASE("moving a summary's values in merges to the same bits as copying them", "[summary]") {
  std::mt19937_64 gen(9);
  std::normal_distribution<double> d(100, 30);
  std::vector<double> xs(300'000);
  for (double &x : xs)
    x = d(gen);
  MetricSummary whole(100, true), copied(100, true), moved(100, true), a(100, true), b(100, true);
  for (size_t i = 0; i < xs.size(); i += 1024) {
    size_t n = std::min<size_t>(1024, xs.size() - i);
    whole.addBlock(xs.data() + i, nullptr, n);
    ((i / 1024) % 3 ? a : b).addBlock(xs.data() + i, nullptr, n);
  }
  copied.merge(a);
  copied.merge(b);
  moved.merge(std::move(b));
  moved.merge(std::move(a));
  CHECK(moved.count() == xs.size());
  MetricStats w = whole.finish(), c = copied.finish(), m = moved.finish();
  for (const MetricStats *s : {&c, &m}) {
    CHECK(s->mean == w.mean);
    CHECK(s->sd == w.sd);
    CHECK(s->p5 == w.p5);
    CHECK(s->p50 == w.p50);
    CHECK(s->p95 == w.p95);
    CHECK(s->histogram.counts == w.histogram.counts);
  }
}
