// Shewchuk's exact summation with a correctly rounded result (the algorithm of CPython's fsum).
#include "analyses/ExactSum.h"

#include <cmath>
#include <utility>

namespace camp::analyses {

void ExactSum::add(double x) {
  size_t kept = 0;
  for (size_t j = 0; j < partials_.size(); ++j) {
    double y = partials_[j];
    if (std::fabs(x) < std::fabs(y))
      std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0.0)
      partials_[kept++] = lo;
    x = hi;
  }
  partials_.resize(kept);
  partials_.push_back(x);
}

void ExactSum::merge(const ExactSum &other) {
  for (double p : other.partials_)
    add(p);
}

double ExactSum::value() const {
  size_t n = partials_.size();
  if (n == 0)
    return 0.0;
  double hi = partials_[--n], lo = 0.0;
  while (n > 0) {
    double x = hi;
    double y = partials_[--n];
    hi = x + y;
    double yr = hi - x;
    lo = y - yr;
    if (lo != 0.0)
      break;
  }
  // Round half-even correctly when the remaining partials push the tie one way.
  if (n > 0 && ((lo < 0 && partials_[n - 1] < 0) || (lo > 0 && partials_[n - 1] > 0))) {
    double y = lo * 2;
    double x = hi + y;
    double yr = x - hi;
    if (y == yr)
      hi = x;
  }
  return hi;
}

} // namespace camp::analyses
