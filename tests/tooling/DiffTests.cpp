// camp diff: deltas of two versions of a model, checked against figures computed by hand.
#include <catch2/catch.hpp>

#include "camp/Engine.h"
#include "frontend/Compile.h"
#include "tooling/Diff.h"

using namespace camp;

namespace {

struct Evaluated {
  std::unique_ptr<Compilation> c;
  std::unique_ptr<runtime::Engine> engine;
  runtime::RunResult run;
};

std::unique_ptr<Evaluated> evaluate(const std::string &text) {
  auto e = std::make_unique<Evaluated>();
  diag::DiagnosticEngine diags;
  e->c = compileText("m.camp", text, diags);
  REQUIRE(e->c->module);
  e->engine = runtime::makeInterpreter(*e->c->module);
  e->run = runtime::evaluate(*e->c->module, *e->engine, runtime::scenarioParams(*e->c->module, -1), "base");
  return e;
}

const char *kOld = R"(model "Diff"
currency USD
unit email
param hourly = 100 USD/h
param emails = 10_000 email
pipeline p "P" {
  stage plan "Plan" {
    labor "Planning" = 10 h * hourly
  }
  stage send "Send" {
    input plan
    media "Sends" = emails * 0.02 USD/email
    technology "Old tool" = 300 USD
  }
  revenue "Orders" = emails * 0.2 USD/email
}
pipeline gone "Gone" {
  stage only { labor "X" = 1 h * hourly }
}
)";

const char *kNew = R"(model "Diff"
currency USD
unit email
param hourly = 120 USD/h
param emails = 10_000 email
param extra = 2 h
pipeline p "P" {
  stage plan "Plan" {
    labor "Planning" = 10 h * hourly
  }
  stage send "Send" {
    input plan
    media "Sends" = emails * 0.02 USD/email
    labor "QA" = extra * hourly
  }
  revenue "Orders" = emails * 0.2 USD/email
}
)";

} // namespace

TEST_CASE("diff of two versions: figures by hand", "[diff]") {
  auto o = evaluate(kOld), n = evaluate(kNew);
  tooling::ModelDelta d = tooling::diffResults(&o->run, &n->run);
  // Old p: planning 10 h × 100 = 1,000; sends 10,000 × 0.02 = 200; old tool 300 → cost 1,500.
  //        revenue 10,000 × 0.2 = 2,000; profit 500; ROI 500 / 1,500 = 1/3.
  // New p: planning 10 × 120 = 1,200; sends 200; QA 2 h × 120 = 240 → cost 1,640.
  //        revenue 2,000; profit 360; ROI 360 / 1,640 = 0.219512195…
  REQUIRE(d.pipelines.size() == 2);
  const tooling::PipelineDelta &p = d.pipelines[0];
  CHECK(p.name == "p");
  CHECK(p.status == "changed");
  CHECK(p.oldFigures->cost == Approx(1500));
  CHECK(p.newFigures->cost == Approx(1640));
  CHECK(p.oldFigures->profit == Approx(500));
  CHECK(p.newFigures->profit == Approx(360));
  CHECK(p.oldFigures->roi == Approx(1.0 / 3));
  CHECK(p.newFigures->roi == Approx(360.0 / 1640));
  REQUIRE(p.stages.size() == 2);
  CHECK(p.stages[0].status == "changed");
  CHECK(*p.stages[0].newCost - *p.stages[0].oldCost == Approx(200));
  const tooling::StageDelta &send = p.stages[1];
  CHECK(send.oldCost == Approx(500));
  CHECK(send.newCost == Approx(440));
  REQUIRE(send.lines.size() == 3); // Sends (same), QA (added), Old tool (removed)
  CHECK(send.lines[0].status == "same");
  CHECK(send.lines[1].label == "QA");
  CHECK(send.lines[1].status == "added");
  CHECK(send.lines[2].label == "Old tool");
  CHECK(send.lines[2].status == "removed");
  // Pipeline `gone`: 1 h × 100 = 100 before, absent after.
  CHECK(d.pipelines[1].status == "removed");
  CHECK(d.pipelines[1].oldFigures->cost == Approx(100));
  // Params: hourly 100 → 120 USD/h; extra added (2 h).
  REQUIRE(d.params.size() == 2);
  CHECK(d.params[0].name == "hourly");
  CHECK(*d.params[0].oldValue == Approx(100));
  CHECK(*d.params[0].newValue == Approx(120));
  CHECK(d.params[0].unit == "USD/h");
  CHECK(d.params[1].name == "extra");
  CHECK(d.params[1].status == "added");
  // Cost rise of p: 140 / 1,500 = 9.33 %.
  CHECK(tooling::costRisesAbove(d, 9).size() == 1);
  CHECK(tooling::costRisesAbove(d, 9.5).empty());
  std::string json = tooling::renderDiffJson(d);
  CHECK(json.find("\"schema\": \"camp.diff/1\"") != std::string::npos);
  CHECK(json.find("\"status\": \"removed\"") != std::string::npos);
}

TEST_CASE("diff of a model with itself says nothing changed", "[diff]") {
  auto o = evaluate(kNew), n = evaluate(kNew);
  tooling::ModelDelta d = tooling::diffResults(&o->run, &n->run);
  CHECK_FALSE(d.changed());
  CHECK(d.pipelines[0].status == "same");
}
