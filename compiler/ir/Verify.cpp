// The IR verifier: what every engine relies on, checked once after lowering (and again by the
// backend, which also bounds nesting depth). A broken module gets an error, never a crash.
#include "ir/Verify.h"

#include <string>
#include <vector>

namespace camp::ir {

namespace {

bool validSlot(const Module &m, int32_t s, bool optional) {
  return (optional && s == -1) || (s >= 0 && size_t(s) < m.slots.size());
}

// Prices, rate cards, bills and lines refer to slots and prices by index: all in range.
bool verifyStructure(const Module &m, std::string &error, std::string *what) {
  auto fail = [&](const std::string &why) {
    error = "the compiled model is inconsistent (" + why + "); please report this as a bug";
    if (what)
      *what = why;
    return false;
  };
  for (const Price &p : m.prices) {
    bool ok = validSlot(m, p.rate, true) && validSlot(m, p.packageSize, true) && validSlot(m, p.included, true) &&
              validSlot(m, p.discount, true) && validSlot(m, p.minimum, true) && validSlot(m, p.maximum, true) &&
              (p.ratecard == -1 || (p.ratecard >= 0 && size_t(p.ratecard) < m.ratecards.size()));
    for (const PriceTier &t : p.tiers)
      ok = ok && validSlot(m, t.bound, true) && validSlot(m, t.rate, true) && validSlot(m, t.fee, true);
    if (!ok)
      return fail("price " + p.name + " has a term out of range");
  }
  for (const Ratecard &c : m.ratecards) {
    bool ok = validSlot(m, c.discount, true) && (!c.commit || (validSlot(m, c.commit->amount, false) &&
                                                               validSlot(m, c.commit->overage, true)));
    for (int32_t f : c.fees)
      ok = ok && validSlot(m, f, false);
    for (int32_t p : c.prices)
      ok = ok && p >= 0 && size_t(p) < m.prices.size();
    if (!ok)
      return fail("rate card " + c.name + " refers to an unknown value");
  }
  for (const Pipeline &p : m.pipelines) {
    for (const Bill &b : p.bills)
      if (b.price < 0 || size_t(b.price) >= m.prices.size() || !validSlot(m, b.quantitySlot, false) ||
          !validSlot(m, b.costSlot, false) || b.lines < 1)
        return fail("pipeline " + p.name + " has a bill out of range");
    for (const Stage &s : p.stages)
      for (const CostLine &l : s.lines) {
        bool ok = validSlot(m, l.slot, false) && validSlot(m, l.quantitySlot, true) &&
                  (l.meteredPrice == -1 || (l.meteredPrice >= 0 && size_t(l.meteredPrice) < m.prices.size()));
        for (int32_t f : l.fees)
          ok = ok && validSlot(m, f, false);
        if (!ok)
          return fail("a cost line of " + p.name + " refers to an unknown value");
      }
  }
  return true;
}

} // namespace

bool verify(const Module &m, std::string &error, std::string *what) {
  auto fail = [&](const std::string &why) {
    error = "the compiled model is inconsistent (" + why + "); please report this as a bug";
    if (what)
      *what = why;
    return false;
  };
  const int32_t nodeCount = int32_t(m.nodes.size());
  for (int32_t i = 0; i < nodeCount; ++i) {
    const Node &n = m.nodes[size_t(i)];
    const int32_t kids[3] = {n.a, n.b, n.c};
    for (int k = 0; k < opArity(n.op); ++k)
      if (kids[k] < 0 || kids[k] >= i)
        return fail("node " + std::to_string(i) + " has a bad operand");
    if (n.op == Op::Param && (n.index < 0 || size_t(n.index) >= m.params.size()))
      return fail("node " + std::to_string(i) + " reads an unknown param");
    if (n.op == Op::Slot && (n.index < 0 || size_t(n.index) >= m.slots.size()))
      return fail("node " + std::to_string(i) + " reads an unknown value");
    if (n.op == Op::CallPrice && (n.index < 0 || size_t(n.index) >= m.prices.size()))
      return fail("node " + std::to_string(i) + " calls an unknown price");
  }
  // Which nodes each root reaches, to check the order of slot reads and Arg placement.
  std::vector<int32_t> stack;
  auto walk = [&](int32_t root, auto &&visit) {
    stack.assign(1, root);
    while (!stack.empty()) {
      int32_t id = stack.back();
      stack.pop_back();
      const Node &n = m.nodes[size_t(id)];
      if (!visit(n))
        return false;
      const int32_t kids[3] = {n.a, n.b, n.c};
      for (int k = 0; k < opArity(n.op); ++k)
        stack.push_back(kids[k]);
    }
    return true;
  };
  for (size_t p = 0; p < m.prices.size(); ++p) {
    for (int32_t root : {m.prices[p].root, m.prices[p].grossRoot}) {
      if (root == m.prices[p].grossRoot && root == -1)
        continue; // optional: the bill itself then serves
      if (root < 0 || root >= nodeCount)
        return fail("price " + m.prices[p].name + " has no body");
      if (!walk(root, [](const Node &n) { return n.op != Op::CallPrice; }))
        return fail("price " + m.prices[p].name + " calls another price");
    }
  }
  for (size_t s = 0; s < m.slots.size(); ++s) {
    int32_t root = m.slots[s].root;
    if (root < 0 || root >= nodeCount)
      return fail("value " + m.slots[s].name + " has no expression");
    bool ok = walk(root, [&](const Node &n) {
      if (n.op == Op::Arg)
        return false;
      if (n.op == Op::Slot && size_t(n.index) >= s)
        return false;
      if (n.op != Op::CallPrice)
        return true;
      // A price body may read computed values: they must be computed before this one.
      const Price &price = m.prices[size_t(n.index)];
      std::vector<int32_t> saved = std::move(stack);
      bool inner = walk(price.root, [&](const Node &k) {
        return k.op != Op::Slot || size_t(k.index) < s;
      });
      stack = std::move(saved);
      return inner;
    });
    if (!ok)
      return fail("value " + m.slots[s].name + " reads a later value or a price argument");
  }
  return verifyStructure(m, error, what);
}

} // namespace camp::ir
