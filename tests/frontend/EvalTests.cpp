// Lowering and the reference interpreter: every figure below is worked out by hand in a comment.
#include <catch2/catch.hpp>

#include <cmath>

#include "TestSupport.h"

using camp::test::evaluate;

namespace {
const char *kCard = "unit msg, seat\n"
                    "ratecard v \"V\" {\n"
                    "  price grad(msg) = graduated {\n    up to 1000 msg: 1 USD/msg\n    up to 3000 msg: 0.5 USD/msg\n"
                    "    above: 0.25 USD/msg\n  }\n"
                    "  price vol(msg) = volume {\n    up to 1000 msg: 1 USD/msg\n    up to 3000 msg: 0.5 USD/msg\n"
                    "    above: 0.25 USD/msg\n  }\n"
                    "  price allow(msg) = 2 USD/msg after 50 msg included\n"
                    "  price seats(seat) = 30 USD/seat minimum 100 USD\n"
                    "  price both(msg) = graduated {\n    up to 10 msg: 3 USD/msg\n    above: 1 USD/msg\n  } minimum 40 USD\n"
                    "}\n";
}

TEST_CASE("graduated prices each slice at its own rate", "[eval]") {
  auto e = evaluate(std::string(kCard) + "let a = v.grad(500 msg)\nlet b = v.grad(1000 msg)\nlet c = v.grad(2000 msg)\n"
                                         "let d = v.grad(5000 msg)\nlet z = v.grad(0 msg)\n");
  REQUIRE(e.module);
  CHECK(e.slot("a") == 500);  // 500 × 1
  CHECK(e.slot("b") == 1000); // 1000 × 1
  CHECK(e.slot("c") == 1500); // 1000 × 1 + 1000 × 0.5
  CHECK(e.slot("d") == 2500); // 1000 + 2000 × 0.5 + 2000 × 0.25
  CHECK(e.slot("z") == 0);
}

TEST_CASE("volume prices the whole quantity at its tier's rate, bounds are inclusive", "[eval]") {
  auto e = evaluate(std::string(kCard) + "let a = v.vol(1000 msg)\nlet b = v.vol(1001 msg)\nlet c = v.vol(4000 msg)\n");
  REQUIRE(e.module);
  CHECK(e.slot("a") == 1000);   // 1000 × 1
  CHECK(e.slot("b") == 500.5);  // 1001 × 0.5
  CHECK(e.slot("c") == 1000);   // 4000 × 0.25
}

TEST_CASE("allowances and minimums", "[eval]") {
  auto e = evaluate(std::string(kCard) + "let a = v.allow(30 msg)\nlet b = v.allow(80 msg)\nlet c = v.seats(2 seat)\n"
                                         "let d = v.seats(5 seat)\nlet f = v.both(5 msg)\nlet g = v.both(40 msg)\n");
  REQUIRE(e.module);
  CHECK(e.slot("a") == 0);   // 30 < 50 included
  CHECK(e.slot("b") == 60);  // (80 − 50) × 2
  CHECK(e.slot("c") == 100); // max(2 × 30, 100)
  CHECK(e.slot("d") == 150); // 5 × 30
  CHECK(e.slot("f") == 40);  // max(5 × 3, 40)
  CHECK(e.slot("g") == 60);  // 10 × 3 + 30 × 1
}

TEST_CASE("time converts through hours and rounding takes steps", "[eval]") {
  auto e = evaluate("let q = 1 quarter / 1 week\nlet d = (2 day + 12 h) / 1 h\nlet c = ceil(7 h, 8 h) / 1 h\n"
                    "let f = floor(17 h, 8 h) / 1 h\nlet r1 = round(2.5)\nlet r2 = round(-2.5)\n"
                    "let per_day = 16 h / hours_per_day\nlet hours_per_day = 8\n");
  REQUIRE(e.module);
  CHECK(e.slot("q") == Approx(2190.0 / 168)); // 3 × 730 h / 168 h
  CHECK(e.slot("d") == 60);
  CHECK(e.slot("c") == 8);
  CHECK(e.slot("f") == 16);
  CHECK(e.slot("r1") == 3);
  CHECK(e.slot("r2") == -3);
  CHECK(e.slot("per_day") == 2); // 16 h / 8, in hours
}

TEST_CASE("integer powers multiply out, negative ones divide", "[eval]") {
  auto e = evaluate("let g = (1 + 30%) ^ 2\nlet quarter_of_one = 2 ^ -2\nlet a = (3 h) ^ 2 / (1 h * 1 h)\n");
  REQUIRE(e.module);
  CHECK(e.slot("g") == Approx(1.69));
  CHECK(e.slot("quarter_of_one") == 0.25);
  CHECK(e.slot("a") == 9);
}

TEST_CASE("only the branch taken is evaluated", "[eval]") {
  auto e = evaluate("param n = 0\nlet safe = if n > 0 then 100 USD / n else 0 USD\n"
                    "let either = if n > 0 and 1 / n > 1 then 1 else 0\n");
  REQUIRE(e.module);
  CHECK_FALSE(e.result.error);
  CHECK(e.slot("safe") == 0);
  CHECK(e.slot("either") == 0);
}

TEST_CASE("division by zero stops evaluation at the division's line", "[eval]") {
  auto e = evaluate("param n = 0\nlet per = 100 USD / n\n");
  REQUIRE(e.module);
  REQUIRE(e.result.error);
  CHECK(e.result.error->kind == camp::runtime::EvalErrorKind::DivisionByZero);
  CHECK(e.module->locs.at(size_t(e.result.error->loc)).line == 4);
}

TEST_CASE("an infinite value is an error, never a silent inf", "[eval]") {
  auto e = evaluate("let a = 1e300 USD\nlet b = a * 1e300\n");
  REQUIRE(e.module);
  REQUIRE(e.result.error);
  CHECK(e.result.error->kind == camp::runtime::EvalErrorKind::NotFinite);
  CHECK(e.module->slots.at(size_t(e.result.error->slot)).name == "b");
}

TEST_CASE("pipeline results: totals, categories, profit, ROI", "[eval]") {
  auto e = evaluate("param hourly = 80 USD/h\npipeline p {\n  stage a { labor = 10 h * hourly; media = 200 USD }\n"
                    "  stage b { input a; labor = 5 h * hourly }\n  revenue = 2_000 USD\n}\n"
                    "let share = p.labor / p.cost\n");
  REQUIRE(e.module);
  CHECK(e.slot("p.a.cost") == 1000); // 800 + 200
  CHECK(e.slot("p.b.cost") == 400);  // 5 × 80
  CHECK(e.slot("p.cost") == 1400);
  CHECK(e.slot("p.labor") == 1200);
  CHECK(e.slot("p.media") == 200);
  CHECK(e.slot("p.profit") == 600);  // 2000 − 1400
  CHECK(e.slot("p.roi") == Approx(600.0 / 1400));
  CHECK(e.slot("share") == Approx(1200.0 / 1400));
}

TEST_CASE("a zero-cost pipeline's ROI is undefined, an error only where used", "[eval]") {
  auto quiet = evaluate("pipeline p {\n  stage s { labor = 0 USD }\n  revenue = 10 USD\n}\n");
  REQUIRE(quiet.module);
  CHECK_FALSE(quiet.result.error);
  CHECK_FALSE(std::isfinite(quiet.slot("p.roi"))); // 10 USD / 0 USD
  auto used = evaluate("pipeline p {\n  stage s { labor = 0 USD }\n  revenue = 10 USD\n}\nlet r = p.roi * 2\n");
  REQUIRE(used.module);
  CHECK(used.result.error);
}

TEST_CASE("scenarios override params, values without a unit take the param's unit", "[eval]") {
  const char *model = "param rate = 100 USD/h\nparam cpm = 12 USD/(1000 impression)\nunit impression\n"
                      "let labour = 10 h * rate\nlet ads = 50_000 impression * cpm\n"
                      "scenario pricey { rate = 120 }\nscenario cheap { cpm = 9 USD/(1000 impression) }\n";
  auto base = evaluate(model, -1);
  REQUIRE(base.module);
  CHECK(base.slot("labour") == 1000); // 10 × 100
  CHECK(base.slot("ads") == Approx(600)); // 50 × 12
  auto pricey = evaluate(model, 0);
  CHECK(pricey.slot("labour") == 1200); // 10 × 120
  auto cheap = evaluate(model, 1);
  CHECK(cheap.slot("ads") == Approx(450)); // 50 × 9
}

TEST_CASE("values given with --set are checked against the param", "[eval]") {
  camp::diag::DiagnosticEngine diags;
  auto c = camp::compileText("t.camp", camp::test::withHeader("unit impression\nparam cpm = 12 USD/(1000 impression)\n"), diags);
  REQUIRE(c->module);
  auto plain = camp::parseParamValue(*c, 0, "--set cpm", "9", diags);
  REQUIRE(plain);
  CHECK(*plain == Approx(0.009)); // 9 USD per 1000 impressions, per impression
  auto full = camp::parseParamValue(*c, 0, "--set cpm", "0.01 USD/impression", diags);
  REQUIRE(full);
  CHECK(*full == Approx(0.01));
  CHECK_FALSE(camp::parseParamValue(*c, 0, "--set cpm", "9 USD", diags));
  CHECK_FALSE(camp::parseParamValue(*c, 0, "--set cpm", "9 +", diags));
}

TEST_CASE("forecast runs are lowered to runs per month and growth per period", "[eval]") {
  auto e = evaluate("pipeline p {\n  stage s { labor = 1 USD }\n}\nforecast f monthly 2026-01 .. 2034-12 {\n"
                    "  run p per 48 / year growth 30% / year seasonal { nov: 1.6, dec: 1.8 }\n}\n"
                    "forecast g monthly 2026-01 .. 2026-06 {\n  run p per 4 / month growth 2% / month\n}\n");
  REQUIRE(e.module);
  const camp::ir::ForecastRun &a = e.module->forecasts.at(0).runs.at(0);
  CHECK(a.perMonth == Approx(4)); // 48 per 8760 h, times 730 h
  CHECK(a.growth == Approx(0.3));
  CHECK(a.growthPeriodMonths == Approx(12));
  CHECK(a.season[10] == 1.6);
  CHECK(a.season[11] == 1.8);
  CHECK(a.season[0] == 1);
  const camp::ir::ForecastRun &b = e.module->forecasts.at(1).runs.at(0);
  CHECK(b.growth == Approx(0.02));
  CHECK(b.growthPeriodMonths == Approx(1));
  CHECK(e.module->forecasts.at(0).endYear == 2034);
}

TEST_CASE("a metered line records its price and quantity", "[eval]") {
  auto e = evaluate(std::string(kCard) + "pipeline p {\n  stage s { media \"Sends\" = v.grad(2000 msg); labor = 1 USD }\n}\n");
  REQUIRE(e.module);
  const camp::ir::CostLine &line = e.module->pipelines.at(0).stages.at(0).lines.at(0);
  REQUIRE(line.meteredPrice >= 0);
  CHECK(e.module->prices.at(size_t(line.meteredPrice)).name == "v.grad");
  CHECK(e.result.slots.at(size_t(line.quantitySlot)) == 2000);
  CHECK(e.result.slots.at(size_t(line.slot)) == 1500);
  CHECK(e.module->pipelines.at(0).stages.at(0).lines.at(1).meteredPrice == -1);
}
