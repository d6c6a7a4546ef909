// Monte Carlo throughput of examples/multichannel.camp: JIT and interpreter engines through
// `runMonteCarlo`, against the hand-written loop in multichannel_hand.cpp, in one run.
//
// usage: camp_mc_bench [SAMPLES [REPEATS]]   (default 2,000,000 samples, best of 3)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <thread>
#include <time.h>

#include "analyses/Console.h"
#include "analyses/MonteCarlo.h"
#include "diag/Diagnostic.h"
#include "multichannel_hand.h"
#include "syntax/Compile.h"
#ifdef CAMP_HAVE_LLVM
#include "backend/Backend.h"
#endif

using namespace camp;

namespace {

double cpuNow() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

double gCpuSeconds = 0; // CPU time (all threads) of the best run of the last bestSeconds

/// Wall time of the fastest of `repeats` runs. On a shared machine other processes only ever
/// add wall time, so the fastest run is the fairest; its CPU time shows the work done.
double bestSeconds(int repeats, const std::function<void()> &run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpuNow();
    run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (wall < best)
      best = wall, gCpuSeconds = cpuNow() - c0;
  }
  return best;
}

analyses::Sampler samplerOf(const ir::Module &m, const char *name, uint32_t &index) {
  int32_t p = m.findParam(name);
  if (p < 0) {
    std::fprintf(stderr, "the multichannel example has no param %s\n", name);
    std::exit(2);
  }
  index = analyses::paramKey(name); // draws are keyed by name: the same stream as --sampling random
  std::string problem;
  auto s = analyses::Sampler::forParam(m.params[p], problem);
  if (!s) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    std::exit(2);
  }
  return *s;
}

/// Camp's way: runMonteCarlo with the default metrics, then every summary finished.
analyses::McResult campRun(const ir::Module &m, const runtime::Engine &engine, uint64_t n, unsigned threads,
                           std::vector<analyses::MetricStats> &stats) {
  analyses::McOptions o;
  o.samples = n;
  o.seed = 1;
  o.threads = threads;
  o.baseParams = m.nominalParams();
  for (const auto &s : analyses::defaultMetrics(m))
    o.metricSlots.push_back(s.slot);
  std::string problem;
  auto r = analyses::runMonteCarlo(m, engine, o, problem);
  if (!r) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    std::exit(2);
  }
  stats = r->stats; // runMonteCarlo finishes every summary (percentiles, histogram)
  return *r;
}

} // namespace

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  diag::DiagnosticEngine diags;
  CompileOptions copts;
  copts.stdlibPaths = defaultStdlibPaths();
  auto module = compileFile(CAMP_EXAMPLES_DIR "/multichannel.camp", diags, copts);
  if (!module) {
    std::fprintf(stderr, "%s", diag::renderText(diags, {}).c_str());
    return 2;
  }
  const ir::Module &m = *module;
  uint32_t ih, ic, ie, is, iso, iv, ia;
  analyses::Sampler h = samplerOf(m, "hourly", ih), c = samplerOf(m, "cpm", ic);
  analyses::Sampler e = samplerOf(m, "email_ctr", ie), sm = samplerOf(m, "sms_ctr", is);
  analyses::Sampler so = samplerOf(m, "social_ctr", iso), cv = samplerOf(m, "conversion", iv);
  analyses::Sampler a = samplerOf(m, "aov", ia);
  bench::MultichannelSamplers s{h, c, e, sm, so, cv, a, ih, ic, ie, is, iso, iv, ia};

  fmt::print("Monte Carlo of examples/multichannel.camp, default metrics (4), {} samples, best of {}\n", n, repeats);
  fmt::print("machine: {} hardware threads\n\n", std::thread::hardware_concurrency());
  fmt::print("{:<40} {:>9} {:>14} {:>9} {:>18}\n", "run", "seconds", "samples/s", "CPU s", "samples/CPU-s");
  auto line = [&](const std::string &what, double secs, uint64_t samples) {
    fmt::print("{:<40} {:>9.3f} {:>14.0f} {:>9.3f} {:>18.0f}\n", what, secs, double(samples) / secs, gCpuSeconds,
               double(samples) / gCpuSeconds);
    return double(samples) / secs;
  };

  bench::HandSummary hand;
  double handRate = line("hand-written C++ loop, 1 thread", bestSeconds(repeats, [&] { hand = bench::runHandLoop(s, 1, n); }), n);

  std::vector<analyses::MetricStats> stats;
  auto interp = runtime::makeInterpreter(m);
  uint64_t nInterp = std::max<uint64_t>(n / 20, 1);
  line(fmt::format("camp mc, interpreter, 1 thread ({})", nInterp),
       bestSeconds(1, [&] { campRun(m, *interp, nInterp, 1, stats); }), nInterp);

#ifdef CAMP_HAVE_LLVM
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  if (!jit) {
    std::fprintf(stderr, "JIT failed: %s\n", error.c_str());
    return 2;
  }
  double jit1 = line("camp mc, JIT, 1 thread", bestSeconds(repeats, [&] { campRun(m, *jit, n, 1, stats); }), n);
  double jit1Cpu = gCpuSeconds;
  double jit2 = line("camp mc, JIT, 2 threads", bestSeconds(repeats, [&] { campRun(m, *jit, n, 2, stats); }), n);
  double jit2Cpu = gCpuSeconds;
  fmt::print("\nJIT / hand-written loop, per core: {:.2f}x\n", jit1 / handRate);
  fmt::print("JIT 2 threads / 1 thread:         {:.2f}x wall; CPU time 2 threads / 1 thread {:.2f}\n", jit2 / jit1,
             jit2Cpu / jit1Cpu);
  fmt::print("(a CPU ratio near 1 means threads add no work: the wall-time gain is what the machine's free\n"
             " cores allow; on a busy machine it is not the program's limit)\n");
  std::string load;
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, f))
      load = buf;
    std::fclose(f);
  }
  fmt::print("load average during the run: {}", load);
  campRun(m, *jit, n, 1, stats);
#else
  campRun(m, *interp, n, 1, stats);
  fmt::print("\n(built without LLVM: no JIT figures)\n");
#endif
  // The hand loop draws what `--sampling random` draws; camp's default is a Latin hypercube, so
  // the means agree within sampling error (the hand loop's is the noisier).
  const char *names[] = {"cost", "revenue", "profit", "roi"};
  fmt::print("\n{:<8} {:>18} {:>18}\n", "metric", "camp mean", "hand-loop mean");
  for (int k = 0; k < 4; ++k)
    fmt::print("{:<8} {:>18.6f} {:>18.6f}\n", names[k], stats[k].mean, hand.mean[k]);
  return 0;
}
