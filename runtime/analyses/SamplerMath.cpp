// The reference math of the samplers; compiled with -ffp-contract=off (see CMakeLists.txt).
#include "analyses/SamplerMath.h"

#include "analyses/SamplerConstants.h"

#include <bit>
#include <cmath>
#include <limits>

namespace camp::analyses::smath {
double log(double x) {
  uint64_t bits = std::bit_cast<uint64_t>(x);
  int32_t hx = int32_t(uint32_t(bits >> 32));
  int32_t k = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  int32_t i = (hx + 0x95f64) & 0x100000;
  // x or x/2, whichever lies in [sqrt(2)/2, sqrt(2)); k counts the halving.
  uint64_t mbits = (uint64_t(uint32_t(hx | (i ^ 0x3ff00000))) << 32) | (bits & 0xffffffffu);
  double f = std::bit_cast<double>(mbits) - 1.0;
  k += i >> 20;
  double s = f / (2.0 + f);
  double dk = double(k);
  double z = s * s;
  double w = z * z;
  double t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  double t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  double r = t2 + t1;
  double hfsq = 0.5 * f * f;
  double far = dk * kLn2Hi - ((hfsq - (s * (hfsq + r) + dk * kLn2Lo)) - f);
  double near = dk * kLn2Hi - ((s * (f - r) - dk * kLn2Lo) - f);
  // fdlibm's test: the mantissa lies outside [1.38, 1.42] roughly, where hfsq helps accuracy.
  int32_t which = (hx - 0x6147a) | (0x6b851 - hx);
  return which > 0 ? far : near;
}

double exp(double x) {
  // Clamped so that k stays a small integer; the result past the thresholds is replaced below.
  double xc = x > kExpOver + 1 ? kExpOver + 1 : x;
  xc = xc < kExpUnder - 1 ? kExpUnder - 1 : xc;
  xc = x != x ? 0.0 : xc;
  double kd = xc * kInvLn2 + (xc < 0 ? -0.5 : 0.5);
  int32_t k = int32_t(kd); // toward zero: k is xc / ln2 rounded to nearest
  double t = double(k);
  double hi = xc - t * kLn2Hi;
  double lo = t * kLn2Lo;
  double r = hi - lo;
  double rr = r * r;
  double c = r - rr * (kP1 + rr * (kP2 + rr * (kP3 + rr * (kP4 + rr * kP5))));
  double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  // 2^k as two powers in the normal range: both multiplications are exact but the last.
  int32_t k1 = k >> 1, k2 = k - k1;
  double s1 = std::bit_cast<double>(uint64_t(int64_t(k1) + 1023) << 52);
  double s2 = std::bit_cast<double>(uint64_t(int64_t(k2) + 1023) << 52);
  double v = (y * s1) * s2;
  v = x > kExpOver ? std::numeric_limits<double>::infinity() : v;
  v = x < kExpUnder ? 0.0 : v;
  return x != x ? x : v;
}

// Central range and both tails share one numerator and one denominator, whose argument and
// coefficients are selected per value: per value the operations are exactly those of the
// chosen range's rational function, and a vector of values costs one division, not three.
double normalQuantile(double u) {
  double q = u - 0.5;
  double r = 0.180625 - q * q;
  double p = q < 0 ? u : 1.0 - u; // exact: 1 - u for u >= 1/2 (Sterbenz)
  double s = std::sqrt(-smath::log(p));
  bool central = std::fabs(q) <= 0.425, mid = s <= 5.0;
  double x = central ? r : mid ? s - 1.6 : s - 5.0;
  double num = central ? kA[0] : mid ? kC[0] : kE[0];
  double den = central ? kB[0] : mid ? kD[0] : kF[0];
  for (int i = 1; i < 8; ++i) {
    num = num * x + (central ? kA[i] : mid ? kC[i] : kE[i]);
    den = den * x + (central ? kB[i] : mid ? kD[i] : kF[i]);
  }
  num = central ? q * num : num;
  double z = num / den;
  return !central && q < 0 ? -z : z;
}

double triangularQuantile(double u, double lo, double mode, double hi) {
  double width = hi - lo;
  double split = (mode - lo) / width;
  bool left = u < split;
  // One square root of the selected side's area (per value, the same operations as either side).
  double area = left ? u * width * (mode - lo) : (1 - u) * width * (hi - mode);
  double root = std::sqrt(area);
  return left ? lo + root : hi - root;
}

double betaTableQuantile(const double *table, double tLo, double invStep, int32_t knots, double u) {
  double t = smath::log(u / (1.0 - u));
  double pos = (t - tLo) * invStep;
  pos = pos < 0.0 ? 0.0 : pos;
  pos = pos > double(knots) ? double(knots) : pos;
  int32_t j = int32_t(pos);
  j = j > knots - 1 ? knots - 1 : j;
  double f = pos - double(j);
  double f2 = f * f, f3 = f2 * f;
  double h00 = 2 * f3 - 3 * f2 + 1, h10 = f3 - 2 * f2 + f;
  double h01 = -2 * f3 + 3 * f2, h11 = f3 - f2;
  const double *at = table + 2 * j;
  double x = h00 * at[0] + h10 * at[1] + h01 * at[2] + h11 * at[3];
  x = x < 0.0 ? 0.0 : x;
  return x > 1.0 ? 1.0 : x;
}

double discreteQuantile(const double *values, const double *cumulative, int32_t count, double u) {
  double v = values[count - 1];
  for (int32_t k = count - 2; k >= 0; --k)
    v = u <= cumulative[k] ? values[k] : v;
  return v;
}

} // namespace camp::analyses::smath
