// The one metric an analysis command reports: the --metric expression, or the first pipeline's profit.
#pragma once

#include <optional>
#include <string>

#include "analyses/Render.h"
#include "ir/IR.h"

namespace camp::driver {

/// `expr` was compiled as analyses::metricLetName(1) (see LoadOptions::extraLets). Without one,
/// the first pipeline's profit; a model without pipelines is a command-line error (nullopt).
std::optional<analyses::MetricLabel> singleMetric(const ir::Module &m, const std::string &expr);

} // namespace camp::driver
