// Monthly forecasts billed like invoices: per-run costs scaled by runs, metered lines pooled per
// month or contract year, fees once a month, commitments drawn down and trued up, budgets checked.
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

std::string monthText(int year, int month) { return fmt::format("{:04}-{:02}", year, month); }

bool ForecastResult::budgetBreached() const {
  return std::any_of(budgets.begin(), budgets.end(), [](const BudgetReport &b) { return !b.breaches.empty(); });
}

namespace {

constexpr double kHoursPerMonth = 730; // LANGUAGE.md: 1 month = 730 h

size_t categoryIndex(const ir::Module &module, const std::string &name) {
  auto it = std::find(module.categories.begin(), module.categories.end(), name);
  return it == module.categories.end() ? 0 : size_t(it - module.categories.begin());
}

/// What one run of a pipeline contributes: revenue and costs that scale with runs, metered
/// quantities billed on the month's total, and fee allocations the forecast replaces.
struct RunShape {
  double revenue = 0;
  std::vector<double> scaledByCategory;
  struct Metered {
    int32_t price;
    size_t category;
    double quantity;
  };
  std::vector<Metered> metered;
  std::vector<std::pair<int32_t, size_t>> feeAllocations; // fee slot, category
};

RunShape shapeOf(const ir::Module &module, const ir::Pipeline &p, const std::vector<double> &slots) {
  RunShape s;
  s.revenue = p.revenueSlot >= 0 ? slots[size_t(p.revenueSlot)] : 0;
  s.scaledByCategory.assign(module.categories.size(), 0);
  for (size_t c = 0; c < p.categorySlots.size() && c < module.categories.size(); ++c)
    if (p.categorySlots[c] >= 0)
      s.scaledByCategory[c] = slots[size_t(p.categorySlots[c])];
  for (const ir::Stage &stage : p.stages)
    for (const ir::CostLine &line : stage.lines) {
      size_t c = categoryIndex(module, line.category);
      if (line.meteredPrice >= 0 && line.quantitySlot >= 0) {
        s.scaledByCategory[c] -= slots[size_t(line.slot)];
        s.metered.push_back({line.meteredPrice, c, slots[size_t(line.quantitySlot)]});
      } else if (!line.fees.empty()) {
        s.scaledByCategory[c] -= slots[size_t(line.slot)];
        for (int32_t fee : line.fees)
          s.feeAllocations.push_back({fee, c});
      }
    }
  return s;
}

/// Months are counted as year * 12 + (month − 1).
int absoluteMonth(int year, int month) { return year * 12 + month - 1; }

/// Contract periods of `length` months anchored at `anchor` (an absolute month).
struct Periods {
  int anchor = 0, length = 12;
  int index(int month) const {
    int d = month - anchor;
    return d >= 0 ? d / length : -((-d + length - 1) / length);
  }
  int start(int month) const { return anchor + index(month) * length; }
  int end(int month) const { return start(month) + length - 1; }
};

Periods contractYears(const ir::Module &m, int32_t card, int forecastStart, int length = 12) {
  Periods p{forecastStart, length};
  if (card >= 0) {
    const ir::Ratecard &rc = m.ratecards[size_t(card)];
    if (rc.contractMonth > 0)
      p.anchor = absoluteMonth(rc.contractYear, rc.contractMonth);
  }
  return p;
}

/// Adds `amount` to `into`, split like `weights` (all to `fallback` when they sum to zero).
void distribute(std::vector<double> &into, const std::vector<double> &weights, double amount, size_t fallback) {
  double total = 0;
  for (double w : weights)
    total += w;
  if (!(total > 0)) {
    into[fallback] += amount;
    return;
  }
  for (size_t i = 0; i < weights.size(); ++i)
    into[i] += amount * (weights[i] / total);
}

class ForecastBiller {
public:
  ForecastBiller(const ir::Module &m, const runtime::Engine &e, const std::vector<double> &params,
                 std::vector<double> slots, int32_t index)
      : M(m), E(e), Params(params), Slots(std::move(slots)), F(m.forecasts[size_t(index)]) {
    R.forecast = index;
    First = absoluteMonth(F.startYear, F.startMonth);
    Last = absoluteMonth(F.endYear, F.endMonth);
  }

  ForecastResult run() {
    for (const ir::ForecastRun &run : F.runs)
      Shapes.push_back(shapeOf(M, M.pipelines[size_t(run.pipeline)], Slots));
    collectPricesAndFees();
    collectAllowances();
    collectCommits();
    double cumulative = 0;
    for (int a = First; a <= Last; ++a) {
      ForecastMonth mo = month(a);
      cumulative += mo.profit;
      mo.cumulativeProfit = cumulative;
      R.months.push_back(std::move(mo));
    }
    checkBudgets();
    return std::move(R);
  }

private:
  double slot(int32_t s, double fallback = 0) const { return s >= 0 ? Slots[size_t(s)] : fallback; }

  void collectPricesAndFees() {
    size_t prices = M.prices.size();
    Metered.assign(prices, false);
    FirstCategory.assign(prices, 0);
    YearToDate.assign(prices, 0);
    ChargedThisYear.assign(prices, 0);
    for (const RunShape &s : Shapes) {
      for (const auto &line : s.metered) {
        if (!Metered[size_t(line.price)])
          FirstCategory[size_t(line.price)] = line.category;
        Metered[size_t(line.price)] = true;
      }
      for (auto [fee, category] : s.feeAllocations)
        if (std::none_of(Fees.begin(), Fees.end(), [&](const auto &f) { return f.first == fee; }))
          Fees.push_back({fee, category});
    }
  }

  void collectAllowances() {
    for (size_t p = 0; p < M.prices.size(); ++p) {
      const ir::Price &price = M.prices[p];
      if (!price.hasAllowance() || !Metered[p])
        continue;
      AllowanceReport a;
      a.price = int32_t(p);
      size_t dot = price.name.rfind('.');
      a.ratecard = dot == std::string::npos ? "" : price.name.substr(0, dot);
      a.name = dot == std::string::npos ? price.name : price.name.substr(dot + 1);
      a.included = slot(price.included);
      a.yearly = price.period == ir::BillingPeriod::Yearly;
      R.allowances.push_back(a);
    }
  }

  void collectCommits() {
    CardCommit.assign(M.ratecards.size(), -1);
    Spent.assign(M.ratecards.size(), 0);
    for (size_t c = 0; c < M.ratecards.size(); ++c) {
      const ir::Ratecard &rc = M.ratecards[c];
      if (!rc.commit)
        continue;
      bool used = std::any_of(rc.prices.begin(), rc.prices.end(), [&](int32_t p) { return Metered[size_t(p)]; });
      if (used)
        CardCommit[c] = 0;
    }
  }

  ForecastMonth month(int a) {
    ForecastMonth mo;
    mo.year = a / 12;
    mo.month = a % 12 + 1;
    size_t cats = M.categories.size(), prices = M.prices.size(), runs = F.runs.size();
    mo.byCategory.assign(cats, 0);
    mo.byRun.assign(runs, 0);
    mo.meteredQuantity.assign(prices, 0);
    std::vector<std::vector<double>> qtyByCategory(prices, std::vector<double>(cats, 0));
    std::vector<std::vector<double>> qtyByRun(prices, std::vector<double>(runs, 0));
    std::vector<bool> billed(prices, false);
    int m = a - First;
    for (size_t k = 0; k < runs; ++k) {
      double n = runsInMonth(F.runs[k], m, mo.month);
      mo.runs.push_back(n);
      mo.revenue += n * Shapes[k].revenue;
      for (size_t c = 0; c < cats; ++c) {
        mo.byCategory[c] += n * Shapes[k].scaledByCategory[c];
        mo.byRun[k] += n * Shapes[k].scaledByCategory[c];
      }
      for (const auto &line : Shapes[k].metered) {
        size_t p = size_t(line.price);
        mo.meteredQuantity[p] += n * line.quantity;
        qtyByCategory[p][line.category] += n * line.quantity;
        qtyByRun[p][k] += n * line.quantity;
        billed[p] = billed[p] || n > 0;
      }
    }
    std::vector<double> cardCharges(M.ratecards.size(), 0);
    std::vector<std::vector<double>> cardByCategory(M.ratecards.size(), std::vector<double>(cats, 0));
    for (size_t p = 0; p < prices; ++p) {
      if (!Metered[p])
        continue;
      double charge = charge_(p, a, mo.meteredQuantity[p], billed[p]);
      if (charge == 0)
        continue;
      distribute(mo.byCategory, qtyByCategory[p], charge, FirstCategory[p]);
      std::vector<double> runShare(runs, 0);
      distribute(runShare, qtyByRun[p], charge, 0);
      for (size_t k = 0; k < runs; ++k)
        mo.byRun[k] += runShare[k];
      if (int32_t card = M.prices[p].ratecard; card >= 0) {
        cardCharges[size_t(card)] += charge;
        distribute(cardByCategory[size_t(card)], qtyByCategory[p], charge, FirstCategory[p]);
      }
    }
    drawCommits(a, mo, cardCharges, cardByCategory);
    billFees(m, mo);
    for (double c : mo.byCategory)
      mo.cost += c;
    mo.profit = mo.revenue - mo.cost;
    noteAllowances(mo);
    return mo;
  }

  // LANGUAGE.md, Forecast: a monthly price bills the month's total; a yearly one is charged
  // g(Y_m) − g(Y_{m−1}) on the contract year's running total, its minimum trued up at year end.
  double charge_(size_t p, int a, double quantity, bool billed) {
    const ir::Price &price = M.prices[p];
    if (price.period == ir::BillingPeriod::Monthly)
      return billed ? E.evalPrice(int32_t(p), quantity, Params.data(), Slots.data()) : 0;
    Periods years = contractYears(M, price.ratecard, First);
    if (years.start(a) == a || a == First) {
      YearToDate[p] = 0;
      ChargedThisYear[p] = 0;
    }
    double before = YearToDate[p], after = before + quantity;
    double charge = 0;
    if (after != before)
      charge = E.evalGrossPrice(int32_t(p), after, Params.data(), Slots.data()) -
               E.evalGrossPrice(int32_t(p), before, Params.data(), Slots.data());
    YearToDate[p] = after;
    ChargedThisYear[p] += charge;
    bool whole = years.start(a) >= First && years.end(a) <= Last;
    if (years.end(a) == a && whole && price.minimum >= 0) {
      double trueUp = std::max(0.0, slot(price.minimum) - ChargedThisYear[p]);
      charge += trueUp;
      ChargedThisYear[p] += trueUp;
    }
    return charge;
  }

  void drawCommits(int a, ForecastMonth &mo, const std::vector<double> &charges,
                   const std::vector<std::vector<double>> &byCategory) {
    for (size_t c = 0; c < M.ratecards.size(); ++c) {
      if (CardCommit[c] < 0)
        continue;
      const ir::Commit &commit = *M.ratecards[c].commit;
      Periods periods = contractYears(M, int32_t(c), First, commit.months);
      if (periods.start(a) == a || a == First)
        startCommitPeriod(c, periods, a);
      CommitReport &rep = R.commits[size_t(CardCommit[c])];
      double amount = rep.amount, before = Spent[c], after = before + charges[c];
      double overage = std::max(0.0, after - amount) - std::max(0.0, before - amount);
      double premium = overage * slot(commit.overage);
      Spent[c] = after;
      rep.used = std::min(after, amount);
      rep.overageCost += overage + premium;
      if (!rep.exhausted && after > 0 && after >= amount)
        rep.exhausted = R.months.size();
      if (premium != 0) {
        distribute(mo.byCategory, byCategory[c], premium, categoryIndex(M, "technology"));
        mo.shared += premium;
      }
      if (periods.end(a) == a && rep.whole) {
        double unused = std::max(0.0, amount - after);
        rep.unused = unused;
        mo.byCategory[categoryIndex(M, "technology")] += unused;
        mo.shared += unused;
      }
    }
  }

  void startCommitPeriod(size_t card, const Periods &periods, int a) {
    const ir::Commit &commit = *M.ratecards[card].commit;
    CommitReport rep;
    rep.ratecard = int32_t(card);
    int from = periods.start(a), to = periods.end(a);
    rep.fromYear = from / 12, rep.fromMonth = from % 12 + 1;
    rep.toYear = to / 12, rep.toMonth = to % 12 + 1;
    rep.whole = from >= First && to <= Last;
    rep.amount = slot(commit.amount);
    CardCommit[card] = int(R.commits.size());
    R.commits.push_back(rep);
    Spent[card] = 0;
  }

  // Fees are billed once a month, not per run: fee × 1 month, or a one-off fee in the first month.
  void billFees(int m, ForecastMonth &mo) {
    for (auto [fee, category] : Fees) {
      const ir::Slot &s = M.slots[size_t(fee)];
      double amount = s.unit.isMoney ? (m == 0 ? Slots[size_t(fee)] : 0) : Slots[size_t(fee)] * kHoursPerMonth;
      mo.byCategory[category] += amount;
      mo.shared += amount;
    }
  }

  void noteAllowances(const ForecastMonth &mo) {
    for (AllowanceReport &al : R.allowances) {
      if (al.firstExceeded)
        continue;
      double q = al.yearly ? YearToDate[size_t(al.price)] : mo.meteredQuantity[size_t(al.price)];
      if (q > al.included)
        al.firstExceeded = R.months.size();
    }
  }

  void checkBudgets() {
    for (const ir::Budget &b : F.budgets) {
      BudgetReport rep{b.label, b.amount, b.perYear, {}};
      size_t step = b.perYear ? 12 : 1;
      for (size_t i = 0; i < R.months.size(); i += step) {
        size_t end = std::min(i + step, R.months.size());
        double cost = 0;
        for (size_t j = i; j < end; ++j)
          cost += R.months[j].cost;
        if (!(cost > b.amount))
          continue;
        const ForecastMonth &first = R.months[i], &last = R.months[end - 1];
        std::string period = monthText(first.year, first.month);
        if (b.perYear)
          period += ".." + monthText(last.year, last.month);
        rep.breaches.push_back({period, cost, cost - b.amount});
      }
      R.budgets.push_back(std::move(rep));
    }
  }

  const ir::Module &M;
  const runtime::Engine &E;
  const std::vector<double> &Params;
  std::vector<double> Slots;
  const ir::Forecast &F;
  ForecastResult R;
  int First = 0, Last = 0;
  std::vector<RunShape> Shapes;
  std::vector<bool> Metered;
  std::vector<size_t> FirstCategory;
  std::vector<double> YearToDate, ChargedThisYear; // per price, for `billed yearly`
  std::vector<std::pair<int32_t, size_t>> Fees;    // fee slot, category
  std::vector<int> CardCommit;                     // per card: its current CommitReport, or -1
  std::vector<double> Spent;                       // per card: metered spend in the commitment period
};

} // namespace

std::optional<ForecastResult> runForecast(const ir::Module &module, const runtime::Engine &engine,
                                          const std::vector<double> &baseParams, int32_t index,
                                          std::string &problem) {
  std::vector<double> slots;
  runtime::EvalError err;
  if (!evalAt(engine, module, baseParams, slots, &err)) {
    problem = "the model cannot be evaluated at its base values, so there is nothing to forecast";
    return std::nullopt;
  }
  return forecastAt(module, engine, baseParams, std::move(slots), index);
}

ForecastResult forecastAt(const ir::Module &module, const runtime::Engine &engine,
                          const std::vector<double> &params, std::vector<double> slots, int32_t index) {
  return ForecastBiller(module, engine, params, std::move(slots), index).run();
}

} // namespace camp::analyses
