// Checker phase "units": the type and dimension of every value and expression, and value cycles.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

Type Checker::typeValue(int id) {
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

void Checker::checkValueType(Value &v) {
  if (v.type.isError())
    return;
  bool mustBeMoney = v.kind == ValueKind::CostLine || v.kind == ValueKind::Revenue;
  if (v.type.kind == Type::Bool) {
    diag::report<diag::msg::ConditionNotAmount>(Diags, v.expr->range)
        .help = "use `if CONDITION then A else B` to choose between amounts";
    v.type = Type::error();
    return;
  }
  if (!mustBeMoney || v.type.dim == M.units.money())
    return;
  const char *what = v.kind == ValueKind::CostLine ? "a cost line" : "a revenue line";
  auto &d = diag::report<diag::msg::MustComeOutInCurrency>(Diags, v.expr->range, diag::arg::Words{what},
                                                             diag::arg::Unit{M.units.currency()},
                                                             diag::arg::Unit{M.units.format(v.type.dim)});
  d.label = M.units.format(v.type.dim);
  d.help = moneyHelp(v.type.dim);
}

std::string Checker::moneyHelp(const Dim &d) const {
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

Type Checker::reportCycle(int id) {
  auto start = std::find(Typing.begin(), Typing.end(), id);
  std::vector<int> members(start, Typing.end());
  reportCycleMembers(members);
  for (int m : members) {
    M.values[size_t(m)].state = 2;
    M.values[size_t(m)].type = Type::error();
  }
  return Type::error();
}

void Checker::reportCycleMembers(const std::vector<int> &members) {
  std::string names;
  for (size_t i = 0; i < members.size(); ++i)
    names += fmt::format("`{}` → ", M.values[size_t(members[i])].name);
  names += fmt::format("`{}`", M.values[size_t(members[0])].name);
  const Value &first = M.values[size_t(members[0])];
  auto &d = diag::report<diag::msg::ValuesFormCycle>(Diags, first.range, diag::arg::Words{names});
  for (size_t i = 1; i < members.size(); ++i) {
    const Value &v = M.values[size_t(members[i])];
    d.notes.push_back({v.range, fmt::format("`{}` is part of the cycle", v.name)});
  }
  d.help = "one of them must be computed without the others: replace one reference by a param or a number";
  for (int m : members)
    InCycle.insert(m);
}

Written Checker::written(const ast::Expr &e) const {
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

Type Checker::record(ast::Expr &e, Type t, ast::RefKind ref, int index, double scale) {
  M.exprs[&e] = {t, ref, index, scale};
  return t;
}

Type Checker::checkExpr(ast::Expr &e, Scope &s) {
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

Type Checker::checkNumber(ast::Expr &e, Scope &s) {
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

void Checker::splitSuffix(ast::Expr &e, size_t at) {
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

Type Checker::checkUnary(ast::Expr &e, Scope &s) {
  Type t = checkExpr(*e.args[0], s);
  if (t.isError())
    return record(e, t);
  if (e.unaryOp == ast::UnaryOp::Not) {
    if (t.kind != Type::Bool) {
      diag::report<diag::msg::NotNeedsCondition>(Diags, e.args[0]->range);
      return record(e, Type::error());
    }
    return record(e, t);
  }
  if (t.kind == Type::Bool) {
    diag::report<diag::msg::CannotNegateCondition>(Diags, e.args[0]->range);
    return record(e, Type::error());
  }
  return record(e, t);
}

bool Checker::needNumber(const Type &t, const ast::Expr &e, const char *op) {
  if (t.kind == Type::Number)
    return true;
  diag::report<diag::msg::OperatorNeedsAmounts>(Diags, e.range, diag::arg::Words{op});
  return false;
}

Type Checker::checkBinary(ast::Expr &e, Scope &s) {
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
      diag::report<diag::msg::OperatorJoinsConditions>(Diags, bad.range, diag::arg::Words{op})
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

void Checker::reportMismatch(ast::Expr &e, const Type &a, const Type &b) {
  std::string as = M.units.format(a.dim), bs = M.units.format(b.dim);
  diag::arg::Unit ua{as}, ub{bs};
  diag::Diagnostic &d = [&]() -> diag::Diagnostic & {
    switch (e.binaryOp) {
    case ast::BinaryOp::Add: return diag::report<diag::msg::CannotAdd>(Diags, e.opRange, ua, ub);
    case ast::BinaryOp::Sub: return diag::report<diag::msg::CannotSubtract>(Diags, e.opRange, ua, ub);
    default: return diag::report<diag::msg::CannotCompare>(Diags, e.opRange, ua, ub);
    }
  }();
  d.notes.push_back({e.args[0]->range, fmt::format("this is in {}", as)});
  d.notes.push_back({e.args[1]->range, fmt::format("this is in {}", bs)});
  d.help = mismatchHelp(a.dim, b.dim);
}

std::string Checker::mismatchHelp(const Dim &a, const Dim &b) const {
  Dim ratio = a / b;
  std::string r = M.units.format(ratio);
  if (r.rfind("1/", 0) == 0)
    return fmt::format("both sides need the same unit; the left side is per {} — multiply it by a time or "
                       "quantity, or divide the right side", r.substr(2));
  return fmt::format("both sides need the same unit; the left side has an extra factor of {}", r);
}

std::optional<int> Checker::integerLiteral(const ast::Expr &e) {
  bool neg = e.kind == ast::ExprKind::Unary && e.unaryOp == ast::UnaryOp::Neg;
  const ast::Expr &lit = neg ? *e.args[0] : e;
  if (lit.kind != ast::ExprKind::Number || lit.unit || lit.percent || std::floor(lit.number) != lit.number ||
      std::fabs(lit.number) > 64)
    return std::nullopt;
  return int(neg ? -lit.number : lit.number);
}

Type Checker::checkPow(ast::Expr &e, Scope &s) {
  Type a = checkExpr(*e.args[0], s);
  auto n = integerLiteral(*e.args[1]);
  if (!n) {
    Type b = checkExpr(*e.args[1], s);
    (void)b;
    auto &d = diag::report<diag::msg::ExponentNotLiteral>(Diags, e.args[1]->range);
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

Type Checker::checkIf(ast::Expr &e, Scope &s) {
  Type c = checkExpr(*e.args[0], s);
  Type a = checkExpr(*e.args[1], s);
  Type b = checkExpr(*e.args[2], s);
  if (!c.isError() && c.kind != Type::Bool) {
    diag::report<diag::msg::IfNeedsCondition>(Diags, e.args[0]->range)
        .help = "compare amounts, e.g. `if emails > 1000000 email then … else …`";
    return record(e, Type::error());
  }
  if (c.isError() || a.isError() || b.isError())
    return record(e, Type::error());
  if (a.kind != b.kind || a.dim != b.dim) {
    auto &d = diag::report<diag::msg::IfBranchesDiffer>(Diags, e.args[2]->range, diag::arg::Words{describe(a)},
                                                        diag::arg::Words{describe(b)});
    d.notes.push_back({e.args[1]->range, fmt::format("the `then` branch is in {}", describe(a))});
    return record(e, Type::error());
  }
  return record(e, a);
}

std::string Checker::describe(const Type &t) const {
  return t.kind == Type::Bool ? "a yes/no condition" : M.units.format(t.dim);
}

Type Checker::checkCall(ast::Expr &e, Scope &s) {
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
    auto &d = diag::report<diag::msg::UnknownFunction>(Diags, e.parts[0].range, diag::arg::Name{f});
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
    if (lo == 1 && hi == 1)
      diag::report<diag::msg::TakesOneArgument>(Diags, e.range, diag::arg::Name{f}, diag::arg::Count{int64_t(args.size())});
    else
      diag::report<diag::msg::TakesArguments>(Diags, e.range, diag::arg::Name{f}, diag::arg::Words{want},
                                              diag::arg::Count{int64_t(args.size())});
    return false;
  };
  auto plain = [&](size_t i) {
    if (args[i].dim.none())
      return true;
    auto &d = diag::report<diag::msg::TakesPlainNumber>(Diags, e.args[i]->range, diag::arg::Name{f},
                                                        diag::arg::Unit{M.units.format(args[i].dim)});
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
        diag::report<diag::msg::ArgumentsNeedSameUnit>(Diags, e.args[i]->range, diag::arg::Name{f},
                                                          diag::arg::Unit{M.units.format(args[0].dim)},
                                                          diag::arg::Unit{M.units.format(args[i].dim)});
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
      diag::report<diag::msg::StepUnit>(Diags, e.args[1]->range, diag::arg::Name{f}, diag::arg::Unit{M.units.format(args[0].dim)},
                                        diag::arg::Unit{M.units.format(args[1].dim)});
      return record(e, Type::error());
    }
    return record(e, args[0]);
  }
  if (isFn("sqrt")) {
    if (!arity(1, 1))
      return record(e, Type::error());
    if (!args[0].dim.canSqrt()) {
      diag::report<diag::msg::SquareRootOfUnit>(Diags, e.args[0]->range, diag::arg::Unit{M.units.format(args[0].dim)});
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

} // namespace camp::sema::detail
