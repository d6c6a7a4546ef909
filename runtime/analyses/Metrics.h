// What analysis commands share: metric slot names, default metrics, pinned params, plain numbers.
// (The terminal side — Ctrl-C, the progress bar — is the CLI's: compiler/driver/Console.h.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/IR.h"

namespace camp::analyses {

/// The name of the slot --metric expression number k (1-based) is compiled into.
std::string metricLetName(size_t k);

/// Slots named by the default metrics: each pipeline's cost, revenue, profit and ROI.
struct NamedSlot {
  std::string name;
  int32_t slot = -1;
};
std::vector<NamedSlot> defaultMetrics(const ir::Module &m);

/// Params that a scenario or a `--set NAME=VALUE` pins to one value (they are not drawn).
std::vector<bool> pinnedParams(const ir::Module &m, const std::string &scenario,
                               const std::vector<std::string> &sets);

/// Parses a number as a user writes it on a command line: "1_000", "2.5%", "1e6". Only the
/// number: units are the param's own.
bool parsePlainNumber(const std::string &text, double &value);

} // namespace camp::analyses
