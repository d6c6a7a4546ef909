// The syntax tree of one .camp file: plain structs, source ranges, and slots the checker fills in.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Source.h"

namespace camp::ast {

struct Ident {
  std::string name;
  SourceRange range;
};

/// One written unit name with its power: `h`, `h^2`, `email` (negative power after `/`).
struct UnitTerm {
  Ident name;
  int power = 1;
};

/// One piece of a unit suffix: the leading `USD`, or what follows a `/`: `h`, `(1000 email)`.
struct UnitFactor {
  double number = 1;          // `(1000 email)` has number 1000
  std::vector<UnitTerm> terms;
  bool denominator = false;
  bool grouped = false;       // written in parentheses
  SourceRange range;
};

struct UnitSuffix {
  std::vector<UnitFactor> factors;
  SourceRange range;
};

enum class ExprKind { Number, Name, Call, PriceCall, Unary, Binary, If };
enum class UnaryOp { Neg, Not };
enum class BinaryOp { Add, Sub, Mul, Div, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or };

const char *spelling(BinaryOp op);

/// What a name in an expression turned out to be (filled in by the checker).
enum class RefKind { Unresolved, Param, Let, Fee, Unit, PipelineResult, StageResult, PipelineLet };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  SourceRange range;
  // Number
  double number = 0;
  bool percent = false;
  std::optional<UnitSuffix> unit;
  // Name: a.b.c; Call: callee in parts[0]; PriceCall: card in parts[0], price in parts[1]
  std::vector<Ident> parts;
  std::vector<ExprPtr> args;   // Call/PriceCall arguments; Unary: [operand]; Binary: [lhs, rhs]; If: [c, t, e]
  UnaryOp unaryOp = UnaryOp::Neg;
  BinaryOp binaryOp = BinaryOp::Add;
  SourceRange opRange;

  Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
};

struct Distribution {
  Ident name;
  std::vector<ExprPtr> args;
  std::vector<ExprPtr> weights; // discrete(v: p, …); nullptr entries elsewhere
  SourceRange range;
};

struct ParamDecl {
  Ident name;
  ExprPtr value;
  ExprPtr lo, hi;
  std::optional<Distribution> dist;
  std::string doc;
  SourceRange range;
};

struct LetDecl {
  Ident name;
  ExprPtr value;
  std::string doc;
  SourceRange range;
};

struct Tier {
  ExprPtr bound; // nullptr for `above:`
  ExprPtr rate;
  ExprPtr fee;   // `plus F`: a flat fee on entering the tier, or nullptr
  SourceRange range;
};

enum class PriceScheme { Flat, Graduated, Volume, Package };

/// The period over which a price's tiers, packages, allowance, minimum and maximum apply.
enum class BillingPeriod { Monthly, Yearly };

/// A term written after the pricing: `discount D`, `minimum M`, `maximum C`, `billed P`.
struct PriceTerm {
  enum Kind { Discount, Minimum, Maximum, Billed } kind;
  SourceRange range;  // the whole term, keyword included
};

struct PriceDecl {
  Ident name;
  UnitSuffix argUnit;
  PriceScheme scheme = PriceScheme::Flat;
  ExprPtr rate;        // Flat: the rate; Package: the price of one package
  ExprPtr packageSize; // Package: N
  ExprPtr allowance;   // Flat or Package with `after … included`
  std::vector<Tier> tiers;
  ExprPtr discount, minimum, maximum;
  BillingPeriod period = BillingPeriod::Monthly;
  Ident periodWord;    // as written after `billed` (empty when not written)
  std::vector<PriceTerm> terms; // in the order written
  std::string doc;
  SourceRange range;
};

struct FeeDecl {
  Ident name;
  ExprPtr value;
  std::string doc;
  SourceRange range;
};

/// `commit A per year|month [overage P]`: a spend commitment on the card's metered usage.
struct CommitDecl {
  ExprPtr amount;
  Ident period;        // `year` or `month` as written
  ExprPtr overage;     // the premium on spending beyond the commitment, or nullptr
  SourceRange range;
};

struct Date {
  int year = 0, month = 0, day = 0; // day 0: a month
  SourceRange range;
};

struct RatecardDecl {
  Ident name;
  std::string title;
  std::vector<FeeDecl> fees;
  std::vector<PriceDecl> prices;
  std::vector<ExprPtr> discounts;      // `discount D` (more than one is reported by the checker)
  std::vector<CommitDecl> commits;     // likewise
  std::vector<Date> contractFrom;      // likewise
  std::string doc;
  SourceRange range;
};

struct CostLineDecl {
  Ident category;
  std::string label;
  ExprPtr value;
  SourceRange range;
};

struct StageDecl {
  Ident name;
  std::string title;
  std::vector<Ident> inputs;
  std::vector<ExprPtr> outputs; // more than one is reported by the checker
  std::vector<CostLineDecl> lines;
  std::string doc;
  SourceRange range, openBrace;
};

struct RevenueDecl {
  std::string label;
  ExprPtr value;
  SourceRange range;
};

struct PipelineDecl {
  Ident name;
  std::string title;
  std::vector<StageDecl> stages;
  std::vector<LetDecl> lets;
  std::vector<RevenueDecl> revenues;
  std::string doc;
  SourceRange range;
};

struct Override {
  Ident param;
  ExprPtr value;
  SourceRange range;
};

struct ScenarioDecl {
  Ident name;
  std::string title;
  std::vector<Override> overrides;
  std::string doc;
  SourceRange range;
};

struct AssertDecl {
  ExprPtr cond;
  std::string text;    // the condition as written
  std::string message;
  SourceRange range;
};

struct SeasonEntry {
  Ident month;
  ExprPtr factor;
};

struct RunDecl {
  Ident pipeline;
  ExprPtr rate, growth;
  std::vector<SeasonEntry> season;
  SourceRange range;
};

/// `budget ["label"] AMOUNT per month|year`: a cap on a forecast's total cost per period.
struct BudgetDecl {
  std::string label;
  ExprPtr amount;
  Ident period;
  SourceRange range;
};

struct ForecastDecl {
  Ident name;
  std::string title;
  Date from, to;
  std::vector<RunDecl> runs;
  std::vector<BudgetDecl> budgets;
  std::string doc;
  SourceRange range;
};

/// `correlate a, b = r`
struct CorrelateDecl {
  Ident a, b;
  ExprPtr value;
  SourceRange range;
};

struct ModelDecl {
  std::string title;
  SourceRange range;
};

struct ImportDecl {
  std::string path;
  SourceRange range;
};

/// Everything declared in one file, each kind in the order written.
struct File {
  int32_t fileId = -1;
  std::vector<ModelDecl> models;
  std::vector<Ident> currencies;
  std::vector<ImportDecl> imports;
  std::vector<Ident> units;
  std::vector<Ident> categories;
  std::vector<ParamDecl> params;
  std::vector<LetDecl> lets;
  std::vector<RatecardDecl> ratecards;
  std::vector<PipelineDecl> pipelines;
  std::vector<ScenarioDecl> scenarios;
  std::vector<AssertDecl> asserts;
  std::vector<ForecastDecl> forecasts;
  std::vector<CorrelateDecl> correlations;
};

} // namespace camp::ast
