// The uniforms behind every draw: counter-based, keyed by param name, Latin hypercube per block,
// rank-reordered (Iman–Conover) for correlations. Inverse CDFs and the model come after.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyses/Rng.h"
#include "ir/IR.h"

namespace camp::analyses {

/// Latin hypercube (the default) stratifies each param's uniforms within every block of
/// kUniformBlock samples; Random draws them independently.
enum class SamplingMethod { LatinHypercube, Random };

/// The design's unit: samples [b * kUniformBlock, (b + 1) * kUniformBlock) share one Latin
/// hypercube and one Iman–Conover reordering, so any split of a run at multiples of it, and any
/// thread count, gives the same bits. Equal to Sampling.h's kBlock.
constexpr uint64_t kUniformBlock = 1024;

/// The key of a param's draws: a hash of its name, so that adding, removing or reordering
/// other params never changes its draws (what paired diffs of two versions rely on).
uint32_t paramKey(std::string_view name);

/// Rank correlation among some drawn params, turned into what Iman–Conover needs.
struct CorrelationPlan {
  std::vector<size_t> members;  // param indices, in declaration order
  std::vector<double> root;     // k x k, row-major, lower triangular: root * root^T = the
                                // normal-score correlation
  bool empty() const { return members.size() < 2; }
};

/// One pair whose correlation was changed to make the matrix valid.
struct ChangedPair {
  int32_t a = -1, b = -1;       // params
  double asked = 0, used = 0;   // Spearman
  bool written = false;         // false: a pair not written (asked 0) that had to move
};

/// Everything that decides the uniforms of a run (besides the sample index).
struct UniformDesign {
  SamplingMethod method = SamplingMethod::LatinHypercube;
  uint64_t seed = 1;
  Stream stream = Stream::Sample;
  std::vector<uint32_t> keys;   // per param
  std::vector<bool> drawn;      // per param: random and not pinned
  CorrelationPlan correlation;
};

/// Builds the design for `module`'s params that are `drawn`. With `correlate`, the module's
/// correlations among drawn params are planned; pairs that had to change to make a valid
/// correlation matrix (nearest in the Frobenius norm, Higham 2002) are listed in `changed`.
UniformDesign makeUniformDesign(const ir::Module &module, const std::vector<bool> &drawn,
                                SamplingMethod method, uint64_t seed, Stream stream,
                                bool correlate, std::vector<ChangedPair> *changed = nullptr);

/// Fills columns[p][0..n) (for each drawn p with a column) with the uniforms of samples
/// first .. first+n-1, in (0, 1). Any range; computed block by block.
void drawUniforms(const UniformDesign &design, uint64_t first, size_t n,
                  const std::vector<double *> &columns);

/// The nearest correlation matrix to the symmetric k x k `a` (row-major, unit diagonal), by
/// Higham's alternating projections with Dykstra's correction. Exposed for tests.
std::vector<double> nearestCorrelation(const std::vector<double> &a, size_t k);

/// Spearman's rank correlation of two columns (no ties assumed). Exposed for tests and tools.
double rankCorrelation(const std::vector<double> &x, const std::vector<double> &y);

} // namespace camp::analyses
