// The checked model: every name resolved, every expression typed, values in evaluation order.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/Ast.h"
#include "sema/Units.h"

namespace camp::sema {

struct Type {
  enum Kind { Number, Bool, Error } kind = Error;
  Dim dim;
  static Type number(Dim d) { return {Number, std::move(d)}; }
  static Type boolean() { return {Bool, {}}; }
  static Type error() { return {Error, {}}; }
  bool isError() const { return kind == Error; }
};

/// How a value prefers to be shown: the unit it was written in, when there is one.
struct Written {
  std::string text;  // "USD/(1000 impression)"; empty: show in canonical units
  double scale = 1;
  bool percent = false;
};

enum class ValueKind {
  Let, Fee, PipelineLet, CostLine, StageOutput, Revenue, MeteredQuantity,
  MeteredTotal, Bill, // one price's pooled quantity and bill in one pipeline run
  StageCost, PipelineCategory, PipelineCost, PipelineRevenue, PipelineProfit, PipelineRoi
};

/// Something computed: a let, fee, line, output, or a pipeline/stage total.
struct Value {
  ValueKind kind = ValueKind::Let;
  std::string name;             // "emails", "spring.cost", "spring.execute \"Email sends\""
  ast::Expr *expr = nullptr;    // nullptr for totals
  SourceRange range;
  int pipeline = -1, stage = -1, line = -1, category = -1;
  int card = -1;                // Fee: its rate card; MeteredTotal/Bill: the price
  Type type;
  Written written;
  std::vector<int> deps;        // value ids read
  int state = 0;                // 0 new, 1 typing, 2 typed
};

/// What a name or call in an expression refers to.
struct ExprInfo {
  Type type;
  ast::RefKind ref = ast::RefKind::Unresolved;
  int index = -1;               // param index, value id, or price index (PriceCall)
  double unitScale = 1;         // Number: canonical = number * unitScale; Unit ref: the scale
};

struct ParamInfo {
  ast::ParamDecl *decl = nullptr;
  std::string name, doc;
  double nominal = 0;
  Type type;
  Written written;
  std::optional<std::pair<double, double>> range;
  int distKind = 0;             // ir::DistKind
  std::vector<double> distArgs, distWeights;
};

struct PriceInfo {
  ast::PriceDecl *decl = nullptr;
  int card = -1;                // index into Model::ratecards
  std::string name;             // "esp.send"
  Unit argUnit;
  std::string argText;
  std::vector<int> deps;        // values read by its rates
};

struct RatecardInfo {
  ast::RatecardDecl *decl = nullptr;
  std::string name;
  ast::Expr *discount = nullptr;       // `discount D`, checked dimensionless in [0, 1]
  ast::CommitDecl *commit = nullptr;
  int commitMonths = 12;               // the commitment's period
  int contractMonth = 0;               // 1..12 from `contract from`, 0: the forecast's first month
  int contractYear = 0;
  std::vector<int> fees;               // value ids
  std::vector<int> prices;             // indices into Model::prices
  std::vector<int> deps;               // values read by the discount and commit
};

/// All metered lines of one price in one pipeline: billed together on their summed quantity.
struct BillInfo {
  int price = -1;
  std::vector<int> lines;              // CostLine value ids
  std::vector<int> quantities;         // their MeteredQuantity value ids
  int total = -1, bill = -1;           // MeteredTotal and Bill value ids (only with 2+ lines)
};

struct StageInfo {
  ast::StageDecl *decl = nullptr;
  std::vector<int> inputs;      // stage indices
  std::vector<int> lines;       // value ids (CostLine)
  std::vector<int> meteredQuantity; // per line: MeteredQuantity value id or -1
  std::vector<int> meteredPrice;    // per line: price index or -1
  int output = -1, cost = -1;   // value ids
};

struct PipelineInfo {
  ast::PipelineDecl *decl = nullptr;
  std::vector<StageInfo> stages;
  std::vector<int> revenues;    // value ids
  std::vector<std::pair<std::string, int>> lets;
  std::vector<int> categoryTotals; // parallel to Model::categories
  std::vector<BillInfo> bills;  // one per price metered in this pipeline, in order of first use
  int cost = -1, revenue = -1, profit = -1, roi = -1;
};

struct ScenarioInfo {
  std::string name, title;
  std::vector<std::pair<int, double>> overrides;
  SourceRange range;
};

struct AssertInfo {
  ast::AssertDecl *decl = nullptr;
  Written lhs, rhs;             // how to show both sides of a comparison
};

struct ForecastRunInfo {
  int pipeline = -1;
  double perMonth = 0, growth = 0, growthPeriodMonths = 12;
  double season[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  SourceRange range;
};

struct BudgetInfo {
  std::string label;
  double amount = 0;            // in the currency
  bool perYear = false;
  SourceRange range;
};

struct ForecastInfo {
  ast::ForecastDecl *decl = nullptr;
  std::vector<ForecastRunInfo> runs;
  std::vector<BudgetInfo> budgets;
};

/// `correlate a, b = r`, checked: two distinct uncertain params and r in [-1, 1].
struct CorrelationInfo {
  int a = -1, b = -1;
  double r = 0;
  SourceRange range;
};

struct Model {
  std::string title;
  UnitTable units;
  std::vector<std::string> categories;
  std::vector<ParamInfo> params;
  std::vector<PriceInfo> prices;
  std::vector<RatecardInfo> ratecards;
  std::vector<Value> values;
  std::vector<int> order;       // value ids in evaluation order
  std::vector<PipelineInfo> pipelines;
  std::vector<std::pair<std::string, int>> shownValues; // top-level lets and fees
  std::vector<ScenarioInfo> scenarios;
  std::vector<AssertInfo> asserts;
  std::vector<ForecastInfo> forecasts;
  std::vector<CorrelationInfo> correlations;
  std::unordered_map<const ast::Expr *, ExprInfo> exprs;
};

} // namespace camp::sema
