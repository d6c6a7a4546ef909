// The checker's state and phases, shared by the files that implement them (sema/Check*.cpp);
// private to sema. Checker.h is the public entry point.
#pragma once

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

#include "base/Strings.h"
#include "diag/Messages.h"
#include "sema/Checker.h"
#include "sema/Constant.h"

namespace camp::sema::detail {

inline constexpr const char *kBuiltinCategories[] = {"labor", "technology", "data", "content", "media"};
inline constexpr const char *kResultNames[] = {"cost", "revenue", "profit", "roi"};
inline constexpr const char *kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
inline constexpr const char *kBuiltinFunctions[] = {"min", "max", "ceil", "floor", "round", "sqrt", "exp", "ln", "pow", "abs", "sin", "cos"};

struct Symbol {
  enum Kind { Param, Let, Ratecard, Pipeline, Unit, Scenario, Forecast } kind;
  int index = -1;
  SourceRange range;
};

inline const char *symbolWord(Symbol::Kind k) {
  switch (k) {
  case Symbol::Param: return "param";
  case Symbol::Let: return "let";
  case Symbol::Ratecard: return "rate card";
  case Symbol::Pipeline: return "pipeline";
  case Symbol::Unit: return "unit";
  case Symbol::Scenario: return "scenario";
  case Symbol::Forecast: return "forecast";
  }
  return "name";
}

/// Where an expression is being checked: which pipeline's names are visible and who depends.
struct Scope {
  int pipeline = -1;
  std::vector<int> *deps = nullptr;
};

class Checker {
public:
  Checker(std::vector<ast::File> &files, const SourceManager &sm, diag::DiagnosticEngine &diags)
      : Files(files), Sm(sm), Diags(diags) {}

  std::optional<Model> run();

private:
  // ---- The driver and value ordering (sema/Checker.cpp) -----------------------------------------
  int addValue(Value v);
  void orderValues();

  // ---- Names (sema/CheckNames.cpp) --------------------------------------------------------------
  void collectHeader();
  void collectUnitsAndCategories();
  bool declare(const ast::Ident &name, Symbol::Kind kind, int index);
  void collectSymbols();
  std::string joinCategories() const;
  bool isValueName(const std::string &n, const Scope &s) const;
  Type useValue(ast::Expr &e, Scope &s, ast::RefKind ref, int id);
  Type unknownMember(const ast::Ident &member, const std::string &owner, const std::vector<std::string> &members);
  Type checkName(ast::Expr &e, Scope &s);
  static std::string joinParts(const ast::Expr &e, size_t count);
  Type unknownName(ast::Expr &e, Scope &s);

  // ---- Params (sema/CheckParams.cpp) ------------------------------------------------------------
  std::string describeNonConstant(const std::string &n) const; // "param", or "" for a unit or unknown name
  std::optional<Constant> constant(ast::Expr &e, const diag::arg::Phrase &what);
  void checkParams();
  std::optional<double> paramArg(ParamInfo &p, ast::Expr &e, const diag::arg::Phrase &what);
  void checkRange(ParamInfo &p);
  void checkDistribution(ParamInfo &p, ast::Distribution &dist);
  bool validDistribution(ParamInfo &p, ast::Distribution &dist, int kind, const std::vector<double> &a,
                         const std::vector<double> &w);

  // ---- Pipelines (sema/CheckPipelines.cpp) ------------------------------------------------------
  void createValues();
  void createPipelineValues(int p);
  void createPipelineTotals(int p);
  Type checkPipelineMember(ast::Expr &e, Scope &s, int p);
  void checkStages();
  void findStageCycles(PipelineInfo &pi);

  // ---- Pricing and contract terms (sema/CheckPricing.cpp) ---------------------------------------
  // Billing: all metered lines of one price in one pipeline run are billed once, on their summed
  // quantity, and share the bill by quantity. A lone line is its own bill; two or more get a
  // pooled quantity and bill that every one of them depends on (so a quantity that depends on its
  // own bill is a cycle).
  void createBills(int p);
  // Evaluates an already checked expression when it is made of numbers and units only (the
  // contract terms' bounds, sizes and percentages are, in practice): nullopt when it reads values.
  std::optional<double> literalValue(ast::Expr &e);
  /// A plain fraction in [0, 1] written as a percentage: a discount or an overage premium.
  void expectFraction(ast::Expr &e, Scope &scope, const char *what, bool capAtOne);
  static std::string formatPercent(double v);
  /// Reports a literal amount below zero as message M: rates, fees, prices and sizes are never negative.
  template <typename M, typename... A> void expectNonNegative(ast::Expr &e, const A &...args);
  void checkRatecards();
  void checkCommit(RatecardInfo &rc, ast::CommitDecl &c, Scope &scope);
  void checkPrices();
  template <typename QtyFn, typename MoneyFn>
  void checkPackage(PriceInfo &pr, ast::PriceDecl &d, QtyFn &expectQuantity, MoneyFn &expectMoney);
  template <typename MoneyFn>
  void checkPriceTerms(PriceInfo &pr, ast::PriceDecl &d, Scope &scope, MoneyFn &expectMoney);
  template <typename RateFn, typename QtyFn, typename MoneyFn>
  void checkTiers(PriceInfo &pr, ast::PriceDecl &d, RateFn &expectRate, QtyFn &expectQuantity, MoneyFn &expectMoney);
  // Bounds are strictly increasing and non-negative; out of order, a band would be billed twice.
  void checkBoundOrder(PriceInfo &pr, ast::Tier &t, const ast::Tier *&prevTier, std::optional<double> &prevBound);
  /// Checks `e` and reports it unless it is in `want`; true when it is.
  bool expectDim(ast::Expr &e, Scope &scope, const Dim &want, const diag::arg::Phrase &what, const std::string &wantText);
  Type checkRatecardMember(ast::Expr &e, Scope &s);
  Type checkPriceCall(ast::Expr &e, Scope &s);

  // ---- Units: values and expressions (sema/CheckUnits.cpp) --------------------------------------
  Type typeValue(int id);
  void checkValueType(Value &v);
  std::string moneyHelp(const Dim &d) const;
  Type reportCycle(int id);
  void reportCycleMembers(const std::vector<int> &members);
  Written written(const ast::Expr &e) const;
  Type record(ast::Expr &e, Type t, ast::RefKind ref = ast::RefKind::Unresolved, int index = -1, double scale = 1);
  Type checkExpr(ast::Expr &e, Scope &s);
  Type checkNumber(ast::Expr &e, Scope &s);
  /// Rewrites `N u1/u2/name/…` into `((N u1/u2) / name) / …` in place.
  void splitSuffix(ast::Expr &e, size_t at);
  Type checkUnary(ast::Expr &e, Scope &s);
  bool needNumber(const Type &t, const ast::Expr &e, const char *op);
  Type checkBinary(ast::Expr &e, Scope &s);
  void reportMismatch(ast::Expr &e, const Type &a, const Type &b);
  // "the left side is per h": what one side has that the other lacks, in words.
  std::string mismatchHelp(const Dim &a, const Dim &b) const;
  std::optional<int> integerLiteral(const ast::Expr &e);
  Type checkPow(ast::Expr &e, Scope &s);
  Type checkIf(ast::Expr &e, Scope &s);
  std::string describe(const Type &t) const;
  Type checkCall(ast::Expr &e, Scope &s);

  // ---- Scenarios and asserts (sema/CheckScenarios.cpp) ------------------------------------------
  void checkScenarios();
  void checkAsserts();

  // ---- Forecasts and budgets (sema/CheckForecasts.cpp) ------------------------------------------
  std::optional<double> constantIn(ast::Expr &e, const Dim &want, const std::string &what, const std::string &help);
  void checkForecasts();
  void checkBudget(ForecastInfo &fi, ast::BudgetDecl &b);
  // `30% / year` grows 30 % per year; the period is the unit written after `/`.
  double growthPeriodHours(const ast::Expr &e) const;

  std::vector<ast::File> &Files;
  const SourceManager &Sm;
  diag::DiagnosticEngine &Diags;
  Model M;
  SourceRange TitleRange, CurrencyRange;
  std::map<std::string, Symbol> Symbols;
  std::map<std::string, SourceRange> CategoryRanges;
  std::vector<ast::LetDecl *> TopLets;
  std::vector<ast::RatecardDecl *> Ratecards;
  std::vector<ast::ScenarioDecl *> ScenarioDecls;
  std::map<std::string, int> LetValue, FeeValue, PriceIndex;
  std::map<int, std::vector<int>> Deps;
  std::vector<int> Typing;
  std::set<int> InCycle;
};

} // namespace camp::sema::detail
