// Test helpers: build ir::Modules by hand, evaluate them by a second, independent method (a
// plain recursive walk written from ir/Ops.def), and make random modules for differential runs.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::test {

class IrBuilder {
public:
  ir::Module m;

  int32_t param(const std::string &name, double nominal);
  int32_t node(ir::Op op, int32_t a = -1, int32_t b = -1, int32_t c = -1, int32_t index = -1,
               double num = 0);
  int32_t num(double v) { return node(ir::Op::Const, -1, -1, -1, -1, v); }
  int32_t p(int32_t param) { return node(ir::Op::Param, -1, -1, -1, param); }
  int32_t s(int32_t slot) { return node(ir::Op::Slot, -1, -1, -1, slot); }
  int32_t loc(int line);
  /// Adds a slot computing `root`; its loc is a fresh Loc at `line`.
  int32_t slot(const std::string &name, int32_t root, bool mayBeUndefined = false);
  int32_t price(const std::string &name, int32_t root);
  /// Gives the most recent node a loc (where its errors are reported).
  void at(int32_t nodeId, int line) { m.nodes[size_t(nodeId)].loc = loc(line); }
};

/// The reference semantics, written independently of the interpreter and the backend.
/// Returns kOk or the first error's code; fills slots.
int64_t referenceEval(const ir::Module &m, const double *params, double *slots);

/// A random module of `slotCount` slots over `paramCount` params, using every operation.
ir::Module randomModule(std::mt19937_64 &rng, int paramCount, int slotCount);

/// Random parameter values: mostly moderate, sometimes zero, negative or huge.
std::vector<double> randomParams(std::mt19937_64 &rng, size_t count);

bool sameBits(double a, double b);

} // namespace camp::test
