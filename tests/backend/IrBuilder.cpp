// Test helpers: hand-built and random IR, and a reference evaluator written from ir/Ops.def.
#include "IrBuilder.h"

#include <cmath>
#include <cstring>

namespace camp::test {

int32_t IrBuilder::param(const std::string &name, double nominal) {
  ir::Param p;
  p.name = name;
  p.nominal = nominal;
  m.params.push_back(p);
  return int32_t(m.params.size() - 1);
}

int32_t IrBuilder::node(ir::Op op, int32_t a, int32_t b, int32_t c, int32_t index, double num) {
  ir::Node n;
  n.op = op;
  n.a = a;
  n.b = b;
  n.c = c;
  n.index = index;
  n.num = num;
  if (op == ir::Op::Div || op == ir::Op::PowInt)
    n.loc = loc(1000 + int(m.nodes.size())); // where its errors are reported
  m.nodes.push_back(n);
  return int32_t(m.nodes.size() - 1);
}

int32_t IrBuilder::loc(int line) {
  ir::Loc l;
  l.file = "test.camp";
  l.line = line;
  l.column = 1;
  m.locs.push_back(l);
  return int32_t(m.locs.size() - 1);
}

int32_t IrBuilder::slot(const std::string &name, int32_t root, bool mayBeUndefined) {
  ir::Slot s;
  s.name = name;
  s.root = root;
  s.mayBeUndefined = mayBeUndefined;
  s.loc = loc(100 + int(m.slots.size()));
  m.slots.push_back(s);
  return int32_t(m.slots.size() - 1);
}

int32_t IrBuilder::price(const std::string &name, int32_t root) {
  ir::Price p;
  p.name = name;
  p.root = root;
  m.prices.push_back(p);
  return int32_t(m.prices.size() - 1);
}

namespace {

/// Recursive walk; `live` is false inside branches the semantics do not evaluate, where
/// errors must not count (values are still computed, which cannot change the result).
struct Walker {
  const ir::Module &m;
  const double *params;
  const double *slots;
  int32_t slot = -1;
  int64_t error = runtime::kOk;

  void fail(bool live, runtime::EvalErrorKind kind, int32_t loc) {
    if (live && error == runtime::kOk)
      error = runtime::encodeError({kind, loc, slot});
  }

  double eval(int32_t id, bool live, double arg) {
    using ir::Op;
    const ir::Node &n = m.nodes[size_t(id)];
    switch (n.op) {
    case Op::Const: return n.num;
    case Op::Param: return params[n.index];
    case Op::Slot: return slots[n.index];
    case Op::Arg: return arg;
    case Op::Neg: return -eval(n.a, live, arg);
    case Op::Add: { double a = eval(n.a, live, arg); return a + eval(n.b, live, arg); }
    case Op::Sub: { double a = eval(n.a, live, arg); return a - eval(n.b, live, arg); }
    case Op::Mul: { double a = eval(n.a, live, arg); return a * eval(n.b, live, arg); }
    case Op::Div: {
      double a = eval(n.a, live, arg), b = eval(n.b, live, arg);
      if (b == 0 && n.loc >= 0) // a division without a place is not checked
        fail(live, runtime::EvalErrorKind::DivisionByZero, n.loc);
      return a / b;
    }
    case Op::PowInt: {
      double a = eval(n.a, live, arg), r = 1.0;
      for (int k = 0; k < std::abs(n.index); ++k)
        r = r * a;
      if (n.index >= 0)
        return r;
      if (r == 0)
        fail(live, runtime::EvalErrorKind::DivisionByZero, n.loc);
      return 1.0 / r;
    }
    case Op::Pow: { double a = eval(n.a, live, arg); return std::pow(a, eval(n.b, live, arg)); }
    case Op::Sqrt: return std::sqrt(eval(n.a, live, arg));
    case Op::Exp: return std::exp(eval(n.a, live, arg));
    case Op::Ln: return std::log(eval(n.a, live, arg));
    case Op::Sin: return std::sin(eval(n.a, live, arg));
    case Op::Cos: return std::cos(eval(n.a, live, arg));
    case Op::Abs: return std::fabs(eval(n.a, live, arg));
    case Op::Min: { double a = eval(n.a, live, arg), b = eval(n.b, live, arg); return a < b ? a : b; }
    case Op::Max: { double a = eval(n.a, live, arg), b = eval(n.b, live, arg); return a > b ? a : b; }
    case Op::Ceil: return std::ceil(eval(n.a, live, arg));
    case Op::Floor: return std::floor(eval(n.a, live, arg));
    case Op::Round: return std::round(eval(n.a, live, arg));
    case Op::Lt: { double a = eval(n.a, live, arg); return a < eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::Le: { double a = eval(n.a, live, arg); return a <= eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::Gt: { double a = eval(n.a, live, arg); return a > eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::Ge: { double a = eval(n.a, live, arg); return a >= eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::Eq: { double a = eval(n.a, live, arg); return a == eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::Ne: { double a = eval(n.a, live, arg); return a != eval(n.b, live, arg) ? 1.0 : 0.0; }
    case Op::And: {
      bool a = eval(n.a, live, arg) != 0;
      bool b = eval(n.b, live && a, arg) != 0;
      return a && b ? 1.0 : 0.0;
    }
    case Op::Or: {
      bool a = eval(n.a, live, arg) != 0;
      bool b = eval(n.b, live && !a, arg) != 0;
      return a || b ? 1.0 : 0.0;
    }
    case Op::Not: return eval(n.a, live, arg) != 0 ? 0.0 : 1.0;
    case Op::Select: {
      bool a = eval(n.a, live, arg) != 0;
      double b = eval(n.b, live && a, arg), c = eval(n.c, live && !a, arg);
      return a ? b : c;
    }
    case Op::CallPrice: {
      double q = eval(n.a, live, arg);
      return eval(m.prices[size_t(n.index)].root, live, q);
    }
    }
    return 0;
  }
};

} // namespace

int64_t referenceEval(const ir::Module &m, const double *params, double *slots) {
  Walker w{m, params, slots};
  for (size_t s = 0; s < m.slots.size(); ++s) {
    w.slot = int32_t(s);
    double v = w.eval(m.slots[s].root, true, 0.0);
    slots[s] = v;
    if (!std::isfinite(v) && !m.slots[s].mayBeUndefined && w.error == runtime::kOk)
      w.error = runtime::encodeError({runtime::EvalErrorKind::NotFinite, m.slots[s].loc, int32_t(s)});
    if (w.error != runtime::kOk)
      return w.error;
  }
  return runtime::kOk;
}

namespace {

class RandomTrees {
public:
  RandomTrees(std::mt19937_64 &rng, IrBuilder &b) : rng(rng), b(b) {}

  int32_t tree(int depth, int slotsBefore, bool inPrice) {
    if (depth <= 0 || pick(5) == 0)
      return leaf(slotsBefore, inPrice);
    using ir::Op;
    static const Op ops[] = {Op::Neg, Op::Add, Op::Sub, Op::Mul, Op::Div, Op::PowInt, Op::Pow,
                             Op::Sqrt, Op::Exp, Op::Ln, Op::Sin, Op::Cos, Op::Abs, Op::Min,
                             Op::Max, Op::Ceil, Op::Floor, Op::Round, Op::Lt, Op::Le, Op::Gt,
                             Op::Ge, Op::Eq, Op::Ne, Op::And, Op::Or, Op::Not, Op::Select,
                             Op::CallPrice, Op::Add, Op::Mul, Op::Div, Op::Select};
    Op op = ops[pick(sizeof ops / sizeof ops[0])];
    if (op == Op::CallPrice && (inPrice || b.m.prices.empty()))
      op = Op::Mul;
    int arity = ir::opArity(op);
    int32_t k[3] = {-1, -1, -1};
    for (int i = 0; i < arity; ++i)
      k[i] = tree(depth - 1, slotsBefore, inPrice);
    int32_t index = -1;
    if (op == Op::PowInt)
      index = int32_t(pick(9)) - 4;
    if (op == Op::CallPrice)
      index = int32_t(pick(b.m.prices.size()));
    int32_t id = b.node(op, k[0], k[1], k[2], index);
    b.at(id, 1 + int(pick(50)));
    if (pick(10) == 0)
      b.m.nodes[size_t(id)].loc = -1; // no place: a division here is not checked
    return id;
  }

private:
  size_t pick(size_t n) { return size_t(rng() % n); }

  int32_t leaf(int slotsBefore, bool inPrice) {
    size_t choice = pick(10);
    if (inPrice && choice < 3)
      return b.node(ir::Op::Arg);
    if (choice < 5 && !b.m.params.empty())
      return b.p(int32_t(pick(b.m.params.size())));
    if (choice < 7 && slotsBefore > 0)
      return b.s(int32_t(pick(size_t(slotsBefore))));
    static const double consts[] = {0.0, 1.0, 2.0, 0.5, 3.25, -1.5, 1e-3, 1000.0, 0.1, 7.0};
    return b.num(consts[pick(10)]);
  }

  std::mt19937_64 &rng;
  IrBuilder &b;
};

} // namespace

ir::Module randomModule(std::mt19937_64 &rng, int paramCount, int slotCount) {
  IrBuilder b;
  for (int i = 0; i < paramCount; ++i)
    b.param("p" + std::to_string(i), 1.0 + double(i));
  RandomTrees trees(rng, b);
  int priceCount = int(rng() % 3);
  for (int i = 0; i < priceCount; ++i)
    b.price("card.price" + std::to_string(i), trees.tree(3, 0, true));
  for (int s = 0; s < slotCount; ++s)
    b.slot("v" + std::to_string(s), trees.tree(4, s, false), rng() % 8 == 0);
  return b.m;
}

std::vector<double> randomParams(std::mt19937_64 &rng, size_t count) {
  std::vector<double> v(count);
  std::uniform_real_distribution<double> unit(-3.0, 3.0);
  for (double &x : v) {
    switch (rng() % 8) {
    case 0: x = 0.0; break;
    case 1: x = std::ldexp(unit(rng), 40); break;
    case 2: x = double(int(unit(rng) * 3)); break;
    default: x = unit(rng); break;
    }
  }
  return v;
}

bool sameBits(double a, double b) {
  if (std::isnan(a) && std::isnan(b))
    return true; // NaN payloads may differ between libm and folded constants
  uint64_t x, y;
  std::memcpy(&x, &a, 8);
  std::memcpy(&y, &b, 8);
  return x == y;
}

} // namespace camp::test
