// What correlation and Latin hypercube cost (issue 10): Monte Carlo samples per second of
// examples/multichannel.camp with random sampling, Latin hypercube, and Latin hypercube with
// three `correlate` statements, alternating runs in one process; and a paired diff of two
// versions of the example (100,000 samples, one thread).
//
// usage: camp_uncertainty_bench [SAMPLES [PAIRS]]   (default 2,000,000 samples, 5 pairs)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <time.h>

#include "analyses/Console.h"
#include "analyses/MonteCarlo.h"
#include "analyses/PairedDiff.h"
#include "diag/Diagnostic.h"
#include "syntax/Compile.h"
#ifdef CAMP_HAVE_LLVM
#include "backend/Backend.h"
#endif

using namespace camp;

namespace {

/// CPU seconds of the process while `run` runs: on a shared machine other processes add wall
/// time but hardly any CPU time, and every run here uses one thread.
double seconds(const std::function<void()> &run) {
  timespec a, b;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  run();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  return double(b.tv_sec - a.tv_sec) + 1e-9 * double(b.tv_nsec - a.tv_nsec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

ir::Module compileText(const std::string &text) {
  diag::DiagnosticEngine diags;
  CompileOptions copts;
  copts.stdlibPaths = defaultStdlibPaths();
  auto m = compileSource(CAMP_EXAMPLES_DIR "/multichannel.camp", text, diags, copts);
  if (!m) {
    std::fprintf(stderr, "%s", diag::renderText(diags, {}).c_str());
    std::exit(2);
  }
  return std::move(*m);
}

std::unique_ptr<runtime::Engine> engineFor(const ir::Module &m) {
#ifdef CAMP_HAVE_LLVM
  std::string error;
  auto jit = backend::makeJitEngine(m, error);
  if (!jit) {
    std::fprintf(stderr, "JIT failed: %s\n", error.c_str());
    std::exit(2);
  }
  return jit;
#else
  return runtime::makeInterpreter(m);
#endif
}

void mc(const ir::Module &m, const runtime::Engine &e, uint64_t n, analyses::SamplingMethod method) {
  analyses::McOptions o;
  o.samples = n;
  o.threads = 1;
  o.baseParams = m.nominalParams();
  o.sampling = method;
  for (const auto &s : analyses::defaultMetrics(m))
    o.metricSlots.push_back(s.slot);
  std::string problem;
  if (!analyses::runMonteCarlo(m, e, o, problem)) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    std::exit(2);
  }
}

} // namespace

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  int pairs = argc > 2 ? std::atoi(argv[2]) : 5;
  std::ifstream in(CAMP_EXAMPLES_DIR "/multichannel.camp");
  std::stringstream text;
  text << in.rdbuf();
  const std::string base = text.str();
  // Three pairs over four params: CTRs move together, conversion against CPM.
  const std::string correlated = base + "\ncorrelate email_ctr, social_ctr = 0.6\n"
                                        "correlate email_ctr, conversion = 0.4\n"
                                        "correlate cpm, conversion = -0.3\n";
  ir::Module plain = compileText(base), withCorr = compileText(correlated);
  auto e1 = engineFor(plain), e2 = engineFor(withCorr);

  fmt::print("camp mc of examples/multichannel.camp: default metrics (4), {} samples, 1 thread, engine {}\n", n,
             e1->name());
  fmt::print("{} rounds, each runs random, lhs and lhs + 3 correlations once in turn; medians of\n"
             "samples per CPU-second\n\n", pairs);
  std::vector<double> rnd, lhs, cor;
  for (int r = 0; r < pairs; ++r) {
    rnd.push_back(double(n) / seconds([&] { mc(plain, *e1, n, analyses::SamplingMethod::Random); }));
    lhs.push_back(double(n) / seconds([&] { mc(plain, *e1, n, analyses::SamplingMethod::LatinHypercube); }));
    cor.push_back(double(n) / seconds([&] { mc(withCorr, *e2, n, analyses::SamplingMethod::LatinHypercube); }));
  }
  double R = median(rnd), L = median(lhs), C = median(cor);
  fmt::print("{:<36} {:>14}\n", "sampling", "samples/s");
  fmt::print("{:<36} {:>14.0f}\n", "random", R);
  fmt::print("{:<36} {:>14.0f}   cost {:+.1f} % of random\n", "lhs (default)", L, 100 * (R - L) / R);
  fmt::print("{:<36} {:>14.0f}   cost {:+.1f} % of random\n", "lhs + 3 correlations (Iman-Conover)", C,
             100 * (R - C) / R);

  // Paired diff: the new version raises the CPM and adds a param; 100,000 samples, 1 thread.
  std::string changed = base;
  const std::string oldCpm = "param cpm = 14 USD/(1000 impression) ~ triangular(10, 14, 18)";
  size_t at = changed.find(oldCpm);
  if (at == std::string::npos) {
    std::fprintf(stderr, "the example's cpm line changed; update this benchmark\n");
    return 2;
  }
  changed.replace(at, oldCpm.size(), "param cpm = 15 USD/(1000 impression) ~ triangular(11, 15, 19)");
  changed += "\nparam brand_lift = 3% ~ triangular(1%, 3%, 6%)\n";
  ir::Module newer = compileText(changed);
  std::vector<double> pairedTimes;
  for (int r = 0; r < pairs; ++r)
    pairedTimes.push_back(seconds([&] {
      auto eo = engineFor(plain), en = engineFor(newer);
      analyses::PairedSide o, nw;
      o.module = &plain, o.engine = eo.get(), o.baseParams = plain.nominalParams();
      nw.module = &newer, nw.engine = en.get(), nw.baseParams = newer.nominalParams();
      for (const auto &p : plain.pipelines) {
        o.slots.push_back(plain.findSlot(p.name + ".cost"));
        o.slots.push_back(plain.findSlot(p.name + ".profit"));
        nw.slots.push_back(newer.findSlot(p.name + ".cost"));
        nw.slots.push_back(newer.findSlot(p.name + ".profit"));
      }
      analyses::PairedOptions po;
      po.samples = 100000;
      po.threads = 1;
      std::string problem;
      if (!analyses::runPaired(o, nw, po, problem)) {
        std::fprintf(stderr, "%s\n", problem.c_str());
        std::exit(2);
      }
    }));
  fmt::print("\npaired diff, 100,000 samples, 1 thread, 2 JIT compiles included: median {:.3f} CPU s\n",
             median(pairedTimes));
  std::string load;
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    char buf[64] = {};
    if (std::fgets(buf, sizeof buf, f))
      load = buf;
    std::fclose(f);
  }
  fmt::print("machine: {} hardware threads; load average: {}", std::thread::hardware_concurrency(), load);
  return 0;
}
