// Monthly forecasts billed like invoices: runs per month, pooled metered usage per month and
// contract year, fees once a month, commitments drawn down, budgets checked (LANGUAGE.md, Forecast).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

struct ForecastMonth {
  int year = 0, month = 1;              // calendar month, 1..12
  std::vector<double> runs;             // per ir::Forecast::runs entry
  double cost = 0, revenue = 0, profit = 0, cumulativeProfit = 0;
  std::vector<double> byCategory;       // parallel to Module::categories
  std::vector<double> byRun;            // cost per ir::Forecast::runs entry (bills shared by quantity)
  double shared = 0;                    // cost of no one run: fees and unused commitments
  std::vector<double> meteredQuantity;  // per Module::prices entry: the month's total quantity
};

struct AllowanceReport {
  int32_t price = -1;                   // index into Module::prices
  std::string ratecard, name;           // "esp", "prompt"
  double included = 0;                  // the quantity included per billing period (canonical)
  bool yearly = false;                  // the allowance is per contract year
  std::optional<size_t> firstExceeded;  // index into ForecastResult::months
};

/// One period of a rate card's spend commitment, as far as the forecast covers it.
struct CommitReport {
  int32_t ratecard = -1;                // index into Module::ratecards
  int fromYear = 0, fromMonth = 1, toYear = 0, toMonth = 1; // the whole period
  bool whole = false;                   // the period lies wholly inside the forecast
  double amount = 0, used = 0;          // used: drawn from the commitment so far
  double overageCost = 0;               // spend beyond the commitment, premium included
  std::optional<double> unused;         // charged in the period's last month (whole periods only)
  std::optional<size_t> exhausted;      // month index in which the commitment ran out
};

struct BudgetBreach {
  std::string period;                   // "2027-11" or "2027-01..2027-12"
  double cost = 0, over = 0;
};

struct BudgetReport {
  std::string label;
  double limit = 0;
  bool perYear = false;
  std::vector<BudgetBreach> breaches;
};

struct ForecastResult {
  int32_t forecast = -1;
  std::vector<ForecastMonth> months;
  std::vector<AllowanceReport> allowances; // prices with an allowance that some run meters
  std::vector<CommitReport> commits;
  std::vector<BudgetReport> budgets;
  bool budgetBreached() const;
};

/// Runs forecast `index` of the module at `baseParams`. nullopt with `problem` set when the base
/// case cannot be evaluated.
std::optional<ForecastResult> runForecast(const ir::Module &module, const runtime::Engine &engine,
                                          const std::vector<double> &baseParams, int32_t index,
                                          std::string &problem);

/// The same from slots already evaluated at `params` (every slot of the module); never fails.
ForecastResult forecastAt(const ir::Module &module, const runtime::Engine &engine,
                          const std::vector<double> &params, std::vector<double> slots, int32_t index);

/// How many times run `run` happens in month `m` (0 = the forecast's first month), whose
/// calendar month is `calendarMonth` (1..12): rate * (1 + g)^(m / period) * season.
double runsInMonth(const ir::ForecastRun &run, int m, int calendarMonth);

/// "2026-04": a calendar month as the reports write it.
std::string monthText(int year, int month);

} // namespace camp::analyses
