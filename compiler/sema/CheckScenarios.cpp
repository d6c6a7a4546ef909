// Checker phase "scenarios and asserts".
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

void Checker::checkScenarios() {
  std::vector<std::string> paramNames;
  for (ParamInfo &p : M.params)
    paramNames.push_back(p.name);
  for (ast::ScenarioDecl *sd : ScenarioDecls) {
    ScenarioInfo si{sd->name.name, sd->title, {}, sd->name.range};
    std::map<int, SourceRange> seen;
    for (ast::Override &o : sd->overrides) {
      auto it = Symbols.find(o.param.name);
      if (it == Symbols.end() || it->second.kind != Symbol::Param) {
        auto &d = diag::report<diag::msg::ScenarioSetsNonParam>(Diags, o.param.range, diag::arg::Name{sd->name.name},
                                                                diag::arg::Name{o.param.name});
        std::string near = closestName(o.param.name, paramNames);
        d.help = near.empty() ? "a scenario overrides params only" : fmt::format("did you mean `{}`?", near);
        continue;
      }
      int p = it->second.index;
      if (seen.count(p)) {
        auto &d = diag::report<diag::msg::ScenarioSetsTwice>(Diags, o.param.range, diag::arg::Name{sd->name.name},
                                                             diag::arg::Name{o.param.name});
        d.notes.push_back({seen[p], "first set here"});
        continue;
      }
      seen[p] = o.param.range;
      ParamInfo &pinfo = M.params[size_t(p)];
      if (pinfo.type.isError())
        continue;
      auto c = constant(*o.value, diag::phrase<diag::phr::ValueInScenario>(diag::arg::Name{o.param.name},
                                                                            diag::arg::Name{sd->name.name}));
      if (!c)
        continue;
      auto v = convertToParam(*c, pinfo, M.units, o.value->range, Diags, diag::arg::Phrase(diag::arg::Words{"this value"}));
      if (v)
        si.overrides.push_back({p, *v});
    }
    M.scenarios.push_back(std::move(si));
  }
}

void Checker::checkAsserts() {
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
      diag::report<diag::msg::AssertNeedsCondition>(Diags, a.decl->cond->range)
          .help = "compare two amounts, e.g. `assert spring.cost <= 60_000 USD`";
  }
}

} // namespace camp::sema::detail
