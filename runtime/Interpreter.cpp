// The reference evaluator: walks IR trees with exactly the semantics written in ir/Ops.def.
#include <cmath>

#include "camp/Engine.h"

namespace camp::runtime {

namespace {

struct Frame {
  const double *params;
  const double *slots;
  double arg = 0;
  bool failed = false;
  EvalError error;
};

class Interpreter final : public Engine {
public:
  explicit Interpreter(const ir::Module &m) : M(m) {}
  const char *name() const override { return "interp"; }

  bool evalOne(const double *params, double *slots, EvalError &err) const override {
    Frame f{params, slots};
    for (size_t s = 0; s < M.slots.size(); ++s) {
      const ir::Slot &slot = M.slots[s];
      f.error.slot = int32_t(s);
      double v = eval(slot.root, f);
      if (f.failed) {
        err = f.error;
        return false;
      }
      if (!std::isfinite(v) && !slot.mayBeUndefined) {
        err = {EvalErrorKind::NotFinite, slot.loc, int32_t(s)};
        return false;
      }
      slots[s] = v;
    }
    return true;
  }

  void evalBatch(const Batch &b) const override {
    std::vector<double> params(M.params.size()), slots(M.slots.size());
    for (size_t i = 0; i < b.n; ++i) {
      for (size_t p = 0; p < params.size(); ++p)
        params[p] = b.params && b.params[p] ? b.params[p][i] : b.fixed[p];
      EvalError err;
      bool ok = evalOne(params.data(), slots.data(), err);
      if (b.errors)
        b.errors[i] = ok ? kOk : encodeError(err);
      if (!b.slots)
        continue;
      for (size_t s = 0; s < slots.size(); ++s)
        if (b.slots[s])
          b.slots[s][i] = slots[s];
    }
  }

  double evalPrice(int32_t price, double quantity, const double *params, const double *slots) const override {
    return evalRoot(M.prices[size_t(price)].root, quantity, params, slots);
  }

  double evalGrossPrice(int32_t price, double quantity, const double *params, const double *slots) const override {
    const ir::Price &p = M.prices[size_t(price)];
    return evalRoot(p.grossRoot >= 0 ? p.grossRoot : p.root, quantity, params, slots);
  }

private:
  double evalRoot(int32_t root, double quantity, const double *params, const double *slots) const {
    Frame f{params, slots, quantity};
    double v = eval(root, f);
    return f.failed ? std::nan("") : v;
  }

  bool fail(Frame &f, EvalErrorKind kind, int32_t loc) const {
    if (!f.failed) {
      f.failed = true;
      f.error.kind = kind;
      f.error.loc = loc;
    }
    return true;
  }

  double eval(int32_t id, Frame &f) const {
    const ir::Node &n = M.nodes[size_t(id)];
    switch (n.op) {
    case ir::Op::Const: return n.num;
    case ir::Op::Param: return f.params[n.index];
    case ir::Op::Slot: return f.slots[n.index];
    case ir::Op::Arg: return f.arg;
    case ir::Op::Select: {
      double c = eval(n.a, f);
      if (f.failed)
        return 0;
      return c != 0 ? eval(n.b, f) : eval(n.c, f);
    }
    case ir::Op::And: {
      double a = eval(n.a, f);
      if (f.failed || a == 0)
        return 0;
      return eval(n.b, f) != 0 ? 1 : 0;
    }
    case ir::Op::Or: {
      double a = eval(n.a, f);
      if (f.failed)
        return 0;
      if (a != 0)
        return 1;
      return eval(n.b, f) != 0 ? 1 : 0;
    }
    case ir::Op::CallPrice: {
      double q = eval(n.a, f);
      if (f.failed)
        return 0;
      double saved = f.arg;
      f.arg = q;
      double v = eval(M.prices[size_t(n.index)].root, f);
      f.arg = saved;
      return v;
    }
    default: // the arithmetic below
      break;
    }
    double a = n.a >= 0 ? eval(n.a, f) : 0;
    if (f.failed)
      return 0;
    double b = n.b >= 0 ? eval(n.b, f) : 0;
    if (f.failed)
      return 0;
    switch (n.op) {
    case ir::Op::Neg: return -a;
    case ir::Op::Add: return a + b;
    case ir::Op::Sub: return a - b;
    case ir::Op::Mul: return a * b;
    case ir::Op::Div:
      if (b == 0 && n.loc >= 0 && fail(f, EvalErrorKind::DivisionByZero, n.loc))
        return 0;
      return a / b;
    case ir::Op::PowInt: {
      double r = 1;
      int32_t k = n.index < 0 ? -n.index : n.index;
      for (int32_t i = 0; i < k; ++i)
        r = r * a;
      if (n.index >= 0)
        return r;
      if (r == 0 && fail(f, EvalErrorKind::DivisionByZero, n.loc))
        return 0;
      return 1.0 / r;
    }
    case ir::Op::Pow: return std::pow(a, b);
    case ir::Op::Sqrt: return std::sqrt(a);
    case ir::Op::Exp: return std::exp(a);
    case ir::Op::Ln: return std::log(a);
    case ir::Op::Sin: return std::sin(a);
    case ir::Op::Cos: return std::cos(a);
    case ir::Op::Abs: return std::fabs(a);
    case ir::Op::Min: return a < b ? a : b;
    case ir::Op::Max: return a > b ? a : b;
    case ir::Op::Ceil: return std::ceil(a);
    case ir::Op::Floor: return std::floor(a);
    case ir::Op::Round: return std::round(a);
    case ir::Op::Snap: {
      double r = std::round(a);
      return std::fabs(a - r) <= 1e-9 * std::fabs(a) ? r : a;
    }
    case ir::Op::CheckQuantity:
      if (a < 0 && fail(f, EvalErrorKind::NegativeQuantity, n.loc))
        return 0;
      return a;
    case ir::Op::Lt: return a < b ? 1 : 0;
    case ir::Op::Le: return a <= b ? 1 : 0;
    case ir::Op::Gt: return a > b ? 1 : 0;
    case ir::Op::Ge: return a >= b ? 1 : 0;
    case ir::Op::Eq: return a == b ? 1 : 0;
    case ir::Op::Ne: return a != b ? 1 : 0;
    case ir::Op::Not: return a == 0 ? 1 : 0;
    // Evaluated above, before the operands (they decide which operands count).
    case ir::Op::Const: case ir::Op::Param: case ir::Op::Slot: case ir::Op::Arg: case ir::Op::Select:
    case ir::Op::And: case ir::Op::Or: case ir::Op::CallPrice:
      break;
    }
    return 0;
  }

  const ir::Module &M;
};

} // namespace

std::unique_ptr<Engine> makeInterpreter(const ir::Module &module) { return std::make_unique<Interpreter>(module); }

} // namespace camp::runtime
