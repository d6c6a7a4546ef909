// Analyses through the front end: .camp models (Ishigami, a hand-solved break-even, the factory
// forecast example, the multichannel example) and engine invariance with the JIT when built.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <mutex>

#include "analyses/Metrics.h"
#include "analyses/Forecast.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Sensitivity.h"
#include "analyses/Sobol.h"
#include "diag/Diagnostic.h"
#include "frontend/Compile.h"
#ifdef CAMP_TEST_JIT
#include "backend/Backend.h"
#endif

using namespace camp;
using namespace camp::analyses;

namespace {

ir::Module compiled(const std::string &name, const std::string &text, CompileOptions opts = {}) {
  diag::DiagnosticEngine diags;
  auto m = compileSource(name, text, diags, opts);
  INFO(diag::renderText(diags, {}));
  REQUIRE(m);
  return std::move(*m);
}

ir::Module compiledFile(const std::string &path, CompileOptions opts = {}) {
  diag::DiagnosticEngine diags;
  opts.stdlibPaths = stdlibSearchPath();
  auto m = compileFile(path, diags, opts);
  INFO(diag::renderText(diags, {}));
  REQUIRE(m);
  return std::move(*m);
}

const char *kIshigami = R"(model "Ishigami function"
currency USD
param x1 = 0 ~ uniform(-3.141592653589793, 3.141592653589793)
param x2 = 0 ~ uniform(-3.141592653589793, 3.141592653589793)
param x3 = 0 ~ uniform(-3.141592653589793, 3.141592653589793)
let f = sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)
)";

// revenue = 50,000 email * conversion * 60 USD/order; cost = 21,000 USD. Profit is zero when
// conversion = 21,000 / (50,000 * 60) = 0.7 %; ROI is 50 % when revenue = 31,500: 1.05 %.
const char *kBreakeven = R"(model "Break-even by hand"
currency USD
unit email, order
param conversion = 1% order/email in [0.2%, 3%]
param aov = 60 USD/order
pipeline promo "Promo" {
  stage send "Send" {
    output 50_000 email
    media "Sends" = 21_000 USD
  }
  revenue "Orders" = 50_000 email * conversion * aov
}
)";

} // namespace

TEST_CASE("Sobol indices of the Ishigami function written in .camp", "[sobol][model]") {
  ir::Module m = compiled("ishigami.camp", kIshigami);
  int32_t f = m.findSlot("f");
  REQUIRE(f >= 0);
  const double pi = 3.14159265358979323846, a = 7, b = 0.1;
  double V = a * a / 8 + b * std::pow(pi, 4) / 5 + b * b * std::pow(pi, 8) / 18 + 0.5;
  double V1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2), V2 = a * a / 8;
  double V13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  double S[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
  auto engine = runtime::makeInterpreter(m);
  SobolOptions o;
  o.samples = 30000;
  o.seed = 11;
  o.bootstrap = 50;
  o.baseParams = m.nominalParams();
  o.metricSlot = f;
  std::string problem;
  auto r = runSobol(m, *engine, o, problem);
  INFO(problem);
  REQUIRE(r);
  REQUIRE(r->params.size() == 3);
  for (int i = 0; i < 3; ++i) {
    INFO("x" << i + 1);
    CHECK(r->params[i].first.value == Approx(S[i]).margin(0.03));
    CHECK(r->params[i].total.value == Approx(ST[i]).margin(0.03));
  }
}

TEST_CASE("break-even of a hand-solved .camp model", "[breakeven][model]") {
  ir::Module m = compiled("breakeven.camp", kBreakeven);
  auto engine = runtime::makeInterpreter(m);
  int32_t conv = m.findParam("conversion"), profit = m.findSlot("promo.profit"), roi = m.findSlot("promo.roi");
  REQUIRE(conv >= 0);
  REQUIRE(profit >= 0);
  auto [lo, hi] = defaultSearchInterval(m, m.nominalParams(), conv);
  BreakevenResult r = runBreakeven(m, *engine, m.nominalParams(), conv, profit, 0, lo, hi);
  REQUIRE(r.found);
  CHECK(r.value == Approx(0.007).epsilon(1e-12));
  BreakevenResult half = runBreakeven(m, *engine, m.nominalParams(), conv, roi, 0.5, lo, hi);
  REQUIRE(half.found);
  CHECK(half.value == Approx(0.0105).epsilon(1e-12));
  // 80,000 USD of profit needs 101,000 / 3,000,000 = 3.37 %: beyond the range's 3 %.
  CHECK_FALSE(runBreakeven(m, *engine, m.nominalParams(), conv, profit, 80000, lo, hi).found);
}

TEST_CASE("the factory forecast example, month by month", "[forecast][model]") {
  ir::Module m = compiledFile(CAMP_EXAMPLES_DIR "/factory_forecast.camp");
  auto engine = runtime::makeInterpreter(m);
  std::string problem;
  auto r = runForecast(m, *engine, m.nominalParams(), 0, problem);
  INFO(problem);
  REQUIRE(r);
  REQUIRE(r->months.size() == 120); // 2025-01 .. 2034-12
  size_t media = 4, technology = 1, labor = 0;
  // January 2025: 4 runs; 1,600,000 emails all in the first tier: 1,280; labour 4 x 1,980.
  CHECK(r->months[0].byCategory[media] == Approx(1280));
  CHECK(r->months[0].byCategory[labor] == Approx(7920));
  CHECK(r->months[0].cost == Approx(9200));
  CHECK(r->months[0].revenue == Approx(4 * 6776.0));
  // November 2025: 4 x 1.3^(10/12) x 1.6 runs, 3,185,611 emails cross the 2M tier:
  // 2,000 x 0.80 + 1,185.611 x 0.50 = 2,192.8056 (not 7.964 x 320 = 2,548.49).
  double nov = 4 * std::pow(1.3, 10.0 / 12) * 1.6;
  CHECK(r->months[10].runs[0] == Approx(nov).epsilon(1e-12));
  CHECK(r->months[10].byCategory[media] == Approx(1600 + (nov * 400000 - 2e6) * 0.0005).epsilon(1e-12));
  // The 200,000 included prompts run out in December 2028 (m = 47): 20.1192 runs.
  REQUIRE(r->allowances.size() == 1);
  CHECK(r->allowances[0].ratecard == "copy_assistant");
  REQUIRE(r->allowances[0].firstExceeded);
  CHECK(*r->allowances[0].firstExceeded == 47);
  CHECK(r->months[47].year == 2028);
  CHECK(r->months[47].month == 12);
  double dec = 4 * std::pow(1.3, 47.0 / 12) * 1.8;
  CHECK(r->months[47].byCategory[technology] == Approx(0.01 * (dec * 10000 - 200000)).epsilon(1e-12));
  CHECK(r->months[46].byCategory[technology] == 0);
  // About tenfold: January 2034 runs 4 x 1.3^9 = 42.418.
  CHECK(r->months[108].runs[0] == Approx(42.41799749200001).epsilon(1e-12));
}

TEST_CASE("Monte Carlo of the multichannel example is invariant to threads and engines", "[mc][model][invariance]") {
  CompileOptions opts;
  opts.extraLets.emplace_back(metricLetName(1), "spring.cost / audience");
  ir::Module m = compiledFile(CAMP_EXAMPLES_DIR "/multichannel.camp", opts);
  McOptions o;
  o.samples = 20000;
  o.seed = 99;
  o.baseParams = m.nominalParams();
  for (const NamedSlot &s : defaultMetrics(m))
    o.metricSlots.push_back(s.slot);
  o.metricSlots.push_back(m.findSlot(metricLetName(1)));
  REQUIRE(o.metricSlots.back() >= 0);
  auto interp = runtime::makeInterpreter(m);
  std::string problem;
  o.threads = 1;
  auto one = runMonteCarlo(m, *interp, o, problem);
  REQUIRE(one);
  auto same = [&](const McResult &x, const McResult &y) {
    for (size_t k = 0; k < x.metrics.size(); ++k) {
      MetricStats a = x.metrics[k].finish(), b = y.metrics[k].finish();
      CHECK(std::memcmp(&a.mean, &b.mean, sizeof(double)) == 0);
      CHECK(std::memcmp(&a.sd, &b.sd, sizeof(double)) == 0);
      CHECK(std::memcmp(&a.p5, &b.p5, sizeof(double)) == 0);
      CHECK(std::memcmp(&a.p95, &b.p95, sizeof(double)) == 0);
      CHECK(a.histogram.counts == b.histogram.counts);
    }
    CHECK(x.assertsHeld == y.assertsHeld);
  };
  o.threads = 2;
  auto two = runMonteCarlo(m, *interp, o, problem);
  REQUIRE(two);
  same(*one, *two);
#ifdef CAMP_TEST_JIT
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  INFO(error);
  REQUIRE(jit);
  auto viaJit = runMonteCarlo(m, *jit, o, problem);
  REQUIRE(viaJit);
  same(*one, *viaJit);
#endif
}

namespace {

// A volume tier: below 500,000 customers every one costs 0.02 USD, above every one 0.008 USD;
// revenue is 0.014 USD per customer. Profit is -0.006 q up to 500,000 (-3,000 there) and
// +0.006 q above (+3,000 just above): it changes sign at the cliff without passing through 0.
const char *kCliff = R"(model "Volume cliff"
currency USD
unit customer
param customers = 400_000 customer in [100_000, 1_000_000]
ratecard sync "Audience sync" {
  price match(customer) = volume {
    up to 500_000 customer: 0.02 USD/customer
    above:                  0.008 USD/customer
  }
}
pipeline promo "Promo" {
  stage reach "Reach" {
    output customers
    data "Matching" = sync.match(customers)
  }
  revenue "Sales" = customers * 0.014 USD/customer
}
)";

} // namespace

TEST_CASE("break-even across a volume-tier cliff reports the jump, not a root", "[breakeven][model]") {
  ir::Module m = compiled("cliff.camp", kCliff);
  auto engine = runtime::makeInterpreter(m);
  int32_t q = m.findParam("customers"), profit = m.findSlot("promo.profit");
  REQUIRE(q >= 0);
  REQUIRE(profit >= 0);
  auto [lo, hi] = defaultSearchInterval(m, m.nominalParams(), q);
  BreakevenResult r = runBreakeven(m, *engine, m.nominalParams(), q, profit, 0, lo, hi);
  CHECK_FALSE(r.found);
  CHECK(r.crossings == 1);
  REQUIRE_FALSE(std::isnan(r.discontinuityAt));
  CHECK(r.discontinuityAt == Approx(500000).epsilon(1e-12));
  CHECK(r.jumpFrom == Approx(-3000).epsilon(1e-9));
  CHECK(r.jumpTo == Approx(3000).epsilon(1e-9));
  // Real roots on either side are found, and verified where they are reported:
  // -0.006 q = -1,200 at q = 200,000; 0.006 q = 4,500 at q = 750,000.
  BreakevenResult below = runBreakeven(m, *engine, m.nominalParams(), q, profit, -1200, lo, hi);
  REQUIRE(below.found);
  CHECK(below.value == Approx(200000).epsilon(1e-12));
  CHECK(below.metricAtValue == Approx(-1200).epsilon(1e-9));
  BreakevenResult above = runBreakeven(m, *engine, m.nominalParams(), q, profit, 4500, lo, hi);
  REQUIRE(above.found);
  CHECK(above.value == Approx(750000).epsilon(1e-12));
  CHECK(std::isnan(above.discontinuityAt));
  // Searching only below the cliff: no root, no jump.
  BreakevenResult none = runBreakeven(m, *engine, m.nominalParams(), q, profit, 0, 100000, 400000);
  CHECK_FALSE(none.found);
  CHECK(std::isnan(none.discontinuityAt));
}

TEST_CASE("correlate in .camp: rank correlation held, same bits on every engine", "[mc][model][correlate]") {
  const char *text = R"(model "Correlated"
currency USD
unit click, order
param correlate = 2
param ctr = 1% click/order ~ triangular(0.5%, 1%, 2%)
param conversion = 2% ~ pert(1%, 2%, 4%)
param aov = 80 USD/order ~ normal(80, 10)
correlate ctr, conversion = 0.7
correlate conversion, aov = -30%
let value = correlate * ctr * conversion * aov
)";
  ir::Module m = compiled("correlated.camp", text);
  REQUIRE(m.correlations.size() == 2);
  CHECK(m.correlations[1].r == -0.3);
  int32_t value = m.findSlot("value");
  REQUIRE(value >= 0);
  McOptions o;
  o.samples = 20000;
  o.seed = 3;
  o.threads = 2;
  o.baseParams = m.nominalParams();
  o.metricSlots = {value};
  std::vector<double> ctr, conv, aov;
  std::mutex lock;
  o.onBlock = [&](uint64_t first, size_t n, const std::vector<const double *> &p,
                  const std::vector<const double *> &, const uint8_t *) {
    std::lock_guard<std::mutex> g(lock);
    if (ctr.size() < first + n)
      ctr.resize(first + n), conv.resize(first + n), aov.resize(first + n);
    std::copy_n(p[1], n, ctr.begin() + long(first));
    std::copy_n(p[2], n, conv.begin() + long(first));
    std::copy_n(p[3], n, aov.begin() + long(first));
  };
  auto interp = runtime::makeInterpreter(m);
  std::string problem;
  auto r = runMonteCarlo(m, *interp, o, problem);
  REQUIRE(r);
  CHECK(r->changedCorrelations.empty());
  CHECK(rankCorrelation(ctr, conv) == Approx(0.7).margin(0.02));
  CHECK(rankCorrelation(conv, aov) == Approx(-0.3).margin(0.02));
  CHECK(rankCorrelation(ctr, aov) == Approx(0.0).margin(0.02));
#ifdef CAMP_TEST_JIT
  o.onBlock = nullptr;
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  INFO(error);
  REQUIRE(jit);
  auto viaJit = runMonteCarlo(m, *jit, o, problem);
  REQUIRE(viaJit);
  MetricStats a = r->metrics[0].finish(), b = viaJit->metrics[0].finish();
  CHECK(std::memcmp(&a.mean, &b.mean, sizeof(double)) == 0);
  CHECK(std::memcmp(&a.p90, &b.p90, sizeof(double)) == 0);
#endif
}

#ifdef CAMP_TEST_JIT
namespace {

/// Every drawn param's value of every sample, and each metric's, as bits (onBlock).
struct SampleDump {
  std::mutex lock;
  std::vector<std::vector<double>> params, metrics;
  void attach(McOptions &o, size_t paramCount, uint64_t total) {
    params.assign(paramCount, std::vector<double>(total, -1.0));
    metrics.assign(o.metricSlots.size(), std::vector<double>(total, -1.0));
    o.onBlock = [this](uint64_t first, size_t n, const std::vector<const double *> &p,
                       const std::vector<const double *> &ms, const uint8_t *) {
      std::lock_guard<std::mutex> g(lock);
      for (size_t k = 0; k < p.size(); ++k)
        if (p[k])
          std::copy_n(p[k], n, params[k].begin() + long(first));
      for (size_t k = 0; k < ms.size(); ++k)
        std::copy_n(ms[k], n, metrics[k].begin() + long(first));
    };
  }
};

bool sameBits(const std::vector<double> &a, const std::vector<double> &b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

} // namespace

TEST_CASE("the JIT's compiled samplers draw the host's bits for every distribution, LHS or random, correlated or not",
          "[mc][model][invariance][samplers]") {
  const char *text = R"(model "Every sampler"
currency USD
param pa = 1 ~ uniform(0.5, 2)
param pb = 1% ~ triangular(0.5%, 1%, 2%)
param pc = 2% ~ pert(1%, 2%, 4%)
param pd = 80 USD ~ normal(80, 10)
param pe = 100 USD ~ lognormal(100, 30)
param pf = 0.3 ~ beta(0.5, 0.5)
param pg = 2 ~ discrete(1: 0.2, 2: 0.5, 5: 0.3)
param ph = 3 USD in [1, 4]
param pk = 7 USD
correlate pb, pc = 0.6
correlate pc, pd = -0.4
let value = pa * pb * pc * pd * pg + pe * pf + ph + pk
)";
  ir::Module m = compiled("samplers.camp", text);
  int32_t value = m.findSlot("value");
  REQUIRE(value >= 0);
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  INFO(error);
  REQUIRE(jit);
  auto interp = runtime::makeInterpreter(m);
  {
    // The JIT does draw in its own kernel (else this test would compare the host with itself).
    std::vector<runtime::ParamDraw> draws(m.params.size());
    draws[0].kind = runtime::DrawKind::Uniform;
    draws[0].c[1] = 1;
    std::vector<double> fixed = m.nominalParams(), out(8);
    std::vector<double *> slots(m.slots.size(), nullptr);
    slots[size_t(value)] = out.data();
    std::vector<int64_t> errors(8);
    runtime::SampledBatch sb;
    sb.n = 8;
    sb.draws = draws.data();
    sb.fixed = fixed.data();
    sb.slots = slots.data();
    sb.errors = errors.data();
    CHECK(jit->evalSampledBatch(sb));
    CHECK(!interp->evalSampledBatch(sb));
  }
  for (SamplingMethod method : {SamplingMethod::LatinHypercube, SamplingMethod::Random})
    for (bool correlate : {true, false}) {
      INFO("random: " << (method == SamplingMethod::Random) << ", correlate: " << correlate);
      McOptions o;
      o.samples = 5000; // four whole blocks and a partial one
      o.seed = 17;
      o.sampling = method;
      o.correlate = correlate;
      o.baseParams = m.nominalParams();
      o.metricSlots = {value};
      std::string problem;
      SampleDump host, compiled1, compiled2;
      host.attach(o, m.params.size(), o.samples);
      o.threads = 1;
      REQUIRE(runMonteCarlo(m, *interp, o, problem));
      compiled1.attach(o, m.params.size(), o.samples);
      REQUIRE(runMonteCarlo(m, *jit, o, problem));
      // The same run in two parts split at a block multiple, on two threads.
      compiled2.attach(o, m.params.size(), o.samples);
      o.threads = 2;
      o.totalSamples = o.samples;
      o.samples = 3072;
      REQUIRE(runMonteCarlo(m, *jit, o, problem));
      o.firstSample = 3072;
      o.samples = 5000 - 3072;
      REQUIRE(runMonteCarlo(m, *jit, o, problem));
      for (size_t p = 0; p < m.params.size(); ++p) {
        INFO("param " << m.params[p].name);
        CHECK(sameBits(host.params[p], compiled1.params[p]));
        CHECK(sameBits(host.params[p], compiled2.params[p]));
      }
      CHECK(sameBits(host.metrics[0], compiled1.metrics[0]));
      CHECK(sameBits(host.metrics[0], compiled2.metrics[0]));
      // Every drawn param was drawn (not left at the fill value), within its support.
      for (double x : host.params[6])
        CHECK((x == 1 || x == 2 || x == 5));
      CHECK(*std::min_element(host.params[5].begin(), host.params[5].end()) >= 0);
      CHECK(*std::max_element(host.params[5].begin(), host.params[5].end()) <= 1);
    }
}
#endif

#ifdef CAMP_TEST_JIT
TEST_CASE("the fused kernel stores only the slots asked for, and an error in a slot not stored still fails its sample",
          "[mc][model][invariance][samplers]") {
  // `ratio` divides by zero in about 30 % of samples; no run below reads it.
  const char *text = R"(model "Stored slots"
currency USD
param a = 2 USD ~ uniform(1, 3)
param d = 1 ~ discrete(0: 0.3, 1: 0.7)
let ratio = a / d
let twice = a * 2
let total = twice + 1 USD
)";
  ir::Module m = compiled("stored_slots.camp", text);
  int32_t twice = m.findSlot("twice"), total = m.findSlot("total");
  REQUIRE(twice >= 0);
  REQUIRE(total >= 0);
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  INFO(error);
  REQUIRE(jit);
  auto interp = runtime::makeInterpreter(m);
  // Each set of slots is its own kernel: asking for another set must not reuse the first.
  for (std::vector<int32_t> slots : {std::vector<int32_t>{total}, {twice}, {twice, total}}) {
    INFO("slots asked for: " << slots.size() << ", first " << slots[0]);
    McOptions o;
    o.samples = 3000;
    o.seed = 5;
    o.threads = 1;
    o.baseParams = m.nominalParams();
    o.metricSlots = slots;
    std::string problem;
    SampleDump host, fused;
    host.attach(o, m.params.size(), o.samples);
    auto viaHost = runMonteCarlo(m, *interp, o, problem);
    REQUIRE(viaHost);
    fused.attach(o, m.params.size(), o.samples);
    auto viaJit = runMonteCarlo(m, *jit, o, problem);
    REQUIRE(viaJit);
    // About 900 of 3,000 samples fail (binomial sd 25), in the same samples on both engines.
    CHECK(viaHost->failed > 700);
    CHECK(viaHost->failed < 1100);
    CHECK(viaJit->failed == viaHost->failed);
    CHECK(viaJit->firstErrorSample == viaHost->firstErrorSample);
    REQUIRE(viaJit->firstError);
    CHECK(viaJit->firstError->slot == viaHost->firstError->slot);
    for (size_t k = 0; k < slots.size(); ++k) {
      MetricStats a = viaHost->metrics[k].finish(), b = viaJit->metrics[k].finish();
      CHECK(a.count == b.count);
      CHECK(std::memcmp(&a.mean, &b.mean, sizeof(double)) == 0);
      CHECK(std::memcmp(&a.p50, &b.p50, sizeof(double)) == 0);
    }
    // `total` is `twice` + 1 in every sample that did not fail, on the fused kernel too.
    if (slots.size() == 2) {
      size_t checked = 0;
      for (size_t i = 0; i < o.samples; ++i) {
        double t = fused.metrics[0][i], u = fused.metrics[1][i];
        if (t < 0) // the dump's fill: never written
          continue;
        CHECK(u == t + 1);
        ++checked;
      }
      CHECK(checked == o.samples);
    }
  }
}
#endif
