// Picking the metric of tornado, sweep, sobol and break-even runs.
#include "AnalysisMetric.h"

#include "Output.h"
#include "analyses/Metrics.h"

namespace camp::driver {

std::optional<analyses::MetricLabel> singleMetric(const ir::Module &m, const std::string &expr) {
  if (!expr.empty())
    return analyses::MetricLabel{expr, m.findSlot(analyses::metricLetName(1))};
  if (m.pipelines.empty()) {
    commandLineError("this model has no pipeline, so there is no default metric", "name one with --metric EXPR");
    return std::nullopt;
  }
  return analyses::MetricLabel{m.pipelines[0].name + ".profit", m.pipelines[0].profitSlot};
}

} // namespace camp::driver
