// Checker phase "names": the model header, units and categories, every declared name, and name lookup.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

void Checker::collectHeader() {
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
      auto &d = diag::report<diag::msg::OneTitle>(Diags, md.range);
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
      auto &d = diag::report<diag::msg::FileUsesOtherCurrency>(Diags, c.range, diag::arg::Unit{c.name},
                                                                diag::arg::Unit{M.units.currency()});
      d.notes.push_back({CurrencyRange, "the model's currency is declared here"});
      d.help = "a model and its imports use one currency; convert the amounts in this file";
    }
  }
  if (CurrencyRange.valid())
    return;
  if (entry.models.empty() && entry.params.empty() && entry.lets.empty() && entry.pipelines.empty() &&
      entry.imports.empty() && entry.ratecards.empty() && entry.units.empty()) {
    auto &d = diag::report<diag::msg::DeclaresNothing>(Diags, SourceRange{entry.fileId, 0, 0},
                                                      diag::arg::Path{Sm.file(entry.fileId).path()});
    d.help = "a model starts with a title and its currency, e.g. `model \"Spring promo\"` and `currency USD`";
    return;
  }
  SourceRange at = TitleRange.valid() ? TitleRange : SourceRange{entry.fileId, 0, 0};
  auto &d = diag::report<diag::msg::NoCurrency>(Diags, at);
  d.help = "add a line such as `currency USD` (any ISO-4217 code) after the model's title";
}

void Checker::collectUnitsAndCategories() {
  for (const char *c : kBuiltinCategories)
    M.categories.push_back(c);
  for (ast::File &f : Files) {
    for (ast::Ident &u : f.units) {
      if (!M.units.declareCount(u.name)) {
        diag::report<diag::msg::BuiltinUnitDeclared>(Diags, u.range, diag::arg::Name{u.name})
            .help = "pick another name for this count unit";
        continue;
      }
      if (!Symbols.count(u.name))
        Symbols[u.name] = {Symbol::Unit, -1, u.range};
    }
    for (ast::Ident &c : f.categories) {
      if (std::find(M.categories.begin(), M.categories.end(), c.name) != M.categories.end()) {
        auto &d = diag::report<diag::msg::CategoryExists>(Diags, c.range, diag::arg::Name{c.name});
        if (CategoryRanges.count(c.name))
          d.notes.push_back({CategoryRanges[c.name], "declared here"});
        continue;
      }
      M.categories.push_back(c.name);
      CategoryRanges[c.name] = c.range;
    }
  }
}

bool Checker::declare(const ast::Ident &name, Symbol::Kind kind, int index) {
  auto it = Symbols.find(name.name);
  if (it == Symbols.end() && !(kind != Symbol::Unit && M.units.isBuiltin(name.name))) {
    Symbols[name.name] = {kind, index, name.range};
    return true;
  }
  if (it == Symbols.end()) {
    diag::report<diag::msg::IsBuiltinUnit>(Diags, name.range, diag::arg::Name{name.name}).help =
        "pick another name";
    return false;
  }
  auto &d = diag::report<diag::msg::AlreadyDeclared>(Diags, name.range, diag::arg::Name{name.name},
                                                     diag::arg::Words{symbolWord(it->second.kind)});
  d.notes.push_back({it->second.range, fmt::format("`{}` is first declared here", name.name)});
  d.help = "names are unique across a model and its imports; rename one of them";
  return false;
}

void Checker::collectSymbols() {
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

std::string Checker::joinCategories() const {
  std::string s;
  for (const std::string &c : M.categories)
    s += (s.empty() ? "" : ", ") + c;
  return s;
}

bool Checker::isValueName(const std::string &n, const Scope &s) const {
  if (s.pipeline >= 0)
    for (auto &[name, id] : M.pipelines[size_t(s.pipeline)].lets)
      if (name == n)
        return true;
  auto it = Symbols.find(n);
  return it != Symbols.end() && it->second.kind != Symbol::Unit;
}

Type Checker::useValue(ast::Expr &e, Scope &s, ast::RefKind ref, int id) {
  if (s.deps)
    s.deps->push_back(id);
  return record(e, typeValue(id), ref, id);
}

Type Checker::unknownMember(const ast::Ident &member, const std::string &owner, const std::vector<std::string> &members) {
  auto &d = diag::report<diag::msg::OwnerHasNo>(Diags, member.range, diag::arg::Words{owner}, diag::arg::Name{member.name});
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

Type Checker::checkName(ast::Expr &e, Scope &s) {
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
    diag::report<diag::msg::NoMember>(Diags, e.parts[allowed].range, diag::arg::Name{joinParts(e, allowed)},
                                   diag::arg::Name{e.parts[allowed].name});
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
    diag::report<diag::msg::NotAValue>(Diags, e.range, diag::arg::Name{n}, diag::arg::Words{symbolWord(sym.kind)});
    return record(e, Type::error());
  }
  return record(e, Type::error());
}

std::string Checker::joinParts(const ast::Expr &e, size_t count) {
  std::string s;
  for (size_t i = 0; i < count && i < e.parts.size(); ++i)
    s += (i ? "." : "") + e.parts[i].name;
  return s;
}

Type Checker::unknownName(ast::Expr &e, Scope &s) {
  const std::string &n = e.parts[0].name;
  std::vector<std::string> candidates;
  for (auto &[name, sym] : Symbols)
    candidates.push_back(name);
  for (const std::string &u : M.units.names())
    candidates.push_back(u);
  if (s.pipeline >= 0)
    for (auto &[name, id] : M.pipelines[size_t(s.pipeline)].lets)
      candidates.push_back(name);
  auto &d = diag::report<diag::msg::UnknownNameUsed>(Diags, e.parts[0].range, diag::arg::Name{n});
  std::string near = closestName(n, candidates);
  if (!near.empty())
    d.help = fmt::format("did you mean `{}`?", near);
  else if (std::find(M.categories.begin(), M.categories.end(), n) != M.categories.end())
    d.help = fmt::format("`{}` is a category; a pipeline's total in it is `PIPELINE.{}`", n, n);
  else
    d.help = fmt::format("declare it with `param {} = …` or `let {} = …`", n, n);
  return record(e, Type::error());
}

} // namespace camp::sema::detail
