// Declarations first (every file), then every use resolved the way the checker does: a plain
// name inside a pipeline looks at that pipeline's lets first; `a.b` is a card member or a
// pipeline's stage, let or result; units and categories are their own names.
#include "lsp/Index.h"

#include <algorithm>

namespace camp::lsp {

const char *symbolKindName(SymbolKind k) {
  switch (k) {
  case SymbolKind::Param: return "param";
  case SymbolKind::Let: return "let";
  case SymbolKind::RateCard: return "rate card";
  case SymbolKind::Fee: return "fee";
  case SymbolKind::Price: return "price";
  case SymbolKind::Pipeline: return "pipeline";
  case SymbolKind::Stage: return "stage";
  case SymbolKind::PipelineLet: return "let";
  case SymbolKind::Unit: return "unit";
  case SymbolKind::Category: return "category";
  case SymbolKind::Scenario: return "scenario";
  case SymbolKind::Forecast: return "forecast";
  }
  return "name";
}

int Index::add(Symbol s) {
  int id = int(Symbols.size());
  ByName.emplace(s.qualified, id);
  SourceRange r = s.nameRange;
  Symbols.push_back(std::move(s));
  occur(id, r, true);
  return id;
}

void Index::occur(int symbol, SourceRange r, bool decl) {
  if (symbol < 0 || !r.valid())
    return;
  Occurrences.push_back({symbol, r, decl});
}

int Index::find(const std::string &qualified) const {
  auto it = ByName.find(qualified);
  return it == ByName.end() ? -1 : it->second;
}

void Index::build(const std::vector<ast::File> &files) {
  for (const ast::File &f : files)
    declare(f);
  for (const ast::File &f : files)
    resolve(f);
}

void Index::declare(const ast::File &f) {
  for (const ast::Ident &u : f.units) {
    if (int s = find(u.name); s >= 0 && Symbols[size_t(s)].kind == SymbolKind::Unit) {
      occur(s, u.range, true); // the same count unit declared again (a card and std/marketing)
      continue;
    }
    add({SymbolKind::Unit, u.name, u.name, -1, u.range, u.range, "", &u});
  }
  for (const ast::Ident &c : f.categories)
    add({SymbolKind::Category, c.name, "category " + c.name, -1, c.range, c.range, "", &c});
  for (const ast::ParamDecl &p : f.params)
    add({SymbolKind::Param, p.name.name, p.name.name, -1, p.name.range, p.range, p.doc, &p});
  for (const ast::LetDecl &l : f.lets)
    add({SymbolKind::Let, l.name.name, l.name.name, -1, l.name.range, l.range, l.doc, &l});
  for (const ast::RatecardDecl &r : f.ratecards) {
    int card = add({SymbolKind::RateCard, r.name.name, r.name.name, -1, r.name.range, r.range, r.doc, &r});
    for (const ast::FeeDecl &fee : r.fees)
      add({SymbolKind::Fee, fee.name.name, r.name.name + "." + fee.name.name, card, fee.name.range, fee.range, fee.doc,
           &fee});
    for (const ast::PriceDecl &p : r.prices)
      add({SymbolKind::Price, p.name.name, r.name.name + "." + p.name.name, card, p.name.range, p.range, p.doc, &p});
  }
  for (size_t pi = 0; pi < f.pipelines.size(); ++pi) {
    const ast::PipelineDecl &p = f.pipelines[pi];
    Symbol ps{SymbolKind::Pipeline, p.name.name, p.name.name, -1, p.name.range, p.range, p.doc, &p};
    ps.pipelineIndex = int(pi);
    int pipe = add(ps);
    for (size_t si = 0; si < p.stages.size(); ++si) {
      const ast::StageDecl &s = p.stages[si];
      Symbol ss{
          SymbolKind::Stage, s.name.name, p.name.name + "." + s.name.name, pipe, s.name.range, s.range, s.doc, &s};
      ss.pipelineIndex = int(pi);
      ss.stageIndex = int(si);
      add(ss);
    }
    for (const ast::LetDecl &l : p.lets) {
      Symbol ls{SymbolKind::PipelineLet,
                l.name.name,
                p.name.name + "." + l.name.name,
                pipe,
                l.name.range,
                l.range,
                l.doc,
                &l};
      ls.pipelineIndex = int(pi);
      add(ls);
    }
  }
  for (const ast::ScenarioDecl &s : f.scenarios)
    add({SymbolKind::Scenario, s.name.name, "scenario " + s.name.name, -1, s.name.range, s.range, s.doc, &s});
  for (const ast::ForecastDecl &fc : f.forecasts)
    add({SymbolKind::Forecast, fc.name.name, "forecast " + fc.name.name, -1, fc.name.range, fc.range, fc.doc, &fc});
}

void Index::unitSuffix(const ast::UnitSuffix &u) {
  for (const ast::UnitFactor &f : u.factors)
    for (const ast::UnitTerm &t : f.terms) {
      int s = find(t.name.name);
      if (s >= 0 && Symbols[size_t(s)].kind == SymbolKind::Unit)
        occur(s, t.name.range);
    }
}

void Index::name(const ast::Expr &e, int pipeline) {
  if (e.parts.empty())
    return;
  const std::string &first = e.parts[0].name;
  if (e.parts.size() == 1) {
    int s = -1;
    if (pipeline >= 0)
      s = find(Symbols[size_t(pipeline)].qualified + "." + first);
    if (s < 0 || Symbols[size_t(s)].kind != SymbolKind::PipelineLet)
      s = find(first);
    if (s >= 0 && Symbols[size_t(s)].kind != SymbolKind::Stage)
      occur(s, e.parts[0].range);
    return;
  }
  int head = find(first);
  if (head < 0)
    return;
  occur(head, e.parts[0].range);
  int member = find(first + "." + e.parts[1].name);
  if (member >= 0 && Symbols[size_t(member)].parent == head)
    occur(member, e.parts[1].range);
}

void Index::expr(const ast::Expr *e, int pipeline) {
  if (!e)
    return;
  switch (e->kind) {
  case ast::ExprKind::Number:
    if (e->unit)
      unitSuffix(*e->unit);
    break;
  case ast::ExprKind::Name: name(*e, pipeline); break;
  case ast::ExprKind::PriceCall:
    if (e->parts.size() >= 2) {
      int card = find(e->parts[0].name);
      occur(card, e->parts[0].range);
      int price = find(e->parts[0].name + "." + e->parts[1].name);
      occur(price, e->parts[1].range);
      if (price >= 0)
        Calls.push_back({e, price});
    }
    break;
  default: break;
  }
  for (const ast::ExprPtr &a : e->args)
    expr(a.get(), pipeline);
}

void Index::resolve(const ast::File &f) {
  for (const ast::ParamDecl &p : f.params) {
    expr(p.value.get(), -1);
    expr(p.lo.get(), -1);
    expr(p.hi.get(), -1);
    if (p.dist) {
      for (const ast::ExprPtr &a : p.dist->args)
        expr(a.get(), -1);
      for (const ast::ExprPtr &w : p.dist->weights)
        expr(w.get(), -1);
    }
  }
  for (const ast::LetDecl &l : f.lets)
    expr(l.value.get(), -1);
  for (const ast::RatecardDecl &r : f.ratecards) {
    for (const ast::FeeDecl &fee : r.fees)
      expr(fee.value.get(), -1);
    for (const ast::PriceDecl &p : r.prices) {
      unitSuffix(p.argUnit);
      expr(p.rate.get(), -1);
      expr(p.allowance.get(), -1);
      expr(p.minimum.get(), -1);
      for (const ast::Tier &t : p.tiers) {
        expr(t.bound.get(), -1);
        expr(t.rate.get(), -1);
      }
    }
  }
  for (const ast::PipelineDecl &p : f.pipelines) {
    int pipe = find(p.name.name);
    for (const ast::StageDecl &s : p.stages) {
      for (const ast::Ident &in : s.inputs)
        occur(find(p.name.name + "." + in.name), in.range);
      for (const ast::ExprPtr &o : s.outputs)
        expr(o.get(), pipe);
      for (const ast::CostLineDecl &l : s.lines) {
        int cat = find("category " + l.category.name);
        occur(cat, l.category.range);
        expr(l.value.get(), pipe);
      }
    }
    for (const ast::LetDecl &l : p.lets)
      expr(l.value.get(), pipe);
    for (const ast::RevenueDecl &r : p.revenues)
      expr(r.value.get(), pipe);
  }
  for (const ast::ScenarioDecl &s : f.scenarios)
    for (const ast::Override &o : s.overrides) {
      occur(find(o.param.name), o.param.range);
      expr(o.value.get(), -1);
    }
  for (const ast::AssertDecl &a : f.asserts)
    expr(a.cond.get(), -1);
  for (const ast::ForecastDecl &fc : f.forecasts)
    for (const ast::RunDecl &r : fc.runs) {
      occur(find(r.pipeline.name), r.pipeline.range);
      expr(r.rate.get(), -1);
      expr(r.growth.get(), -1);
      for (const ast::SeasonEntry &se : r.season)
        expr(se.factor.get(), -1);
    }
}

const Occurrence *Index::at(int32_t file, uint32_t offset) const {
  for (const Occurrence &o : Occurrences)
    if (o.range.file == file && o.range.begin <= offset && offset <= o.range.end)
      return &o;
  return nullptr;
}

std::vector<const Occurrence *> Index::referencesTo(int symbol) const {
  std::vector<const Occurrence *> out;
  for (const Occurrence &o : Occurrences)
    if (o.symbol == symbol)
      out.push_back(&o);
  return out;
}

std::vector<int> Index::membersOf(int parent) const {
  std::vector<int> out;
  for (size_t i = 0; i < Symbols.size(); ++i)
    if (Symbols[i].parent == parent)
      out.push_back(int(i));
  return out;
}

} // namespace camp::lsp
