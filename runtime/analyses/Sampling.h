// Shared plumbing of the analyses: samplers for a model's params, chunked evaluation, threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analyses/Distributions.h"
#include "analyses/Rng.h"
#include "analyses/Uniforms.h"
#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

/// Samples are evaluated in blocks aligned to multiples of kBlock in absolute sample index;
/// sums are formed per block, which is why parts of a run must split at these multiples.
constexpr uint64_t kBlock = 1024;
static_assert(kBlock == kUniformBlock, "sums and sampling designs share their blocks");

/// One sampler per param (Fixed for a param without range or distribution, or pinned by a
/// scenario or --set). Returns false with `problem` filled when a distribution is unusable.
bool makeSamplers(const ir::Module &module, const std::vector<bool> &pinned,
                  std::vector<Sampler> &samplers, std::string &problem);

/// Which params are drawn: those whose sampler is random.
std::vector<bool> drawnParams(const std::vector<Sampler> &samplers);

/// Fills columns[p][0..n) with the draws of samples first..first+n for each random param p:
/// the design's uniforms, then each param's inverse CDF.
void drawParams(const std::vector<Sampler> &samplers, const UniformDesign &design,
                uint64_t first, size_t n, const std::vector<double *> &columns);

/// Draws the params of blocks of samples and evaluates them: in one fused kernel call when the
/// engine has one (Engine::evalSampledBatch: uniforms and inverse CDFs inside the compiled
/// loop), else drawParams then evalBatch — the same bits either way. Correlated params keep
/// their uniforms from the host (Iman–Conover needs the whole block). One per thread.
class SampledEvaluator {
public:
  SampledEvaluator(const std::vector<Sampler> &samplers, const UniformDesign &design);
  /// Samples [first, first + n), within one kBlock-aligned block. `columns[p]` (kBlock values,
  /// for each drawn p) receives the drawn params when `keepParams` or when the host draws them.
  void run(const runtime::Engine &engine, uint64_t first, size_t n,
           const std::vector<double *> &columns, bool keepParams, const double *fixed,
           double *const *slots, int64_t *errors);

private:
  const std::vector<Sampler> &samplers_;
  const UniformDesign &design_;
  std::vector<runtime::ParamDraw> draws_;
  std::vector<std::vector<double>> uniforms_;  // correlated members' uniforms
  std::vector<double *> uniformCols_;
  bool fused_ = true; // until the engine says it has no fused kernel
};

/// Runs work(chunkIndex) for chunkIndex in [0, chunks) on `threads` threads (0: all cores),
/// stopping early when *stop becomes true. Each thread passes its own id (0..threads-1).
void parallelChunks(uint64_t chunks, unsigned threads, const std::atomic<bool> *stop,
                    const std::function<void(unsigned thread, uint64_t chunk)> &work);

/// The number of threads to use: `requested`, or every core when it is 0.
unsigned resolveThreads(unsigned requested);

/// Evaluates one slot for a set of samples given by full parameter columns (each of length n),
/// single-threaded; failed samples get NaN in `out`.
void evalSlotColumns(const runtime::Engine &engine, const ir::Module &module, int32_t slot,
                     const std::vector<const double *> &columns, const std::vector<double> &fixed,
                     size_t n, double *out);

/// Evaluates every slot at one parameter vector; false when the model fails there.
bool evalAt(const runtime::Engine &engine, const ir::Module &module,
            const std::vector<double> &params, std::vector<double> &slots,
            runtime::EvalError *error = nullptr);

/// The value of one slot at one parameter vector, NaN when the model fails there.
double evalSlotAt(const runtime::Engine &engine, const ir::Module &module,
                  const std::vector<double> &params, int32_t slot);

} // namespace camp::analyses
