// Times each compile phase of one model (parse, check, lower, LLVM lowering, optimise, JIT) and
// reports the process's peak memory: run once per model so the peak belongs to that model.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "backend/Backend.h"
#include "base/Stack.h"
#include "lower/Lower.h"
#include "sema/Checker.h"
#include "syntax/Parser.h"

using namespace camp;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peakKiB() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return r.ru_maxrss;
}

int measure(const std::string &path, int optLevel) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  diag::DiagnosticEngine diags;
  int32_t id = diags.sources().add(path, text.str());
  auto t0 = std::chrono::steady_clock::now();
  std::optional<ast::File> file = syntax::parseFile(id, diags.sources(), diags);
  double parse = since(t0);
  if (!file || diags.hasErrors()) {
    fmt::print(stderr, "{}", diag::renderText(diags, {}));
    return 1;
  }
  std::vector<ast::File> files;
  files.push_back(std::move(*file));
  auto t1 = std::chrono::steady_clock::now();
  std::optional<sema::Model> model = sema::check(files, diags.sources(), diags);
  double check = since(t1);
  if (!model) {
    fmt::print(stderr, "{}", diag::renderText(diags, {}));
    return 1;
  }
  auto t2 = std::chrono::steady_clock::now();
  ir::Module m = lower::lower(*model, diags.sources());
  double lower = since(t2);
  long frontPeak = peakKiB();
  std::string error;
  backend::JitOptions jo;
  jo.useCache = false;
  jo.optLevel = optLevel;
  backend::JitStats stats;
  auto t3 = std::chrono::steady_clock::now();
  auto engine = backend::makeJitEngine(m, error, jo, &stats);
  double total = since(t3);
  if (!engine) {
    fmt::print(stderr, "JIT failed: {}\n", error);
    return 1;
  }
  fmt::print("{{\"model\": \"{}\", \"slots\": {}, \"nodes\": {}, \"parse_s\": {:.4f}, \"check_s\": {:.4f}, "
             "\"lower_s\": {:.4f}, \"llvm_lower_s\": {:.4f}, \"optimise_s\": {:.4f}, \"jit_codegen_s\": {:.4f}, "
             "\"check_lower_jit_s\": {:.4f}, \"front_end_peak_mib\": {:.1f}, \"peak_mib\": {:.1f}}}\n",
             path, m.slots.size(), m.nodes.size(), parse, check, lower, stats.lowerSeconds,
             stats.optimiseSeconds, stats.codegenSeconds, parse + check + lower + total,
             double(frontPeak) / 1024, double(peakKiB()) / 1024);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: camp_compile_stats FILE.camp [OPT_LEVEL: -1 auto, 0 fast, 3 full]\n");
    return 2;
  }
  int status = 0;
  int opt = argc > 2 ? std::atoi(argv[2]) : -1; // -1: the tier the JIT picks by size
  runWithLargeStack([&] { status = measure(argv[1], opt); });
  return status;
}
