// The reference math of the samplers, straight-line: log, exp, normal quantile, tabulated beta.
//
// The JIT's fused kernel (compiler/backend/EmitSamplers.cpp) emits these same operations in the
// same order, with no fused multiply-add, so a draw is bit-identical on every engine. Each
// function is written branch-free in spirit: both sides of a split are computed and one is
// selected, exactly as the vector code does. Accuracy is stated per function and tested in
// tests/analyses/DistributionTests.cpp; docs/sampling.md summarises it.
#pragma once

#include <cstdint>

namespace camp::analyses::smath {

/// Natural log of a positive, finite, normal x (fdlibm's e_log.c algorithm and coefficients:
/// reduction to [sqrt(2)/2, sqrt(2)), s = f / (2 + f), a degree-14 minimax polynomial in s).
/// Error below 1 ulp. Zero, subnormals, infinities and NaN are outside its domain (the
/// samplers never pass them).
double log(double x);

/// e^x (fdlibm's e_exp.c: x = k ln2 + r, a degree-5 minimax rational form in r, then a
/// scaling by 2^k done as two exact multiplications). Error below 1 ulp; +inf above
/// 709.78..., 0 below -745.13..., NaN for NaN.
double exp(double x);

/// The standard normal quantile by Wichura's AS241 (PPND16, Applied Statistics 37, 1988):
/// rational functions of degree 7 on three ranges (the range's argument and coefficients
/// selected, one division), relative error about 1e-16 by design. For u in (0, 1).
double normalQuantile(double u);

/// The triangular(lo, mode, hi) quantile, closed form (the side selected, one square root).
double triangularQuantile(double u, double lo, double mode, double hi);

/// The tabulated beta quantile in [0, 1]: a cubic Hermite interpolant in t = logit(u) on
/// `knots` intervals of width 1 / `invStep` from `tLo`; `table` holds (x_j, dx/dt_j * step)
/// pairs. The table covers every u the generator can produce (see Rng.h): no fallback exists.
double betaTableQuantile(const double *table, double tLo, double invStep, int32_t knots, double u);

/// The first values[k] whose cumulative[k] >= u (the last value when none), by a select chain.
double discreteQuantile(const double *values, const double *cumulative, int32_t count, double u);

} // namespace camp::analyses::smath
