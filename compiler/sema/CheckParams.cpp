// Checker phase "params": constant values, ranges and distributions of every param.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

std::string Checker::describeNonConstant(const std::string &n) const {
  auto it = Symbols.find(n);
  if (it == Symbols.end() || it->second.kind == Symbol::Unit)
    return "";
  return fmt::format("{} `{}`", symbolWord(it->second.kind), n);
}

std::optional<Constant> Checker::constant(ast::Expr &e, const std::string &what) {
  return evalConstant(e, M.units, Sm, Diags, what,
                      [this](const std::string &n) { return describeNonConstant(n); });
}

void Checker::checkParams() {
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

std::optional<double> Checker::paramArg(ParamInfo &p, ast::Expr &e, const std::string &what) {
  auto c = constant(e, what);
  if (!c)
    return std::nullopt;
  return convertToParam(*c, p, M.units, e.range, Diags, what);
}

void Checker::checkRange(ParamInfo &p) {
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

void Checker::checkDistribution(ParamInfo &p, ast::Distribution &dist) {
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

bool Checker::validDistribution(ParamInfo &p, ast::Distribution &dist, int kind, const std::vector<double> &a,
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

} // namespace camp::sema::detail
