// Builds small ir::Modules by hand for the analyses tests, and a second, independent engine.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::testing {

/// Appends nodes in post-order (children first), as ir::Module requires.
struct ModuleBuilder {
  ir::Module m;

  ModuleBuilder() {
    m.currency = "USD";
    m.categories = {"labor", "technology", "data", "content", "media"};
    m.locs.push_back({"test.camp", 1, 1, 2});
  }
  int32_t node(ir::Op op, int32_t a = -1, int32_t b = -1, int32_t c = -1, int32_t index = -1,
               double num = 0) {
    ir::Node n;
    n.op = op, n.a = a, n.b = b, n.c = c, n.index = index, n.num = num, n.loc = 0;
    m.nodes.push_back(n);
    return int32_t(m.nodes.size() - 1);
  }
  int32_t num(double v) { return node(ir::Op::Const, -1, -1, -1, -1, v); }
  int32_t par(int32_t p) { return node(ir::Op::Param, -1, -1, -1, p); }
  int32_t ref(int32_t s) { return node(ir::Op::Slot, -1, -1, -1, s); }
  int32_t arg() { return node(ir::Op::Arg); }
  int32_t op(ir::Op o, int32_t a, int32_t b = -1) { return node(o, a, b); }
  int32_t call(int32_t price, int32_t q) { return node(ir::Op::CallPrice, q, -1, -1, price); }

  int32_t param(const std::string &name, double nominal, ir::DistKind kind = ir::DistKind::None,
                std::vector<double> args = {}, std::vector<double> weights = {}) {
    ir::Param p;
    p.name = name, p.nominal = nominal;
    p.dist.kind = kind, p.dist.args = std::move(args), p.dist.weights = std::move(weights);
    m.params.push_back(p);
    return int32_t(m.params.size() - 1);
  }
  int32_t slot(const std::string &name, int32_t root, ir::SlotKind kind = ir::SlotKind::Let,
               bool mayBeUndefined = false) {
    ir::Slot s;
    s.name = name, s.root = root, s.kind = kind, s.loc = 0, s.mayBeUndefined = mayBeUndefined;
    m.slots.push_back(s);
    return int32_t(m.slots.size() - 1);
  }
  std::vector<double> nominal() const {
    std::vector<double> v;
    for (const auto &p : m.params)
      v.push_back(p.nominal);
    return v;
  }
};

/// A second engine written independently of the interpreter (recursive, no batching tricks),
/// to show that analyses give the same bits on any engine that keeps Engine's contract.
class ReferenceEngine final : public runtime::Engine {
public:
  explicit ReferenceEngine(const ir::Module &m) : m_(m) {}
  const char *name() const override { return "reference"; }
  bool evalOne(const double *params, double *slots, runtime::EvalError &err) const override {
    for (size_t s = 0; s < m_.slots.size(); ++s) {
      bool divZero = false;
      double v = eval(m_.slots[s].root, params, slots, 0, divZero);
      if (divZero || (!std::isfinite(v) && !m_.slots[s].mayBeUndefined)) {
        err.kind = divZero ? runtime::EvalErrorKind::DivisionByZero : runtime::EvalErrorKind::NotFinite;
        err.loc = 0;
        err.slot = int32_t(s);
        return false;
      }
      slots[s] = v;
    }
    return true;
  }
  void evalBatch(const runtime::Batch &b) const override {
    for (size_t i = 0; i < b.n; ++i) {
      std::vector<double> p(m_.params.size()), s(m_.slots.size());
      for (size_t k = 0; k < p.size(); ++k)
        p[k] = b.params[k] ? b.params[k][i] : b.fixed[k];
      runtime::EvalError err;
      bool ok = evalOne(p.data(), s.data(), err);
      b.errors[i] = ok ? runtime::kOk : runtime::encodeError(err);
      for (size_t k = 0; k < s.size(); ++k)
        if (b.slots[k])
          b.slots[k][i] = s[k];
    }
  }
  double evalPrice(int32_t price, double q, const double *params, const double *slots) const override {
    bool divZero = false;
    return eval(m_.prices[price].root, params, slots, q, divZero);
  }
  double evalGrossPrice(int32_t price, double q, const double *params, const double *slots) const override {
    bool divZero = false;
    const ir::Price &pr = m_.prices[price];
    return eval(pr.grossRoot >= 0 ? pr.grossRoot : pr.root, params, slots, q, divZero);
  }

private:
  double eval(int32_t id, const double *p, const double *s, double arg, bool &dz) const {
    const ir::Node &n = m_.nodes[id];
    auto A = [&] { return eval(n.a, p, s, arg, dz); };
    auto B = [&] { return eval(n.b, p, s, arg, dz); };
    switch (n.op) {
    case ir::Op::Const: return n.num;
    case ir::Op::Param: return p[n.index];
    case ir::Op::Slot: return s[n.index];
    case ir::Op::Arg: return arg;
    case ir::Op::Neg: return -A();
    case ir::Op::Add: return A() + B();
    case ir::Op::Sub: return A() - B();
    case ir::Op::Mul: return A() * B();
    case ir::Op::Div: {
      double a = A(), b = B();
      if (b == 0)
        dz = true;
      return a / b;
    }
    case ir::Op::PowInt: {
      double a = A(), r = 1;
      for (int32_t k = 0; k < std::abs(n.index); ++k)
        r *= a;
      return n.index < 0 ? 1 / r : r;
    }
    case ir::Op::Sin: return std::sin(A());
    case ir::Op::Cos: return std::cos(A());
    case ir::Op::Min: { double a = A(), b = B(); return a < b ? a : b; }
    case ir::Op::Max: { double a = A(), b = B(); return a > b ? a : b; }
    case ir::Op::Gt: return A() > B() ? 1 : 0;
    case ir::Op::Lt: return A() < B() ? 1 : 0;
    case ir::Op::CallPrice: return eval(m_.prices[n.index].root, p, s, A(), dz);
    default: return std::nan("");
    }
  }
  const ir::Module &m_;
};

} // namespace camp::testing
