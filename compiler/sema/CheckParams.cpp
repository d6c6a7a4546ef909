// Checker phase "params": constant values, ranges and distributions of every param.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

std::string Checker::describeNonConstant(const std::string &n) const {
  auto it = Symbols.find(n);
  if (it == Symbols.end() || it->second.kind == Symbol::Unit)
    return "";
  return symbolWord(it->second.kind);
}

std::optional<Constant> Checker::constant(ast::Expr &e, const diag::arg::Phrase &what) {
  return evalConstant(e, M.units, Sm, Diags, what,
                      [this](const std::string &n) { return describeNonConstant(n); });
}

void Checker::checkParams() {
  for (ParamInfo &p : M.params) {
    ast::ParamDecl &d = *p.decl;
    auto value = constant(*d.value, diag::phrase<diag::phr::ValueOfParam>(diag::arg::Name{p.name}));
    if (!value) {
      p.type = Type::error();
      continue;
    }
    if (value->type.kind != Type::Number) {
      diag::report<diag::msg::ParamHoldsNumber>(Diags, d.value->range);
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

std::optional<double> Checker::paramArg(ParamInfo &p, ast::Expr &e, const diag::arg::Phrase &what) {
  auto c = constant(e, what);
  if (!c)
    return std::nullopt;
  return convertToParam(*c, p, M.units, e.range, Diags, what);
}

void Checker::checkRange(ParamInfo &p) {
  ast::ParamDecl &d = *p.decl;
  if (!d.lo || !d.hi)
    return;
  auto lo = paramArg(p, *d.lo, diag::arg::Phrase(diag::arg::Words{"the range's low end"}));
  auto hi = paramArg(p, *d.hi, diag::arg::Phrase(diag::arg::Words{"the range's high end"}));
  if (!lo || !hi)
    return;
  if (!(*lo < *hi)) {
    diag::report<diag::msg::RangeLowToHigh>(Diags, d.lo->range, diag::arg::Name{p.name})
        .help = "write `in [low, high]` with low < high";
    return;
  }
  p.range = std::make_pair(*lo, *hi);
}

void Checker::checkDistribution(ParamInfo &p, ast::Distribution &dist) {
  static const std::map<std::string, std::pair<int, int>> kDists = {
      {"uniform", {1, 2}}, {"triangular", {2, 3}}, {"pert", {3, 3}}, {"normal", {4, 2}},
      {"lognormal", {5, 2}}, {"beta", {6, 2}}, {"discrete", {7, -1}}};
  auto it = kDists.find(dist.name.name);
  if (it == kDists.end()) {
    std::vector<std::string> names;
    for (auto &[n, k] : kDists)
      names.push_back(n);
    auto &d = diag::report<diag::msg::UnknownDistribution>(Diags, dist.name.range, diag::arg::Name{dist.name.name});
    std::string near = closestName(dist.name.name, names);
    d.help = near.empty() ? "the distributions are uniform, triangular, pert, normal, lognormal, beta and discrete"
                          : fmt::format("did you mean `{}`?", near);
    return;
  }
  auto [kind, arity] = it->second;
  const std::string &dn = dist.name.name;
  if (arity >= 0 && int(dist.args.size()) != arity) {
    diag::report<diag::msg::TakesArguments>(Diags, dist.range, diag::arg::Name{dn},
                                            diag::arg::Words{std::to_string(arity)},
                                            diag::arg::Count{int64_t(dist.args.size())});
    return;
  }
  std::vector<double> args, weights;
  for (size_t i = 0; i < dist.args.size(); ++i) {
    if (kind == 7 && !dist.weights[i]) {
      diag::report<diag::msg::DiscreteNeedsProbability>(Diags, dist.args[i]->range)
          .help = "write `discrete(value: probability, …)`, e.g. `discrete(1%: 0.3, 2%: 0.7)`";
      return;
    }
    if (kind != 7 && dist.weights[i]) {
      diag::report<diag::msg::ProbabilityOnlyForDiscrete>(Diags, dist.weights[i]->range, diag::arg::Name{dn});
      return;
    }
    std::optional<double> a;
    if (kind == 6) { // beta's shape parameters are plain numbers
      auto c = constant(*dist.args[i], diag::phrase<diag::phr::ArgumentOf>(diag::arg::Name{"beta"}));
      if (c && !c->type.dim.none()) {
        diag::report<diag::msg::BetaShapePlain>(Diags, dist.args[i]->range);
        return;
      }
      if (c)
        a = c->value;
    } else {
      bool spread = (kind == 4 || kind == 5) && i == 1;
      a = paramArg(p, *dist.args[i], diag::arg::Phrase(diag::arg::Words{spread ? "the standard deviation" : "this argument"}));
    }
    if (!a)
      return;
    args.push_back(*a);
    if (kind == 7) {
      auto w = constant(*dist.weights[i], diag::arg::Phrase(diag::arg::Words{"a probability"}));
      if (!w)
        return;
      if (!w->type.dim.none() || w->value < 0) {
        diag::report<diag::msg::ProbabilityPlain>(Diags, dist.weights[i]->range);
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

bool Checker::validDistribution(ParamInfo &p, ast::Distribution &dist, int kind, const std::vector<double> &a,
                       const std::vector<double> &w) {
  // Each case reports its own typed message; `bad` adds the help and makes the check fail.
  auto bad = [](diag::Diagnostic &d, const char *help) {
    d.help = help;
    return false;
  };
  auto at = dist.range;
  switch (kind) {
  case 1:
    return a[0] < a[1] || bad(diag::report<diag::msg::UniformOrder>(Diags, at), "swap the two values");
  case 2:
  case 3:
    if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2]))
      return bad(diag::report<diag::msg::ModeOrder>(Diags, at, diag::arg::Name{dist.name.name}),
                 "list the lowest value first, the most likely second, the highest last");
    return true;
  case 4:
    return a[1] > 0 || bad(diag::report<diag::msg::NormalSpread>(Diags, at), "a spread of zero is a fixed value: drop the distribution");
  case 5:
    if (!(a[0] > 0 && a[1] > 0))
      return bad(diag::report<diag::msg::LognormalPositive>(Diags, at), "lognormal values are positive; mean and sd are the variable's own");
    return true;
  case 6:
    if (!p.type.dim.none())
      return bad(diag::report<diag::msg::BetaHasUnit>(Diags, at),
                 "use beta for rates written as plain numbers or percentages");
    return (a[0] > 0 && a[1] > 0) || bad(diag::report<diag::msg::BetaShapePositive>(Diags, at), "both shape parameters are positive");
  case 7: {
    if (a.empty())
      return bad(diag::report<diag::msg::DiscreteEmpty>(Diags, at), "write `discrete(value: probability, …)`");
    double sum = 0;
    for (double x : w)
      sum += x;
    if (std::fabs(sum - 1) > 1e-9)
      return bad(diag::report<diag::msg::ProbabilitiesSum>(Diags, at, diag::arg::Number{sum}), "make them sum to 1");
    return true;
  }
  }
  return true;
}

} // namespace camp::sema::detail
