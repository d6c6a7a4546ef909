// Forecast months against hand-computed figures, including a tier crossing and an allowance.
#include <catch2/catch.hpp>

#include <cmath>

#include "ModuleBuilder.h"
#include "analyses/Forecast.h"

using namespace camp;
using namespace camp::analyses;

namespace {

/// One pipeline, run 2 times a month growing 30 %/year, December x1.5. Each run sends
/// 300,000 emails (graduated: 0.90 per 1000 up to 1M, 0.60 up to 5M, 0.40 above), uses 3,000
/// prompts (0.02 each after 10,000 included), 1,000 USD of labour, and earns 2,000 USD.
struct Model {
  testing::ModuleBuilder b;
  Model() {
    ir::Op Min = ir::Op::Min, Max = ir::Op::Max, Sub = ir::Op::Sub, Mul = ir::Op::Mul,
           Add = ir::Op::Add;
    ir::Price send;
    send.name = "esp.send";
    int32_t t1 = b.op(Mul, b.num(0.0009), b.op(Min, b.arg(), b.num(1e6)));
    int32_t t2 = b.op(Mul, b.num(0.0006),
                      b.op(Max, b.num(0), b.op(Sub, b.op(Min, b.arg(), b.num(5e6)), b.num(1e6))));
    int32_t t3 = b.op(Mul, b.num(0.0004), b.op(Max, b.num(0), b.op(Sub, b.arg(), b.num(5e6))));
    send.root = b.op(Add, b.op(Add, t1, t2), t3);
    b.m.prices.push_back(send);
    ir::Price prompt;
    prompt.name = "esp.prompt";
    prompt.included = b.slot("esp.prompt.included", b.num(10000), ir::SlotKind::PriceTerm);
    prompt.root = b.op(Mul, b.num(0.02), b.op(Max, b.num(0), b.op(Sub, b.arg(), b.num(10000))));
    b.m.prices.push_back(prompt);

    int32_t emails = b.slot("emails", b.num(300000));
    int32_t prompts = b.slot("prompts", b.num(3000));
    int32_t lSend = b.slot("#l1", b.call(0, b.ref(emails)), ir::SlotKind::CostLine);
    int32_t lPrompt = b.slot("#l2", b.call(1, b.ref(prompts)), ir::SlotKind::CostLine);
    int32_t lLabor = b.slot("#l3", b.num(1000), ir::SlotKind::CostLine);
    ir::Pipeline p;
    p.name = "spring";
    ir::Stage st;
    st.name = "execute";
    st.lines.push_back({"media", "Email sends", lSend, 0, emails, 0});
    st.lines.push_back({"technology", "GenAI", lPrompt, 1, prompts, 0});
    st.lines.push_back({"labor", "Team", lLabor, -1, -1, 0});
    p.stages.push_back(st);
    int32_t zero = b.slot("#zero", b.num(0), ir::SlotKind::PipelineCategory);
    p.categorySlots = {lLabor, lPrompt, zero, zero, lSend};
    p.costSlot = b.slot("spring.cost",
                        b.op(Add, b.op(Add, b.ref(lSend), b.ref(lPrompt)), b.ref(lLabor)),
                        ir::SlotKind::PipelineCost);
    p.revenueSlot = b.slot("spring.revenue", b.num(2000), ir::SlotKind::PipelineRevenue);
    b.m.pipelines.push_back(p);

    ir::Forecast f;
    f.name = "factory";
    f.startYear = 2026, f.startMonth = 1, f.endYear = 2026, f.endMonth = 12;
    ir::ForecastRun run;
    run.pipeline = 0;
    run.perMonth = 2;
    run.growth = 0.30;
    run.season[11] = 1.5;
    f.runs.push_back(run);
    b.m.forecasts.push_back(f);
  }
};

// A second, direct formulation of the rate card, for every month.
double sendBill(double q) {
  double bill = 0.0009 * std::min(q, 1e6);
  if (q > 1e6)
    bill += 0.0006 * (std::min(q, 5e6) - 1e6);
  if (q > 5e6)
    bill += 0.0004 * (q - 5e6);
  return bill;
}

} // namespace

TEST_CASE("forecast months by hand", "[forecast]") {
  Model m;
  auto engine = runtime::makeInterpreter(m.b.m);
  std::string problem;
  auto r = runForecast(m.b.m, *engine, m.b.nominal(), 0, problem);
  INFO(problem);
  REQUIRE(r);
  REQUIRE(r->months.size() == 12);

  // January: 2 runs, 600,000 emails -> 600 * 0.90 = 540; 6,000 prompts are all included;
  // labour 2,000; cost 2,540; revenue 4,000; profit 1,460.
  const ForecastMonth &jan = r->months[0];
  CHECK(jan.year == 2026);
  CHECK(jan.month == 1);
  CHECK(jan.runs[0] == 2);
  CHECK(jan.byCategory[4] == Approx(540));
  CHECK(jan.byCategory[1] == 0);
  CHECK(jan.byCategory[0] == Approx(2000));
  CHECK(jan.cost == Approx(2540));
  CHECK(jan.profit == Approx(1460));

  // December (m = 11): runs = 2 * 1.3^(11/12) * 1.5 = 3.815657; emails 1,144,697.1 cross the
  // 1M tier: 900 + 0.60 * 144.6971 = 986.8183 (pricing each run alone would give
  // 3.815657 * 270 = 1,030.23); prompts 11,446.97 exceed the 10,000 included: 28.9394.
  const ForecastMonth &dec = r->months[11];
  CHECK(dec.runs[0] == Approx(3.8156569983967543).epsilon(1e-12));
  CHECK(dec.byCategory[4] == Approx(986.8182597114157).epsilon(1e-12));
  CHECK(dec.byCategory[1] == Approx(28.93941990380525).epsilon(1e-12));
  CHECK(dec.byCategory[0] == Approx(3815.6569983967543).epsilon(1e-12));
  CHECK(dec.revenue == Approx(7631.3139967935085).epsilon(1e-12));

  // Every month by the direct formula, and the running total.
  double cumulative = 0;
  for (int k = 0; k < 12; ++k) {
    double runs = 2 * std::pow(1.3, k / 12.0) * (k == 11 ? 1.5 : 1.0);
    double cost = sendBill(runs * 300000) + 0.02 * std::max(0.0, runs * 3000 - 10000) + runs * 1000;
    double profit = runs * 2000 - cost;
    cumulative += profit;
    INFO("month " << k + 1);
    CHECK(r->months[k].cost == Approx(cost).epsilon(1e-12));
    CHECK(r->months[k].cumulativeProfit == Approx(cumulative).epsilon(1e-12));
  }

  // November has 2 * 1.3^(10/12) * 3000 = 7,466 prompts: still included; December is first.
  REQUIRE(r->allowances.size() == 1);
  CHECK(r->allowances[0].ratecard == "esp");
  CHECK(r->allowances[0].name == "prompt");
  CHECK_FALSE(r->allowances[0].yearly);
  CHECK(r->allowances[0].included == 10000);
  REQUIRE(r->allowances[0].firstExceeded);
  CHECK(*r->allowances[0].firstExceeded == 11);
}

TEST_CASE("runs per month follow rate x (1+g)^(m/12) x season", "[forecast]") {
  ir::ForecastRun run;
  run.perMonth = 4;
  run.growth = 0.30;
  run.season[10] = 1.6;
  CHECK(runsInMonth(run, 0, 1) == 4);
  CHECK(runsInMonth(run, 12, 1) == Approx(5.2));        // one year on: 4 * 1.3
  CHECK(runsInMonth(run, 10, 11) == Approx(4 * std::pow(1.3, 10.0 / 12) * 1.6));
  // ten years at 30 % a year: 1.3^9 = 10.6 between the first months of 2025 and 2034
  CHECK(runsInMonth(run, 108, 1) / runsInMonth(run, 0, 1) == Approx(10.604499373));
}
