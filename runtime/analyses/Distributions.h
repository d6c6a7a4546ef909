// Inverse-CDF samplers for params: uniform, triangular, PERT, normal, lognormal, beta, discrete.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/IR.h"

namespace camp::analyses {

/// The quantile function of a beta(a, b) distribution. For u in [kTableLo, kTableHi] it reads a
/// cubic Hermite table built once from Boost.Math, with knots evenly spaced in logit(u) (knot
/// values ibeta_inv, slopes from the pdf); beyond, it calls Boost.Math directly (2 draws in a
/// million). Tested to agree with Boost within 1e-9 of the unit interval.
class BetaQuantile {
public:
  static constexpr double kTableLo = 1e-6, kTableHi = 1.0 - 1e-6;
  static constexpr int kKnots = 4096;
  BetaQuantile(double a, double b);
  double operator()(double u) const;
  /// The same value computed directly by Boost.Math (the reference for tests; slow).
  double direct(double u) const;

private:
  double a_, b_;
  double step_ = 0;
  std::vector<double> x_, slope_; // at knots kTableLo + j * step_
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

/// The standard normal quantile, -sqrt(2) * erfc_inv(2u) by Boost.Math.
double normalQuantile(double u);

} // namespace camp::analyses
