// Tests of tornado, sweeps and break-even on a hand-solved revenue model.
#include <catch2/catch.hpp>

#include "ModuleBuilder.h"
#include "analyses/Sensitivity.h"

using namespace camp;
using namespace camp::analyses;

namespace {

/// profit = n * conv * aov - 1500, n = 1000 (no range: +-20 %), conv = 2 % in [1 %, 5 %],
/// aov ~ normal(50, 10).
struct Model {
  testing::ModuleBuilder b;
  int32_t n, conv, aov, profit;
  Model() {
    n = b.param("n", 1000);
    conv = b.param("conv", 0.02);
    b.m.params[conv].range = {0.01, 0.05};
    aov = b.param("aov", 50, ir::DistKind::Normal, {50, 10});
    int32_t revenue = b.op(ir::Op::Mul, b.op(ir::Op::Mul, b.par(n), b.par(conv)), b.par(aov));
    profit = b.slot("profit", b.op(ir::Op::Sub, revenue, b.num(1500)));
  }
};

} // namespace

TEST_CASE("tornado swings by hand", "[tornado]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  std::string problem;
  auto r = runTornado(m.b.m, *engine, m.b.nominal(), m.profit, problem);
  REQUIRE(r);
  // base: 1000 * 0.02 * 50 - 1500 = -500
  CHECK(r->base == Approx(-500));
  REQUIRE(r->bars.size() == 3);
  // conv 1 %..5 %: -1000 .. 1000, swing 2000
  CHECK(r->bars[0].param == m.conv);
  CHECK(r->bars[0].source == SwingSource::Range);
  CHECK(r->bars[0].metricLow == Approx(-1000));
  CHECK(r->bars[0].metricHigh == Approx(1000));
  CHECK(r->bars[0].swing == Approx(2000));
  // aov P10/P90 = 50 -+ 10 * 1.2815515655446004; swing 20 * 2 * 12.815515655446004 = 512.62
  CHECK(r->bars[1].param == m.aov);
  CHECK(r->bars[1].source == SwingSource::Percentiles);
  CHECK(r->bars[1].low == Approx(37.184484344553996));
  CHECK(r->bars[1].swing == Approx(512.6206262178402));
  // n 800..1200: -700 .. -300, swing 400
  CHECK(r->bars[2].param == m.n);
  CHECK(r->bars[2].source == SwingSource::PlusMinus20);
  CHECK(r->bars[2].metricLow == Approx(-700));
  CHECK(r->bars[2].swing == Approx(400));
}

TEST_CASE("break-even by hand", "[breakeven]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  auto [lo, hi] = defaultSearchInterval(m.b.m, m.b.nominal(), m.conv);
  CHECK(lo == 0.01);
  CHECK(hi == 0.05);
  // 1000 * conv * 50 = 1500  =>  conv = 3 %
  BreakevenResult r = runBreakeven(m.b.m, *engine, m.b.nominal(), m.conv, m.profit, 0, lo, hi);
  CHECK(r.found);
  CHECK(r.value == Approx(0.03).epsilon(1e-12));
  CHECK(r.crossings == 1);
  // a target of 5000 needs conv = 6500 / 50000 = 13 %, outside [1 %, 5 %]
  BreakevenResult none = runBreakeven(m.b.m, *engine, m.b.nominal(), m.conv, m.profit, 5000, lo, hi);
  CHECK_FALSE(none.found);
  CHECK(none.metricAtHi == Approx(1000));
  // aov: 1000 * 0.02 * aov = 1500 => aov = 75, inside normal's 0.1 %..99.9 % (19.1 .. 80.9)
  auto [alo, ahi] = defaultSearchInterval(m.b.m, m.b.nominal(), m.aov);
  BreakevenResult a = runBreakeven(m.b.m, *engine, m.b.nominal(), m.aov, m.profit, 0, alo, ahi);
  CHECK(a.found);
  CHECK(a.value == Approx(75).epsilon(1e-12));
}

TEST_CASE("a 2-D sweep fills the grid row by row", "[sweep]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  SweepAxis conv{m.conv, 0.01, 0.05, 5}, aov{m.aov, 40, 60, 3};
  SweepResult r = runSweep(m.b.m, *engine, m.b.nominal(), {conv, aov}, m.profit);
  REQUIRE(r.values.size() == 15);
  // row 0: conv 1 %: 10 * aov - 1500 = -1100, -1000, -900
  CHECK(r.values[0] == Approx(-1100));
  CHECK(r.values[2] == Approx(-900));
  // row 4: conv 5 %: 50 * 60 - 1500 = 1500
  CHECK(r.values[14] == Approx(1500));
  SweepResult one = runSweep(m.b.m, *engine, m.b.nominal(), {conv}, m.profit);
  REQUIRE(one.values.size() == 5);
  CHECK(one.values[2] == Approx(0).margin(1e-9)); // conv 3 % at aov 50: 1000 * 0.03 * 50 - 1500
  CHECK(one.values[4] == Approx(1000));            // conv 5 %: 2500 - 1500
}
