// The three views of every analysis: JSON (the camp.*/1 contracts), a terminal table, CSV.
#pragma once

#include <string>
#include <vector>

#include "analyses/Forecast.h"
#include "analyses/ForecastSamples.h"
#include "analyses/MonteCarlo.h"
#include "analyses/Sensitivity.h"
#include "analyses/Sobol.h"
#include "ir/IR.h"

namespace camp::analyses {

/// A metric as the user named it (`spring.roi`, or their --metric expression) and its slot.
struct MetricLabel {
  std::string name;
  int32_t slot = -1;
};

struct View {
  bool colour = false;   // ANSI colour (only on a terminal, never with NO_COLOR)
  bool unicode = true;   // block characters for charts; ASCII otherwise
};

/// A canonical value in the unit a tool shows: canonical / scale (a percentage as a fraction).
double shownValue(double canonical, const ir::DisplayUnit &unit);

std::string mcJson(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics);
std::string mcTable(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics,
                    const View &view);
std::string mcCsv(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics);

std::string tornadoJson(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric);
std::string tornadoTable(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric,
                         const View &view);
std::string tornadoCsv(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric);

std::string sweepJson(const ir::Module &m, const SweepResult &r, const MetricLabel &metric);
std::string sweepTable(const ir::Module &m, const SweepResult &r, const MetricLabel &metric,
                       const View &view);
std::string sweepCsv(const ir::Module &m, const SweepResult &r, const MetricLabel &metric);

std::string sobolJson(const ir::Module &m, const SobolResult &r, const MetricLabel &metric);
std::string sobolTable(const ir::Module &m, const SobolResult &r, const MetricLabel &metric,
                       const View &view);
std::string sobolCsv(const ir::Module &m, const SobolResult &r, const MetricLabel &metric);

std::string breakevenJson(const ir::Module &m, const BreakevenResult &r, int32_t param,
                          const MetricLabel &metric, double target);
std::string breakevenTable(const ir::Module &m, const BreakevenResult &r, int32_t param,
                           const MetricLabel &metric, double target, const View &view);
std::string breakevenCsv(const ir::Module &m, const BreakevenResult &r, int32_t param,
                         const MetricLabel &metric, double target);

/// `bands`, when given, adds what sampled forecasts say (`camp forecast --samples`): per-month
/// percentiles, budget breach and run-out probabilities.
std::string forecastJson(const ir::Module &m, const ForecastResult &r, const ForecastUncertainty *bands = nullptr);
/// With `byPipeline`, cost columns per pipeline (and costs of no one run) instead of categories.
/// With `bands`, a percentile table and a fan chart of cumulative profit follow.
std::string forecastTable(const ir::Module &m, const ForecastResult &r, const View &view, bool byPipeline = false,
                          const ForecastUncertainty *bands = nullptr);
std::string forecastCsv(const ir::Module &m, const ForecastResult &r, const ForecastUncertainty *bands = nullptr);

/// "2026-01"
std::string monthText(int year, int month);

} // namespace camp::analyses
