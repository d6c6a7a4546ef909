// Monthly forecasts: per-run costs scaled by runs, metered lines re-priced on monthly totals.
#include "analyses/Forecast.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "analyses/Sampling.h"

namespace camp::analyses {

double runsInMonth(const ir::ForecastRun &run, int m, int calendarMonth) {
  double period = run.growthPeriodMonths > 0 ? run.growthPeriodMonths : 12;
  return run.perMonth * std::pow(1 + run.growth, m / period) * run.season[calendarMonth - 1];
}

std::optional<double> includedAllowance(const ir::Module &module, int32_t price) {
  // `R after A included` lowers to R * max(0, q - A): find the q - A below the price's root.
  std::vector<int32_t> todo = {module.prices[price].root};
  while (!todo.empty()) {
    int32_t i = todo.back();
    todo.pop_back();
    if (i < 0 || size_t(i) >= module.nodes.size())
      continue;
    const ir::Node &n = module.nodes[i];
    if (n.op == ir::Op::Sub && n.a >= 0 && n.b >= 0 && module.nodes[n.a].op == ir::Op::Arg &&
        module.nodes[n.b].op == ir::Op::Const)
      return module.nodes[n.b].num;
    for (int32_t child : {n.a, n.b, n.c})
      if (child >= 0 && child < i)
        todo.push_back(child);
  }
  return std::nullopt;
}

namespace {

/// What one run of a pipeline contributes, split into scaled and metered parts.
struct RunShape {
  double revenue = 0;
  std::vector<double> unmeteredByCategory;
  struct Metered {
    int32_t price;
    size_t category;
    double quantity;
  };
  std::vector<Metered> metered;
};

size_t categoryIndex(const ir::Module &module, const std::string &name) {
  auto it = std::find(module.categories.begin(), module.categories.end(), name);
  return it == module.categories.end() ? 0 : size_t(it - module.categories.begin());
}

RunShape shapeOf(const ir::Module &module, const ir::Pipeline &p, const std::vector<double> &slots) {
  RunShape s;
  s.revenue = p.revenueSlot >= 0 ? slots[p.revenueSlot] : 0;
  s.unmeteredByCategory.assign(module.categories.size(), 0);
  for (size_t c = 0; c < p.categorySlots.size() && c < module.categories.size(); ++c)
    if (p.categorySlots[c] >= 0)
      s.unmeteredByCategory[c] = slots[p.categorySlots[c]];
  for (const ir::Stage &stage : p.stages)
    for (const ir::CostLine &line : stage.lines) {
      if (line.meteredPrice < 0 || line.quantitySlot < 0)
        continue;
      size_t c = categoryIndex(module, line.category);
      s.unmeteredByCategory[c] -= slots[line.slot];
      s.metered.push_back({line.meteredPrice, c, slots[line.quantitySlot]});
    }
  return s;
}

} // namespace

std::optional<ForecastResult> runForecast(const ir::Module &module, const runtime::Engine &engine,
                                          const std::vector<double> &baseParams, int32_t index,
                                          std::string &problem) {
  const ir::Forecast &f = module.forecasts[index];
  std::vector<double> slots;
  runtime::EvalError err;
  if (!evalAt(engine, module, baseParams, slots, &err)) {
    problem = "the model cannot be evaluated at its base values, so there is nothing to forecast";
    return std::nullopt;
  }
  std::vector<RunShape> shapes;
  for (const ir::ForecastRun &run : f.runs)
    shapes.push_back(shapeOf(module, module.pipelines[run.pipeline], slots));

  ForecastResult r;
  r.forecast = index;
  size_t prices = module.prices.size(), cats = module.categories.size();
  std::vector<bool> metered(prices, false);
  std::vector<size_t> firstCategory(prices, 0);
  for (const RunShape &s : shapes)
    for (const auto &m : s.metered) {
      if (!metered[m.price])
        firstCategory[m.price] = m.category;
      metered[m.price] = true;
    }
  for (size_t p = 0; p < prices; ++p) {
    if (!module.prices[p].hasAllowance || !metered[p])
      continue;
    AllowanceReport a;
    a.price = int32_t(p);
    const std::string &full = module.prices[p].name;
    size_t dot = full.rfind('.');
    a.ratecard = dot == std::string::npos ? "" : full.substr(0, dot);
    a.name = dot == std::string::npos ? full : full.substr(dot + 1);
    if (auto inc = includedAllowance(module, int32_t(p)))
      a.included = *inc, a.includedKnown = true;
    r.allowances.push_back(a);
  }

  double cumulative = 0;
  int year = f.startYear, month = f.startMonth;
  for (int m = 0; year < f.endYear || (year == f.endYear && month <= f.endMonth); ++m) {
    ForecastMonth fm;
    fm.year = year, fm.month = month;
    fm.byCategory.assign(cats, 0);
    fm.meteredQuantity.assign(prices, 0);
    std::vector<std::vector<double>> quantityByCategory(prices, std::vector<double>(cats, 0));
    std::vector<double> runsUsing(prices, 0);
    for (size_t k = 0; k < f.runs.size(); ++k) {
      double n = runsInMonth(f.runs[k], m, month);
      fm.runs.push_back(n);
      fm.revenue += n * shapes[k].revenue;
      for (size_t c = 0; c < cats; ++c)
        fm.byCategory[c] += n * shapes[k].unmeteredByCategory[c];
      for (const auto &line : shapes[k].metered) {
        fm.meteredQuantity[line.price] += n * line.quantity;
        quantityByCategory[line.price][line.category] += n * line.quantity;
        runsUsing[line.price] += n;
      }
    }
    // A vendor bills the month's total: tiers, allowances and minimums apply to it once. The
    // bill is shared among categories by quantity (all of it to the first when none).
    for (size_t p = 0; p < prices; ++p) {
      if (!metered[p] || runsUsing[p] <= 0)
        continue;
      double q = fm.meteredQuantity[p];
      double bill = engine.evalPrice(int32_t(p), q, baseParams.data(), slots.data());
      for (size_t c = 0; c < cats; ++c) {
        double share = q > 0 ? quantityByCategory[p][c] / q : 0;
        fm.byCategory[c] += bill * share;
      }
      if (!(q > 0))
        fm.byCategory[firstCategory[p]] += bill;
    }
    for (double c : fm.byCategory)
      fm.cost += c;
    fm.profit = fm.revenue - fm.cost;
    cumulative += fm.profit;
    fm.cumulativeProfit = cumulative;
    size_t monthIndex = r.months.size();
    for (AllowanceReport &a : r.allowances) {
      if (a.firstExceeded)
        continue;
      double q = fm.meteredQuantity[a.price];
      bool exceeded = false;
      if (a.includedKnown) {
        exceeded = q > a.included;
      } else if (q > 0) {
        // Unknown shape: exceeded once one more unit costs money.
        double bill = engine.evalPrice(a.price, q, baseParams.data(), slots.data());
        double less = engine.evalPrice(a.price, q * (1 - 1e-9), baseParams.data(), slots.data());
        exceeded = bill > less;
      }
      if (exceeded)
        a.firstExceeded = monthIndex;
    }
    r.months.push_back(std::move(fm));
    if (++month > 12)
      month = 1, ++year;
  }
  return r;
}

} // namespace camp::analyses
