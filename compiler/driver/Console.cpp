// Ctrl-C handling and the progress bar of long analysis commands (mc, sobol).
#include "Console.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace camp::driver {

namespace {

std::atomic<bool> gInterrupted{false};

extern "C" void onInterrupt(int) {
  gInterrupted.store(true);
  std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends the process at once
}

} // namespace

InterruptGuard::InterruptGuard() {
  gInterrupted.store(false);
  std::signal(SIGINT, onInterrupt);
}

InterruptGuard::~InterruptGuard() { std::signal(SIGINT, SIG_DFL); }

const std::atomic<bool> *InterruptGuard::flag() const { return &gInterrupted; }

ProgressBar::ProgressBar(std::string what, uint64_t total, const std::atomic<uint64_t> *done)
    : what_(std::move(what)), total_(total), done_(done) {
  if (!isatty(fileno(stderr)) || total_ == 0)
    return;
  thread_ = std::thread([this] {
    auto start = std::chrono::steady_clock::now();
    while (!finished_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (finished_.load() || std::chrono::steady_clock::now() - start < std::chrono::seconds(1))
        continue;
      double share = std::min(1.0, double(done_->load()) / double(total_));
      int filled = int(share * 30);
      std::fprintf(stderr, "\r%s [%s%s] %3d %%", what_.c_str(), std::string(size_t(filled), '#').c_str(),
                   std::string(size_t(30 - filled), ' ').c_str(), int(share * 100));
      std::fflush(stderr);
      drawn_ = true;
    }
  });
}

ProgressBar::~ProgressBar() {
  finished_.store(true);
  if (thread_.joinable())
    thread_.join();
  if (drawn_) {
    std::fprintf(stderr, "\r%s\r", std::string(what_.size() + 40, ' ').c_str());
    std::fflush(stderr);
  }
}

} // namespace camp::driver
