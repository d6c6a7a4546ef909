// Tests of the Monte Carlo runner: analytic moments, invariance to threads, engines and splits.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstring>

#include "ModuleBuilder.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Sampling.h"

using namespace camp;
using namespace camp::analyses;
using camp::testing::ModuleBuilder;

namespace {

/// x ~ normal(10, 2), y ~ uniform(1, 3), z = 5 fixed; profit = x*y + z; assert x > 10;
/// ratio = x / (d - 2) with d ~ discrete(2: 25%, 3: 75%) fails a quarter of the time.
struct Model {
  ModuleBuilder b;
  int32_t profit = -1, ratio = -1;
  Model(bool withRatio) {
    int32_t x = b.param("x", 10, ir::DistKind::Normal, {10, 2});
    int32_t y = b.param("y", 2, ir::DistKind::Uniform, {1, 3});
    int32_t z = b.param("z", 5);
    profit = b.slot("profit", b.op(ir::Op::Add, b.op(ir::Op::Mul, b.par(x), b.par(y)), b.par(z)));
    int32_t cond = b.slot("#assert1", b.op(ir::Op::Gt, b.par(x), b.num(10)), ir::SlotKind::AssertCond);
    ir::Assert a;
    a.text = "x > 10";
    a.condSlot = cond;
    b.m.asserts.push_back(a);
    if (!withRatio)
      return;
    int32_t d = b.param("d", 3, ir::DistKind::Discrete, {2, 3}, {0.25, 0.75});
    ratio = b.slot("ratio", b.op(ir::Op::Div, b.par(x), b.op(ir::Op::Sub, b.par(d), b.num(2))));
  }
  McOptions options(uint64_t n, unsigned threads) const {
    McOptions o;
    o.samples = n;
    o.seed = 2026;
    o.threads = threads;
    o.metricSlots = {profit};
    if (ratio >= 0)
      o.metricSlots.push_back(ratio);
    o.baseParams = b.nominal();
    return o;
  }
};

McResult run(const ir::Module &m, const runtime::Engine &e, const McOptions &o) {
  std::string problem;
  auto r = runMonteCarlo(m, e, o, problem);
  INFO(problem);
  REQUIRE(r);
  return *r;
}

void requireSameBits(const McResult &a, const McResult &b) {
  REQUIRE(a.metrics.size() == b.metrics.size());
  for (size_t m = 0; m < a.metrics.size(); ++m) {
    MetricStats x = a.metrics[m].finish(), y = b.metrics[m].finish();
    for (auto [p, q] : {std::pair{x.mean, y.mean}, {x.sd, y.sd}, {x.min, y.min}, {x.max, y.max},
                        {x.p5, y.p5}, {x.p10, y.p10}, {x.p50, y.p50}, {x.p90, y.p90},
                        {x.p95, y.p95}, {x.pNegative, y.pNegative}})
      CHECK(std::memcmp(&p, &q, sizeof p) == 0);
    CHECK(x.count == y.count);
    CHECK(x.histogram.counts == y.histogram.counts);
    CHECK(x.histogram.edges == y.histogram.edges);
  }
  CHECK(a.assertsHeld == b.assertsHeld);
  CHECK(a.failed == b.failed);
}

} // namespace

TEST_CASE("Monte Carlo moments match the analytic ones", "[mc]") {
  Model model(false);
  auto engine = runtime::makeInterpreter(model.b.m);
  McResult r = run(model.b.m, *engine, model.options(200000, 2));
  MetricStats s = r.metrics[0].finish();
  // E[xy + 5] = E[x]E[y] + 5 = 10*2 + 5 = 25.
  // Var = E[x^2]E[y^2] - (E[x]E[y])^2 = (100 + 4)(4 + 1/3) - 400 = 50.666..., sd = 7.1181
  double sd = std::sqrt(104.0 * 13 / 3 - 400);
  CHECK(std::fabs(s.mean - 25) < 4 * sd / std::sqrt(200000.0));
  CHECK(s.sd == Approx(sd).epsilon(0.01));
  CHECK(s.exactPercentiles);
  CHECK(s.count == 200000);
  // P(x > 10) = 1/2: the assert holds in half of the samples (sd of the share 0.0011).
  CHECK(double(r.assertsHeld[0]) / 200000 == Approx(0.5).margin(0.005));
  CHECK_FALSE(r.partial);
}

TEST_CASE("results are identical for any thread count, engine and split", "[mc][invariance]") {
  Model model(true);
  auto interp = runtime::makeInterpreter(model.b.m);
  camp::testing::ReferenceEngine reference(model.b.m);
  McResult one = run(model.b.m, *interp, model.options(10000, 1));
  SECTION("threads") {
    requireSameBits(one, run(model.b.m, *interp, model.options(10000, 2)));
    requireSameBits(one, run(model.b.m, *interp, model.options(10000, 3)));
    requireSameBits(one, run(model.b.m, *interp, model.options(10000, 8)));
  }
  SECTION("engines") {
    requireSameBits(one, run(model.b.m, reference, model.options(10000, 2)));
  }
  SECTION("a run split into parts at a block boundary") {
    McOptions first = model.options(4096, 2), second = model.options(10000 - 4096, 1);
    second.firstSample = 4096;
    first.totalSamples = second.totalSamples = 10000;
    McResult merged = run(model.b.m, *interp, first);
    merged.merge(run(model.b.m, reference, second));
    requireSameBits(one, merged);
    CHECK(merged.evaluated == 10000);
  }
  SECTION("the sketch mode is just as reproducible") {
    McOptions a = model.options(10000, 1), b = model.options(10000, 3);
    a.memoryBudgetBytes = b.memoryBudgetBytes = 1000;
    McResult x = run(model.b.m, *interp, a), y = run(model.b.m, reference, b);
    CHECK_FALSE(x.metrics[0].finish().exactPercentiles);
    requireSameBits(x, y);
    // and close to the exact percentiles (relative accuracy 0.1 % per value)
    CHECK(x.metrics[0].finish().p50 == Approx(one.metrics[0].finish().p50).epsilon(2e-3));
  }
}

TEST_CASE("failed samples are counted and the first one is reported", "[mc]") {
  Model model(true);
  auto engine = runtime::makeInterpreter(model.b.m);
  McResult r = run(model.b.m, *engine, model.options(40000, 2));
  // d = 2 with probability 1/4 divides by zero: sd of the share is sqrt(3/16/40000) = 0.0022.
  CHECK(double(r.failed) / 40000 == Approx(0.25).margin(0.01));
  REQUIRE(r.firstError);
  CHECK(r.firstError->kind == runtime::EvalErrorKind::DivisionByZero);
  // The first failing sample is the first whose d-uniform (Latin hypercube) is at most 0.25.
  UniformDesign design = makeUniformDesign(model.b.m, {true, true, false, true},
                                           SamplingMethod::LatinHypercube, 2026, Stream::Sample, true);
  std::vector<double> u(40000);
  drawUniforms(design, 0, u.size(), {nullptr, nullptr, nullptr, u.data()});
  uint64_t expected = 0;
  while (u[expected] > 0.25)
    ++expected;
  CHECK(r.firstErrorSample == expected);
  CHECK(r.metrics[0].finish().count == 40000 - r.failed);
}

TEST_CASE("a stopped run is marked partial", "[mc]") {
  Model model(false);
  auto engine = runtime::makeInterpreter(model.b.m);
  std::atomic<bool> stop{true};
  McOptions o = model.options(10000, 2);
  o.stop = &stop;
  McResult r = run(model.b.m, *engine, o);
  CHECK(r.partial);
  CHECK(r.evaluated == 0);
}

TEST_CASE("kept values over several chunks: same bits for any thread count, progress complete",
          "[mc][invariance]") {
  // 300,000 samples: more than one 2 MiB chunk of kept values per metric (262,144 values).
  Model model(false);
  auto interp = runtime::makeInterpreter(model.b.m);
  std::atomic<uint64_t> progress{0};
  McOptions o = model.options(300'000, 1);
  o.progress = &progress;
  McResult one = run(model.b.m, *interp, o);
  CHECK(progress.load() == 300'000); // published in batches of blocks, all of it by the end
  CHECK(one.metrics[0].finish().exactPercentiles);
  for (unsigned threads : {2u, 3u}) {
    McOptions t = model.options(300'000, threads);
    progress = 0;
    t.progress = &progress;
    requireSameBits(one, run(model.b.m, *interp, t));
    CHECK(progress.load() == 300'000);
  }
}
