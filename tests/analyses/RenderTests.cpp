// The JSON contracts (camp.mc/1, camp.tornado/1, camp.breakeven/1, camp.forecast/1, …) field by
// field, and the small command-line helpers.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ModuleBuilder.h"
#include "analyses/Console.h"
#include "analyses/Render.h"

using namespace camp;
using namespace camp::analyses;
using nlohmann::json;

namespace {

/// profit = 100 * conv - 1, conv ~ uniform(0, 2 %) shown in %, as a share.
struct Model {
  testing::ModuleBuilder b;
  int32_t conv, profit;
  Model() {
    conv = b.param("conv", 0.01, ir::DistKind::Uniform, {0, 0.02});
    b.m.params[conv].unit.isPercentLike = true;
    profit = b.slot("p.profit", b.op(ir::Op::Sub, b.op(ir::Op::Mul, b.num(100), b.par(conv)), b.num(1)));
    b.m.slots[profit].unit = {"USD", 1.0, true, false};
    int32_t cond = b.slot("#a", b.op(ir::Op::Gt, b.ref(profit), b.num(0)), ir::SlotKind::AssertCond);
    b.m.asserts.push_back({"p.profit > 0", "must earn", cond, -1, -1, ">", 0});
  }
};

} // namespace

TEST_CASE("camp.mc/1 has every documented field", "[render]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  McOptions o;
  o.samples = 1000;
  o.baseParams = m.b.nominal();
  o.metricSlots = {m.profit};
  std::string problem;
  auto r = runMonteCarlo(m.b.m, *engine, o, problem);
  REQUIRE(r);
  json j = json::parse(mcJson(m.b.m, *r, {{"p.profit", m.profit}}));
  CHECK(j["schema"] == "camp.mc/1");
  CHECK(j["samples"] == 1000);
  CHECK(j["seed"] == 1);
  CHECK(j["partial"] == false);
  CHECK(j["percentiles"] == "exact");
  json metric = j["metrics"][0];
  for (const char *field : {"name", "unit", "mean", "sd", "stderr", "min", "max", "p5", "p10", "p50",
                            "p90", "p95", "p_negative", "histogram"})
    CHECK(metric.contains(field));
  CHECK(metric["unit"] == "USD");
  CHECK(metric["histogram"]["edges"].size() == 31);
  CHECK(metric["histogram"]["counts"].size() == 30);
  // profit < 0 exactly when conv < 1 %: about half the samples; the assert is its complement.
  double neg = metric["p_negative"], ok = j["asserts"][0]["share_ok"];
  CHECK(neg + ok == Approx(1.0));
  CHECK(j["asserts"][0]["text"] == "p.profit > 0");
  CHECK(j["asserts"][0]["message"] == "must earn");
}

TEST_CASE("camp.breakeven/1 gives a percentage as a fraction", "[render]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  BreakevenResult r = runBreakeven(m.b.m, *engine, m.b.nominal(), m.conv, m.profit, 0, 0, 0.02);
  json j = json::parse(breakevenJson(m.b.m, r, m.conv, {"p.profit", m.profit}, 0));
  CHECK(j["schema"] == "camp.breakeven/1");
  CHECK(j["param"] == "conv");
  CHECK(j["metric"] == "p.profit");
  CHECK(j["target"] == 0.0);
  CHECK(j["found"] == true);
  CHECK(double(j["value"]) == Approx(0.01)); // 100 * conv = 1
  CHECK(j.contains("unit"));
}

TEST_CASE("camp.tornado/1 and camp.sweep/1 fields", "[render]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  std::string problem;
  auto t = runTornado(m.b.m, *engine, m.b.nominal(), m.profit, problem);
  REQUIRE(t);
  json j = json::parse(tornadoJson(m.b.m, *t, {"p.profit", m.profit}));
  CHECK(j["schema"] == "camp.tornado/1");
  CHECK(j["metric"] == "p.profit");
  CHECK(double(j["base"]) == Approx(0));
  json p = j["params"][0];
  // no range: the distribution's P10/P90 = 0.2 % and 1.8 %: profit -0.8 and 0.8, swing 1.6
  CHECK(double(p["low"]) == Approx(0.002));
  CHECK(double(p["high"]) == Approx(0.018));
  CHECK(double(p["metric_low"]) == Approx(-0.8));
  CHECK(double(p["metric_high"]) == Approx(0.8));
  CHECK(double(p["swing"]) == Approx(1.6));
  SweepResult s = runSweep(m.b.m, *engine, m.b.nominal(), {{m.conv, 0, 0.02, 3}}, m.profit);
  json w = json::parse(sweepJson(m.b.m, s, {"p.profit", m.profit}));
  CHECK(w["schema"] == "camp.sweep/1");
  CHECK(w["values"].size() == 3);
  CHECK(double(w["values"][2]) == Approx(1));
}

TEST_CASE("command-line numbers and pinned params", "[console]") {
  double v = 0;
  CHECK(parsePlainNumber("1_000", v));
  CHECK(v == 1000);
  CHECK(parsePlainNumber("2.5%", v));
  CHECK(v == Approx(0.025));
  CHECK(parsePlainNumber("-3e2", v));
  CHECK(v == -300);
  CHECK_FALSE(parsePlainNumber("12 USD", v));
  CHECK_FALSE(parsePlainNumber("", v));

  Model m;
  ir::Scenario s;
  s.name = "boost";
  s.overrides = {{m.conv, 0.015}};
  m.b.m.scenarios.push_back(s);
  CHECK(pinnedParams(m.b.m, "", {}) == std::vector<bool>{false});
  CHECK(pinnedParams(m.b.m, "boost", {}) == std::vector<bool>{true});
  CHECK(pinnedParams(m.b.m, "", {"conv=1%"}) == std::vector<bool>{true});
}

TEST_CASE("tables show a value written as a percentage with a unit as a percentage", "[render]") {
  Model m;
  // conv written `1% order/click`: P10 and P90 of uniform(0, 2 %) are 0.2 % and 1.8 %.
  m.b.m.params[m.conv].unit = {"order/click", 1.0, false, false, true};
  auto engine = runtime::makeInterpreter(m.b.m);
  std::string problem;
  auto t = runTornado(m.b.m, *engine, m.b.nominal(), m.profit, problem);
  REQUIRE(t);
  std::string table = tornadoTable(m.b.m, *t, {"p.profit", m.profit}, {false, false});
  CHECK(table.find("1.8% order/click") != std::string::npos);
  CHECK(table.find("0.018") == std::string::npos);
}

TEST_CASE("the mc table says below zero only for money and plain numbers", "[render]") {
  Model m;
  int32_t count = m.b.slot("sends", m.b.op(ir::Op::Mul, m.b.num(1000), m.b.par(m.conv)));
  m.b.m.slots[count].unit = {"email", 1.0, false, false};
  auto engine = runtime::makeInterpreter(m.b.m);
  McOptions o;
  o.samples = 500;
  o.baseParams = m.b.nominal();
  o.metricSlots = {m.profit, count};
  std::string problem;
  auto r = runMonteCarlo(m.b.m, *engine, o, problem);
  REQUIRE(r);
  r->conditions = "--set x=1";
  std::string table = mcTable(m.b.m, *r, {{"p.profit", m.profit}, {"sends", count}}, {false, false});
  size_t sends = table.find("\nsends\n");
  REQUIRE(sends != std::string::npos);
  CHECK(table.find("below zero") < sends);                  // the profit has it
  CHECK(table.find("below zero", sends) == std::string::npos); // the count has not
  CHECK(table.find("(--set x=1)") != std::string::npos);
  CHECK(table.find("Latin hypercube") != std::string::npos);
}
