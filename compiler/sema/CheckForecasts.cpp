// Checker phase "forecasts": forecast declarations, growth and budgets.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

std::optional<double> Checker::constantIn(ast::Expr &e, const Dim &want, const std::string &what, const std::string &help) {
  auto c = constant(e, diag::arg::Phrase(diag::arg::Words{what}));
  if (!c)
    return std::nullopt;
  if (c->type.dim != want) {
    diag::report<diag::msg::MustBeDimension>(Diags, e.range, diag::arg::Words{what}, diag::arg::Words{M.units.phrase(want)},
                                              diag::arg::Words{M.units.phrase(c->type.dim)})
        .help = help;
    return std::nullopt;
  }
  return c->value;
}

void Checker::checkForecasts() {
  Dim perTime = Dim().operator/(Dim::base(kTime));
  for (ForecastInfo &fi : M.forecasts) {
    ast::ForecastDecl &fd = *fi.decl;
    if (fd.to.year * 12 + fd.to.month < fd.from.year * 12 + fd.from.month)
      diag::report<diag::msg::ForecastEndsBeforeStart>(Diags, fd.to.range)
          .help = "write `monthly FIRST .. LAST` with FIRST before LAST";
    for (ast::RunDecl &r : fd.runs) {
      ForecastRunInfo ri;
      ri.range = r.range;
      auto sym = Symbols.find(r.pipeline.name);
      if (sym == Symbols.end() || sym->second.kind != Symbol::Pipeline) {
        std::vector<std::string> names;
        for (PipelineInfo &p : M.pipelines)
          names.push_back(p.decl->name.name);
        auto &d = diag::report<diag::msg::RunNotAPipeline>(Diags, r.pipeline.range, diag::arg::Name{r.pipeline.name});
        std::string near = closestName(r.pipeline.name, names);
        if (!near.empty())
          d.help = fmt::format("did you mean `{}`?", near);
      } else {
        ri.pipeline = sym->second.index;
      }
      auto rate = constantIn(*r.rate, perTime, "a run rate", "write runs per period, e.g. `per 4 / month`");
      if (rate)
        ri.perMonth = *rate * 730;
      if (r.growth) {
        auto g = constantIn(*r.growth, perTime, "a growth rate", "write growth per period, e.g. `growth 30% / year`");
        if (g) {
          double period = growthPeriodHours(*r.growth);
          ri.growth = *g * period;
          ri.growthPeriodMonths = period / 730;
        }
      }
      for (ast::SeasonEntry &se : r.season) {
        std::string m = se.month.name;
        std::transform(m.begin(), m.end(), m.begin(), ::tolower);
        auto it = std::find_if(std::begin(kMonths), std::end(kMonths), [&](const char *x) { return m == x; });
        if (it == std::end(kMonths)) {
          diag::report<diag::msg::NotAMonth>(Diags, se.month.range, diag::arg::Name{se.month.name})
              .help = "use jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec";
          continue;
        }
        auto f = constantIn(*se.factor, {}, "a seasonal factor", "a seasonal factor is a plain number like 1.6");
        if (f && *f < 0)
          diag::report<diag::msg::NegativeSeasonalFactor>(Diags, se.factor->range);
        else if (f)
          ri.season[it - std::begin(kMonths)] = *f;
      }
      fi.runs.push_back(ri);
    }
    for (ast::BudgetDecl &b : fd.budgets)
      checkBudget(fi, b);
  }
}

void Checker::checkBudget(ForecastInfo &fi, ast::BudgetDecl &b) {
  BudgetInfo info{b.label, 0, false, b.range};
  bool periodOk = b.period.name == "month" || b.period.name == "year";
  if (!periodOk)
    diag::report<diag::msg::BudgetPeriod>(Diags, b.period.range, diag::arg::Unit{b.period.name})
        .help = "write `budget 45_000 USD per month` or `budget 480_000 USD per year`";
  info.perYear = b.period.name == "year";
  auto c = constant(*b.amount, diag::arg::Phrase(diag::arg::Words{"a budget"}));
  if (!c)
    return;
  if (c->type.dim != M.units.money()) {
    bool perTime = c->type.dim * Dim::base(kTime) == M.units.money();
    auto &d = perTime ? diag::report<diag::msg::BudgetPeriodInAmount>(Diags, b.amount->range,
                                                                      diag::arg::Unit{M.units.currency()})
                       : diag::report<diag::msg::BudgetNotMoney>(Diags, b.amount->range, diag::arg::Unit{M.units.currency()},
                                                                diag::arg::Unit{M.units.format(c->type.dim)});
    d.help = fmt::format("write the amount in {} and the period after `per`: `budget 45_000 {} per month`",
                         M.units.currency(), M.units.currency());
    return;
  }
  if (c->value < 0) {
    diag::report<diag::msg::NegativeBudget>(Diags, b.amount->range);
    return;
  }
  info.amount = c->value;
  if (periodOk)
    fi.budgets.push_back(info);
}

double Checker::growthPeriodHours(const ast::Expr &e) const {
  if (e.kind == ast::ExprKind::Binary && e.binaryOp == ast::BinaryOp::Div &&
      e.args[1]->kind == ast::ExprKind::Name && e.args[1]->parts.size() == 1)
    if (const Unit *u = M.units.find(e.args[1]->parts[0].name))
      return u->scale;
  if (e.kind == ast::ExprKind::Number && e.unit && e.unit->factors.size() == 2 &&
      e.unit->factors[1].terms.size() == 1)
    if (const Unit *u = M.units.find(e.unit->factors[1].terms[0].name.name))
      return u->scale;
  return 8760;
}

} // namespace camp::sema::detail
