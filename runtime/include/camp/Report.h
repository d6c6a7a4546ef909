// Renders a RunResult as the camp.run/1 JSON contract, a cost-breakdown table, or CSV.
#pragma once

#include <string>
#include <vector>

#include "camp/Results.h"

namespace camp::runtime {

struct TableOptions {
  bool colour = false;
  bool unicode = true; // ✓/✗ and box-drawing; ASCII otherwise
};

std::string renderJson(const RunResult &r);
std::string renderTable(const RunResult &r, const TableOptions &opts);
/// One row per cost line and per revenue line:
/// scenario,pipeline,kind,stage,category,label,amount,currency (kind: cost or revenue).
std::string renderCsv(const RunResult &r);

/// Cost, revenue, profit and ROI of one pipeline or of all of them (ROI NaN when cost is 0).
struct Figures {
  double cost = 0, revenue = 0, profit = 0, roi = 0;
};
Figures pipelineFigures(const RunResult &r, const ir::Pipeline &p);
/// The grand total across pipelines: sums of cost and revenue; profit and ROI from the sums.
Figures totalFigures(const RunResult &r);

/// The table's content as GitHub-flavoured Markdown, for pull-request comments and wikis.
std::string renderMarkdown(const RunResult &r);

/// Scenarios side by side (`camp run --compare`): per pipeline and in total cost, revenue,
/// profit and ROI, and the params each case changes from the model's values.
/// `format`: table, markdown, json (schema camp.compare/1) or csv.
std::string renderCompare(const std::vector<RunResult> &runs, const std::string &format, const TableOptions &opts);

/// A value in its display unit, e.g. "1,400,000 email", "12 USD/(1000 impression)", "2.5%".
std::string formatValue(double canonical, const ir::DisplayUnit &unit);
std::string formatMoney(double amount);

} // namespace camp::runtime
