// Inverse-CDF samplers for params: uniform, triangular, PERT, normal, lognormal, beta, discrete.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

/// The quantile function of a beta(a, b) distribution: a cubic Hermite table built once from
/// Boost.Math, with knots evenly spaced in t = logit(u) over [kTableLo, -kTableLo] (knot values
/// ibeta_inv, slopes from the pdf). It covers every u the generator produces (2^-54 <= u <=
/// 1 - 2^-53, logit within +-37.43), so no draw falls back to Boost. Its error is tested
/// (tests/analyses/DistributionTests.cpp) and stated in docs/sampling.md.
class BetaQuantile {
public:
  static constexpr double kTableLo = -38.0;
  static constexpr int kKnots = 11264;
  static constexpr double kStep = -2 * kTableLo / kKnots;
  static constexpr double kInvStep = kKnots / (-2 * kTableLo);
  /// Builds the table (about 11,000 Boost `ibeta_inv` calls: some 20 ms).
  BetaQuantile(double a, double b);
  /// The table of beta(a, b) as samplers use it: shared within the process, and read from the
  /// table store (useBetaTableStore) when it holds this shape, else built and stored there.
  static std::shared_ptr<const BetaQuantile> shared(double a, double b);
  double operator()(double u) const;
  /// The same value computed directly by Boost.Math (the reference for tests; slow).
  double direct(double u) const;
  /// (x_j, slope_j) pairs for j = 0..kKnots, what the JIT's kernel reads.
  const double *table() const { return table_.data(); }

  /// The table's bytes as stored, and a table from stored bytes (nullopt unless exactly the
  /// right size with every knot in [0, 1] and nondecreasing, and every slope finite and >= 0).
  std::string serialize() const;
  static std::optional<BetaQuantile> deserialize(double a, double b, std::string_view bytes);

private:
  BetaQuantile(double a, double b, std::vector<double> table) : a_(a), b_(b), table_(std::move(table)) {}
  double a_, b_;
  std::vector<double> table_;
};

/// Where built beta tables are kept between runs: bytes under a name that states the shape
/// (BetaQuantile::shared forms it). `camp` points this at its JIT cache folder (the warm start of
/// a model with a PERT param then skips building the table); unset, as in libraries and tests,
/// every process builds its tables. Both functions must be safe to call from any thread.
struct BetaTableStore {
  std::function<std::optional<std::string>(const std::string &name)> load;
  std::function<void(const std::string &name, std::string_view bytes)> store;
};
void useBetaTableStore(BetaTableStore store);

/// How one param is drawn in Monte Carlo and Sobol runs.
class Sampler {
public:
  enum class Kind { Fixed, Uniform, Triangular, Beta, Normal, Lognormal, Discrete };

  /// The sampler of a param: its distribution, else uniform on its range, else fixed at its
  /// nominal value. Fills `problem` (plain words) and returns nullopt when the arguments make
  /// no distribution, e.g. pert(5, 2, 3).
  static std::optional<Sampler> forParam(const ir::Param &param, std::string &problem);

  Kind kind() const { return kind_; }
  bool isRandom() const { return kind_ != Kind::Fixed; }
  /// The value with cumulative probability u, 0 < u < 1 (for Fixed: the nominal value).
  double quantile(double u) const;
  /// The plain description of this sampler for a fused kernel, with the param's stream key.
  runtime::ParamDraw draw(uint32_t key) const;
  /// Bounds used when a search needs an interval: finite support or the 0.1 %/99.9 % quantiles.
  std::pair<double, double> plausibleBounds() const;

private:
  Kind kind_ = Kind::Fixed;
  double lo_ = 0, hi_ = 0, mode_ = 0; // Uniform, Triangular, Beta (scaled to [lo, hi])
  double mu_ = 0, sigma_ = 0;         // Normal (mean, sd) and Lognormal (of the log)
  double value_ = 0;                  // Fixed
  std::shared_ptr<const BetaQuantile> beta_;
  std::vector<double> values_, cumulative_; // Discrete
};

/// The standard normal quantile, -sqrt(2) * erfc_inv(2u) by Boost.Math: the exact reference
/// (van der Waerden scores, tests). Draws use smath::normalQuantile (AS241), not this.
double normalQuantile(double u);

} // namespace camp::analyses
