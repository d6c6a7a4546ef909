// The checker: collects declarations, resolves names, infers dimensions, orders values, finds cycles.
#include "sema/Checker.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <set>

#include "base/Strings.h"
#include "sema/Constant.h"

namespace camp::sema {

namespace {

const char *const kBuiltinCategories[] = {"labor", "technology", "data", "content", "media"};
const char *const kResultNames[] = {"cost", "revenue", "profit", "roi"};
const char *const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
const char *const kBuiltinFunctions[] = {"min", "max", "ceil", "floor", "round", "sqrt", "exp", "ln", "pow", "abs", "sin", "cos"};

struct Symbol {
  enum Kind { Param, Let, Ratecard, Pipeline, Unit, Scenario, Forecast } kind;
  int index = -1;
  SourceRange range;
};

const char *symbolWord(Symbol::Kind k) {
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

  std::optional<Model> run() {
    collectHeader();
    collectUnitsAndCategories();
    collectSymbols();
    createValues();
    checkParams();
    checkRatecards();
    checkPrices();
    for (size_t v = 0; v < M.values.size(); ++v)
      typeValue(int(v));
    checkStages();
    checkScenarios();
    checkAsserts();
    checkForecasts();
    checkCorrelations(Files, M, Sm, Diags);
    orderValues();
    if (Diags.hasErrors())
      return std::nullopt;
    return std::move(M);
  }

private:
  // ---- Declarations -------------------------------------------------------------------------

  void collectHeader() {
    ast::File &entry = Files.front();
    for (ast::File &f : Files) {
      for (ast::ModelDecl &md : f.models) {
        if (&f != &entry)
          continue; // an imported file's title is its own business
        if (!TitleRange.valid()) {
          M.title = md.title;
          TitleRange = md.range;
          continue;
        }
        auto &d = Diags.report(diag::Kind::ConflictingDeclaration, md.range, "a model has one title");
        d.notes.push_back({TitleRange, "the title is first given here"});
      }
      for (ast::Ident &c : f.currencies) {
        if (!CurrencyRange.valid()) {
          M.units.setCurrency(c.name);
          CurrencyRange = c.range;
          continue;
        }
        if (c.name == M.units.currency())
          continue;
        auto &d = Diags.report(diag::Kind::ConflictingDeclaration, c.range,
                               fmt::format("this file uses currency {}, but the model's currency is {}", c.name,
                                           M.units.currency()));
        d.notes.push_back({CurrencyRange, "the model's currency is declared here"});
        d.help = "a model and its imports use one currency; convert the amounts in this file";
      }
    }
    if (CurrencyRange.valid())
      return;
    if (entry.models.empty() && entry.params.empty() && entry.lets.empty() && entry.pipelines.empty() &&
        entry.imports.empty() && entry.ratecards.empty() && entry.units.empty()) {
      auto &d = Diags.report(diag::Kind::MissingCurrency, SourceRange{entry.fileId, 0, 0},
                             fmt::format("`{}` declares nothing (it is empty or holds only comments)", Sm.file(entry.fileId).path()));
      d.help = "a model starts with a title and its currency, e.g. `model \"Spring promo\"` and `currency USD`";
      return;
    }
    SourceRange at = TitleRange.valid() ? TitleRange : SourceRange{entry.fileId, 0, 0};
    auto &d = Diags.report(diag::Kind::MissingCurrency, at, "this model declares no currency");
    d.help = "add a line such as `currency USD` (any ISO-4217 code) after the model's title";
  }

  void collectUnitsAndCategories() {
    for (const char *c : kBuiltinCategories)
      M.categories.push_back(c);
    for (ast::File &f : Files) {
      for (ast::Ident &u : f.units) {
        if (!M.units.declareCount(u.name)) {
          Diags.report(diag::Kind::Redefinition, u.range,
                       fmt::format("`{}` is a built-in unit and cannot be declared again", u.name))
              .help = "pick another name for this count unit";
          continue;
        }
        if (!Symbols.count(u.name))
          Symbols[u.name] = {Symbol::Unit, -1, u.range};
      }
      for (ast::Ident &c : f.categories) {
        if (std::find(M.categories.begin(), M.categories.end(), c.name) != M.categories.end()) {
          auto &d = Diags.report(diag::Kind::Redefinition, c.range, fmt::format("category `{}` already exists", c.name));
          if (CategoryRanges.count(c.name))
            d.notes.push_back({CategoryRanges[c.name], "declared here"});
          continue;
        }
        M.categories.push_back(c.name);
        CategoryRanges[c.name] = c.range;
      }
    }
  }

  bool declare(const ast::Ident &name, Symbol::Kind kind, int index) {
    auto it = Symbols.find(name.name);
    if (it == Symbols.end() && !(kind != Symbol::Unit && M.units.isBuiltin(name.name))) {
      Symbols[name.name] = {kind, index, name.range};
      return true;
    }
    if (it == Symbols.end()) {
      Diags.report(diag::Kind::Redefinition, name.range, fmt::format("`{}` is a built-in unit", name.name)).help =
          "pick another name";
      return false;
    }
    auto &d = Diags.report(diag::Kind::Redefinition, name.range,
                           fmt::format("`{}` is already declared as a {}", name.name, symbolWord(it->second.kind)));
    d.notes.push_back({it->second.range, fmt::format("`{}` is first declared here", name.name)});
    d.help = "names are unique across a model and its imports; rename one of them";
    return false;
  }

  void collectSymbols() {
    for (ast::File &f : Files) {
      for (ast::ParamDecl &p : f.params) {
        if (!declare(p.name, Symbol::Param, int(M.params.size())))
          continue;
        ParamInfo info;
        info.decl = &p;
        info.name = p.name.name;
        info.doc = p.doc;
        M.params.push_back(std::move(info));
      }
      for (ast::LetDecl &l : f.lets)
        if (declare(l.name, Symbol::Let, int(TopLets.size())))
          TopLets.push_back(&l);
      for (ast::RatecardDecl &r : f.ratecards)
        if (declare(r.name, Symbol::Ratecard, int(Ratecards.size())))
          Ratecards.push_back(&r);
      for (ast::PipelineDecl &p : f.pipelines)
        if (declare(p.name, Symbol::Pipeline, int(M.pipelines.size()))) {
          PipelineInfo info;
          info.decl = &p;
          M.pipelines.push_back(std::move(info));
        }
      for (ast::ScenarioDecl &s : f.scenarios)
        if (declare(s.name, Symbol::Scenario, int(ScenarioDecls.size())))
          ScenarioDecls.push_back(&s);
      for (ast::ForecastDecl &fc : f.forecasts)
        if (declare(fc.name, Symbol::Forecast, int(M.forecasts.size())))
          M.forecasts.push_back({&fc, {}, {}});
      for (ast::AssertDecl &a : f.asserts)
        M.asserts.push_back({&a});
    }
  }

  int addValue(Value v) {
    M.values.push_back(std::move(v));
    return int(M.values.size()) - 1;
  }

  void createValues() {
    for (ast::LetDecl *l : TopLets) {
      int id = addValue({ValueKind::Let, l->name.name, l->value.get(), l->name.range});
      LetValue[l->name.name] = id;
      M.shownValues.push_back({l->name.name, id});
    }
    for (ast::RatecardDecl *r : Ratecards) {
      int card = int(M.ratecards.size());
      RatecardInfo ri;
      ri.decl = r;
      ri.name = r->name.name;
      for (ast::FeeDecl &fee : r->fees) {
        std::string name = r->name.name + "." + fee.name.name;
        if (FeeValue.count(name) || PriceIndex.count(name)) {
          Diags.report(diag::Kind::Redefinition, fee.name.range, fmt::format("`{}` is declared twice", name));
          continue;
        }
        Value v{ValueKind::Fee, name, fee.value.get(), fee.name.range};
        v.card = card;
        FeeValue[name] = addValue(std::move(v));
        ri.fees.push_back(FeeValue[name]);
      }
      for (ast::PriceDecl &p : r->prices) {
        std::string name = r->name.name + "." + p.name.name;
        if (FeeValue.count(name) || PriceIndex.count(name)) {
          Diags.report(diag::Kind::Redefinition, p.name.range, fmt::format("`{}` is declared twice", name));
          continue;
        }
        PriceIndex[name] = int(M.prices.size());
        ri.prices.push_back(int(M.prices.size()));
        PriceInfo info;
        info.decl = &p;
        info.card = card;
        info.name = name;
        M.prices.push_back(std::move(info));
      }
      M.ratecards.push_back(std::move(ri));
    }
    for (size_t p = 0; p < M.pipelines.size(); ++p)
      createPipelineValues(int(p));
  }

  void createPipelineValues(int p) {
    PipelineInfo &pi = M.pipelines[size_t(p)];
    ast::PipelineDecl &pd = *pi.decl;
    const std::string &pn = pd.name.name;
    std::map<std::string, SourceRange> local;
    auto declareLocal = [&](const ast::Ident &id, const char *what) {
      if (auto it = Symbols.find(id.name); it != Symbols.end()) {
        auto &d = Diags.report(diag::Kind::Redefinition, id.range,
                               fmt::format("{} `{}` reuses the name of a {}", what, id.name, symbolWord(it->second.kind)));
        d.notes.push_back({it->second.range, "declared here"});
        d.help = "a name inside a pipeline shadows nothing: rename it";
        return false;
      }
      if (auto it = local.find(id.name); it != local.end()) {
        auto &d = Diags.report(diag::Kind::Redefinition, id.range,
                               fmt::format("`{}` is declared twice in pipeline `{}`", id.name, pn));
        d.notes.push_back({it->second, "first declared here"});
        return false;
      }
      local[id.name] = id.range;
      return true;
    };
    for (ast::LetDecl &l : pd.lets) {
      if (!declareLocal(l.name, "let"))
        continue;
      int id = addValue({ValueKind::PipelineLet, pn + "." + l.name.name, l.value.get(), l.name.range, p});
      pi.lets.push_back({l.name.name, id});
    }
    for (size_t s = 0; s < pd.stages.size(); ++s) {
      ast::StageDecl &sd = pd.stages[s];
      bool reserved = std::find(M.categories.begin(), M.categories.end(), sd.name.name) != M.categories.end() ||
                      std::find(std::begin(kResultNames), std::end(kResultNames), sd.name.name) != std::end(kResultNames);
      if (reserved) {
        bool isCategory = std::find(M.categories.begin(), M.categories.end(), sd.name.name) != M.categories.end();
        auto &d = Diags.report(diag::Kind::ReservedName, sd.name.range,
                               fmt::format("a stage cannot be named `{}`: `{}.{}` already means the pipeline's {}",
                                           sd.name.name, pn, sd.name.name,
                                           isCategory ? "total cost in category " + sd.name.name : sd.name.name));
        d.help = fmt::format("rename the stage, e.g. `{}_stage` or `create_{}`", sd.name.name, sd.name.name);
      } else {
        declareLocal(sd.name, "stage");
      }
      StageInfo si;
      si.decl = &sd;
      std::string sn = pn + "." + sd.name.name;
      for (size_t l = 0; l < sd.lines.size(); ++l) {
        ast::CostLineDecl &line = sd.lines[l];
        std::string label = line.label.empty() ? line.category.name : line.label;
        Value v{ValueKind::CostLine, fmt::format("{} line \"{}\"", sn, label), line.value.get(), line.range, p, int(s), int(l)};
        auto cat = std::find(M.categories.begin(), M.categories.end(), line.category.name);
        if (cat == M.categories.end()) {
          auto &d = Diags.report(diag::Kind::UnknownCategory, line.category.range,
                                 fmt::format("unknown cost category `{}`", line.category.name));
          std::string near = closestName(line.category.name, M.categories);
          d.help = near.empty() ? fmt::format("the categories are {}; declare others with `category {}`",
                                              joinCategories(), line.category.name)
                                : fmt::format("did you mean `{}`?", near);
        } else {
          v.category = int(cat - M.categories.begin());
        }
        int lineId = addValue(std::move(v));
        si.lines.push_back(lineId);
        ast::Expr *e = line.value.get();
        int qty = -1, price = -1;
        if (e && e->kind == ast::ExprKind::PriceCall && !e->args.empty()) {
          qty = addValue({ValueKind::MeteredQuantity, M.values[size_t(lineId)].name + " quantity", e->args[0].get(),
                          e->args[0]->range, p, int(s), int(l)});
          M.values[size_t(lineId)].deps.push_back(qty);
          auto it = PriceIndex.find(e->parts[0].name + "." + e->parts[1].name);
          price = it == PriceIndex.end() ? -1 : it->second;
        }
        si.meteredQuantity.push_back(qty);
        si.meteredPrice.push_back(price);
      }
      for (size_t o = 0; o < sd.outputs.size(); ++o) {
        if (o > 0) {
          auto &d = Diags.report(diag::Kind::DuplicateOutput, sd.outputs[o]->range,
                                 fmt::format("stage `{}` already has an output", sd.name.name));
          d.notes.push_back({sd.outputs[0]->range, "its output is given here"});
          continue;
        }
        si.output = addValue({ValueKind::StageOutput, sn + ".output", sd.outputs[o].get(), sd.outputs[o]->range, p, int(s)});
      }
      Value cost{ValueKind::StageCost, sn + ".cost", nullptr, sd.name.range, p, int(s)};
      cost.deps = si.lines;
      si.cost = addValue(std::move(cost));
      pi.stages.push_back(std::move(si));
    }
    createBills(p);
    for (size_t r = 0; r < pd.revenues.size(); ++r) {
      ast::RevenueDecl &rd = pd.revenues[r];
      pi.revenues.push_back(addValue({ValueKind::Revenue,
                                      fmt::format("{} revenue \"{}\"", pn, rd.label), rd.value.get(), rd.range, p, -1, int(r)}));
    }
    createPipelineTotals(p);
  }

  // Billing: all metered lines of one price in one pipeline run are billed once, on their summed
  // quantity, and share the bill by quantity. A lone line is its own bill; two or more get a
  // pooled quantity and bill that every one of them depends on (so a quantity that depends on its
  // own bill is a cycle).
  void createBills(int p) {
    PipelineInfo &pi = M.pipelines[size_t(p)];
    const std::string &pn = pi.decl->name.name;
    for (StageInfo &si : pi.stages)
      for (size_t l = 0; l < si.lines.size(); ++l) {
        int price = si.meteredPrice[l];
        if (price < 0)
          continue;
        auto it = std::find_if(pi.bills.begin(), pi.bills.end(), [&](const BillInfo &b) { return b.price == price; });
        if (it == pi.bills.end())
          it = pi.bills.insert(pi.bills.end(), BillInfo{price, {}, {}, -1, -1});
        it->lines.push_back(si.lines[l]);
        it->quantities.push_back(si.meteredQuantity[l]);
      }
    for (BillInfo &b : pi.bills) {
      if (b.lines.size() < 2)
        continue;
      const std::string &price = M.prices[size_t(b.price)].name;
      SourceRange at = M.values[size_t(b.lines[0])].range;
      Value total{ValueKind::MeteredTotal, fmt::format("{}: {} quantity billed", pn, price), nullptr, at, p};
      total.card = b.price;
      total.deps = b.quantities;
      b.total = addValue(std::move(total));
      Value bill{ValueKind::Bill, fmt::format("{}: {} bill", pn, price), nullptr, at, p};
      bill.card = b.price;
      bill.deps = {b.total};
      b.bill = addValue(std::move(bill));
      for (int line : b.lines)
        M.values[size_t(line)].deps.push_back(b.bill);
    }
  }

  void createPipelineTotals(int p) {
    PipelineInfo &pi = M.pipelines[size_t(p)];
    const std::string &pn = pi.decl->name.name;
    SourceRange at = pi.decl->name.range;
    for (size_t c = 0; c < M.categories.size(); ++c) {
      Value v{ValueKind::PipelineCategory, pn + "." + M.categories[c], nullptr, at, p};
      v.category = int(c);
      for (StageInfo &s : pi.stages)
        for (int line : s.lines)
          if (M.values[size_t(line)].category == int(c))
            v.deps.push_back(line);
      pi.categoryTotals.push_back(addValue(std::move(v)));
    }
    Value cost{ValueKind::PipelineCost, pn + ".cost", nullptr, at, p};
    for (StageInfo &s : pi.stages)
      cost.deps.push_back(s.cost);
    pi.cost = addValue(std::move(cost));
    Value revenue{ValueKind::PipelineRevenue, pn + ".revenue", nullptr, at, p};
    revenue.deps = pi.revenues;
    pi.revenue = addValue(std::move(revenue));
    Value profit{ValueKind::PipelineProfit, pn + ".profit", nullptr, at, p};
    profit.deps = {pi.revenue, pi.cost};
    pi.profit = addValue(std::move(profit));
    Value roi{ValueKind::PipelineRoi, pn + ".roi", nullptr, at, p};
    roi.deps = {pi.profit, pi.cost};
    pi.roi = addValue(std::move(roi));
  }

  std::string joinCategories() const {
    std::string s;
    for (const std::string &c : M.categories)
      s += (s.empty() ? "" : ", ") + c;
    return s;
  }

  // ---- Params ---------------------------------------------------------------------------------

  std::string describeNonConstant(const std::string &n) const {
    auto it = Symbols.find(n);
    if (it == Symbols.end() || it->second.kind == Symbol::Unit)
      return "";
    return fmt::format("{} `{}`", symbolWord(it->second.kind), n);
  }

  std::optional<Constant> constant(ast::Expr &e, const std::string &what) {
    return evalConstant(e, M.units, Sm, Diags, what,
                        [this](const std::string &n) { return describeNonConstant(n); });
  }

  void checkParams() {
    for (ParamInfo &p : M.params) {
      ast::ParamDecl &d = *p.decl;
      auto value = constant(*d.value, fmt::format("the value of param `{}`", p.name));
      if (!value) {
        p.type = Type::error();
        continue;
      }
      if (value->type.kind != Type::Number) {
        Diags.report(diag::Kind::NotQuantity, d.value->range, "a param holds a number");
        p.type = Type::error();
        continue;
      }
      p.type = value->type;
      p.nominal = value->value;
      p.written = value->written;
      if (p.written.text.empty() && !p.type.dim.none())
        p.written.text = M.units.format(p.type.dim);
      checkRange(p);
      if (d.dist)
        checkDistribution(p, *d.dist);
    }
  }

  std::optional<double> paramArg(ParamInfo &p, ast::Expr &e, const std::string &what) {
    auto c = constant(e, what);
    if (!c)
      return std::nullopt;
    return convertToParam(*c, p, M.units, e.range, Diags, what);
  }

  void checkRange(ParamInfo &p) {
    ast::ParamDecl &d = *p.decl;
    if (!d.lo || !d.hi)
      return;
    auto lo = paramArg(p, *d.lo, "the range's low end");
    auto hi = paramArg(p, *d.hi, "the range's high end");
    if (!lo || !hi)
      return;
    if (!(*lo < *hi)) {
      Diags.report(diag::Kind::BadDistribution, d.lo->range,
                   fmt::format("the range of `{}` must go from low to high", p.name))
          .help = "write `in [low, high]` with low < high";
      return;
    }
    p.range = std::make_pair(*lo, *hi);
  }

  void checkDistribution(ParamInfo &p, ast::Distribution &dist) {
    static const std::map<std::string, std::pair<int, int>> kDists = {
        {"uniform", {1, 2}}, {"triangular", {2, 3}}, {"pert", {3, 3}}, {"normal", {4, 2}},
        {"lognormal", {5, 2}}, {"beta", {6, 2}}, {"discrete", {7, -1}}};
    auto it = kDists.find(dist.name.name);
    if (it == kDists.end()) {
      std::vector<std::string> names;
      for (auto &[n, k] : kDists)
        names.push_back(n);
      auto &d = Diags.report(diag::Kind::BadDistribution, dist.name.range,
                             fmt::format("unknown distribution `{}`", dist.name.name));
      std::string near = closestName(dist.name.name, names);
      d.help = near.empty() ? "the distributions are uniform, triangular, pert, normal, lognormal, beta and discrete"
                            : fmt::format("did you mean `{}`?", near);
      return;
    }
    auto [kind, arity] = it->second;
    const std::string &dn = dist.name.name;
    if (arity >= 0 && int(dist.args.size()) != arity) {
      Diags.report(diag::Kind::WrongArguments, dist.range,
                   fmt::format("`{}` takes {} arguments, not {}", dn, arity, dist.args.size()));
      return;
    }
    std::vector<double> args, weights;
    for (size_t i = 0; i < dist.args.size(); ++i) {
      if (kind == 7 && !dist.weights[i]) {
        Diags.report(diag::Kind::BadDistribution, dist.args[i]->range, "each value of `discrete` needs its probability")
            .help = "write `discrete(value: probability, …)`, e.g. `discrete(1%: 0.3, 2%: 0.7)`";
        return;
      }
      if (kind != 7 && dist.weights[i]) {
        Diags.report(diag::Kind::BadDistribution, dist.weights[i]->range,
                     fmt::format("`{}` takes plain arguments; `value: probability` is for `discrete`", dn));
        return;
      }
      std::optional<double> a;
      if (kind == 6) { // beta's shape parameters are plain numbers
        auto c = constant(*dist.args[i], "an argument of `beta`");
        if (c && !c->type.dim.none()) {
          Diags.report(diag::Kind::NotDimensionless, dist.args[i]->range, "the shape parameters of `beta` are plain numbers");
          return;
        }
        if (c)
          a = c->value;
      } else {
        bool spread = (kind == 4 || kind == 5) && i == 1;
        a = paramArg(p, *dist.args[i], spread ? "the standard deviation" : "this argument");
      }
      if (!a)
        return;
      args.push_back(*a);
      if (kind == 7) {
        auto w = constant(*dist.weights[i], "a probability");
        if (!w)
          return;
        if (!w->type.dim.none() || w->value < 0) {
          Diags.report(diag::Kind::BadDistribution, dist.weights[i]->range, "a probability is a plain number ≥ 0");
          return;
        }
        weights.push_back(w->value);
      }
    }
    if (!validDistribution(p, dist, kind, args, weights))
      return;
    p.distKind = kind;
    p.distArgs = args;
    p.distWeights = weights;
  }

  bool validDistribution(ParamInfo &p, ast::Distribution &dist, int kind, const std::vector<double> &a,
                         const std::vector<double> &w) {
    auto bad = [&](const std::string &why, const std::string &help) {
      Diags.report(diag::Kind::BadDistribution, dist.range, why).help = help;
      return false;
    };
    switch (kind) {
    case 1:
      return a[0] < a[1] || bad("uniform(lo, hi) needs lo < hi", "swap the two values");
    case 2:
    case 3:
      if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]))
        return bad(fmt::format("{}(lo, mode, hi) needs lo ≤ mode ≤ hi and lo < hi", dist.name.name),
                   "list the lowest value first, the most likely second, the highest last");
      return true;
    case 4:
      return a[1] > 0 || bad("normal(mean, sd) needs sd > 0", "a spread of zero is a fixed value: drop the distribution");
    case 5:
      if (!(a[0] > 0 && a[1] > 0))
        return bad("lognormal(mean, sd) needs mean > 0 and sd > 0", "lognormal values are positive; mean and sd are the variable's own");
      return true;
    case 6:
      if (!p.type.dim.none())
        return bad("beta(a, b) gives a plain fraction between 0 and 1, but this param has a unit",
                   "use beta for rates written as plain numbers or percentages");
      return (a[0] > 0 && a[1] > 0) || bad("beta(a, b) needs a > 0 and b > 0", "both shape parameters are positive");
    case 7: {
      if (a.empty())
        return bad("discrete(…) needs at least one value", "write `discrete(value: probability, …)`");
      double sum = 0;
      for (double x : w)
        sum += x;
      if (std::fabs(sum - 1) > 1e-9)
        return bad(fmt::format("the probabilities of discrete(…) add up to {}, not 1", sum), "make them sum to 1");
      return true;
    }
    }
    return true;
  }

  // ---- Prices ---------------------------------------------------------------------------------

  // Evaluates an already checked expression when it is made of numbers and units only (the
  // contract terms' bounds, sizes and percentages are, in practice): nullopt when it reads values.
  std::optional<double> literalValue(ast::Expr &e) {
    diag::DiagnosticEngine scratch;
    auto c = evalConstant(e, M.units, Sm, scratch, "", [](const std::string &) { return std::string("value"); });
    if (!c || scratch.hasErrors())
      return std::nullopt;
    return c->value;
  }

  /// A plain fraction in [0, 1] written as a percentage: a discount or an overage premium.
  void expectFraction(ast::Expr &e, Scope &scope, const std::string &what, bool capAtOne) {
    Type t = checkExpr(e, scope);
    if (t.isError())
      return;
    if (t.kind != Type::Number || !t.dim.none()) {
      Diags.report(diag::Kind::NotDimensionless, e.range,
                   fmt::format("{} is a percentage, but this is in {}", what, describe(t)))
          .help = "write it with `%`, e.g. `12%`";
      return;
    }
    auto v = literalValue(e);
    if (!v || (*v >= 0 && (!capAtOne || *v <= 1)))
      return;
    Diags.report(diag::Kind::BadPriceTerm, e.range,
                 fmt::format("{} of {} is outside {}", what, formatPercent(*v), capAtOne ? "0 % to 100 %" : "0 % and above"))
        .help = capAtOne ? "a discount takes off between 0 % and 100 % of the price, e.g. `discount 12%`"
                         : "a premium adds a non-negative percentage, e.g. `overage 15%`";
  }

  static std::string formatPercent(double v) {
    std::string s = fmt::format("{:.6g}", v * 100);
    return s + " %";
  }

  /// Reports a literal amount below zero: rates, fees, prices and sizes are never negative.
  void expectNonNegative(ast::Expr &e, diag::Kind kind, const std::string &what) {
    auto v = literalValue(e);
    if (v && *v < 0)
      Diags.report(kind, e.range, fmt::format("{} cannot be negative", what)).help =
          "vendors charge zero or more; a credit is written as a `discount`";
  }

  void checkRatecards() {
    for (RatecardInfo &rc : M.ratecards) {
      ast::RatecardDecl &d = *rc.decl;
      Scope scope{-1, &rc.deps};
      auto once = [&](size_t count, const char *what, auto rangeOf) {
        for (size_t i = 1; i < count; ++i)
          Diags.report(diag::Kind::BadPriceTerm, rangeOf(i), fmt::format("rate card `{}` has more than one {}", rc.name, what))
              .notes.push_back({rangeOf(0), "the first is here"});
      };
      once(d.discounts.size(), "`discount`", [&](size_t i) { return d.discounts[i]->range; });
      once(d.commits.size(), "`commit`", [&](size_t i) { return d.commits[i].range; });
      once(d.contractFrom.size(), "`contract from`", [&](size_t i) { return d.contractFrom[i].range; });
      if (!d.discounts.empty()) {
        rc.discount = d.discounts[0].get();
        expectFraction(*rc.discount, scope, "a discount", true);
      }
      if (!d.contractFrom.empty()) {
        const ast::Date &c = d.contractFrom[0];
        if (c.day != 0)
          Diags.report(diag::Kind::BadDate, c.range, "a contract starts in a month: write `contract from YYYY-MM`");
        rc.contractYear = c.year;
        rc.contractMonth = c.month >= 1 && c.month <= 12 ? c.month : 0;
      }
      if (!d.commits.empty())
        checkCommit(rc, d.commits[0], scope);
    }
  }

  void checkCommit(RatecardInfo &rc, ast::CommitDecl &c, Scope &scope) {
    rc.commit = &c;
    Type t = checkExpr(*c.amount, scope);
    if (!t.isError() && (t.kind != Type::Number || t.dim != M.units.money())) {
      auto &d = Diags.report(diag::Kind::BadCommit, c.amount->range,
                             fmt::format("a commitment is an amount in {}, but this is in {}", M.units.currency(), describe(t)));
      d.help = fmt::format("write `commit 60_000 {} per year`; a commitment in another currency must be converted", M.units.currency());
    } else if (!t.isError()) {
      expectNonNegative(*c.amount, diag::Kind::BadCommit, "a commitment");
    }
    if (c.period.name == "year" || c.period.name == "month")
      rc.commitMonths = c.period.name == "year" ? 12 : 1;
    else
      Diags.report(diag::Kind::BadCommit, c.period.range,
                   fmt::format("a commitment is per `year` or per `month`, not per `{}`", c.period.name))
          .help = "write `commit AMOUNT per year` or `commit AMOUNT per month`";
    if (c.overage)
      expectFraction(*c.overage, scope, "an overage premium", false);
  }

  void checkPrices() {
    for (PriceInfo &pr : M.prices) {
      ast::PriceDecl &d = *pr.decl;
      auto unit = resolveUnitSuffix(d.argUnit, d.argUnit.factors.size(), M.units, Diags, nullptr);
      if (!unit)
        continue;
      pr.argUnit = *unit;
      const std::string &text = Sm.file(d.argUnit.range.file).text();
      pr.argText = text.substr(d.argUnit.range.begin, d.argUnit.range.end - d.argUnit.range.begin);
      if (pr.card >= 0)
        pr.deps = M.ratecards[size_t(pr.card)].deps;
      Scope scope{-1, &pr.deps};
      Dim rateDim = M.units.money() / unit->dim;
      // A tier table's rates and fees are part of the table: its mistakes are TierTable errors.
      bool tiered = d.scheme == ast::PriceScheme::Graduated || d.scheme == ast::PriceScheme::Volume;
      diag::Kind negativeKind = tiered ? diag::Kind::TierTable : diag::Kind::BadPriceTerm;
      auto expectRate = [&](ast::Expr &e) {
        expectDim(e, scope, rateDim, fmt::format("the rate of price `{}`", pr.name), pr.argText);
        expectNonNegative(e, negativeKind, fmt::format("the rate of price `{}`", pr.name));
      };
      auto expectQuantity = [&](ast::Expr &e, const char *what) {
        expectDim(e, scope, unit->dim, fmt::format("{} of price `{}`", what, pr.name), pr.argText);
      };
      auto expectMoney = [&](ast::Expr &e, const std::string &what) {
        if (expectDim(e, scope, M.units.money(), fmt::format("{} of price `{}`", what, pr.name), ""))
          expectNonNegative(e, negativeKind, fmt::format("{} of price `{}`", what, pr.name));
      };
      switch (d.scheme) {
      case ast::PriceScheme::Flat:
        expectRate(*d.rate);
        break;
      case ast::PriceScheme::Package:
        checkPackage(pr, d, expectQuantity, expectMoney);
        break;
      case ast::PriceScheme::Graduated:
      case ast::PriceScheme::Volume:
        checkTiers(pr, d, expectRate, expectQuantity, expectMoney);
        break;
      }
      if (d.allowance) {
        expectQuantity(*d.allowance, "the included allowance");
        expectNonNegative(*d.allowance, diag::Kind::BadPriceTerm, fmt::format("the allowance of price `{}`", pr.name));
      }
      checkPriceTerms(pr, d, scope, expectMoney);
    }
  }

  template <typename QtyFn, typename MoneyFn>
  void checkPackage(PriceInfo &pr, ast::PriceDecl &d, QtyFn &expectQuantity, MoneyFn &expectMoney) {
    expectQuantity(*d.packageSize, "the package size");
    expectMoney(*d.rate, "the package price");
    auto size = literalValue(*d.packageSize);
    if (size && !(*size > 0))
      Diags.report(diag::Kind::BadPriceTerm, d.packageSize->range,
                   fmt::format("a package of price `{}` must hold more than zero {}", pr.name, pr.argText))
          .help = fmt::format("write the number of {} one package holds, e.g. `package 100 {} at 25 {}`", pr.argText,
                              pr.argText, M.units.currency());
  }

  template <typename MoneyFn>
  void checkPriceTerms(PriceInfo &pr, ast::PriceDecl &d, Scope &scope, MoneyFn &expectMoney) {
    static const char *const kTermWords[] = {"discount", "minimum", "maximum", "billed"};
    for (size_t i = 1; i < d.terms.size(); ++i) {
      const ast::PriceTerm &prev = d.terms[i - 1], &t = d.terms[i];
      if (t.kind > prev.kind)
        continue;
      bool repeated = t.kind == prev.kind;
      auto &diag = Diags.report(diag::Kind::BadPriceTerm, t.range,
                                repeated ? fmt::format("price `{}` has `{}` twice", pr.name, kTermWords[t.kind])
                                         : fmt::format("`{}` must come before `{}`", kTermWords[t.kind], kTermWords[prev.kind]));
      diag.help = "write the terms in this order: discount, minimum, maximum, billed";
    }
    if (d.discount)
      expectFraction(*d.discount, scope, "a discount", true);
    if (d.minimum)
      expectMoney(*d.minimum, "the minimum");
    if (d.maximum)
      expectMoney(*d.maximum, "the maximum");
    if (d.minimum && d.maximum) {
      auto lo = literalValue(*d.minimum), hi = literalValue(*d.maximum);
      if (lo && hi && *hi < *lo) {
        auto &diag = Diags.report(diag::Kind::BadPriceTerm, d.maximum->range,
                                  fmt::format("the maximum of price `{}` is below its minimum", pr.name));
        diag.notes.push_back({d.minimum->range, "the minimum is here"});
        diag.help = "a bill is at least the minimum and at most the maximum: raise the maximum or lower the minimum";
      }
    }
    if (!d.periodWord.name.empty() && d.periodWord.name != "monthly" && d.periodWord.name != "yearly")
      Diags.report(diag::Kind::BadPriceTerm, d.periodWord.range,
                   fmt::format("a price is billed `monthly` or `yearly`, not `{}`", d.periodWord.name))
          .help = "write `billed monthly` (the default) or `billed yearly`";
  }

  template <typename RateFn, typename QtyFn, typename MoneyFn>
  void checkTiers(PriceInfo &pr, ast::PriceDecl &d, RateFn &expectRate, QtyFn &expectQuantity, MoneyFn &expectMoney) {
    std::optional<double> prevBound;
    const ast::Tier *prevTier = nullptr;
    for (size_t i = 0; i < d.tiers.size(); ++i) {
      ast::Tier &t = d.tiers[i];
      bool last = i + 1 == d.tiers.size();
      if (!t.bound && !last) {
        Diags.report(diag::Kind::TierTable, t.range, "`above:` must be the last tier")
            .help = "move the `above:` tier to the end of the table";
      }
      if (t.bound) {
        expectQuantity(*t.bound, "a tier bound");
        checkBoundOrder(pr, t, prevTier, prevBound);
      }
      expectRate(*t.rate);
      if (t.fee)
        expectMoney(*t.fee, "the flat fee of a tier");
    }
    if (d.tiers.empty() || d.tiers.back().bound) {
      SourceRange at = d.tiers.empty() ? d.name.range : d.tiers.back().range;
      Diags.report(diag::Kind::TierTable, at, fmt::format("the tier table of `{}` has no final `above:` tier", pr.name))
          .help = "add a last line `above: RATE` that prices quantities beyond the last bound";
    }
  }

  // Bounds are strictly increasing and non-negative; out of order, a band would be billed twice.
  void checkBoundOrder(PriceInfo &pr, ast::Tier &t, const ast::Tier *&prevTier, std::optional<double> &prevBound) {
    auto bound = literalValue(*t.bound);
    if (!bound)
      return;
    if (*bound < 0) {
      Diags.report(diag::Kind::TierTable, t.bound->range, fmt::format("a tier bound of `{}` is negative", pr.name))
          .help = "tier bounds are quantities from 0 upwards";
    } else if (prevBound && *bound <= *prevBound) {
      auto &d = Diags.report(diag::Kind::TierTable, t.bound->range,
                             *bound == *prevBound ? fmt::format("the tier bounds of `{}` repeat a bound", pr.name)
                                                  : fmt::format("the tier bounds of `{}` are out of order", pr.name));
      d.notes.push_back({prevTier->bound->range, "the previous tier ends here"});
      d.help = "order the tiers by their bounds, smallest first, each bound larger than the one before";
    }
    prevBound = bound;
    prevTier = &t;
  }

  /// Checks `e` and reports it unless it is in `want`; true when it is.
  bool expectDim(ast::Expr &e, Scope &scope, const Dim &want, const std::string &what, const std::string &wantText) {
    Type t = checkExpr(e, scope);
    if (t.isError())
      return false;
    if (t.kind == Type::Bool) {
      Diags.report(diag::Kind::NotQuantity, e.range, fmt::format("{} must be a number, not a condition", what));
      return false;
    }
    if (t.dim == want)
      return true;
    auto &d = Diags.report(want == M.units.money() ? diag::Kind::NotMoney : diag::Kind::UnitMismatch, e.range,
                           fmt::format("{} must be in {}, but this is in {}", what, M.units.format(want),
                                       M.units.format(t.dim)));
    d.label = M.units.format(t.dim);
    const auto &powers = want.powers(); // a rate has money in it; a quantity never does
    bool rate = std::any_of(powers.begin(), powers.end(), [](const std::pair<int, int> &p) { return p.first == kMoney; });
    if (!wantText.empty() && rate)
      d.help = fmt::format("the price is per {}: write the rate as an amount per {}", wantText, wantText);
    else if (!wantText.empty())
      d.help = fmt::format("the price is per {}: write this as a quantity of {}, e.g. `100 {}`", wantText, wantText,
                           wantText);
    else if (want == M.units.money())
      d.help = fmt::format("write it as an amount in {}, e.g. `500 {}`", M.units.currency(), M.units.currency());
    return false;
  }

  // ---- Values ---------------------------------------------------------------------------------

  Type typeValue(int id) {
    Value &v = M.values[size_t(id)];
    if (v.state == 2)
      return v.type;
    if (v.state == 1)
      return reportCycle(id);
    switch (v.kind) {
    case ValueKind::StageCost: case ValueKind::PipelineCategory: case ValueKind::PipelineCost:
    case ValueKind::PipelineRevenue: case ValueKind::PipelineProfit:
      v.type = Type::number(M.units.money());
      v.written = {M.units.currency(), 1, false};
      v.state = 2;
      return v.type;
    case ValueKind::PipelineRoi:
      v.type = Type::number({});
      v.written = {"", 1, true};
      v.state = 2;
      return v.type;
    case ValueKind::Bill:
      v.type = Type::number(M.units.money());
      v.written = {M.units.currency(), 1, false};
      v.state = 2;
      return v.type;
    case ValueKind::MeteredTotal: {
      const PriceInfo &pr = M.prices[size_t(v.card)];
      v.type = pr.argText.empty() ? Type::error() : Type::number(pr.argUnit.dim);
      v.written = {pr.argText, pr.argUnit.scale, false};
      v.state = 2;
      return v.type;
    }
    default:
      break;
    }
    v.state = 1;
    Typing.push_back(id);
    Scope scope{v.pipeline, &Deps[id]};
    Type t = v.expr ? checkExpr(*v.expr, scope) : Type::error();
    Typing.pop_back();
    Value &after = M.values[size_t(id)];
    if (after.state == 2) // a cycle through this value was reported and typed it as an error
      return after.type;
    after.type = t;
    after.written = written(*after.expr);
    after.state = 2;
    checkValueType(after);
    return after.type;
  }

  void checkValueType(Value &v) {
    if (v.type.isError())
      return;
    bool mustBeMoney = v.kind == ValueKind::CostLine || v.kind == ValueKind::Revenue;
    if (v.type.kind == Type::Bool) {
      Diags.report(diag::Kind::NotQuantity, v.expr->range, "this is a yes/no condition, not an amount")
          .help = "use `if CONDITION then A else B` to choose between amounts";
      v.type = Type::error();
      return;
    }
    if (!mustBeMoney || v.type.dim == M.units.money())
      return;
    const char *what = v.kind == ValueKind::CostLine ? "a cost line" : "a revenue line";
    auto &d = Diags.report(diag::Kind::NotMoney, v.expr->range,
                           fmt::format("{} must come out in {}, but this is in {}", what, M.units.currency(),
                                       M.units.format(v.type.dim)));
    d.label = M.units.format(v.type.dim);
    d.help = moneyHelp(v.type.dim);
  }

  std::string moneyHelp(const Dim &d) const {
    Dim missing = M.units.money() / d;
    if (d.none())
      return fmt::format("multiply by an amount in {}, e.g. `… * 100 {}`", M.units.currency(), M.units.currency());
    if (missing == Dim() / Dim::base(kTime)) // money × time: a fee written without its period
      return fmt::format("an amount that recurs is written per period, e.g. `fee platform = 1_200 {}/month`; "
                         "then multiply it by a duration: `platform * 1 month`",
                         M.units.currency());
    if (missing == Dim::base(kTime)) // money per time: a rate without its duration
      return "multiply it by a duration, e.g. `… * 16 h` or `… * 1 month`";
    return fmt::format("multiply by a rate in {} to turn it into {}", M.units.format(missing), M.units.currency());
  }

  Type reportCycle(int id) {
    auto start = std::find(Typing.begin(), Typing.end(), id);
    std::vector<int> members(start, Typing.end());
    reportCycleMembers(members);
    for (int m : members) {
      M.values[size_t(m)].state = 2;
      M.values[size_t(m)].type = Type::error();
    }
    return Type::error();
  }

  void reportCycleMembers(const std::vector<int> &members) {
    std::string names;
    for (size_t i = 0; i < members.size(); ++i)
      names += fmt::format("`{}` → ", M.values[size_t(members[i])].name);
    names += fmt::format("`{}`", M.values[size_t(members[0])].name);
    const Value &first = M.values[size_t(members[0])];
    auto &d = Diags.report(diag::Kind::Cycle, first.range, fmt::format("these values form a cycle: {}", names));
    for (size_t i = 1; i < members.size(); ++i) {
      const Value &v = M.values[size_t(members[i])];
      d.notes.push_back({v.range, fmt::format("`{}` is part of the cycle", v.name)});
    }
    d.help = "one of them must be computed without the others: replace one reference by a param or a number";
    for (int m : members)
      InCycle.insert(m);
  }

  Written written(const ast::Expr &e) const {
    auto info = M.exprs.find(&e);
    switch (e.kind) {
    case ast::ExprKind::Number:
      return writtenUnit(e, Sm, info == M.exprs.end() ? 1 : info->second.unitScale);
    case ast::ExprKind::Name: {
      if (info == M.exprs.end())
        return {};
      const ExprInfo &x = info->second;
      if (x.ref == ast::RefKind::Param)
        return M.params[size_t(x.index)].written;
      if (x.ref == ast::RefKind::Let || x.ref == ast::RefKind::Fee || x.ref == ast::RefKind::PipelineLet ||
          x.ref == ast::RefKind::PipelineResult || x.ref == ast::RefKind::StageResult)
        return M.values[size_t(x.index)].written;
      return {};
    }
    case ast::ExprKind::Unary:
      return written(*e.args[0]);
    case ast::ExprKind::Binary:
      if (e.binaryOp == ast::BinaryOp::Add || e.binaryOp == ast::BinaryOp::Sub)
        return written(*e.args[0]);
      return {};
    case ast::ExprKind::If:
      return written(*e.args[1]);
    case ast::ExprKind::Call:
      if (e.parts[0].name == "min" || e.parts[0].name == "max" || e.parts[0].name == "abs" ||
          (e.args.size() == 2 && e.parts[0].name != "pow"))
        return e.args.empty() ? Written{} : written(*e.args[0]);
      return {};
    case ast::ExprKind::PriceCall:
      return {M.units.currency(), 1, false};
    }
    return {};
  }

  // ---- Expressions ----------------------------------------------------------------------------

  Type record(ast::Expr &e, Type t, ast::RefKind ref = ast::RefKind::Unresolved, int index = -1, double scale = 1) {
    M.exprs[&e] = {t, ref, index, scale};
    return t;
  }

  Type checkExpr(ast::Expr &e, Scope &s) {
    switch (e.kind) {
    case ast::ExprKind::Number:
      return checkNumber(e, s);
    case ast::ExprKind::Name:
      return checkName(e, s);
    case ast::ExprKind::Call:
      return checkCall(e, s);
    case ast::ExprKind::PriceCall:
      return checkPriceCall(e, s);
    case ast::ExprKind::Unary:
      return checkUnary(e, s);
    case ast::ExprKind::Binary:
      return checkBinary(e, s);
    case ast::ExprKind::If:
      return checkIf(e, s);
    }
    return Type::error();
  }

  bool isValueName(const std::string &n, const Scope &s) const {
    if (s.pipeline >= 0)
      for (auto &[name, id] : M.pipelines[size_t(s.pipeline)].lets)
        if (name == n)
          return true;
    auto it = Symbols.find(n);
    return it != Symbols.end() && it->second.kind != Symbol::Unit;
  }

  Type checkNumber(ast::Expr &e, Scope &s) {
    if (!e.unit)
      return record(e, Type::number({}));
    // `16 h / hours_per_day`: the suffix stops at the first `/ NAME` that names a value.
    for (size_t i = 1; i < e.unit->factors.size(); ++i) {
      const ast::UnitFactor &f = e.unit->factors[i];
      if (f.grouped || f.terms.size() != 1 || M.units.find(f.terms[0].name.name) ||
          !isValueName(f.terms[0].name.name, s))
        continue;
      splitSuffix(e, i);
      return checkExpr(e, s);
    }
    auto unit = resolveUnitSuffix(*e.unit, e.unit->factors.size(), M.units, Diags,
                                  [&](const std::string &n) { return isValueName(n, s); });
    if (!unit)
      return record(e, Type::error());
    return record(e, Type::number(unit->dim), ast::RefKind::Unresolved, -1, unit->scale);
  }

  /// Rewrites `N u1/u2/name/…` into `((N u1/u2) / name) / …` in place.
  void splitSuffix(ast::Expr &e, size_t at) {
    auto number = std::make_unique<ast::Expr>(ast::ExprKind::Number, e.range);
    number->number = e.number;
    number->percent = e.percent;
    ast::UnitSuffix kept;
    kept.factors.assign(std::make_move_iterator(e.unit->factors.begin()),
                        std::make_move_iterator(e.unit->factors.begin() + long(at)));
    kept.range = {e.unit->range.file, e.unit->range.begin, kept.factors.back().range.end};
    number->range.end = kept.range.end;
    number->unit = std::move(kept);
    ast::ExprPtr cur = std::move(number);
    for (size_t i = at; i < e.unit->factors.size(); ++i) {
      ast::UnitFactor &f = e.unit->factors[i];
      auto divisor = std::make_unique<ast::Expr>(ast::ExprKind::Name, f.range);
      for (ast::UnitTerm &t : f.terms)
        divisor->parts.push_back(t.name);
      auto div = std::make_unique<ast::Expr>(ast::ExprKind::Binary, SourceRange{e.range.file, e.range.begin, f.range.end});
      div->binaryOp = ast::BinaryOp::Div;
      div->opRange = {f.range.file, f.range.begin > 0 ? f.range.begin - 1 : 0, f.range.begin};
      div->args.push_back(std::move(cur));
      div->args.push_back(std::move(divisor));
      cur = std::move(div);
    }
    ast::Expr rewritten = std::move(*cur);
    e = std::move(rewritten);
  }

  Type useValue(ast::Expr &e, Scope &s, ast::RefKind ref, int id) {
    if (s.deps)
      s.deps->push_back(id);
    return record(e, typeValue(id), ref, id);
  }

  Type unknownMember(const ast::Ident &member, const std::string &owner, const std::vector<std::string> &members) {
    auto &d = Diags.report(diag::Kind::UnknownMember, member.range,
                           fmt::format("{} has no `{}`", owner, member.name));
    std::string near = closestName(member.name, members);
    if (!near.empty())
      d.help = fmt::format("did you mean `{}`?", near);
    else if (!members.empty()) {
      std::string list;
      for (size_t i = 0; i < members.size() && i < 12; ++i)
        list += (i ? ", " : "") + members[i];
      d.help = fmt::format("it has: {}", list);
    }
    return Type::error();
  }

  Type checkName(ast::Expr &e, Scope &s) {
    const std::string &n = e.parts[0].name;
    if (s.pipeline >= 0) {
      for (auto &[name, id] : M.pipelines[size_t(s.pipeline)].lets)
        if (name == n && e.parts.size() == 1)
          return useValue(e, s, ast::RefKind::PipelineLet, id);
    }
    auto it = Symbols.find(n);
    if (it == Symbols.end()) {
      if (const Unit *u = M.units.find(n); u && e.parts.size() == 1)
        return record(e, Type::number(u->dim), ast::RefKind::Unit, -1, u->scale);
      return unknownName(e, s);
    }
    const Symbol &sym = it->second;
    auto tooLong = [&](size_t allowed) {
      if (e.parts.size() <= allowed)
        return false;
      Diags.report(diag::Kind::UnknownMember, e.parts[allowed].range,
                   fmt::format("`{}` has no member `{}`", joinParts(e, allowed), e.parts[allowed].name));
      return true;
    };
    switch (sym.kind) {
    case Symbol::Param:
      if (tooLong(1))
        return record(e, Type::error());
      return record(e, M.params[size_t(sym.index)].type, ast::RefKind::Param, sym.index);
    case Symbol::Let:
      if (tooLong(1))
        return record(e, Type::error());
      return useValue(e, s, ast::RefKind::Let, LetValue[n]);
    case Symbol::Unit: {
      if (tooLong(1))
        return record(e, Type::error());
      const Unit *u = M.units.find(n);
      return record(e, Type::number(u->dim), ast::RefKind::Unit, -1, u->scale);
    }
    case Symbol::Ratecard:
      return checkRatecardMember(e, s);
    case Symbol::Pipeline:
      return checkPipelineMember(e, s, sym.index);
    case Symbol::Scenario:
    case Symbol::Forecast:
      Diags.report(diag::Kind::UnknownName, e.range,
                   fmt::format("`{}` is a {}, not a value", n, symbolWord(sym.kind)));
      return record(e, Type::error());
    }
    return record(e, Type::error());
  }

  static std::string joinParts(const ast::Expr &e, size_t count) {
    std::string s;
    for (size_t i = 0; i < count && i < e.parts.size(); ++i)
      s += (i ? "." : "") + e.parts[i].name;
    return s;
  }

  Type unknownName(ast::Expr &e, Scope &s) {
    const std::string &n = e.parts[0].name;
    std::vector<std::string> candidates;
    for (auto &[name, sym] : Symbols)
      candidates.push_back(name);
    for (const std::string &u : M.units.names())
      candidates.push_back(u);
    if (s.pipeline >= 0)
      for (auto &[name, id] : M.pipelines[size_t(s.pipeline)].lets)
        candidates.push_back(name);
    auto &d = Diags.report(diag::Kind::UnknownName, e.parts[0].range, fmt::format("unknown name `{}`", n));
    std::string near = closestName(n, candidates);
    if (!near.empty())
      d.help = fmt::format("did you mean `{}`?", near);
    else if (std::find(M.categories.begin(), M.categories.end(), n) != M.categories.end())
      d.help = fmt::format("`{}` is a category; a pipeline's total in it is `PIPELINE.{}`", n, n);
    else
      d.help = fmt::format("declare it with `param {} = …` or `let {} = …`", n, n);
    return record(e, Type::error());
  }

  Type checkRatecardMember(ast::Expr &e, Scope &s) {
    const std::string &card = e.parts[0].name;
    std::vector<std::string> members;
    for (auto &[name, id] : FeeValue)
      if (name.rfind(card + ".", 0) == 0)
        members.push_back(name.substr(card.size() + 1));
    for (auto &[name, id] : PriceIndex)
      if (name.rfind(card + ".", 0) == 0)
        members.push_back(name.substr(card.size() + 1));
    if (e.parts.size() < 2) {
      Diags.report(diag::Kind::UnknownMember, e.range,
                   fmt::format("`{}` is a rate card; use one of its fees (`{}.FEE`) or prices (`{}.PRICE(quantity)`)",
                               card, card, card));
      return record(e, Type::error());
    }
    std::string full = card + "." + e.parts[1].name;
    if (PriceIndex.count(full)) {
      Diags.report(diag::Kind::WrongArguments, e.range, fmt::format("`{}` is a price: call it with a quantity", full))
          .help = fmt::format("write `{}(QUANTITY)`", full);
      return record(e, Type::error());
    }
    auto fee = FeeValue.find(full);
    if (fee == FeeValue.end())
      return record(e, unknownMember(e.parts[1], fmt::format("rate card `{}`", card), members));
    if (e.parts.size() > 2)
      return record(e, unknownMember(e.parts[2], fmt::format("fee `{}`", full), {}));
    return useValue(e, s, ast::RefKind::Fee, fee->second);
  }

  Type checkPipelineMember(ast::Expr &e, Scope &s, int p) {
    PipelineInfo &pi = M.pipelines[size_t(p)];
    const std::string &pn = pi.decl->name.name;
    std::vector<std::string> members(std::begin(kResultNames), std::end(kResultNames));
    for (const std::string &c : M.categories)
      members.push_back(c);
    for (StageInfo &st : pi.stages)
      members.push_back(st.decl->name.name);
    for (auto &[name, id] : pi.lets)
      members.push_back(name);
    if (e.parts.size() < 2) {
      Diags.report(diag::Kind::UnknownMember, e.range,
                   fmt::format("`{}` is a pipeline; use one of its results such as `{}.cost` or `{}.roi`", pn, pn, pn));
      return record(e, Type::error());
    }
    const std::string &m = e.parts[1].name;
    int result = m == "cost" ? pi.cost : m == "revenue" ? pi.revenue : m == "profit" ? pi.profit : m == "roi" ? pi.roi : -1;
    auto more = [&](size_t allowed) {
      if (e.parts.size() <= allowed)
        return false;
      unknownMember(e.parts[allowed], fmt::format("`{}`", joinParts(e, allowed)), {});
      return true;
    };
    if (result >= 0)
      return more(2) ? record(e, Type::error()) : useValue(e, s, ast::RefKind::PipelineResult, result);
    auto cat = std::find(M.categories.begin(), M.categories.end(), m);
    if (cat != M.categories.end())
      return more(2) ? record(e, Type::error())
                     : useValue(e, s, ast::RefKind::PipelineResult, pi.categoryTotals[size_t(cat - M.categories.begin())]);
    for (auto &[name, id] : pi.lets)
      if (name == m)
        return more(2) ? record(e, Type::error()) : useValue(e, s, ast::RefKind::PipelineLet, id);
    for (StageInfo &st : pi.stages) {
      if (st.decl->name.name != m)
        continue;
      std::string sn = pn + "." + m;
      if (e.parts.size() < 3) {
        Diags.report(diag::Kind::UnknownMember, e.range,
                     fmt::format("`{}` is a stage; use `{}.cost` or `{}.output`", sn, sn, sn));
        return record(e, Type::error());
      }
      if (more(3))
        return record(e, Type::error());
      const std::string &r = e.parts[2].name;
      if (r == "cost")
        return useValue(e, s, ast::RefKind::StageResult, st.cost);
      if (r == "output") {
        if (st.output < 0) {
          Diags.report(diag::Kind::UnknownMember, e.parts[2].range, fmt::format("stage `{}` has no output", sn))
              .help = "give the stage an `output` line";
          return record(e, Type::error());
        }
        return useValue(e, s, ast::RefKind::StageResult, st.output);
      }
      return record(e, unknownMember(e.parts[2], fmt::format("stage `{}`", sn), {"cost", "output"}));
    }
    return record(e, unknownMember(e.parts[1], fmt::format("pipeline `{}`", pn), members));
  }

  Type checkPriceCall(ast::Expr &e, Scope &s) {
    std::string full = e.parts[0].name + "." + e.parts[1].name;
    Type arg = checkExpr(*e.args[0], s);
    auto it = PriceIndex.find(full);
    if (it == PriceIndex.end()) {
      auto sym = Symbols.find(e.parts[0].name);
      if (sym == Symbols.end() || sym->second.kind != Symbol::Ratecard) {
        ast::Expr head(ast::ExprKind::Name, e.parts[0].range);
        head.parts.push_back(e.parts[0]);
        if (sym == Symbols.end())
          unknownName(head, s);
        else
          Diags.report(diag::Kind::NotAFunction, e.parts[0].range,
                       fmt::format("`{}` is a {}, not a rate card", e.parts[0].name, symbolWord(sym->second.kind)));
        return record(e, Type::error());
      }
      std::vector<std::string> prices;
      for (auto &[name, id] : PriceIndex)
        if (name.rfind(e.parts[0].name + ".", 0) == 0)
          prices.push_back(name.substr(e.parts[0].name.size() + 1));
      return record(e, unknownMember(e.parts[1], fmt::format("rate card `{}`", e.parts[0].name), prices));
    }
    PriceInfo &pr = M.prices[size_t(it->second)];
    if (s.deps)
      for (int d : pr.deps)
        s.deps->push_back(d);
    if (!arg.isError() && !pr.argText.empty() && (arg.kind != Type::Number || arg.dim != pr.argUnit.dim)) {
      auto &d = Diags.report(diag::Kind::UnitMismatch, e.args[0]->range,
                             fmt::format("price `{}` is per {}, but this quantity is in {}", full,
                                         M.units.format(pr.argUnit.dim),
                                         arg.kind == Type::Bool ? "a condition" : M.units.format(arg.dim)));
      d.label = arg.kind == Type::Bool ? "condition" : M.units.format(arg.dim);
      d.notes.push_back({pr.decl->argUnit.range, fmt::format("`{}` is priced per {} here", full, pr.argText)});
    }
    return record(e, Type::number(M.units.money()), ast::RefKind::Unresolved, it->second);
  }

  Type checkUnary(ast::Expr &e, Scope &s) {
    Type t = checkExpr(*e.args[0], s);
    if (t.isError())
      return record(e, t);
    if (e.unaryOp == ast::UnaryOp::Not) {
      if (t.kind != Type::Bool) {
        Diags.report(diag::Kind::NotCondition, e.args[0]->range, "`not` needs a yes/no condition");
        return record(e, Type::error());
      }
      return record(e, t);
    }
    if (t.kind == Type::Bool) {
      Diags.report(diag::Kind::NotQuantity, e.args[0]->range, "cannot negate a yes/no condition; use `not`");
      return record(e, Type::error());
    }
    return record(e, t);
  }

  bool needNumber(const Type &t, const ast::Expr &e, const char *op) {
    if (t.kind == Type::Number)
      return true;
    Diags.report(diag::Kind::NotQuantity, e.range, fmt::format("`{}` needs amounts, not a yes/no condition", op));
    return false;
  }

  Type checkBinary(ast::Expr &e, Scope &s) {
    if (e.binaryOp == ast::BinaryOp::Pow)
      return checkPow(e, s);
    Type a = checkExpr(*e.args[0], s);
    Type b = checkExpr(*e.args[1], s);
    if (a.isError() || b.isError())
      return record(e, Type::error());
    const char *op = ast::spelling(e.binaryOp);
    switch (e.binaryOp) {
    case ast::BinaryOp::And:
    case ast::BinaryOp::Or:
      if (a.kind != Type::Bool || b.kind != Type::Bool) {
        const ast::Expr &bad = a.kind != Type::Bool ? *e.args[0] : *e.args[1];
        Diags.report(diag::Kind::NotCondition, bad.range, fmt::format("`{}` joins yes/no conditions", op))
            .help = "compare the amount with something, e.g. `x > 0 USD`";
        return record(e, Type::error());
      }
      return record(e, Type::boolean());
    case ast::BinaryOp::Mul:
    case ast::BinaryOp::Div:
      if (!needNumber(a, *e.args[0], op) || !needNumber(b, *e.args[1], op))
        return record(e, Type::error());
      return record(e, Type::number(e.binaryOp == ast::BinaryOp::Mul ? a.dim * b.dim : a.dim / b.dim));
    default:
      break;
    }
    if (!needNumber(a, *e.args[0], op) || !needNumber(b, *e.args[1], op))
      return record(e, Type::error());
    if (a.dim != b.dim) {
      reportMismatch(e, a, b);
      return record(e, Type::error());
    }
    bool arithmetic = e.binaryOp == ast::BinaryOp::Add || e.binaryOp == ast::BinaryOp::Sub;
    return record(e, arithmetic ? a : Type::boolean());
  }

  void reportMismatch(ast::Expr &e, const Type &a, const Type &b) {
    std::string as = M.units.format(a.dim), bs = M.units.format(b.dim);
    std::string msg;
    switch (e.binaryOp) {
    case ast::BinaryOp::Add: msg = fmt::format("cannot add {} to {}", as, bs); break;
    case ast::BinaryOp::Sub: msg = fmt::format("cannot subtract {} and {}", as, bs); break;
    default: msg = fmt::format("cannot compare {} with {}", as, bs); break;
    }
    auto &d = Diags.report(diag::Kind::UnitMismatch, e.opRange, msg);
    d.notes.push_back({e.args[0]->range, fmt::format("this is in {}", as)});
    d.notes.push_back({e.args[1]->range, fmt::format("this is in {}", bs)});
    d.help = mismatchHelp(a.dim, b.dim);
  }

  // "the left side is per h": what one side has that the other lacks, in words.
  std::string mismatchHelp(const Dim &a, const Dim &b) const {
    Dim ratio = a / b;
    std::string r = M.units.format(ratio);
    if (r.rfind("1/", 0) == 0)
      return fmt::format("both sides need the same unit; the left side is per {} — multiply it by a time or "
                         "quantity, or divide the right side", r.substr(2));
    return fmt::format("both sides need the same unit; the left side has an extra factor of {}", r);
  }

  std::optional<int> integerLiteral(const ast::Expr &e) {
    bool neg = e.kind == ast::ExprKind::Unary && e.unaryOp == ast::UnaryOp::Neg;
    const ast::Expr &lit = neg ? *e.args[0] : e;
    if (lit.kind != ast::ExprKind::Number || lit.unit || lit.percent || std::floor(lit.number) != lit.number ||
        std::fabs(lit.number) > 64)
      return std::nullopt;
    return int(neg ? -lit.number : lit.number);
  }

  Type checkPow(ast::Expr &e, Scope &s) {
    Type a = checkExpr(*e.args[0], s);
    auto n = integerLiteral(*e.args[1]);
    if (!n) {
      Type b = checkExpr(*e.args[1], s);
      (void)b;
      auto &d = Diags.report(diag::Kind::BadExponent, e.args[1]->range,
                             "the exponent of `^` must be a whole-number literal such as 2 or -1");
      d.help = a.kind == Type::Number && a.dim.none()
                   ? "for a plain-number base and any exponent, write `pow(x, y)`"
                   : "units can only be raised to whole powers written as numbers";
      return record(e, Type::error());
    }
    record(*e.args[1], Type::number({}));
    if (e.args[1]->kind == ast::ExprKind::Unary)
      record(*e.args[1]->args[0], Type::number({}));
    if (a.isError() || !needNumber(a, *e.args[0], "^"))
      return record(e, Type::error());
    return record(e, Type::number(a.dim.pow(*n)), ast::RefKind::Unresolved, *n);
  }

  Type checkIf(ast::Expr &e, Scope &s) {
    Type c = checkExpr(*e.args[0], s);
    Type a = checkExpr(*e.args[1], s);
    Type b = checkExpr(*e.args[2], s);
    if (!c.isError() && c.kind != Type::Bool) {
      Diags.report(diag::Kind::NotCondition, e.args[0]->range, "`if` needs a yes/no condition")
          .help = "compare amounts, e.g. `if emails > 1000000 email then … else …`";
      return record(e, Type::error());
    }
    if (c.isError() || a.isError() || b.isError())
      return record(e, Type::error());
    if (a.kind != b.kind || a.dim != b.dim) {
      auto &d = Diags.report(diag::Kind::UnitMismatch, e.args[2]->range,
                             fmt::format("the two branches of `if` differ: {} and {}", describe(a), describe(b)));
      d.notes.push_back({e.args[1]->range, fmt::format("the `then` branch is in {}", describe(a))});
      return record(e, Type::error());
    }
    return record(e, a);
  }

  std::string describe(const Type &t) const {
    return t.kind == Type::Bool ? "a yes/no condition" : M.units.format(t.dim);
  }

  Type checkCall(ast::Expr &e, Scope &s) {
    const std::string &f = e.parts[0].name;
    std::vector<Type> args;
    bool bad = false;
    for (auto &a : e.args) {
      args.push_back(checkExpr(*a, s));
      bad |= args.back().isError();
    }
    auto isFn = [&](const char *name) { return f == name; };
    if (std::find_if(std::begin(kBuiltinFunctions), std::end(kBuiltinFunctions), [&](const char *b) { return f == b; }) ==
        std::end(kBuiltinFunctions)) {
      auto &d = Diags.report(diag::Kind::NotAFunction, e.parts[0].range, fmt::format("unknown function `{}`", f));
      std::string near = closestName(f, std::vector<std::string>(std::begin(kBuiltinFunctions), std::end(kBuiltinFunctions)));
      d.help = near.empty() ? "the functions are min, max, ceil, floor, round, sqrt, exp, ln, pow, abs, sin and cos; "
                              "rate-card prices are called as CARD.PRICE(quantity)"
                            : fmt::format("did you mean `{}`?", near);
      return record(e, Type::error());
    }
    if (bad)
      return record(e, Type::error());
    for (size_t i = 0; i < args.size(); ++i)
      if (!needNumber(args[i], *e.args[i], f.c_str()))
        return record(e, Type::error());
    auto arity = [&](size_t lo, size_t hi) {
      if (args.size() >= lo && args.size() <= hi)
        return true;
      std::string want = lo == hi ? std::to_string(lo) : hi > 100 ? fmt::format("at least {}", lo) : fmt::format("{} or {}", lo, hi);
      Diags.report(diag::Kind::WrongArguments, e.range,
                   fmt::format("`{}` takes {} argument{}, not {}", f, want, (lo == 1 && hi == 1) ? "" : "s", args.size()));
      return false;
    };
    auto plain = [&](size_t i) {
      if (args[i].dim.none())
        return true;
      auto &d = Diags.report(diag::Kind::NotDimensionless, e.args[i]->range,
                             fmt::format("`{}` takes a plain number, but this is in {}", f, M.units.format(args[i].dim)));
      if (isFn("ceil") || isFn("floor") || isFn("round"))
        d.help = fmt::format("to round to a multiple of a unit, give the step: `{}(x, 1 {})`", f,
                             M.units.format(args[i].dim));
      else
        d.help = "divide by a unit first, e.g. `x / 1 h`";
      return false;
    };
    if (isFn("min") || isFn("max")) {
      if (!arity(2, 1000))
        return record(e, Type::error());
      for (size_t i = 1; i < args.size(); ++i)
        if (args[i].dim != args[0].dim) {
          Diags.report(diag::Kind::UnitMismatch, e.args[i]->range,
                       fmt::format("all arguments of `{}` need the same unit: {} and {}", f, M.units.format(args[0].dim),
                                   M.units.format(args[i].dim)));
          return record(e, Type::error());
        }
      return record(e, args[0]);
    }
    if (isFn("ceil") || isFn("floor") || isFn("round")) {
      if (!arity(1, 2))
        return record(e, Type::error());
      if (args.size() == 1)
        return plain(0) ? record(e, args[0]) : record(e, Type::error());
      if (args[1].dim != args[0].dim) {
        Diags.report(diag::Kind::UnitMismatch, e.args[1]->range,
                     fmt::format("the step of `{}` must be in {} like the value, not {}", f, M.units.format(args[0].dim),
                                 M.units.format(args[1].dim)));
        return record(e, Type::error());
      }
      return record(e, args[0]);
    }
    if (isFn("sqrt")) {
      if (!arity(1, 1))
        return record(e, Type::error());
      if (!args[0].dim.canSqrt()) {
        Diags.report(diag::Kind::NotDimensionless, e.args[0]->range,
                     fmt::format("cannot take the square root of {}", M.units.format(args[0].dim)));
        return record(e, Type::error());
      }
      return record(e, Type::number(args[0].dim.sqrt()));
    }
    if (isFn("abs"))
      return arity(1, 1) ? record(e, args[0]) : record(e, Type::error());
    if (isFn("pow")) {
      if (!arity(2, 2) || !plain(0) || !plain(1))
        return record(e, Type::error());
      return record(e, Type::number({}));
    }
    // exp, ln, sin, cos
    if (!arity(1, 1) || !plain(0))
      return record(e, Type::error());
    return record(e, Type::number({}));
  }

  // ---- Stages, scenarios, asserts, forecasts -------------------------------------------------------

  void checkStages() {
    for (PipelineInfo &pi : M.pipelines) {
      std::vector<std::string> names;
      for (StageInfo &s : pi.stages)
        names.push_back(s.decl->name.name);
      for (StageInfo &s : pi.stages) {
        for (ast::Ident &in : s.decl->inputs) {
          auto it = std::find(names.begin(), names.end(), in.name);
          if (it != names.end()) {
            s.inputs.push_back(int(it - names.begin()));
            continue;
          }
          auto &d = Diags.report(diag::Kind::UnknownStage, in.range,
                                 fmt::format("pipeline `{}` has no stage `{}`", pi.decl->name.name, in.name));
          std::string near = closestName(in.name, names);
          d.help = near.empty() ? "`input` names a stage of the same pipeline" : fmt::format("did you mean `{}`?", near);
        }
      }
      findStageCycles(pi);
    }
  }

  void findStageCycles(PipelineInfo &pi) {
    std::vector<int> state(pi.stages.size(), 0), stack;
    std::function<bool(int)> visit = [&](int s) {
      if (state[size_t(s)] == 2)
        return false;
      if (state[size_t(s)] == 1) {
        auto start = std::find(stack.begin(), stack.end(), s);
        std::string names;
        for (auto it = start; it != stack.end(); ++it)
          names += fmt::format("`{}` → ", pi.stages[size_t(*it)].decl->name.name);
        names += fmt::format("`{}`", pi.stages[size_t(s)].decl->name.name);
        auto &d = Diags.report(diag::Kind::StageCycle, pi.stages[size_t(s)].decl->name.range,
                               fmt::format("the inputs of these stages form a cycle: {}", names));
        for (auto it = start + 1; it != stack.end(); ++it)
          d.notes.push_back({pi.stages[size_t(*it)].decl->name.range,
                             fmt::format("stage `{}` is part of the cycle", pi.stages[size_t(*it)].decl->name.name)});
        d.help = "a stage consumes the output of earlier stages; remove one `input` to break the circle";
        return true;
      }
      state[size_t(s)] = 1;
      stack.push_back(s);
      for (int in : pi.stages[size_t(s)].inputs)
        if (visit(in))
          return true;
      stack.pop_back();
      state[size_t(s)] = 2;
      return false;
    };
    for (size_t s = 0; s < pi.stages.size(); ++s) {
      stack.clear();
      if (visit(int(s)))
        return; // one cycle per pipeline: the rest would repeat it
    }
  }

  void checkScenarios() {
    std::vector<std::string> paramNames;
    for (ParamInfo &p : M.params)
      paramNames.push_back(p.name);
    for (ast::ScenarioDecl *sd : ScenarioDecls) {
      ScenarioInfo si{sd->name.name, sd->title, {}, sd->name.range};
      std::map<int, SourceRange> seen;
      for (ast::Override &o : sd->overrides) {
        auto it = Symbols.find(o.param.name);
        if (it == Symbols.end() || it->second.kind != Symbol::Param) {
          auto &d = Diags.report(diag::Kind::UnknownParam, o.param.range,
                                 fmt::format("scenario `{}` sets `{}`, which is not a param", sd->name.name, o.param.name));
          std::string near = closestName(o.param.name, paramNames);
          d.help = near.empty() ? "a scenario overrides params only" : fmt::format("did you mean `{}`?", near);
          continue;
        }
        int p = it->second.index;
        if (seen.count(p)) {
          auto &d = Diags.report(diag::Kind::Redefinition, o.param.range,
                                 fmt::format("scenario `{}` sets `{}` twice", sd->name.name, o.param.name));
          d.notes.push_back({seen[p], "first set here"});
          continue;
        }
        seen[p] = o.param.range;
        ParamInfo &pinfo = M.params[size_t(p)];
        if (pinfo.type.isError())
          continue;
        auto c = constant(*o.value, fmt::format("the value of `{}` in scenario `{}`", o.param.name, sd->name.name));
        if (!c)
          continue;
        auto v = convertToParam(*c, pinfo, M.units, o.value->range, Diags, "this value");
        if (v)
          si.overrides.push_back({p, *v});
      }
      M.scenarios.push_back(std::move(si));
    }
  }

  void checkAsserts() {
    for (AssertInfo &a : M.asserts) {
      std::vector<int> deps;
      Scope scope{-1, &deps};
      Type t = checkExpr(*a.decl->cond, scope);
      const ast::Expr &c = *a.decl->cond;
      if (c.kind == ast::ExprKind::Binary && c.args.size() == 2) {
        a.lhs = written(*c.args[0]);
        a.rhs = written(*c.args[1]);
        // A ratio compared with a percentage reads best as two percentages.
        if (a.lhs.text.empty() && a.rhs.text.empty() && (a.lhs.percent || a.rhs.percent))
          a.lhs.percent = a.rhs.percent = true;
      }
      if (!t.isError() && t.kind != Type::Bool)
        Diags.report(diag::Kind::NotCondition, a.decl->cond->range, "an assertion needs a yes/no condition")
            .help = "compare two amounts, e.g. `assert spring.cost <= 60_000 USD`";
    }
  }

  std::optional<double> constantIn(ast::Expr &e, const Dim &want, const std::string &what, const std::string &help) {
    auto c = constant(e, what);
    if (!c)
      return std::nullopt;
    if (c->type.dim != want) {
      Diags.report(diag::Kind::UnitMismatch, e.range,
                   fmt::format("{} must be {}, but this is {}", what, M.units.phrase(want), M.units.phrase(c->type.dim)))
          .help = help;
      return std::nullopt;
    }
    return c->value;
  }

  void checkForecasts() {
    Dim perTime = Dim().operator/(Dim::base(kTime));
    for (ForecastInfo &fi : M.forecasts) {
      ast::ForecastDecl &fd = *fi.decl;
      if (fd.to.year * 12 + fd.to.month < fd.from.year * 12 + fd.from.month)
        Diags.report(diag::Kind::BadForecast, fd.to.range, "the forecast ends before it starts")
            .help = "write `monthly FIRST .. LAST` with FIRST before LAST";
      for (ast::RunDecl &r : fd.runs) {
        ForecastRunInfo ri;
        ri.range = r.range;
        auto sym = Symbols.find(r.pipeline.name);
        if (sym == Symbols.end() || sym->second.kind != Symbol::Pipeline) {
          std::vector<std::string> names;
          for (PipelineInfo &p : M.pipelines)
            names.push_back(p.decl->name.name);
          auto &d = Diags.report(diag::Kind::UnknownName, r.pipeline.range,
                                 fmt::format("`run` names `{}`, which is not a pipeline", r.pipeline.name));
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
            Diags.report(diag::Kind::BadForecast, se.month.range, fmt::format("`{}` is not a month", se.month.name))
                .help = "use jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec";
            continue;
          }
          auto f = constantIn(*se.factor, {}, "a seasonal factor", "a seasonal factor is a plain number like 1.6");
          if (f && *f < 0)
            Diags.report(diag::Kind::BadForecast, se.factor->range, "a seasonal factor cannot be negative");
          else if (f)
            ri.season[it - std::begin(kMonths)] = *f;
        }
        fi.runs.push_back(ri);
      }
      for (ast::BudgetDecl &b : fd.budgets)
        checkBudget(fi, b);
    }
  }

  void checkBudget(ForecastInfo &fi, ast::BudgetDecl &b) {
    BudgetInfo info{b.label, 0, false, b.range};
    bool periodOk = b.period.name == "month" || b.period.name == "year";
    if (!periodOk)
      Diags.report(diag::Kind::BadBudget, b.period.range,
                   fmt::format("a budget is per `month` or per `year`, not per `{}`", b.period.name))
          .help = "write `budget 45_000 USD per month` or `budget 480_000 USD per year`";
    info.perYear = b.period.name == "year";
    auto c = constant(*b.amount, "a budget");
    if (!c)
      return;
    if (c->type.dim != M.units.money()) {
      bool perTime = c->type.dim * Dim::base(kTime) == M.units.money();
      auto &d = Diags.report(diag::Kind::BadBudget, b.amount->range,
                             perTime ? fmt::format("a budget is an amount in {}; its period goes after `per`",
                                                   M.units.currency())
                                     : fmt::format("a budget is an amount in {}, but this is in {}", M.units.currency(),
                                                   M.units.format(c->type.dim)));
      d.help = fmt::format("write the amount in {} and the period after `per`: `budget 45_000 {} per month`",
                           M.units.currency(), M.units.currency());
      return;
    }
    if (c->value < 0) {
      Diags.report(diag::Kind::BadBudget, b.amount->range, "a budget cannot be negative");
      return;
    }
    info.amount = c->value;
    if (periodOk)
      fi.budgets.push_back(info);
  }

  // `30% / year` grows 30 % per year; the period is the unit written after `/`.
  double growthPeriodHours(const ast::Expr &e) const {
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

  // ---- Ordering -------------------------------------------------------------------------------

  void orderValues() {
    for (auto &[id, deps] : Deps)
      for (int d : deps)
        M.values[size_t(id)].deps.push_back(d);
    for (Value &v : M.values) {
      if (v.kind == ValueKind::Fee && v.card >= 0)
        v.deps.insert(v.deps.end(), M.ratecards[size_t(v.card)].deps.begin(), M.ratecards[size_t(v.card)].deps.end());
      if (v.kind == ValueKind::Bill)
        v.deps.insert(v.deps.end(), M.prices[size_t(v.card)].deps.begin(), M.prices[size_t(v.card)].deps.end());
    }
    std::vector<int> state(M.values.size(), 0), stack;
    std::function<void(int)> visit = [&](int v) {
      if (state[size_t(v)] == 2)
        return;
      if (state[size_t(v)] == 1) {
        auto start = std::find(stack.begin(), stack.end(), v);
        std::vector<int> members(start, stack.end());
        bool known = std::any_of(members.begin(), members.end(), [&](int m) { return InCycle.count(m) > 0; });
        if (!known)
          reportCycleMembers(members);
        return;
      }
      state[size_t(v)] = 1;
      stack.push_back(v);
      for (int d : M.values[size_t(v)].deps)
        visit(d);
      stack.pop_back();
      state[size_t(v)] = 2;
      M.order.push_back(v);
    };
    for (size_t v = 0; v < M.values.size(); ++v)
      visit(int(v));
  }

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

} // namespace

std::optional<Model> check(std::vector<ast::File> &files, const SourceManager &sm, diag::DiagnosticEngine &diags) {
  if (files.empty())
    return std::nullopt;
  Checker c(files, sm, diags);
  return c.run();
}

std::optional<double> checkOverride(const Model &model, int param, ast::Expr &value, diag::DiagnosticEngine &diags) {
  UnitTable units = model.units;
  const ParamInfo &p = model.params[size_t(param)];
  auto c = evalConstant(value, units, diags.sources(), diags, fmt::format("the value for `{}`", p.name),
                        [&](const std::string &n) {
                          for (const ParamInfo &q : model.params)
                            if (q.name == n)
                              return fmt::format("param `{}`", n);
                          return std::string();
                        });
  if (!c)
    return std::nullopt;
  return convertToParam(*c, p, units, value.range, diags, "this value");
}

} // namespace camp::sema
