// Evaluating a model for one scenario and judging its assertions.
#include "camp/Results.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace camp::runtime {

bool RunResult::allAssertsOk() const {
  for (const AssertOutcome &a : asserts)
    if (!a.ok)
      return false;
  return true;
}

std::vector<double> scenarioParams(const ir::Module &m, int scenario) {
  std::vector<double> p = m.nominalParams();
  if (scenario >= 0)
    for (auto [index, value] : m.scenarios[size_t(scenario)].overrides)
      p[size_t(index)] = value;
  return p;
}

RunResult evaluate(const ir::Module &m, const Engine &engine, std::vector<double> params, std::string scenario) {
  RunResult r;
  r.module = &m;
  r.scenario = std::move(scenario);
  r.params = std::move(params);
  r.slots.assign(m.slots.size(), std::nan(""));
  EvalError err;
  if (!engine.evalOne(r.params.data(), r.slots.data(), err)) {
    r.error = err;
    return r;
  }
  for (const ir::Assert &a : m.asserts) {
    AssertOutcome o;
    o.ok = r.slots[size_t(a.condSlot)] != 0;
    if (a.lhsSlot >= 0) {
      o.lhs = r.slots[size_t(a.lhsSlot)];
      o.rhs = r.slots[size_t(a.rhsSlot)];
    }
    r.asserts.push_back(o);
  }
  return r;
}

// A slot read by `root` that holds an undefined pipeline ROI (its pipeline costs nothing), or -1.
static int32_t undefinedRoiRead(const ir::Module &m, int32_t root, const double *slots) {
  const ir::Node &n = m.nodes[size_t(root)];
  if (n.op == ir::Op::Slot && m.slots[size_t(n.index)].kind == ir::SlotKind::PipelineRoi &&
      !std::isfinite(slots[n.index]))
    return n.index;
  for (int32_t child : {n.a, n.b, n.c})
    if (child >= 0)
      if (int32_t s = undefinedRoiRead(m, child, slots); s >= 0)
        return s;
  return -1;
}

std::vector<BillSummary> billing(const RunResult &r, const ir::Pipeline &p) {
  std::vector<BillSummary> out;
  if (r.error)
    return out;
  const ir::Module &m = *r.module;
  auto at = [&](int32_t slot) { return r.slots[size_t(slot)]; };
  for (const ir::Bill &b : p.bills) {
    const ir::Price &price = m.prices[size_t(b.price)];
    BillSummary s;
    s.price = b.price;
    s.quantity = at(b.quantitySlot);
    s.cost = at(b.costSlot);
    s.lines = b.lines;
    if (price.included >= 0) {
      s.included = at(price.included);
      s.overage = std::max(0.0, s.quantity - *s.included);
    }
    if (!price.tiers.empty()) {
      s.tier = int(price.tiers.size());
      for (size_t t = 0; t < price.tiers.size(); ++t)
        if (price.tiers[t].bound >= 0 && s.quantity <= at(price.tiers[t].bound)) {
          s.tier = int(t) + 1;
          break;
        }
    }
    if (price.kind == ir::PriceKind::Package && price.packageSize >= 0 && at(price.packageSize) > 0) {
      double billable = s.included ? *s.overage : s.quantity;
      double n = billable / at(price.packageSize), whole = std::round(n);
      s.packages = std::ceil(std::fabs(n - whole) <= 1e-9 * std::fabs(n) ? whole : n);
    }
    out.push_back(s);
  }
  return out;
}

ErrorParts errorParts(const ir::Module &m, const EvalError &e, const double *slots) {
  ErrorParts p;
  std::string &where = p.where;
  where = e.slot >= 0 && size_t(e.slot) < m.slots.size() ? m.slots[size_t(e.slot)].name : "a value";
  if (!where.empty() && where[0] == '#')
    where = "an assertion";
  if (e.kind == EvalErrorKind::DivisionByZero) {
    p.form = ErrorParts::DivisionByZero;
    return p;
  }
  if (e.kind == EvalErrorKind::NegativeQuantity) {
    const std::string suffix = " quantity";
    if (where.size() > suffix.size() && where.compare(where.size() - suffix.size(), suffix.size(), suffix) == 0)
      where = "the quantity of " + where.substr(0, where.size() - suffix.size());
    p.form = ErrorParts::Negative;
    return p;
  }
  if (slots && e.slot >= 0) {
    int32_t roi = undefinedRoiRead(m, m.slots[size_t(e.slot)].root, slots);
    if (roi >= 0) {
      p.form = ErrorParts::UndefinedRoi;
      p.roi = m.slots[size_t(roi)].name;
      p.pipeline = p.roi.substr(0, p.roi.rfind('.'));
      return p;
    }
  }
  p.form = ErrorParts::NotFinite;
  return p;
}

std::string describeError(const ir::Module &m, const EvalError &e, const double *slots) {
  ErrorParts p = errorParts(m, e, slots);
  switch (p.form) {
  case ErrorParts::DivisionByZero:
    return fmt::format("division by zero while computing {}", p.where);
  case ErrorParts::Negative:
    return fmt::format("{} is negative: a vendor bills zero or more", p.where);
  case ErrorParts::UndefinedRoi:
    return fmt::format("{} uses {}, which is undefined because pipeline `{}` costs nothing", p.where, p.roi, p.pipeline);
  case ErrorParts::NotFinite:
    break;
  }
  return fmt::format("{} comes out infinite or undefined (NaN)", p.where);
}

} // namespace camp::runtime
