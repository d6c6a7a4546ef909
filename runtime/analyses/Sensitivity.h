// One-at-a-time analyses around the base case: tornado swings, 1-D/2-D sweeps and break-even.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::analyses {

/// Where a tornado bar's low and high come from.
enum class SwingSource { Range, Percentiles, PlusMinus20 };

struct TornadoBar {
  int32_t param = -1;
  SwingSource source = SwingSource::Range;
  double low = 0, high = 0;            // canonical param values
  double metricLow = 0, metricHigh = 0; // the metric with the param at low / high
  double swing = 0;                     // |metricHigh - metricLow|
};

struct TornadoResult {
  double base = 0;                      // the metric at the base values
  std::vector<TornadoBar> bars;         // largest swing first; ties by param order
};

/// Moves each param alone to its low and its high (range, else the distribution's P10/P90,
/// else -20 %/+20 % of its base value), others held at `baseParams`.
std::optional<TornadoResult> runTornado(const ir::Module &module, const runtime::Engine &engine,
                                        const std::vector<double> &baseParams, int32_t metricSlot,
                                        std::string &problem);

struct SweepAxis {
  int32_t param = -1;
  double lo = 0, hi = 0;                // canonical
  int steps = 2;                        // points, both ends included
  double at(int k) const { return steps < 2 ? lo : lo + (hi - lo) * k / (steps - 1); }
};

struct SweepResult {
  std::vector<SweepAxis> axes;          // one or two
  std::vector<double> values;           // the metric, first axis slowest (row-major); NaN: failed
};

SweepResult runSweep(const ir::Module &module, const runtime::Engine &engine,
                     const std::vector<double> &baseParams, const std::vector<SweepAxis> &axes,
                     int32_t metricSlot);

struct BreakevenResult {
  bool found = false;
  double value = 0;                     // canonical param value where metric == target
  double lo = 0, hi = 0;                // the interval searched
  int crossings = 0;                    // how many sign changes the scan saw (value: the first)
  double metricAtLo = 0, metricAtHi = 0;
  /// Where the metric jumps across the target without reaching it (a volume-tier cliff, an
  /// `if`): the first such place when no root is found; NaN when there is none.
  double discontinuityAt = std::numeric_limits<double>::quiet_NaN();
  double jumpFrom = 0, jumpTo = 0;      // the metric just below and just above it
  double metricAtValue = 0;             // found: the metric evaluated at `value` (verified)
};

/// The lowest param value in [lo, hi] at which the metric equals `target`: a scan of
/// kBreakevenScan intervals finds the sign changes of metric - target, then bisection narrows
/// each to adjacent doubles (or 200 halvings). A root is reported only when the metric there is
/// within kBreakevenTolerance of the change across its scan interval from the target; a sign
/// change that fails this is a jump (discontinuityAt) and the search goes on to the next one.
constexpr int kBreakevenScan = 256;
constexpr double kBreakevenTolerance = 1e-6;
BreakevenResult runBreakeven(const ir::Module &module, const runtime::Engine &engine,
                             const std::vector<double> &baseParams, int32_t param,
                             int32_t metricSlot, double target, double lo, double hi);

/// The interval a break-even searches when the user gives none: the param's range, else its
/// distribution's support (normal/lognormal: 0.1 %..99.9 %), else -20 %/+20 % of its value.
std::pair<double, double> defaultSearchInterval(const ir::Module &module,
                                                const std::vector<double> &baseParams,
                                                int32_t param);

} // namespace camp::analyses
