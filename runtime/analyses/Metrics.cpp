// Ctrl-C handling, the progress bar and small command-line helpers shared by analysis commands.
#include "analyses/Console.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <unistd.h>

namespace camp::analyses {
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

std::string metricLetName(size_t k) { return fmt::format("__metric{}", k); }

std::vector<NamedSlot> defaultMetrics(const ir::Module &m) {
  std::vector<NamedSlot> out;
  for (const ir::Pipeline &p : m.pipelines) {
    out.push_back({p.name + ".cost", p.costSlot});
    out.push_back({p.name + ".revenue", p.revenueSlot});
    out.push_back({p.name + ".profit", p.profitSlot});
    out.push_back({p.name + ".roi", p.roiSlot});
  }
  return out;
}

std::vector<bool> pinnedParams(const ir::Module &m, const std::string &scenario,
                               const std::vector<std::string> &sets) {
  std::vector<bool> pinned(m.params.size(), false);
  if (!scenario.empty()) {
    int32_t s = m.findScenario(scenario);
    if (s >= 0)
      for (auto &[param, value] : m.scenarios[size_t(s)].overrides)
        pinned[size_t(param)] = true;
  }
  for (const std::string &set : sets) {
    std::string name = set.substr(0, set.find('='));
    while (!name.empty() && name.back() == ' ')
      name.pop_back();
    int32_t p = m.findParam(name);
    if (p >= 0)
      pinned[size_t(p)] = true;
  }
  return pinned;
}

bool parsePlainNumber(const std::string &text, double &value) {
  std::string digits;
  for (char c : text)
    if (c != '_' && c != ' ')
      digits += c;
  bool percent = !digits.empty() && digits.back() == '%';
  if (percent)
    digits.pop_back();
  if (digits.empty())
    return false;
  char *end = nullptr;
  value = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size())
    return false;
  if (percent)
    value *= 0.01;
  return true;
}

} // namespace camp::analyses
