// Internal to the backend: the evaluation IR lowered to an llvm::Module, and LLVM set-up.
#pragma once

#include <memory>
#include <string>

#include "EmitSamplers.h"
#include "LLVMHeaders.h"
#include "ir/IR.h"

namespace camp::backend {

/// Samples per block of the batch kernel: the inner loop LLVM vectorises runs over one block.
constexpr int kBatchBlock = 512;
/// Slots per function of the one-sample evaluator (bounds the size of each basic block).
constexpr size_t kSlotsPerPart = 256;
/// Deepest expression tree compiled (the tree walk is recursive; ~100 bytes of stack a level).
constexpr int32_t kMaxExpressionDepth = 20000;

struct CodeGenOptions {
  std::string prefix;          // every exported symbol is <prefix>eval, <prefix>eval_batch, ...
  bool withModelInfo = false;  // also define <prefix>model, the camp_model of camp.h (AOT)
  bool withEval = true, withPrice = true, withBatch = true; // (batch alone declares eval)
  bool vectoriseBatch = true;  // one vectorised loop, else sample by sample through eval
  /// When set, only the fused kernel of this layout is emitted:
  ///   void <prefix>eval_sampled(i64 n, i64 first, i64 seed, i32 stream, const u32 *keys,
  ///        const double *consts, const double *const *tables, const double *const *uniforms,
  ///        const double *fixed, double *const *paramsOut, double *const *slots, i64 *errors)
  const SampledLayout *sampled = nullptr;
};

/// How hard LLVM works on a model. Small models get the full O3 pipeline and a vectorised
/// batch loop; large ones a few cheap passes and fast instruction selection, because LLVM's
/// optimisers and instruction selection grow faster than linearly with the code's size.
enum class Tier { Full, Fast };
constexpr size_t kFullTierSlotLimit = 300;
Tier tierFor(const ir::Module &m, int optLevel);

/// Checks what the code generator relies on (indices in range, children before parents, slots
/// read only earlier slots, no price calls inside prices); a broken module gets an error,
/// never a crash.
bool validateModule(const ir::Module &m, std::string &error);

/// Lowers a validated module. Defines, with C linkage:
///   i64  <prefix>eval(const double *params, double *slots)
///   void <prefix>eval_batch(size_t n, const double *const *params, const double *fixed,
///                           double *const *slots, int64_t *errors)
///   f64  <prefix>price(i32 price, f64 quantity, const double *params, const double *slots)
std::unique_ptr<llvm::Module> lowerToLLVM(const ir::Module &m, llvm::LLVMContext &ctx,
                                          const CodeGenOptions &options);

/// Full tier: the new pass manager's O3 pipeline for `tm`'s CPU. Fast tier: early CSE,
/// instruction simplification and CFG clean-up only.
void optimiseModule(llvm::Module &mod, llvm::TargetMachine &tm, Tier tier);

/// Registers the native target once per process.
void initialiseLLVM();

/// A target machine for this computer's CPU; `pic` for shared objects.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(bool pic, Tier tier, std::string &error);

/// The only functions outside itself that compiled code may call: libm and what LLVM's own
/// code generation emits for memory and rounding.
bool isAllowedExternal(llvm::StringRef name);

std::string errorText(llvm::Error err);

} // namespace camp::backend
