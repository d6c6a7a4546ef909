// Constant folding of param-like expressions, and the unit-suffix resolution every literal uses.
#include "sema/Constant.h"

#include <cmath>
#include <fmt/format.h>

#include "base/Strings.h"
#include "diag/Messages.h"

namespace camp::sema {

static bool looksLikeCurrency(const std::string &s) {
  return s.size() == 3 && std::isupper(uint8_t(s[0])) && std::isupper(uint8_t(s[1])) && std::isupper(uint8_t(s[2]));
}

// ISO 4217 codes people are likely to write; one of these in a model of another currency is a
// currency mix-up, not a unit to declare.
static bool isCommonCurrency(const std::string &s) {
  static const char *const kCodes[] = {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK",
                                       "DKK", "PLN", "CZK", "HUF", "RON", "INR", "CNY", "HKD", "SGD", "BRL",
                                       "MXN", "ZAR", "KRW", "TRY", "ILS", "AED", "SAR", "THB", "IDR", "MYR",
                                       "PHP", "TWD", "ARS", "CLP", "COP", "ISK", "BGN", "UAH", "EGP", "NGN"};
  for (const char *c : kCodes)
    if (s == c)
      return true;
  return false;
}

// Common spellings of time units that are not Camp's, and the unit to write instead.
static const char *timeUnitFor(const std::string &name) {
  static const std::pair<const char *, const char *> kAliases[] = {
      {"hour", "h"},      {"hours", "h"},     {"hr", "h"},         {"hrs", "h"},       {"days", "day"},
      {"d", "day"},       {"weeks", "week"},  {"wk", "week"},      {"months", "month"}, {"mo", "month"},
      {"quarters", "quarter"}, {"years", "year"}, {"yr", "year"}, {"minutes", "minute"}, {"min", "minute"},
      {"mins", "minute"}};
  for (auto [alias, unit] : kAliases)
    if (name == alias)
      return unit;
  return nullptr;
}

std::optional<Unit> resolveUnitSuffix(const ast::UnitSuffix &suffix, size_t factorCount, UnitTable &units,
                                      diag::DiagnosticEngine &diags,
                                      const std::function<bool(const std::string &)> &isValue) {
  Unit out;
  bool ok = true;
  for (size_t i = 0; i < factorCount && i < suffix.factors.size(); ++i) {
    const ast::UnitFactor &f = suffix.factors[i];
    int sign = f.denominator ? -1 : 1;
    if (f.number == 0) {
      diag::report<diag::msg::UnitGroupsOfZero>(diags, f.range);
      return std::nullopt;
    }
    out.scale = f.denominator ? out.scale / f.number : out.scale * f.number;
    for (const ast::UnitTerm &t : f.terms) {
      const Unit *u = units.find(t.name.name);
      if (!u && units.currency().empty() && looksLikeCurrency(t.name.name)) {
        units.setCurrency(t.name.name); // the missing `currency` line is reported once, elsewhere
        u = units.find(t.name.name);
      }
      if (!u) {
        ok = false;
        if (isValue && isValue(t.name.name)) {
          auto &d = diag::report<diag::msg::ValueNotUnit>(diags, t.name.range, diag::arg::Name{t.name.name});
          d.help = fmt::format("to multiply, write `*` before it: `… * {}`", t.name.name);
          continue;
        }
        if (!units.currency().empty() && isCommonCurrency(t.name.name)) {
          auto &d = diag::report<diag::msg::NotTheModelsCurrency>(diags, t.name.range, diag::arg::Unit{t.name.name},
                                                                  diag::arg::Unit{units.currency()});
          d.help = fmt::format("a model computes in one currency: convert the amount to {}, or make `{}` the "
                               "model's currency if every amount is in it",
                               units.currency(), t.name.name);
          continue;
        }
        auto &d = diag::report<diag::msg::UnknownUnitName>(diags, t.name.range, diag::arg::Unit{t.name.name});
        std::string near = closestName(t.name.name, units.names());
        if (const char *time = timeUnitFor(t.name.name))
          d.help = fmt::format("time is written in `{}` (the time units are minute, h, day, week, month, quarter, year)", time);
        else if (!near.empty())
          d.help = fmt::format("did you mean `{}`?", near);
        else
          d.help = fmt::format("declare it with `unit {}`", t.name.name);
        continue;
      }
      int p = sign * t.power;
      out.dim = out.dim * u->dim.pow(p);
      out.scale *= std::pow(u->scale, p);
    }
  }
  if (!ok)
    return std::nullopt;
  return out;
}

Written writtenUnit(const ast::Expr &e, const SourceManager &sm, double unitScale) {
  Written w;
  w.percent = e.percent;
  if (!e.unit)
    return w;
  const std::string &text = sm.file(e.unit->range.file).text();
  w.text = text.substr(e.unit->range.begin, e.unit->range.end - e.unit->range.begin);
  w.scale = unitScale;
  return w;
}

namespace {

struct ConstFolder {
  UnitTable &units;
  const SourceManager &sm;
  diag::DiagnosticEngine &diags;
  const diag::arg::Phrase &what;
  const std::function<std::string(const std::string &)> &describeName;

  std::optional<Constant> fail() { return std::nullopt; }

  std::optional<Constant> eval(ast::Expr &e) {
    switch (e.kind) {
    case ast::ExprKind::Number:
      return number(e);
    case ast::ExprKind::Name:
      return name(e);
    case ast::ExprKind::Unary:
      return unary(e);
    case ast::ExprKind::Binary:
      return binary(e);
    case ast::ExprKind::Call:
      return call(e);
    case ast::ExprKind::PriceCall:
    case ast::ExprKind::If:
      diag::report<diag::msg::MustBeConstant>(diags, e.range, what).help =
          "write a number with its unit, like `80 USD/h` or `2.5%`";
      return fail();
    }
    return fail();
  }

  std::optional<Constant> number(ast::Expr &e) {
    Constant c;
    c.type = Type::number({});
    double scale = 1;
    if (e.unit) {
      auto u = resolveUnitSuffix(*e.unit, e.unit->factors.size(), units, diags,
                                 [&](const std::string &n) { return !describeName(n).empty(); });
      if (!u)
        return fail();
      c.type.dim = u->dim;
      scale = u->scale;
    }
    c.value = e.number * scale;
    c.written = writtenUnit(e, sm, scale);
    return c;
  }

  std::optional<Constant> name(ast::Expr &e) {
    const std::string &n = e.parts[0].name;
    if (e.parts.size() == 1) {
      if (const Unit *u = units.find(n))
        return Constant{Type::number(u->dim), u->scale, {n, u->scale, false}};
    }
    std::string desc = describeName(n);
    if (!desc.empty()) {
      auto &d = diag::report<diag::msg::ConstantUsesValue>(diags, e.range, what, diag::arg::Words{desc},
                                                           diag::arg::Name{n});
      d.help = "a param holds an input number; compute derived values with `let`";
      return fail();
    }
    auto &d = diag::report<diag::msg::UnknownNameUsed>(diags, e.parts[0].range, diag::arg::Name{n});
    std::string near = closestName(n, units.names());
    if (!near.empty())
      d.help = fmt::format("did you mean `{}`?", near);
    return fail();
  }

  std::optional<Constant> unary(ast::Expr &e) {
    auto v = eval(*e.args[0]);
    if (!v)
      return fail();
    if (e.unaryOp == ast::UnaryOp::Not) {
      diag::report<diag::msg::NumberNotCondition>(diags, e.range, what);
      return fail();
    }
    v->value = -v->value;
    return v;
  }

  std::optional<Constant> binary(ast::Expr &e) {
    auto a = eval(*e.args[0]);
    if (!a)
      return fail();
    if (e.binaryOp == ast::BinaryOp::Pow) {
      const ast::Expr &rhs = *e.args[1];
      bool neg = rhs.kind == ast::ExprKind::Unary && rhs.unaryOp == ast::UnaryOp::Neg;
      const ast::Expr &lit = neg ? *rhs.args[0] : rhs;
      if (lit.kind != ast::ExprKind::Number || lit.unit || std::floor(lit.number) != lit.number ||
          std::fabs(lit.number) > 64) {
        diag::report<diag::msg::ExponentNotWholeLiteral>(diags, rhs.range);
        return fail();
      }
      int n = int(neg ? -lit.number : lit.number);
      a->value = std::pow(a->value, n);
      a->type.dim = a->type.dim.pow(n);
      a->written = {};
      return a;
    }
    auto b = eval(*e.args[1]);
    if (!b)
      return fail();
    switch (e.binaryOp) {
    case ast::BinaryOp::Add:
    case ast::BinaryOp::Sub:
      if (a->type.dim != b->type.dim) {
        diag::arg::Unit left{units.format(a->type.dim)}, right{units.format(b->type.dim)};
        if (e.binaryOp == ast::BinaryOp::Add)
          diag::report<diag::msg::CannotAdd>(diags, e.opRange, left, right);
        else
          diag::report<diag::msg::CannotSubtract>(diags, e.opRange, left, right);
        return fail();
      }
      a->value = e.binaryOp == ast::BinaryOp::Add ? a->value + b->value : a->value - b->value;
      return a;
    case ast::BinaryOp::Mul:
      a->value *= b->value;
      a->type.dim = a->type.dim * b->type.dim;
      a->written = {"", 1, a->written.percent || b->written.percent};
      return a;
    case ast::BinaryOp::Div:
      if (b->value == 0) {
        diag::report<diag::msg::DivisionByZeroConstant>(diags, e.args[1]->range);
        return fail();
      }
      a->value /= b->value;
      a->type.dim = a->type.dim / b->type.dim;
      a->written = {"", 1, a->written.percent || b->written.percent};
      return a;
    default:
      diag::report<diag::msg::NumberNotCondition>(diags, e.range, what);
      return fail();
    }
  }

  std::optional<Constant> call(ast::Expr &e) {
    diag::report<diag::msg::ConstantCallsFunction>(diags, e.range, what, diag::arg::Name{e.parts[0].name});
    return fail();
  }
};

} // namespace

std::optional<Constant> evalConstant(ast::Expr &e, UnitTable &units, const SourceManager &sm,
                                     diag::DiagnosticEngine &diags, const diag::arg::Phrase &what,
                                     const std::function<std::string(const std::string &)> &describeName) {
  ConstFolder folder{units, sm, diags, what, describeName};
  auto c = folder.eval(e);
  if (c && !std::isfinite(c->value)) {
    diag::report<diag::msg::ConstantTooLarge>(diags, e.range, what);
    return std::nullopt;
  }
  return c;
}

std::optional<double> convertToParam(const Constant &c, const ParamInfo &p, const UnitTable &units,
                                     SourceRange at, diag::DiagnosticEngine &diags, const diag::arg::Phrase &what) {
  // A bare number for a param written as a percentage could mean 3 % or 300 %: say both.
  if (p.written.percent && c.type.dim.none() && !c.written.percent) {
    auto &d = diag::report<diag::msg::BareNumberForPercent>(diags, at, what, diag::arg::Name{p.name});
    std::string n = fmt::format("{}", c.value);
    std::string hundred = fmt::format("{}", c.value * 100);
    d.help = p.type.dim.none()
                 ? fmt::format("write `{}%` for {} %, or `{}%` if you mean {} %", n, n, hundred, hundred)
                 : fmt::format("write `{}%` for {} %, or `{} {}` for {} %", n, n, n, units.format(p.type.dim), hundred);
    return std::nullopt;
  }
  if (c.type.dim == p.type.dim)
    return c.value;
  if (c.type.dim.none())
    return c.value * p.written.scale; // written without a unit: the param's own unit, scale included
  auto &d = diag::report<diag::msg::ValueInOtherUnit>(diags, at, what, diag::arg::Unit{units.format(c.type.dim)},
                                                       diag::arg::Name{p.name}, diag::arg::Unit{units.format(p.type.dim)});
  d.help = fmt::format("write it in {} or without a unit (then it is read in {})", units.format(p.type.dim),
                       p.written.text.empty() ? units.format(p.type.dim) : p.written.text);
  return std::nullopt;
}

} // namespace camp::sema
