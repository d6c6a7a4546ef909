// Renders a RunResult as the camp.run/1 JSON contract, a cost-breakdown table, or CSV.
#pragma once

#include <string>

#include "camp/Results.h"

namespace camp::runtime {

struct TableOptions {
  bool colour = false;
  bool unicode = true; // ✓/✗ and box-drawing; ASCII otherwise
};

std::string renderJson(const RunResult &r);
std::string renderTable(const RunResult &r, const TableOptions &opts);
/// One row per cost line: scenario,pipeline,stage,category,label,cost,currency.
std::string renderCsv(const RunResult &r);

/// A value in its display unit, e.g. "1,400,000 email", "12 USD/(1000 impression)", "2.5%".
std::string formatValue(double canonical, const ir::DisplayUnit &unit);
std::string formatMoney(double amount);

} // namespace camp::runtime
