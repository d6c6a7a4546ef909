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
  auto c = evalConstant(e, M.units, Sm, scratch, diag::arg::Phrase(diag::arg::Words{""}), [](const std::string &) { return std::string("value"); });
  if (!c || scratch.hasErrors())
    return std::nullopt;
  return c->value;
}

void Checker::expectFraction(ast::Expr &e, Scope &scope, const char *what, bool capAtOne) {
  Type t = checkExpr(e, scope);
  if (t.isError())
    return;
  if (t.kind != Type::Number || !t.dim.none()) {
    diag::report<diag::msg::PercentageNotInUnit>(Diags, e.range, diag::arg::Words{what}, diag::arg::Words{describe(t)})
        .help = "write it with `%`, e.g. `12%`";
    return;
  }
  auto v = literalValue(e);
  if (!v || (*v >= 0 && (!capAtOne || *v <= 1)))
    return;
  diag::arg::Words subject{what}, percent{formatPercent(*v)};
  (capAtOne ? diag::report<diag::msg::DiscountOutOfRange>(Diags, e.range, subject, percent)
            : diag::report<diag::msg::PremiumOutOfRange>(Diags, e.range, subject, percent))
      .help = capAtOne ? "a discount takes off between 0 % and 100 % of the price, e.g. `discount 12%`"
                       : "a premium adds a non-negative percentage, e.g. `overage 15%`";
}

std::string Checker::formatPercent(double v) {
  std::string s = fmt::format("{:.6g}", v * 100);
  return s + " %";
}

template <typename M, typename... A> void Checker::expectNonNegative(ast::Expr &e, const A &...args) {
  auto v = literalValue(e);
  if (v && *v < 0)
    diag::report<M>(Diags, e.range, args...).help =
        "vendors charge zero or more; a credit is written as a `discount`";
}

void Checker::checkRatecards() {
  for (RatecardInfo &rc : M.ratecards) {
    ast::RatecardDecl &d = *rc.decl;
    Scope scope{-1, &rc.deps};
    auto once = [&](size_t count, const char *what, auto rangeOf) {
      for (size_t i = 1; i < count; ++i)
        diag::report<diag::msg::RatecardTermTwice>(Diags, rangeOf(i), diag::arg::Name{rc.name}, diag::arg::Words{what})
            .notes.push_back({rangeOf(0), "the first is here"});
    };
    once(d.discounts.size(), "discount", [&](size_t i) { return d.discounts[i]->range; });
    once(d.commits.size(), "commit", [&](size_t i) { return d.commits[i].range; });
    once(d.contractFrom.size(), "contract from", [&](size_t i) { return d.contractFrom[i].range; });
    if (!d.discounts.empty()) {
      rc.discount = d.discounts[0].get();
      expectFraction(*rc.discount, scope, "a discount", true);
    }
    if (!d.contractFrom.empty()) {
      const ast::Date &c = d.contractFrom[0];
      if (c.day != 0)
        diag::report<diag::msg::ContractFromMonth>(Diags, c.range);
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
    auto &d = diag::report<diag::msg::CommitmentNotMoney>(Diags, c.amount->range, diag::arg::Unit{M.units.currency()},
                                                          diag::arg::Words{describe(t)});
    d.help = fmt::format("write `commit 60_000 {} per year`; a commitment in another currency must be converted", M.units.currency());
  } else if (!t.isError()) {
    expectNonNegative<diag::msg::NegativeCommitment>(*c.amount);
  }
  if (c.period.name == "year" || c.period.name == "month")
    rc.commitMonths = c.period.name == "year" ? 12 : 1;
  else
    diag::report<diag::msg::CommitmentPeriod>(Diags, c.period.range, diag::arg::Unit{c.period.name})
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
    auto ofPrice = [&](const char *what) {
      return diag::phrase<diag::phr::OfPrice>(diag::arg::Words{what}, diag::arg::Name{pr.name});
    };
    auto notNegative = [&](ast::Expr &e, const char *what) {
      if (tiered)
        expectNonNegative<diag::msg::NegativeTierTerm>(e, ofPrice(what));
      else
        expectNonNegative<diag::msg::NegativePriceTerm>(e, ofPrice(what));
    };
    auto expectRate = [&](ast::Expr &e) {
      expectDim(e, scope, rateDim, ofPrice("the rate"), pr.argText);
      notNegative(e, "the rate");
    };
    auto expectQuantity = [&](ast::Expr &e, const char *what) {
      expectDim(e, scope, unit->dim, ofPrice(what), pr.argText);
    };
    auto expectMoney = [&](ast::Expr &e, const char *what) {
      if (expectDim(e, scope, M.units.money(), ofPrice(what), ""))
        notNegative(e, what);
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
      expectNonNegative<diag::msg::NegativePriceTerm>(*d.allowance, ofPrice("the allowance"));
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
    diag::report<diag::msg::EmptyPackage>(Diags, d.packageSize->range, diag::arg::Name{pr.name}, diag::arg::Unit{pr.argText})
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
    auto &diag = repeated ? diag::report<diag::msg::PriceTermTwice>(Diags, t.range, diag::arg::Name{pr.name},
                                                                    diag::arg::Words{kTermWords[t.kind]})
                          : diag::report<diag::msg::PriceTermOrder>(Diags, t.range, diag::arg::Words{kTermWords[t.kind]},
                                                                    diag::arg::Words{kTermWords[prev.kind]});
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
      auto &diag = diag::report<diag::msg::MaximumBelowMinimum>(Diags, d.maximum->range, diag::arg::Name{pr.name});
      diag.notes.push_back({d.minimum->range, "the minimum is here"});
      diag.help = "a bill is at least the minimum and at most the maximum: raise the maximum or lower the minimum";
    }
  }
  if (!d.periodWord.name.empty() && d.periodWord.name != "monthly" && d.periodWord.name != "yearly")
    diag::report<diag::msg::BillingPeriod>(Diags, d.periodWord.range, diag::arg::Name{d.periodWord.name})
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
      diag::report<diag::msg::AboveNotLast>(Diags, t.range)
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
    diag::report<diag::msg::NoFinalAbove>(Diags, at, diag::arg::Name{pr.name})
        .help = "add a last line `above: RATE` that prices quantities beyond the last bound";
  }
}

void Checker::checkBoundOrder(PriceInfo &pr, ast::Tier &t, const ast::Tier *&prevTier, std::optional<double> &prevBound) {
  auto bound = literalValue(*t.bound);
  if (!bound)
    return;
  if (*bound < 0) {
    diag::report<diag::msg::NegativeTierBound>(Diags, t.bound->range, diag::arg::Name{pr.name})
        .help = "tier bounds are quantities from 0 upwards";
  } else if (prevBound && *bound <= *prevBound) {
    auto &d = *bound == *prevBound
                  ? diag::report<diag::msg::TierBoundRepeated>(Diags, t.bound->range, diag::arg::Name{pr.name})
                  : diag::report<diag::msg::TierBoundsOutOfOrder>(Diags, t.bound->range, diag::arg::Name{pr.name});
    d.notes.push_back({prevTier->bound->range, "the previous tier ends here"});
    d.help = "order the tiers by their bounds, smallest first, each bound larger than the one before";
  }
  prevBound = bound;
  prevTier = &t;
}

bool Checker::expectDim(ast::Expr &e, Scope &scope, const Dim &want, const diag::arg::Phrase &what,
                        const std::string &wantText) {
  Type t = checkExpr(e, scope);
  if (t.isError())
    return false;
  if (t.kind == Type::Bool) {
    diag::report<diag::msg::NumberNotCondition>(Diags, e.range, what);
    return false;
  }
  if (t.dim == want)
    return true;
  diag::arg::Unit wanted{M.units.format(want)}, got{M.units.format(t.dim)};
  auto &d = want == M.units.money() ? diag::report<diag::msg::MustBeInCurrency>(Diags, e.range, what, wanted, got)
                                    : diag::report<diag::msg::MustBeInUnit>(Diags, e.range, what, wanted, got);
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
    diag::report<diag::msg::PriceNeedsQuantity>(Diags, e.range, diag::arg::Name{full})
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
        diag::report<diag::msg::NotARatecard>(Diags, e.parts[0].range, diag::arg::Name{e.parts[0].name},
                                              diag::arg::Words{symbolWord(sym->second.kind)});
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
    diag::arg::Name price{full};
    diag::arg::Unit per{M.units.format(pr.argUnit.dim)};
    auto &d = arg.kind == Type::Bool
                  ? diag::report<diag::msg::PriceQuantityCondition>(Diags, e.args[0]->range, price, per)
                  : diag::report<diag::msg::PriceQuantityUnit>(Diags, e.args[0]->range, price, per,
                                                               diag::arg::Unit{M.units.format(arg.dim)});
    d.label = arg.kind == Type::Bool ? "condition" : M.units.format(arg.dim);
    d.notes.push_back({pr.decl->argUnit.range, fmt::format("`{}` is priced per {} here", full, pr.argText)});
  }
  return record(e, Type::number(M.units.money()), ast::RefKind::Unresolved, it->second);
}

} // namespace camp::sema::detail
