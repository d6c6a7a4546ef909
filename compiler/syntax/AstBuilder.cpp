// Parse tree to AST: records source ranges, decodes numbers, strings and dates, attaches doc comments.
#include "syntax/AstBuilder.h"
#include "diag/Messages.h"

#include "CampLexer.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

namespace camp::syntax {

using camp_antlr::CampLexer;

SourceRange AstBuilder::range(antlr4::Token *t) const {
  if (t->getType() == antlr4::Token::EOF)
    return {File, uint32_t(t->getStartIndex()), uint32_t(t->getStartIndex())};
  return {File, uint32_t(t->getStartIndex()), uint32_t(t->getStopIndex() + 1)};
}

SourceRange AstBuilder::range(antlr4::ParserRuleContext *ctx) const {
  SourceRange b = range(ctx->getStart());
  antlr4::Token *stop = ctx->getStop();
  if (!stop || stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
    return b;
  return {File, b.begin, range(stop).end};
}

ast::Ident AstBuilder::ident(antlr4::tree::TerminalNode *n) const {
  if (!n)
    return {};
  return {n->getText(), range(n)};
}

ast::Ident AstBuilder::ident(P::NameContext *n) const {
  if (!n)
    return {};
  return {n->getText(), range(n)};
}

std::string AstBuilder::stringValue(antlr4::tree::TerminalNode *n) const {
  if (!n)
    return "";
  std::string raw = n->getText();
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 2 < raw.size()) {
      char c = raw[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      continue;
    }
    out += raw[i];
  }
  return out;
}

std::string AstBuilder::sourceText(antlr4::ParserRuleContext *ctx) const {
  SourceRange r = range(ctx);
  return Sm.file(File).text().substr(r.begin, r.end - r.begin);
}

// `/// …` lines directly above a declaration (only line breaks between them) are its doc.
std::string AstBuilder::docBefore(antlr4::ParserRuleContext *ctx) const {
  size_t i = ctx->getStart()->getTokenIndex();
  std::vector<std::string> lines;
  while (i-- > 0) {
    antlr4::Token *t = Tokens[i];
    if (t->getType() == CampLexer::NL)
      continue;
    if (t->getType() != CampLexer::DOC_COMMENT)
      break;
    std::string text = t->getText().substr(3);
    if (!text.empty() && text[0] == ' ')
      text.erase(0, 1);
    lines.insert(lines.begin(), text);
  }
  std::string doc;
  for (const std::string &l : lines)
    doc += (doc.empty() ? "" : "\n") + l;
  return doc;
}

double AstBuilder::numberValue(antlr4::Token *t) {
  std::string text;
  bool percent = false;
  for (char c : t->getText()) {
    if (c == '_')
      continue;
    if (c == '%') {
      percent = true;
      continue;
    }
    text += c;
  }
  errno = 0;
  double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE || !std::isfinite(v)) {
    bool tooBig = std::fabs(v) > 1 || !std::isfinite(v);
    diag::report<diag::msg::NumberOutOfRange>(Diags, range(t), diag::arg::Words{t->getText()},
                                              diag::arg::Words{tooBig ? "large" : "small"})
        .help = tooBig ? "numbers must stay below about 1.8e308" : "numbers this close to zero round to 0; write 0";
    return 0;
  }
  return percent ? v * 0.01 : v;
}

std::optional<ast::File> AstBuilder::buildFile(P::File_Context *ctx) {
  ast::File f;
  f.fileId = File;
  for (P::DeclContext *d : ctx->decl())
    addDecl(f, d);
  return f;
}

void AstBuilder::addDecl(ast::File &f, P::DeclContext *ctx) {
  if (auto *c = ctx->modelDecl())
    return f.models.push_back({stringValue(c->STRING()), range(c)});
  if (auto *c = ctx->currencyDecl())
    return f.currencies.push_back(ident(c->IDENT()));
  if (auto *c = ctx->importDecl())
    return f.imports.push_back({stringValue(c->STRING()), range(c->STRING())});
  if (auto *c = ctx->unitDecl()) {
    for (auto *n : c->IDENT())
      f.units.push_back(ident(n));
    return;
  }
  if (auto *c = ctx->categoryDecl()) {
    for (auto *n : c->IDENT())
      f.categories.push_back(ident(n));
    return;
  }
  if (auto *c = ctx->paramDecl())
    return f.params.push_back(param(c));
  if (auto *c = ctx->letDecl())
    return f.lets.push_back(let(c));
  if (auto *c = ctx->ratecardDecl())
    return f.ratecards.push_back(ratecard(c));
  if (auto *c = ctx->pipelineDecl())
    return f.pipelines.push_back(pipeline(c));
  if (auto *c = ctx->scenarioDecl())
    return f.scenarios.push_back(scenario(c));
  if (auto *c = ctx->assertDecl())
    return f.asserts.push_back({buildExpr(c->expr()), sourceText(c->expr()), stringValue(c->STRING()), range(c)});
  if (auto *c = ctx->forecastDecl())
    return f.forecasts.push_back(forecast(c));
  if (auto *c = ctx->correlateDecl())
    return f.correlations.push_back({ident(c->a), ident(c->b), buildExpr(c->expr()), range(c)});
}

ast::ParamDecl AstBuilder::param(P::ParamDeclContext *ctx) {
  ast::ParamDecl p;
  p.name = ident(ctx->name());
  p.value = buildExpr(ctx->expr(0));
  if (ctx->lo)
    p.lo = buildExpr(ctx->lo);
  if (ctx->hi)
    p.hi = buildExpr(ctx->hi);
  if (auto *d = ctx->distribution()) {
    ast::Distribution dist;
    dist.name = ident(d->IDENT());
    dist.range = range(d);
    for (auto *a : d->distArg()) {
      dist.args.push_back(buildExpr(a->value));
      dist.weights.push_back(a->weight ? buildExpr(a->weight) : nullptr);
    }
    p.dist = std::move(dist);
  }
  p.doc = docBefore(ctx->parent ? static_cast<antlr4::ParserRuleContext *>(ctx->parent) : ctx);
  p.range = range(ctx);
  return p;
}

ast::LetDecl AstBuilder::let(P::LetDeclContext *ctx) {
  return {ident(ctx->name()), buildExpr(ctx->expr()), docBefore(ctx), range(ctx)};
}

ast::RatecardDecl AstBuilder::ratecard(P::RatecardDeclContext *ctx) {
  ast::RatecardDecl r;
  header(r, ctx);
  for (auto *item : ctx->ratecardItem()) {
    if (auto *fee = item->feeDecl())
      r.fees.push_back({ident(fee->name()), buildExpr(fee->expr()), docBefore(item), range(fee)});
    else if (auto *pr = item->priceDecl())
      r.prices.push_back(price(pr));
    else if (auto *c = item->contractItem())
      r.contractFrom.push_back(date(c->DATE()->getSymbol()));
    else if (auto *d = item->cardDiscount())
      r.discounts.push_back(buildExpr(d->expr()));
    else if (auto *cm = item->commitItem())
      r.commits.push_back({buildExpr(cm->amount), ident(cm->period), cm->premium ? buildExpr(cm->premium) : nullptr,
                           range(cm)});
  }
  return r;
}

void AstBuilder::tiers(ast::PriceDecl &p, P::TierBlockContext *block) {
  for (auto *t : block->tier()) {
    ast::Tier tier;
    tier.range = range(t);
    if (auto *b = dynamic_cast<P::BoundedTierContext *>(t)) {
      tier.bound = buildExpr(b->bound);
      tier.rate = buildExpr(b->rate);
      if (b->fee)
        tier.fee = buildExpr(b->fee);
    } else if (auto *a = dynamic_cast<P::AboveTierContext *>(t)) {
      tier.rate = buildExpr(a->rate);
      if (a->fee)
        tier.fee = buildExpr(a->fee);
    }
    p.tiers.push_back(std::move(tier));
  }
}

void AstBuilder::priceTerm(ast::PriceDecl &p, P::PriceTermContext *t) {
  ast::PriceTerm term{ast::PriceTerm::Discount, range(t)};
  if (auto *d = dynamic_cast<P::DiscountTermContext *>(t)) {
    p.discount = buildExpr(d->expr());
  } else if (auto *m = dynamic_cast<P::MinimumTermContext *>(t)) {
    term.kind = ast::PriceTerm::Minimum;
    p.minimum = buildExpr(m->expr());
  } else if (auto *x = dynamic_cast<P::MaximumTermContext *>(t)) {
    term.kind = ast::PriceTerm::Maximum;
    p.maximum = buildExpr(x->expr());
  } else if (auto *b = dynamic_cast<P::BilledTermContext *>(t)) {
    term.kind = ast::PriceTerm::Billed;
    p.periodWord = ident(b->period);
    p.period = p.periodWord.name == "yearly" ? ast::BillingPeriod::Yearly : ast::BillingPeriod::Monthly;
  }
  p.terms.push_back(term);
}

ast::PriceDecl AstBuilder::price(P::PriceDeclContext *ctx) {
  ast::PriceDecl p;
  p.name = ident(ctx->name());
  p.argUnit = unitSuffix(ctx->unitExpr());
  p.doc = docBefore(ctx);
  p.range = range(ctx);
  for (auto *t : ctx->priceTerm())
    priceTerm(p, t);
  if (auto *g = dynamic_cast<P::GraduatedPricingContext *>(ctx->pricing())) {
    p.scheme = ast::PriceScheme::Graduated;
    tiers(p, g->tierBlock());
  } else if (auto *v = dynamic_cast<P::VolumePricingContext *>(ctx->pricing())) {
    p.scheme = ast::PriceScheme::Volume;
    tiers(p, v->tierBlock());
  } else if (auto *k = dynamic_cast<P::PackagePricingContext *>(ctx->pricing())) {
    p.scheme = ast::PriceScheme::Package;
    p.packageSize = buildExpr(k->size);
    p.rate = buildExpr(k->rate);
    if (k->allowance)
      p.allowance = buildExpr(k->allowance);
  } else if (auto *f = dynamic_cast<P::FlatPricingContext *>(ctx->pricing())) {
    p.rate = buildExpr(f->rate);
    if (f->allowance)
      p.allowance = buildExpr(f->allowance);
  }
  return p;
}

ast::PipelineDecl AstBuilder::pipeline(P::PipelineDeclContext *ctx) {
  ast::PipelineDecl p;
  header(p, ctx);
  for (auto *item : ctx->pipelineItem()) {
    if (auto *s = item->stageDecl())
      p.stages.push_back(stage(s));
    else if (auto *l = item->letDecl())
      p.lets.push_back(let(l));
    else if (auto *r = item->revenueDecl())
      p.revenues.push_back({stringValue(r->STRING()), buildExpr(r->expr()), range(r)});
  }
  return p;
}

ast::StageDecl AstBuilder::stage(P::StageDeclContext *ctx) {
  ast::StageDecl s;
  header(s, ctx);
  s.openBrace = range(ctx->LBRACE());
  for (auto *item : ctx->stageItem()) {
    if (auto *in = dynamic_cast<P::InputItemContext *>(item)) {
      for (auto *n : in->name())
        s.inputs.push_back(ident(n));
    } else if (auto *out = dynamic_cast<P::OutputItemContext *>(item)) {
      s.outputs.push_back(buildExpr(out->expr()));
    } else if (auto *line = dynamic_cast<P::CostLineItemContext *>(item)) {
      s.lines.push_back({ident(line->IDENT()), stringValue(line->STRING()), buildExpr(line->expr()), range(line)});
    }
  }
  return s;
}

ast::ScenarioDecl AstBuilder::scenario(P::ScenarioDeclContext *ctx) {
  ast::ScenarioDecl s;
  header(s, ctx);
  for (auto *o : ctx->overrideItem())
    s.overrides.push_back({ident(o->name()), buildExpr(o->expr()), range(o)});
  return s;
}

ast::Date AstBuilder::date(antlr4::Token *t) {
  ast::Date d;
  d.range = range(t);
  std::string s = t->getText();
  d.year = std::atoi(s.substr(0, 4).c_str());
  d.month = std::atoi(s.substr(5, 2).c_str());
  if (s.size() > 7)
    d.day = std::atoi(s.substr(8, 2).c_str());
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || (s.size() > 7 && (d.day < 1 || d.day > kDays[d.month - 1])))
    diag::report<diag::msg::NotCalendarDate>(Diags, d.range, diag::arg::Words{s}).help =
        "write a month as YYYY-MM (2026-01) or a day as YYYY-MM-DD";
  return d;
}

ast::ForecastDecl AstBuilder::forecast(P::ForecastDeclContext *ctx) {
  ast::ForecastDecl f;
  header(f, ctx);
  f.from = date(ctx->from);
  f.to = date(ctx->to);
  for (auto *item : ctx->forecastItem()) {
    if (auto *b = item->budgetDecl()) {
      f.budgets.push_back({stringValue(b->STRING()), buildExpr(b->amount), ident(b->period), range(b)});
      continue;
    }
    auto *r = item->runDecl();
    ast::RunDecl run;
    run.pipeline = ident(r->name());
    run.rate = buildExpr(r->rate);
    if (r->growth)
      run.growth = buildExpr(r->growth);
    if (auto *sb = r->seasonBlock())
      for (auto *s : sb->season())
        run.season.push_back({ident(s->IDENT()), buildExpr(s->expr())});
    run.range = range(r);
    f.runs.push_back(std::move(run));
  }
  return f;
}

ast::UnitTerm AstBuilder::unitPower(P::UnitPowerContext *ctx) {
  ast::UnitTerm t;
  t.name = ident(ctx->IDENT());
  if (ctx->NUMBER()) {
    double v = numberValue(ctx->NUMBER()->getSymbol());
    // Range-check the double before converting: int(6.6e15) is undefined behaviour (a fuzzer find).
    bool small = std::fabs(v) <= 8 && v == std::trunc(v) && v != 0;
    int n = small ? int(v) : 1;
    if (!small)
      diag::report<diag::msg::UnitPowerNotSmall>(Diags, range(ctx->NUMBER()), diag::arg::Words{ctx->NUMBER()->getText()});
    t.power = ctx->MINUS() ? -n : n;
  }
  return t;
}

ast::UnitSuffix AstBuilder::unitSuffix(P::UnitExprContext *ctx) {
  ast::UnitSuffix u;
  u.range = range(ctx);
  ast::UnitFactor lead;
  lead.terms.push_back(unitPower(ctx->unitPower()));
  lead.range = range(ctx->unitPower());
  u.factors.push_back(std::move(lead));
  for (auto *den : ctx->unitDenom()) {
    ast::UnitFactor f;
    f.denominator = true;
    f.range = range(den);
    if (auto *pw = den->unitPower()) {
      f.terms.push_back(unitPower(pw));
    } else if (auto *prod = den->unitProduct()) {
      f.grouped = true;
      if (prod->NUMBER())
        f.number = numberValue(prod->NUMBER()->getSymbol());
      for (auto *pw2 : prod->unitPower())
        f.terms.push_back(unitPower(pw2));
    }
    u.factors.push_back(std::move(f));
  }
  return u;
}

ast::ExprPtr AstBuilder::primary(P::PrimaryContext *ctx) {
  SourceRange r = range(ctx);
  if (auto *n = dynamic_cast<P::NumberLitContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::Number, r);
    e->number = numberValue(n->NUMBER()->getSymbol());
    e->percent = n->NUMBER()->getText().back() == '%';
    if (n->unitExpr())
      e->unit = unitSuffix(n->unitExpr());
    return e;
  }
  if (auto *c = dynamic_cast<P::CallExprContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::Call, r);
    e->parts.push_back(ident(c->name()));
    for (auto *a : c->expr())
      e->args.push_back(buildExpr(a));
    return e;
  }
  if (auto *c = dynamic_cast<P::PriceCallContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::PriceCall, r);
    e->parts.push_back(ident(c->name()));
    e->parts.push_back({c->member()->getText(), range(c->member())});
    e->args.push_back(buildExpr(c->expr()));
    return e;
  }
  if (auto *c = dynamic_cast<P::NameRefContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::Name, r);
    e->parts.push_back(ident(c->name()));
    for (auto *m : c->member())
      e->parts.push_back({m->getText(), range(m)});
    return e;
  }
  if (auto *c = dynamic_cast<P::ParenExprContext *>(ctx)) {
    ast::ExprPtr inner = buildExpr(c->expr());
    if (inner)
      inner->range = r; // so carets under `(a + b)` cover the parentheses
    return inner;
  }
  return std::make_unique<ast::Expr>(ast::ExprKind::Number, r);
}

static ast::BinaryOp binaryOpOf(size_t tokenType) {
  switch (tokenType) {
  case CampLexer::PLUS: return ast::BinaryOp::Add;
  case CampLexer::MINUS: return ast::BinaryOp::Sub;
  case CampLexer::STAR: return ast::BinaryOp::Mul;
  case CampLexer::SLASH: return ast::BinaryOp::Div;
  case CampLexer::CARET: return ast::BinaryOp::Pow;
  case CampLexer::LT: return ast::BinaryOp::Lt;
  case CampLexer::LE: return ast::BinaryOp::Le;
  case CampLexer::GT: return ast::BinaryOp::Gt;
  case CampLexer::GE: return ast::BinaryOp::Ge;
  case CampLexer::EQ: return ast::BinaryOp::Eq;
  case CampLexer::NE: return ast::BinaryOp::Ne;
  case CampLexer::AND: return ast::BinaryOp::And;
  default: return ast::BinaryOp::Or;
  }
}

ast::ExprPtr AstBuilder::buildExpr(P::ExprContext *ctx) {
  if (!ctx)
    return nullptr;
  SourceRange r = range(ctx);
  if (auto *p = dynamic_cast<P::PrimaryExprContext *>(ctx))
    return primary(p->primary());
  if (auto *n = dynamic_cast<P::NegExprContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::Unary, r);
    e->unaryOp = ast::UnaryOp::Neg;
    e->args.push_back(buildExpr(n->expr()));
    return e;
  }
  if (auto *n = dynamic_cast<P::NotExprContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::Unary, r);
    e->unaryOp = ast::UnaryOp::Not;
    e->args.push_back(buildExpr(n->expr()));
    return e;
  }
  if (auto *i = dynamic_cast<P::IfExprContext *>(ctx)) {
    auto e = std::make_unique<ast::Expr>(ast::ExprKind::If, r);
    for (auto *a : i->expr())
      e->args.push_back(buildExpr(a));
    return e;
  }
  // Every other alternative is binary: expr OP expr.
  auto e = std::make_unique<ast::Expr>(ast::ExprKind::Binary, r);
  antlr4::Token *op = nullptr;
  for (auto *child : ctx->children)
    if (auto *term = dynamic_cast<antlr4::tree::TerminalNode *>(child))
      op = term->getSymbol();
  if (op) {
    e->binaryOp = binaryOpOf(op->getType());
    e->opRange = range(op);
  }
  for (auto *child : ctx->children)
    if (auto *sub = dynamic_cast<P::ExprContext *>(child))
      e->args.push_back(buildExpr(sub));
  return e;
}

} // namespace camp::syntax
