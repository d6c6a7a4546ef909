// Terminal feedback for long runs: Ctrl-C that stops cleanly, and a progress bar on stderr.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace camp::driver {

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

} // namespace camp::driver
