// Lowers typed expressions to IR trees, rate-card prices to min/max/select arithmetic, and
// values to slots in dependency order.
#include "lower/Lower.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

namespace camp::lower {

namespace {

class Lowerer {
public:
  Lowerer(const sema::Model &m, const SourceManager &sm) : S(m), Sm(sm) {}

  ir::Module run() {
    M.title = S.title;
    M.currency = S.units.currency();
    M.categories = S.categories;
    lowerParams();
    SlotOf.assign(S.values.size(), -1);
    for (const sema::PriceInfo &pi : S.prices)
      M.prices.push_back(priceHeader(pi));
    // Prices may read values (a rate that is a let); lower their bodies after those values
    // exist, but before any slot calls them: a body is only referenced by index.
    for (size_t p = 0; p < S.prices.size(); ++p)
      PriceLowered.push_back(false);
    for (int v : S.order)
      lowerValue(v);
    for (size_t p = 0; p < S.prices.size(); ++p)
      if (!PriceLowered[p])
        lowerPrice(int(p));
    buildStructure();
    lowerScenarios();
    lowerAsserts();
    lowerContractTerms();
    lowerForecasts();
    return std::move(M);
  }

private:
  // ---- Locations and display units -----------------------------------------------------------

  int32_t loc(SourceRange r) {
    if (!r.valid())
      return -1;
    auto key = std::make_pair(r.file, r.begin);
    if (auto it = Locs.find(key); it != Locs.end())
      return it->second;
    const SourceFile &f = Sm.file(r.file);
    LineCol b = f.lineCol(r.begin), e = f.lineCol(r.end);
    M.locs.push_back({f.path(), b.line, b.column, e.line == b.line ? e.column : b.column + 1});
    return Locs[key] = int32_t(M.locs.size()) - 1;
  }

  ir::DisplayUnit display(const sema::Dim &dim, const sema::Written &w) const {
    ir::DisplayUnit u;
    u.isMoney = dim == S.units.money();
    u.isPercentLike = dim.none() && w.percent;
    u.percent = w.percent && !u.isMoney;
    if (!w.text.empty() && w.scale != 0) {
      u.text = w.text;
      u.scale = w.scale;
      return u;
    }
    u.text = dim.none() ? "" : S.units.format(dim);
    return u;
  }

  // ---- Params ---------------------------------------------------------------------------------

  void lowerParams() {
    for (const sema::ParamInfo &p : S.params) {
      ir::Param ip;
      ip.name = p.name;
      ip.doc = p.doc;
      ip.nominal = p.nominal;
      ip.unit = display(p.type.dim, p.written);
      ip.range = p.range;
      ip.dist.kind = ir::DistKind(p.distKind);
      ip.dist.args = p.distArgs;
      ip.dist.weights = p.distWeights;
      ip.loc = loc(p.decl->name.range);
      M.params.push_back(std::move(ip));
    }
  }

  // ---- Nodes ----------------------------------------------------------------------------------

  int32_t node(ir::Op op, int32_t a = -1, int32_t b = -1, int32_t c = -1, int32_t l = -1) {
    ir::Node n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.c = c;
    n.loc = l;
    M.nodes.push_back(n);
    return int32_t(M.nodes.size()) - 1;
  }
  int32_t constant(double v) {
    int32_t id = node(ir::Op::Const);
    M.nodes[size_t(id)].num = v;
    return id;
  }
  int32_t slotRef(int32_t slot) {
    int32_t id = node(ir::Op::Slot);
    M.nodes[size_t(id)].index = slot;
    return id;
  }

  const sema::ExprInfo &info(const ast::Expr &e) const { return S.exprs.at(&e); }

  int32_t valueRef(int v) {
    if (SlotOf[size_t(v)] < 0)
      lowerValue(v); // dependency order guarantees this only happens for a value not yet seen
    return slotRef(SlotOf[size_t(v)]);
  }

  int32_t expr(const ast::Expr &e) {
    switch (e.kind) {
    case ast::ExprKind::Number:
      return constant(e.number * info(e).unitScale);
    case ast::ExprKind::Name:
      return name(e);
    case ast::ExprKind::Call:
      return call(e);
    case ast::ExprKind::PriceCall: {
      int32_t arg = expr(*e.args[0]);
      return priceCall(info(e).index, arg, loc(e.range));
    }
    case ast::ExprKind::Unary: {
      int32_t a = expr(*e.args[0]);
      return node(e.unaryOp == ast::UnaryOp::Neg ? ir::Op::Neg : ir::Op::Not, a);
    }
    case ast::ExprKind::Binary:
      return binary(e);
    case ast::ExprKind::If: {
      int32_t c = expr(*e.args[0]);
      int32_t a = expr(*e.args[1]);
      int32_t b = expr(*e.args[2]);
      return node(ir::Op::Select, c, a, b);
    }
    }
    return constant(0);
  }

  int32_t priceCall(int price, int32_t arg, int32_t l) {
    if (!PriceLowered[size_t(price)])
      lowerPrice(price);
    int32_t id = node(ir::Op::CallPrice, arg, -1, -1, l);
    M.nodes[size_t(id)].index = price;
    return id;
  }

  int32_t name(const ast::Expr &e) {
    const sema::ExprInfo &x = info(e);
    switch (x.ref) {
    case ast::RefKind::Param: {
      int32_t id = node(ir::Op::Param);
      M.nodes[size_t(id)].index = x.index;
      return id;
    }
    case ast::RefKind::Unit:
      return constant(x.unitScale);
    default:
      return valueRef(x.index);
    }
  }

  int32_t binary(const ast::Expr &e) {
    if (e.binaryOp == ast::BinaryOp::Pow) {
      int32_t a = expr(*e.args[0]);
      int32_t id = node(ir::Op::PowInt, a, -1, -1, loc(e.opRange));
      M.nodes[size_t(id)].index = info(e).index;
      return id;
    }
    int32_t a = expr(*e.args[0]);
    int32_t b = expr(*e.args[1]);
    switch (e.binaryOp) {
    case ast::BinaryOp::Add: return node(ir::Op::Add, a, b);
    case ast::BinaryOp::Sub: return node(ir::Op::Sub, a, b);
    case ast::BinaryOp::Mul: return node(ir::Op::Mul, a, b);
    case ast::BinaryOp::Div: return node(ir::Op::Div, a, b, -1, loc(e.args[1]->range));
    case ast::BinaryOp::Lt: return node(ir::Op::Lt, a, b);
    case ast::BinaryOp::Le: return node(ir::Op::Le, a, b);
    case ast::BinaryOp::Gt: return node(ir::Op::Gt, a, b);
    case ast::BinaryOp::Ge: return node(ir::Op::Ge, a, b);
    case ast::BinaryOp::Eq: return node(ir::Op::Eq, a, b);
    case ast::BinaryOp::Ne: return node(ir::Op::Ne, a, b);
    case ast::BinaryOp::And: return node(ir::Op::And, a, b);
    case ast::BinaryOp::Or: return node(ir::Op::Or, a, b);
    case ast::BinaryOp::Pow: break;
    }
    return a;
  }

  int32_t call(const ast::Expr &e) {
    const std::string &f = e.parts[0].name;
    std::vector<int32_t> args;
    for (const auto &a : e.args)
      args.push_back(expr(*a));
    if (f == "min" || f == "max") {
      int32_t acc = args[0];
      for (size_t i = 1; i < args.size(); ++i)
        acc = node(f == "min" ? ir::Op::Min : ir::Op::Max, acc, args[i]);
      return acc;
    }
    if (f == "ceil" || f == "floor" || f == "round") {
      ir::Op op = f == "ceil" ? ir::Op::Ceil : f == "floor" ? ir::Op::Floor : ir::Op::Round;
      if (args.size() == 1)
        return node(op, args[0]);
      // ceil(x, step) = ceil(x / step) * step; a zero step is a division by zero there. A quotient
      // within 1e-9 of a whole number is that number (0.3 h / 0.1 h is 2.9999999999999996).
      int32_t q = node(ir::Op::Div, args[0], args[1], -1, loc(e.args[1]->range));
      return node(ir::Op::Mul, node(op, node(ir::Op::Snap, q)), args[1]);
    }
    if (f == "pow")
      return node(ir::Op::Pow, args[0], args[1], -1, loc(e.range));
    static const std::map<std::string, ir::Op> kUnary = {{"sqrt", ir::Op::Sqrt}, {"exp", ir::Op::Exp},
                                                         {"ln", ir::Op::Ln},     {"abs", ir::Op::Abs},
                                                         {"sin", ir::Op::Sin},   {"cos", ir::Op::Cos}};
    return node(kUnary.at(f), args[0], -1, -1, loc(e.range));
  }

  // ---- Prices ---------------------------------------------------------------------------------

  ir::Price priceHeader(const sema::PriceInfo &pi) {
    ir::Price p;
    p.name = pi.name;
    p.argUnit = display(pi.argUnit.dim, {pi.argText, pi.argUnit.scale, false});
    p.loc = loc(pi.decl->name.range);
    p.ratecard = pi.card;
    switch (pi.decl->scheme) {
    case ast::PriceScheme::Flat: p.kind = ir::PriceKind::Flat; break;
    case ast::PriceScheme::Graduated: p.kind = ir::PriceKind::Graduated; break;
    case ast::PriceScheme::Volume: p.kind = ir::PriceKind::Volume; break;
    case ast::PriceScheme::Package: p.kind = ir::PriceKind::Package; break;
    }
    p.period = pi.decl->period == ast::BillingPeriod::Yearly ? ir::BillingPeriod::Yearly : ir::BillingPeriod::Monthly;
    return p;
  }

  int32_t arg() { return node(ir::Op::Arg); }
  int32_t sub(int32_t a, int32_t b) { return node(ir::Op::Sub, a, b); }
  int32_t mul(int32_t a, int32_t b) { return node(ir::Op::Mul, a, b); }
  int32_t add(int32_t a, int32_t b) { return a < 0 ? b : node(ir::Op::Add, a, b); }
  int32_t positivePart(int32_t x) { return node(ir::Op::Max, constant(0), x); }

  // graduated: Σ rate_i × max(0, min(q, b_i) − b_{i−1}), plus the fee of every tier q enters.
  int32_t graduated(const ast::PriceDecl &d) {
    int32_t body = -1, prevBound = constant(0);
    for (const ast::Tier &t : d.tiers) {
      int32_t upper = t.bound ? node(ir::Op::Min, arg(), expr(*t.bound)) : arg();
      body = add(body, mul(expr(*t.rate), positivePart(sub(upper, prevBound))));
      if (t.fee) // entering the tier: q above the previous bound (the first tier: q > 0)
        body = add(body, node(ir::Op::Select, node(ir::Op::Gt, arg(), prevBound), expr(*t.fee), constant(0)));
      if (t.bound)
        prevBound = expr(*t.bound);
    }
    return body;
  }

  // volume: the first tier with q ≤ b_i prices all of q (plus its fee), built from the last tier
  // backwards as select(q <= b_i, rate_i × q + fee_i, rest); nothing at all when q = 0.
  int32_t volume(const ast::PriceDecl &d) {
    int32_t body = -1;
    bool fees = false;
    for (auto it = d.tiers.rbegin(); it != d.tiers.rend(); ++it) {
      int32_t cost = mul(expr(*it->rate), arg());
      if (it->fee) {
        cost = node(ir::Op::Add, cost, expr(*it->fee));
        fees = true;
      }
      if (!it->bound || body < 0) {
        body = cost;
        continue;
      }
      body = node(ir::Op::Select, node(ir::Op::Le, arg(), expr(*it->bound)), cost, body);
    }
    return fees ? node(ir::Op::Select, node(ir::Op::Gt, arg(), constant(0)), body, constant(0)) : body;
  }

  // The quantity a flat rate or package applies to: q, or max(0, q − A) after an allowance.
  int32_t billable(const ast::PriceDecl &d) {
    return d.allowance ? positivePart(sub(arg(), expr(*d.allowance))) : arg();
  }

  int32_t pricing(const ast::PriceDecl &d) {
    switch (d.scheme) {
    case ast::PriceScheme::Flat:
      return mul(expr(*d.rate), billable(d));
    case ast::PriceScheme::Graduated:
      return graduated(d);
    case ast::PriceScheme::Volume:
      return volume(d);
    case ast::PriceScheme::Package: {
      // P × ceil(q / N), a quotient within 1e-9 of a whole number counting as that number.
      int32_t count = node(ir::Op::Div, billable(d), expr(*d.packageSize), -1, loc(d.packageSize->range));
      return mul(expr(*d.rate), node(ir::Op::Ceil, node(ir::Op::Snap, count)));
    }
    }
    return constant(0);
  }

  /// × (1 − D) for a discount.
  int32_t discounted(int32_t body, const ast::Expr *discount) {
    return discount ? mul(body, sub(constant(1), expr(*discount))) : body;
  }

  const ast::Expr *cardDiscount(int card) const {
    return card >= 0 ? S.ratecards[size_t(card)].discount : nullptr;
  }

  // LANGUAGE.md, "Contract terms": the pricing, then the price's discount, the card's discount,
  // max(·, minimum), min(·, maximum).
  void lowerPrice(int p) {
    PriceLowered[size_t(p)] = true;
    const sema::PriceInfo &pi = S.prices[size_t(p)];
    const ast::PriceDecl &d = *pi.decl;
    int32_t gross = discounted(discounted(pricing(d), d.discount.get()), cardDiscount(pi.card));
    int32_t body = d.minimum ? node(ir::Op::Max, gross, expr(*d.minimum)) : gross;
    if (d.maximum) {
      body = node(ir::Op::Min, body, expr(*d.maximum));
      gross = node(ir::Op::Min, gross, expr(*d.maximum));
    }
    M.prices[size_t(p)].root = body;
    M.prices[size_t(p)].grossRoot = gross;
  }

  /// A PriceTerm slot holding the value of a contract term, for analyses and reports.
  int32_t termSlot(const std::string &name, const ast::Expr *e, const sema::Dim &dim, const sema::Written &w) {
    if (!e)
      return -1;
    ir::Slot slot;
    slot.name = name;
    slot.kind = ir::SlotKind::PriceTerm;
    slot.root = expr(*e);
    slot.loc = loc(e->range);
    slot.unit = display(dim, w);
    M.slots.push_back(std::move(slot));
    return int32_t(M.slots.size()) - 1;
  }

  void lowerContractTerms() {
    const sema::Dim money = S.units.money();
    const sema::Written currency{S.units.currency(), 1, false}, percent{"", 1, true};
    for (size_t p = 0; p < S.prices.size(); ++p) {
      const sema::PriceInfo &pi = S.prices[p];
      const ast::PriceDecl &d = *pi.decl;
      ir::Price &out = M.prices[p];
      const sema::Written qty{pi.argText, pi.argUnit.scale, false};
      const sema::Dim rateDim = money / pi.argUnit.dim;
      bool package = d.scheme == ast::PriceScheme::Package;
      out.rate = termSlot(pi.name + ".rate", d.rate.get(), package ? money : rateDim, package ? currency : sema::Written{});
      out.packageSize = termSlot(pi.name + ".package", d.packageSize.get(), pi.argUnit.dim, qty);
      out.included = termSlot(pi.name + ".included", d.allowance.get(), pi.argUnit.dim, qty);
      out.discount = termSlot(pi.name + ".discount", d.discount.get(), {}, percent);
      out.minimum = termSlot(pi.name + ".minimum", d.minimum.get(), money, currency);
      out.maximum = termSlot(pi.name + ".maximum", d.maximum.get(), money, currency);
      for (size_t t = 0; t < d.tiers.size(); ++t) {
        std::string n = fmt::format("{}.tier{}", pi.name, t + 1);
        out.tiers.push_back({termSlot(n + ".bound", d.tiers[t].bound.get(), pi.argUnit.dim, qty),
                             termSlot(n + ".rate", d.tiers[t].rate.get(), rateDim, {}),
                             termSlot(n + ".fee", d.tiers[t].fee.get(), money, currency)});
      }
    }
    for (const sema::RatecardInfo &rc : S.ratecards) {
      ir::Ratecard card;
      card.name = rc.name;
      card.title = rc.decl->title;
      card.discount = termSlot(rc.name + ".discount", rc.discount, {}, percent);
      card.contractYear = rc.contractYear;
      card.contractMonth = rc.contractMonth;
      if (rc.commit) {
        ir::Commit c;
        c.amount = termSlot(rc.name + ".commit", rc.commit->amount.get(), money, currency);
        c.overage = termSlot(rc.name + ".overage", rc.commit->overage.get(), {}, percent);
        c.months = rc.commitMonths;
        c.loc = loc(rc.commit->range);
        card.commit = c;
      }
      for (int fee : rc.fees)
        card.fees.push_back(SlotOf[size_t(fee)]);
      card.prices.assign(rc.prices.begin(), rc.prices.end());
      M.ratecards.push_back(std::move(card));
    }
  }

  // ---- Values ---------------------------------------------------------------------------------

  static ir::SlotKind slotKind(sema::ValueKind k) {
    switch (k) {
    case sema::ValueKind::Let: case sema::ValueKind::PipelineLet: return ir::SlotKind::Let;
    case sema::ValueKind::Fee: return ir::SlotKind::Fee;
    case sema::ValueKind::CostLine: return ir::SlotKind::CostLine;
    case sema::ValueKind::Revenue: return ir::SlotKind::RevenueLine;
    case sema::ValueKind::StageOutput: return ir::SlotKind::StageOutput;
    case sema::ValueKind::MeteredQuantity: return ir::SlotKind::BilledQuantity;
    case sema::ValueKind::MeteredTotal: return ir::SlotKind::BilledQuantity;
    case sema::ValueKind::Bill: return ir::SlotKind::Bill;
    case sema::ValueKind::StageCost: return ir::SlotKind::StageCost;
    case sema::ValueKind::PipelineCategory: return ir::SlotKind::PipelineCategory;
    case sema::ValueKind::PipelineCost: return ir::SlotKind::PipelineCost;
    case sema::ValueKind::PipelineRevenue: return ir::SlotKind::PipelineRevenue;
    case sema::ValueKind::PipelineProfit: return ir::SlotKind::PipelineProfit;
    case sema::ValueKind::PipelineRoi: return ir::SlotKind::PipelineRoi;
    }
    return ir::SlotKind::Let;
  }

  int32_t sumOf(const std::vector<int> &values) {
    if (values.empty())
      return constant(0);
    int32_t acc = valueRef(values[0]);
    for (size_t i = 1; i < values.size(); ++i)
      acc = node(ir::Op::Add, acc, valueRef(values[i]));
    return acc;
  }

  const sema::BillInfo *billOf(const sema::Value &line) const {
    for (const sema::BillInfo &b : S.pipelines[size_t(line.pipeline)].bills)
      if (std::find(b.lines.begin(), b.lines.end(), int(&line - S.values.data())) != b.lines.end())
        return &b;
    return nullptr;
  }

  // A lone metered line is its own bill. With others of the same price in the run, it carries
  // the share q / Q of the pooled bill (equal shares when Q = 0, so a minimum is still billed).
  int32_t meteredLine(const sema::Value &v) {
    const sema::StageInfo &st = S.pipelines[size_t(v.pipeline)].stages[size_t(v.stage)];
    int qty = st.meteredQuantity[size_t(v.line)];
    int price = st.meteredPrice[size_t(v.line)];
    if (qty < 0 || price < 0)
      return -1;
    const sema::BillInfo *b = billOf(v);
    if (!b || b->lines.size() < 2)
      return priceCall(price, valueRef(qty), loc(v.expr->range));
    int32_t bill = valueRef(b->bill), total = valueRef(b->total);
    int32_t equal = node(ir::Op::Div, bill, constant(double(b->lines.size())));
    int32_t share = node(ir::Op::Div, mul(valueRef(b->bill), valueRef(qty)), total); // unchecked: only taken when Q != 0
    return node(ir::Op::Select, node(ir::Op::Eq, total, constant(0)), equal, share);
  }

  int32_t valueBody(const sema::Value &v) {
    const sema::PipelineInfo *pi = v.pipeline >= 0 ? &S.pipelines[size_t(v.pipeline)] : nullptr;
    switch (v.kind) {
    case sema::ValueKind::CostLine: {
      int32_t m = meteredLine(v);
      return m >= 0 ? m : expr(*v.expr);
    }
    case sema::ValueKind::MeteredQuantity: // a negative billed quantity is an error naming the line
      return node(ir::Op::CheckQuantity, expr(*v.expr), -1, -1, loc(v.expr->range));
    case sema::ValueKind::Fee: // a card's discount applies to its fees too
      return discounted(expr(*v.expr), cardDiscount(v.card));
    case sema::ValueKind::MeteredTotal:
      return sumOf(v.deps);
    case sema::ValueKind::Bill: {
      const sema::Value &total = S.values[size_t(v.deps[0])];
      return priceCall(v.card, valueRef(v.deps[0]), loc(total.range));
    }
    case sema::ValueKind::StageCost:
    case sema::ValueKind::PipelineCategory:
    case sema::ValueKind::PipelineRevenue:
      return sumOf(v.deps);
    case sema::ValueKind::PipelineCost: {
      std::vector<int> costs;
      for (const sema::StageInfo &s : pi->stages)
        costs.push_back(s.cost);
      return sumOf(costs);
    }
    case sema::ValueKind::PipelineProfit:
      return node(ir::Op::Sub, valueRef(pi->revenue), valueRef(pi->cost));
    case sema::ValueKind::PipelineRoi: {
      // profit / cost without the division-by-zero check: a zero-cost pipeline's ROI is undefined
      // (reported as n/a), which is an error only where a model uses it.
      return node(ir::Op::Div, valueRef(pi->profit), valueRef(pi->cost), -1, -1);
    }
    default:
      return expr(*v.expr);
    }
  }

  void lowerValue(int v) {
    if (SlotOf[size_t(v)] >= 0)
      return;
    const sema::Value &val = S.values[size_t(v)];
    int32_t root = valueBody(val);
    ir::Slot slot;
    slot.name = val.name;
    slot.kind = slotKind(val.kind);
    slot.root = root;
    slot.loc = loc(val.expr ? val.expr->range : val.range);
    slot.mayBeUndefined = val.kind == sema::ValueKind::PipelineRoi;
    slot.unit = display(val.type.dim, val.written);
    M.slots.push_back(std::move(slot));
    SlotOf[size_t(v)] = int32_t(M.slots.size()) - 1;
  }

  // ---- Structure ------------------------------------------------------------------------------

  void buildStructure() {
    for (const sema::PipelineInfo &pi : S.pipelines) {
      ir::Pipeline p;
      p.name = pi.decl->name.name;
      p.title = pi.decl->title;
      for (const sema::StageInfo &si : pi.stages) {
        ir::Stage st;
        st.name = si.decl->name.name;
        st.title = si.decl->title;
        st.inputs = si.inputs;
        for (size_t l = 0; l < si.lines.size(); ++l) {
          const sema::Value &v = S.values[size_t(si.lines[l])];
          const ast::CostLineDecl &d = si.decl->lines[l];
          ir::CostLine line;
          line.category = d.category.name;
          line.label = d.label.empty() ? d.category.name : d.label;
          line.slot = SlotOf[size_t(si.lines[l])];
          if (si.meteredQuantity[l] >= 0 && si.meteredPrice[l] >= 0) {
            line.meteredPrice = si.meteredPrice[l];
            line.quantitySlot = SlotOf[size_t(si.meteredQuantity[l])];
          }
          for (int d : v.deps)
            if (S.values[size_t(d)].kind == sema::ValueKind::Fee &&
                std::find(line.fees.begin(), line.fees.end(), SlotOf[size_t(d)]) == line.fees.end())
              line.fees.push_back(SlotOf[size_t(d)]);
          line.loc = loc(v.range);
          st.lines.push_back(std::move(line));
        }
        st.costSlot = SlotOf[size_t(si.cost)];
        st.outputSlot = si.output >= 0 ? SlotOf[size_t(si.output)] : -1;
        p.stages.push_back(std::move(st));
      }
      for (size_t r = 0; r < pi.revenues.size(); ++r)
        p.revenue.push_back({pi.decl->revenues[r].label, SlotOf[size_t(pi.revenues[r])], loc(pi.decl->revenues[r].range)});
      for (int c : pi.categoryTotals)
        p.categorySlots.push_back(SlotOf[size_t(c)]);
      p.costSlot = SlotOf[size_t(pi.cost)];
      p.revenueSlot = SlotOf[size_t(pi.revenue)];
      p.profitSlot = SlotOf[size_t(pi.profit)];
      p.roiSlot = SlotOf[size_t(pi.roi)];
      for (auto &[name, id] : pi.lets)
        p.lets.push_back({name, SlotOf[size_t(id)]});
      for (const sema::BillInfo &b : pi.bills) {
        bool pooled = b.lines.size() > 1;
        p.bills.push_back({b.price, SlotOf[size_t(pooled ? b.total : b.quantities[0])],
                           SlotOf[size_t(pooled ? b.bill : b.lines[0])], int32_t(b.lines.size())});
      }
      M.pipelines.push_back(std::move(p));
    }
    for (auto &[name, id] : S.shownValues)
      M.values.push_back({name, SlotOf[size_t(id)]});
  }

  void lowerScenarios() {
    for (const sema::ScenarioInfo &s : S.scenarios)
      M.scenarios.push_back({s.name, s.title, s.overrides, loc(s.range)});
    for (const sema::CorrelationInfo &c : S.correlations)
      M.correlations.push_back({c.a, c.b, c.r, loc(c.range)});
  }

  int32_t extraSlot(const std::string &name, ir::SlotKind kind, int32_t root, SourceRange r, const sema::Type &t,
                    const sema::Written &w) {
    ir::Slot slot;
    slot.name = name;
    slot.kind = kind;
    slot.root = root;
    slot.loc = loc(r);
    slot.unit = display(t.dim, w);
    M.slots.push_back(std::move(slot));
    return int32_t(M.slots.size()) - 1;
  }

  void lowerAsserts() {
    for (size_t i = 0; i < S.asserts.size(); ++i) {
      const ast::AssertDecl &d = *S.asserts[i].decl;
      ir::Assert a;
      a.text = d.text;
      a.message = d.message;
      a.loc = loc(d.range);
      const ast::Expr &c = *d.cond;
      bool comparison = c.kind == ast::ExprKind::Binary && c.binaryOp >= ast::BinaryOp::Lt && c.binaryOp <= ast::BinaryOp::Ne;
      if (comparison) {
        const sema::Type &t = info(*c.args[0]).type;
        a.lhsSlot = extraSlot(fmt::format("#assert{}.lhs", i), ir::SlotKind::AssertSide, expr(*c.args[0]), c.args[0]->range,
                              t, S.asserts[i].lhs);
        a.rhsSlot = extraSlot(fmt::format("#assert{}.rhs", i), ir::SlotKind::AssertSide, expr(*c.args[1]), c.args[1]->range,
                              t, S.asserts[i].rhs);
        a.op = ast::spelling(c.binaryOp);
        int32_t l = slotRef(a.lhsSlot), r = slotRef(a.rhsSlot);
        static const std::map<ast::BinaryOp, ir::Op> kCmp = {
            {ast::BinaryOp::Lt, ir::Op::Lt}, {ast::BinaryOp::Le, ir::Op::Le}, {ast::BinaryOp::Gt, ir::Op::Gt},
            {ast::BinaryOp::Ge, ir::Op::Ge}, {ast::BinaryOp::Eq, ir::Op::Eq}, {ast::BinaryOp::Ne, ir::Op::Ne}};
        a.condSlot = extraSlot(fmt::format("#assert{}", i), ir::SlotKind::AssertCond, node(kCmp.at(c.binaryOp), l, r),
                               c.range, sema::Type::number({}), {});
      } else {
        a.condSlot = extraSlot(fmt::format("#assert{}", i), ir::SlotKind::AssertCond, expr(c), c.range,
                               sema::Type::number({}), {});
      }
      M.asserts.push_back(std::move(a));
    }
  }

  void lowerForecasts() {
    for (const sema::ForecastInfo &f : S.forecasts) {
      ir::Forecast out;
      out.name = f.decl->name.name;
      out.title = f.decl->title;
      out.startYear = f.decl->from.year;
      out.startMonth = f.decl->from.month;
      out.endYear = f.decl->to.year;
      out.endMonth = f.decl->to.month;
      out.loc = loc(f.decl->name.range);
      for (const sema::ForecastRunInfo &r : f.runs) {
        ir::ForecastRun run;
        run.pipeline = r.pipeline;
        run.perMonth = r.perMonth;
        run.growth = r.growth;
        run.growthPeriodMonths = r.growthPeriodMonths;
        std::copy(std::begin(r.season), std::end(r.season), std::begin(run.season));
        run.loc = loc(r.range);
        out.runs.push_back(run);
      }
      for (const sema::BudgetInfo &b : f.budgets)
        out.budgets.push_back({b.label, b.amount, b.perYear, loc(b.range)});
      M.forecasts.push_back(std::move(out));
    }
  }

  const sema::Model &S;
  const SourceManager &Sm;
  ir::Module M;
  std::vector<int32_t> SlotOf;
  std::vector<bool> PriceLowered;
  std::map<std::pair<int32_t, uint32_t>, int32_t> Locs;
};

} // namespace

ir::Module lower(const sema::Model &model, const SourceManager &sm) { return Lowerer(model, sm).run(); }

} // namespace camp::lower
