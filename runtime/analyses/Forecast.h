// Monthly forecasts: runs per month with growth and seasons, metered lines priced on the month.
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
  std::vector<double> meteredQuantity;  // per Module::prices entry: the month's total quantity
};

struct AllowanceReport {
  int32_t price = -1;                   // index into Module::prices
  std::string ratecard, name;           // "esp", "prompt"
  double included = 0;                  // the quantity included (canonical), when known
  bool includedKnown = false;
  std::optional<size_t> firstExceeded;  // index into ForecastResult::months
};

struct ForecastResult {
  int32_t forecast = -1;
  std::vector<ForecastMonth> months;
  std::vector<AllowanceReport> allowances; // prices with an allowance that some run meters
};

/// Runs forecast `index` of the module at `baseParams` (LANGUAGE.md, "Forecast"). nullopt with
/// `problem` set when the base case cannot be evaluated.
std::optional<ForecastResult> runForecast(const ir::Module &module, const runtime::Engine &engine,
                                          const std::vector<double> &baseParams, int32_t index,
                                          std::string &problem);

/// How many times run `run` happens in month `m` (0 = the forecast's first month), whose
/// calendar month is `calendarMonth` (1..12): rate * (1 + g)^(m / period) * season.
double runsInMonth(const ir::ForecastRun &run, int m, int calendarMonth);

/// The included quantity of a price written `R after A included`, read from its IR tree
/// (a subtraction of a constant from the quantity), when it has that shape.
std::optional<double> includedAllowance(const ir::Module &module, int32_t price);

} // namespace camp::analyses
