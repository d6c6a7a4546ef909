// The interface every evaluator of an ir::Module implements: the interpreter and the LLVM JIT.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ir/IR.h"

namespace camp::runtime {

/// Why one evaluation failed, and where (an index into ir::Module::locs).
enum class EvalErrorKind : uint8_t { DivisionByZero = 0, NotFinite = 1, NegativeQuantity = 2 };

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::NotFinite;
  int32_t loc = -1;
  int32_t slot = -1;   // the slot being computed
};

/// Per-sample error code in a batch: kOk, or encodeError(...).
constexpr int64_t kOk = -1;
inline int64_t encodeError(const EvalError &e) {
  return (int64_t(uint32_t(e.slot)) << 32) | (int64_t(uint32_t(e.loc) & 0x3fffffffu) << 2) | int64_t(e.kind);
}
inline EvalError decodeError(int64_t code) {
  EvalError e;
  e.kind = EvalErrorKind(code & 3);
  e.loc = int32_t(uint32_t(code) >> 2);
  e.slot = int32_t(uint64_t(code) >> 32);
  return e;
}

/// A chunk of samples, structure-of-arrays.
///  - params[p] points at n values of parameter p, or is nullptr: then fixed[p] is used for
///    every sample. fixed must always hold one value per param.
///  - slots[s] receives n values of slot s, or is nullptr: the slot is computed, not stored.
///  - errors receives n codes (kOk or encodeError); the first error of a sample wins, and
///    that sample's stored slots are then unspecified.
struct Batch {
  size_t n = 0;
  const double *const *params = nullptr;
  const double *fixed = nullptr;
  double *const *slots = nullptr;
  int64_t *errors = nullptr;
};

/// How a fused kernel draws one param: plain data, so that the code generator sees no
/// analyses types. The math is runtime/analyses/SamplerMath.h's, the stream runtime/analyses/Rng.h's.
enum class DrawKind : uint8_t { Fixed, Uniform, Triangular, Normal, Lognormal, BetaTable, Discrete };

struct ParamDraw {
  DrawKind kind = DrawKind::Fixed;  // Fixed: SampledBatch::fixed[p] for every sample
  bool hostUniform = false;         // its uniforms come in SampledBatch::uniforms (correlated)
  uint32_t key = 0;                 // the param's stream key (a hash of its name)
  /// Uniform: lo, hi. Triangular: lo, mode, hi. Normal, Lognormal: mu, sigma (of the log).
  /// BetaTable: lo, hi (the table's [0, 1] scaled to them).
  double c[3] = {0, 0, 0};
  const double *table = nullptr;    // BetaTable: knots + 1 pairs (x, slope * step)
  double tableLo = 0, tableInvStep = 0; // first knot's logit(u), knots per unit of logit
  int32_t tableKnots = 0;
  std::vector<double> values, cumulative; // Discrete
};

/// A block of samples whose params are drawn by the engine itself: the uniforms of sample
/// first + i come from (seed, first + i, key, stream), stratified per 1,024-sample block when
/// `latin`; [first, first + n) must lie within one such block.
struct SampledBatch {
  uint64_t seed = 1;
  uint32_t stream = 0;
  bool latin = true;
  uint64_t first = 0;
  size_t n = 0;
  const ParamDraw *draws = nullptr;         // one per param
  const double *const *uniforms = nullptr;  // per param: n uniforms when hostUniform, else unused
  const double *fixed = nullptr;            // per param
  double *const *params = nullptr;          // nullptr, or per param nullptr / n drawn values
  double *const *slots = nullptr;           // as in Batch
  int64_t *errors = nullptr;
};

class Engine {
public:
  virtual ~Engine() = default;
  virtual const char *name() const = 0;
  /// Evaluates every slot for one parameter vector. Returns false and fills err on failure.
  virtual bool evalOne(const double *params, double *slots, EvalError &err) const = 0;
  /// Evaluates a chunk of samples. Must give bit-identical results to evalOne per sample.
  virtual void evalBatch(const Batch &batch) const = 0;
  /// Draws the params of a block and evaluates it in one call (a fused, compiled kernel).
  /// Returns false when this engine has none: the caller then draws the same values on the
  /// host (analyses::drawParams) and calls evalBatch, with bit-identical results.
  virtual bool evalSampledBatch(const SampledBatch &batch) const { return false; }
  /// Prices `quantity` (canonical units) with module.prices[price], reading params and the
  /// already computed slots (a forecast prices a month's total quantity this way).
  virtual double evalPrice(int32_t price, double quantity, const double *params,
                           const double *slots) const = 0;
  /// The same without the price's minimum, capped at its maximum (ir::Price::grossRoot): a
  /// forecast bills a yearly price month by month with it and trues the minimum up at year end.
  virtual double evalGrossPrice(int32_t price, double quantity, const double *params,
                                const double *slots) const = 0;
};

/// The reference evaluator: walks the IR trees directly. Exact semantics of ir/Ops.def.
std::unique_ptr<Engine> makeInterpreter(const ir::Module &module);

} // namespace camp::runtime
