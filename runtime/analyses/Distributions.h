// Inverse-CDF samplers for params: uniform, triangular, PERT, normal, lognormal, beta, discrete.
#pragma once

#include <memory>
#include <optional>
#include <string>
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
  BetaQuantile(double a, double b);
  double operator()(double u) const;
  /// The same value computed directly by Boost.Math (the reference for tests; slow).
  double direct(double u) const;
  /// (x_j, slope_j) pairs for j = 0..kKnots, what the JIT's kernel reads.
  const double *table() const { return table_.data(); }

private:
  double a_, b_;
  std::vector<double> table_;
};

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
