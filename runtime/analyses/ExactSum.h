// A sum of doubles with no rounding until it is read, so its value never depends on the order.
#pragma once

#include <vector>

namespace camp::analyses {

/// Shewchuk's non-overlapping partials (as Python's math.fsum): add() keeps the exact sum of
/// everything added, value() rounds it once, correctly. Because the exact sum does not depend
/// on the order of additions, neither does value(): partial results from threads, processes or
/// machines merge to the same bits. Inputs must be finite.
class ExactSum {
public:
  void add(double x);
  void merge(const ExactSum &other);
  double value() const;
  const std::vector<double> &partials() const { return partials_; }

private:
  std::vector<double> partials_;
};

} // namespace camp::analyses
