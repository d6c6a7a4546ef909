// Internal to the backend: the samplers' math as LLVM IR, for the fused sample-and-evaluate kernel.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "LLVMHeaders.h"
#include "camp/Engine.h"

namespace camp::backend {

/// What decides the code of a fused kernel (constants come at run time, so one compiled kernel
/// serves every seed, scenario and distribution argument of the same shape).
struct SampledParamLayout {
  runtime::DrawKind kind = runtime::DrawKind::Fixed;
  bool hostUniform = false;
  int32_t discreteCount = 0;
  size_t constOffset = 0; // first of its constants in the kernel's `consts` argument
};

struct SampledLayout {
  bool latin = true;
  bool storeParams = false;
  std::vector<SampledParamLayout> params;
  /// Per slot: whether the caller reads it (SampledBatch::slots[s] set). Only those are
  /// stored, so the rest of the model is code only as far as an error rule needs it.
  std::vector<bool> storeSlots;
  /// Bytes that differ exactly when the code differs.
  std::string key() const;
};

/// The layout of a batch, and its run-time constants in the order the kernel reads them:
/// per param c[0..2], then for BetaTable (tableLo, tableInvStep, tableKnots), for Discrete
/// values[k] then cumulative[k].
SampledLayout sampledLayout(const runtime::SampledBatch &batch, size_t params, size_t slots,
                            std::vector<double> *consts);

/// Emits, at the builder's insertion point, the same operations in the same order as
/// runtime/analyses/Rng.h and SamplerMath.cpp. Values are scalars; the loop vectoriser
/// widens them (every function is straight-line: both sides computed, one selected).
class SamplerEmitter {
public:
  /// `tableTag`: the TBAA tag of table loads, so the vectoriser knows they never alias a store.
  SamplerEmitter(llvm::IRBuilder<> &b, llvm::MDNode *tableTag) : b(b), tableTag(tableTag) {}

  /// Four 32-bit words, each in an i64 with its upper half zero.
  using Words = std::array<llvm::Value *, 4>;
  /// Philox4x32-10 of counter `ctr` with the ten round keys `keys` (see roundKeys).
  Words philox(Words ctr, const std::vector<std::array<llvm::Value *, 2>> &keys);
  /// The ten round keys of Philox4x32-10 for (seed lo, seed hi).
  std::vector<std::array<llvm::Value *, 2>> roundKeys(llvm::Value *seedLo, llvm::Value *seedHi);
  /// Rng.h's latinKeys: the stratum permutation's round keys of a block (i64) for a param.
  Words latinKeys(llvm::Value *block, llvm::Value *key, llvm::Value *stream,
                  const std::vector<std::array<llvm::Value *, 2>> &keys);
  /// The top 53 bits of words 0 and 1, as i64.
  llvm::Value *bits53(const Words &w);
  /// (bits + 0.5) * 2^-53.
  llvm::Value *uniformOpen01(llvm::Value *bits53);
  /// Rng.h's latinStratum (i64 position in 0..1023) and latinUniform.
  llvm::Value *latinStratum(llvm::Value *i, const Words &keys);
  llvm::Value *latinUniform(llvm::Value *stratum, llvm::Value *bits53);

  llvm::Value *log(llvm::Value *x);
  llvm::Value *exp(llvm::Value *x);
  llvm::Value *normalQuantile(llvm::Value *u);
  llvm::Value *triangularQuantile(llvm::Value *u, llvm::Value *lo, llvm::Value *mode, llvm::Value *hi);
  llvm::Value *betaTableQuantile(llvm::Value *table, llvm::Value *tLo, llvm::Value *invStep,
                                 llvm::Value *knots, llvm::Value *u);
  llvm::Value *discreteQuantile(const std::vector<llvm::Value *> &values,
                                const std::vector<llvm::Value *> &cumulative, llvm::Value *u);

private:
  llvm::Value *f(double x);
  llvm::Value *i32(uint32_t x);
  llvm::Value *i64(uint64_t x);
  llvm::Value *mix32(llvm::Value *x);
  llvm::Value *low32(llvm::Value *x);
  llvm::IRBuilder<> &b;
  llvm::MDNode *tableTag;
};

} // namespace camp::backend
