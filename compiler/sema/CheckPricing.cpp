// Checker phase "pricing": rate cards, commitments, prices and their contract terms, bills.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

void Checker::createBills(int p) {
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

std::optional<double> Checker::literalValue(ast::Expr &e) {
  diag::DiagnosticEngine scratch;
  auto c = evalConstant(e, M.units, Sm, scratch, "", [](const std::string &) { return std::string("value"); });
  if (!c || scratch.hasErrors())
    return std::nullopt;
  return c->value;
}

void Checker::expectFraction(ast::Expr &e, Scope &scope, const std::string &what, bool capAtOne) {
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

std::string Checker::formatPercent(double v) {
  std::string s = fmt::format("{:.6g}", v * 100);
  return s + " %";
}

void Checker::expectNonNegative(ast::Expr &e, diag::Kind kind, const std::string &what) {
  auto v = literalValue(e);
  if (v && *v < 0)
    Diags.report(kind, e.range, fmt::format("{} cannot be negative", what)).help =
        "vendors charge zero or more; a credit is written as a `discount`";
}

void Checker::checkRatecards() {
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

void Checker::checkCommit(RatecardInfo &rc, ast::CommitDecl &c, Scope &scope) {
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

void Checker::checkPrices() {
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
void Checker::checkPackage(PriceInfo &pr, ast::PriceDecl &d, QtyFn &expectQuantity, MoneyFn &expectMoney) {
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
void Checker::checkPriceTerms(PriceInfo &pr, ast::PriceDecl &d, Scope &scope, MoneyFn &expectMoney) {
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
void Checker::checkTiers(PriceInfo &pr, ast::PriceDecl &d, RateFn &expectRate, QtyFn &expectQuantity, MoneyFn &expectMoney) {
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

void Checker::checkBoundOrder(PriceInfo &pr, ast::Tier &t, const ast::Tier *&prevTier, std::optional<double> &prevBound) {
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

bool Checker::expectDim(ast::Expr &e, Scope &scope, const Dim &want, const std::string &what, const std::string &wantText) {
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

Type Checker::checkRatecardMember(ast::Expr &e, Scope &s) {
  const std::string &card = e.parts[0].name;
  std::vector<std::string> members;
  for (auto &[name, id] : FeeValue)
    if (name.rfind(card + ".", 0) == 0)
      members.push_back(name.substr(card.size() + 1));
  for (auto &[name, id] : PriceIndex)
    if (name.rfind(card + ".", 0) == 0)
      members.push_back(name.substr(card.size() + 1));
  if (e.parts.size() < 2) {
    diag::report<diag::msg::RatecardNeedsMember>(Diags, e.range, diag::arg::Name{card});
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

Type Checker::checkPriceCall(ast::Expr &e, Scope &s) {
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

} // namespace camp::sema::detail
