// Sobol indices on the Ishigami function against its analytic indices.
#include <catch2/catch.hpp>

#include <cmath>

#include "ModuleBuilder.h"
#include "analyses/Sobol.h"

using namespace camp;
using namespace camp::analyses;

namespace {

/// f = sin x1 + a sin^2 x2 + b x3^4 sin x1, xi ~ uniform(-pi, pi), a = 7, b = 0.1.
struct Ishigami {
  testing::ModuleBuilder b;
  int32_t f;
  Ishigami() {
    const double pi = 3.14159265358979323846;
    for (const char *name : {"x1", "x2", "x3"})
      b.param(name, 0, ir::DistKind::Uniform, {-pi, pi});
    int32_t s1 = b.op(ir::Op::Sin, b.par(0));
    int32_t s2 = b.node(ir::Op::PowInt, b.op(ir::Op::Sin, b.par(1)), -1, -1, 2);
    int32_t x34 = b.node(ir::Op::PowInt, b.par(2), -1, -1, 4);
    int32_t t3 = b.op(ir::Op::Mul, b.op(ir::Op::Mul, b.num(0.1), x34), b.op(ir::Op::Sin, b.par(0)));
    f = b.slot("f", b.op(ir::Op::Add, b.op(ir::Op::Add, s1, b.op(ir::Op::Mul, b.num(7), s2)), t3));
  }
};

} // namespace

TEST_CASE("Sobol indices of Ishigami match the analytic values", "[sobol]") {
  // Analytic (Ishigami & Homma 1990; Saltelli et al. 2008, p. 179), a = 7, b = 0.1:
  //  V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,  V1 = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,  V3 = 0,
  //  V13 = b^2 pi^8 (1/18 - 1/50);  ST1 = (V1 + V13)/V,  ST2 = V2/V,  ST3 = V13/V.
  const double pi = 3.14159265358979323846, a = 7, bb = 0.1;
  double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  double V = a * a / 8 + bb * pi4 / 5 + bb * bb * pi8 / 18 + 0.5;
  double V1 = 0.5 * (1 + bb * pi4 / 5) * (1 + bb * pi4 / 5), V2 = a * a / 8;
  double V13 = bb * bb * pi8 * (1.0 / 18 - 1.0 / 50);
  double S[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
  // Known figures: S1 = 0.3139, S2 = 0.4424, ST1 = 0.5576, ST3 = 0.2437.
  CHECK(S[0] == Approx(0.3139).margin(1e-4));
  CHECK(ST[2] == Approx(0.2437).margin(1e-4));

  Ishigami model;
  auto engine = runtime::makeInterpreter(model.b.m);
  SobolOptions o;
  o.samples = 40000;
  o.seed = 7;
  o.threads = 2;
  o.bootstrap = 100;
  o.baseParams = model.b.nominal();
  o.metricSlot = model.f;
  std::string problem;
  auto r = runSobol(model.b.m, *engine, o, problem);
  INFO(problem);
  REQUIRE(r);
  REQUIRE(r->params.size() == 3);
  CHECK(r->variance == Approx(V).epsilon(0.03));
  for (int i = 0; i < 3; ++i) {
    INFO("x" << i + 1);
    const SobolParam &p = r->params[i];
    CHECK(p.first.value == Approx(S[i]).margin(0.03));
    CHECK(p.total.value == Approx(ST[i]).margin(0.03));
    // the 95 % interval brackets the estimate and (with slack for its own noise) the truth
    CHECK(p.first.ciLow <= p.first.value);
    CHECK(p.first.value <= p.first.ciHigh);
    CHECK(p.total.ciLow - 0.01 <= ST[i]);
    CHECK(ST[i] <= p.total.ciHigh + 0.01);
  }

  SECTION("the same bits on one thread") {
    o.threads = 1;
    auto again = runSobol(model.b.m, *engine, o, problem);
    REQUIRE(again);
    for (int i = 0; i < 3; ++i) {
      CHECK(again->params[i].first.value == r->params[i].first.value);
      CHECK(again->params[i].total.ciHigh == r->params[i].total.ciHigh);
    }
  }
}

TEST_CASE("Sobol needs something that varies", "[sobol]") {
  testing::ModuleBuilder b;
  b.param("fixed", 3);
  int32_t s = b.slot("m", b.op(ir::Op::Mul, b.par(0), b.num(2)));
  auto engine = runtime::makeInterpreter(b.m);
  SobolOptions o;
  o.baseParams = b.nominal();
  o.metricSlot = s;
  std::string problem;
  CHECK_FALSE(runSobol(b.m, *engine, o, problem));
  CHECK(problem.find("no param") != std::string::npos);
}
