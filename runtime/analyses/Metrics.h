// Terminal feedback for long analyses: Ctrl-C that stops cleanly, and a progress bar on stderr.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "ir/IR.h"

namespace camp::analyses {

/// While alive, the first Ctrl-C sets flag() instead of killing the process (a second one
/// kills it as usual), so a run can stop and report what it has done.
class InterruptGuard {
public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard &) = delete;
  InterruptGuard &operator=(const InterruptGuard &) = delete;
  const std::atomic<bool> *flag() const;
  bool interrupted() const { return flag()->load(); }
};

/// Draws "what [#####     ] 45 %" on stderr while `done` grows towards `total`, only when
/// stderr is a terminal and only after the run has taken a second. Erased when destroyed.
class ProgressBar {
public:
  ProgressBar(std::string what, uint64_t total, const std::atomic<uint64_t> *done);
  ~ProgressBar();
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

private:
  std::string what_;
  uint64_t total_;
  const std::atomic<uint64_t> *done_;
  std::atomic<bool> finished_{false};
  bool drawn_ = false;
  std::thread thread_;
};

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
