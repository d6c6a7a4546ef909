// The checker: runs the phases in order (sema/CheckerImpl.h), then orders the values.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

std::optional<Model> Checker::run() {
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

int Checker::addValue(Value v) {
  M.values.push_back(std::move(v));
  return int(M.values.size()) - 1;
}

void Checker::orderValues() {
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

} // namespace camp::sema::detail

namespace camp::sema {

using detail::Checker;

std::optional<Model> check(std::vector<ast::File> &files, const SourceManager &sm, diag::DiagnosticEngine &diags) {
  if (files.empty())
    return std::nullopt;
  Checker c(files, sm, diags);
  return c.run();
}

std::optional<double> checkOverride(const Model &model, int param, ast::Expr &value, diag::DiagnosticEngine &diags) {
  UnitTable units = model.units;
  const ParamInfo &p = model.params[size_t(param)];
  auto c = evalConstant(value, units, diags.sources(), diags, diag::phrase<diag::phr::ValueFor>(diag::arg::Name{p.name}),
                        [&](const std::string &n) {
                          for (const ParamInfo &q : model.params)
                            if (q.name == n)
                              return std::string("param");
                          return std::string();
                        });
  if (!c)
    return std::nullopt;
  return convertToParam(*c, p, units, value.range, diags, diag::arg::Phrase(diag::arg::Words{"this value"}));
}

} // namespace camp::sema
