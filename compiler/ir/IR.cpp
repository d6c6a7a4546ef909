// Small helpers of the evaluation IR: names, look-ups and the text dump.
#include "ir/IR.h"

#include <fmt/format.h>

namespace camp::ir {

const char *opName(Op op) {
  switch (op) {
#define CAMP_IR_OP(Name, Arity, Spelling) \
  case Op::Name:                          \
    return Spelling;
#include "ir/Ops.def"
  }
  return "?";
}

int opArity(Op op) {
  switch (op) {
#define CAMP_IR_OP(Name, Arity, Spelling) \
  case Op::Name:                          \
    return Arity;
#include "ir/Ops.def"
  }
  return 0;
}

template <typename T> static int32_t findByName(const std::vector<T> &items, const std::string &name) {
  for (size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name)
      return int32_t(i);
  return -1;
}

int32_t Module::findParam(const std::string &name) const { return findByName(params, name); }
int32_t Module::findScenario(const std::string &name) const { return findByName(scenarios, name); }
int32_t Module::findSlot(const std::string &name) const { return findByName(slots, name); }

std::vector<double> Module::nominalParams() const {
  std::vector<double> v;
  v.reserve(params.size());
  for (const Param &p : params)
    v.push_back(p.nominal);
  return v;
}

static void printNode(const Module &m, int32_t id, std::string &out) {
  const Node &n = m.nodes[size_t(id)];
  switch (n.op) {
  case Op::Const:
    out += fmt::format("{}", n.num);
    return;
  case Op::Param:
    out += "%" + m.params[size_t(n.index)].name;
    return;
  case Op::Slot:
    out += fmt::format("${}", n.index);
    return;
  case Op::Arg:
    out += "q";
    return;
  default:
    break;
  }
  out += opName(n.op);
  out += "(";
  if (n.op == Op::CallPrice)
    out += m.prices[size_t(n.index)].name + ", ";
  if (n.op == Op::PowInt)
    out += fmt::format("{}, ", n.index);
  int32_t kids[3] = {n.a, n.b, n.c};
  for (int k = 0; k < opArity(n.op); ++k) {
    if (k)
      out += ", ";
    printNode(m, kids[k], out);
  }
  out += ")";
}

std::string print(const Module &m) {
  std::string out = fmt::format("; model \"{}\" currency {}\n", m.title, m.currency);
  for (size_t i = 0; i < m.params.size(); ++i)
    out += fmt::format("param %{} = {}\n", m.params[i].name, m.params[i].nominal);
  for (const Price &p : m.prices) {
    out += fmt::format("price {}(q) = ", p.name);
    printNode(m, p.root, out);
    out += "\n";
  }
  for (size_t i = 0; i < m.slots.size(); ++i) {
    out += fmt::format("${} {} = ", i, m.slots[i].name);
    printNode(m, m.slots[i].root, out);
    out += "\n";
  }
  return out;
}

} // namespace camp::ir
