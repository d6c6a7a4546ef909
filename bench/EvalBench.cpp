// Evaluations per second, interpreter vs JIT, one sample at a time and in batches, for the
// examples and the generated 10 ... 10,000-stage models.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "backend/Backend.h"
#include "camp/Engine.h"
#include "frontend/Compile.h"

namespace fs = std::filesystem;
using namespace camp;

namespace {

struct Loaded {
  std::string name;
  ir::Module module;
};

std::vector<Loaded> &models() {
  static std::vector<Loaded> all;
  return all;
}

void loadModels() {
  std::vector<fs::path> files;
  for (const char *dir : {CAMP_EXAMPLES_DIR, CAMP_BENCH_MODEL_DIR})
    if (fs::exists(dir))
      for (const auto &e : fs::directory_iterator(dir))
        if (e.path().extension() == ".camp")
          files.push_back(e.path());
  if (const char *extra = std::getenv("CAMP_BENCH_EXTRA"))
    files.push_back(extra);
  std::sort(files.begin(), files.end());
  for (const fs::path &f : files) {
    diag::DiagnosticEngine diags;
    std::optional<ir::Module> m = compileFile(f.string(), diags);
    if (!m) {
      std::fprintf(stderr, "skipping %s: it does not compile\n", f.c_str());
      continue;
    }
    models().push_back({f.stem().string(), std::move(*m)});
  }
}

std::unique_ptr<runtime::Engine> engineFor(const ir::Module &m, bool jit) {
  if (!jit)
    return runtime::makeInterpreter(m);
  std::string error;
  auto e = backend::makeJitEngine(m, error);
  if (!e)
    std::fprintf(stderr, "JIT failed: %s\n", error.c_str());
  return e;
}

void evalOne(benchmark::State &state, const ir::Module *m, bool jit) {
  auto engine = engineFor(*m, jit);
  std::vector<double> params = m->nominalParams(), slots(m->slots.size());
  runtime::EvalError err;
  for (auto _ : state) {
    params[0] += 0.0; // keep the call from being hoisted
    benchmark::DoNotOptimize(engine->evalOne(params.data(), slots.data(), err));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(int64_t(state.iterations()));
}

/// Is this output one a Monte Carlo run keeps per sample (pipeline totals)?
bool isTotal(const ir::Slot &s) {
  return s.kind == ir::SlotKind::PipelineCost || s.kind == ir::SlotKind::PipelineRevenue ||
         s.kind == ir::SlotKind::PipelineProfit || s.kind == ir::SlotKind::PipelineRoi;
}

/// A Monte Carlo-like chunk of 1,024 samples: every param varies per sample; every output is
/// stored (`all`) or only the pipeline totals, as a Monte Carlo run keeps them (`totals`).
void evalBatch(benchmark::State &state, const ir::Module *m, bool jit, bool all) {
  auto engine = engineFor(*m, jit);
  const size_t n = 1024, np = m->params.size(), ns = m->slots.size();
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  std::vector<double> fixed = m->nominalParams(), in(np * n), out(ns * n);
  std::vector<const double *> cols(np);
  std::vector<double *> outCols(ns);
  for (size_t p = 0; p < np; ++p) {
    for (size_t i = 0; i < n; ++i)
      in[p * n + i] = fixed[p] * jitter(rng);
    cols[p] = &in[p * n];
  }
  for (size_t s = 0; s < ns; ++s)
    outCols[s] = all || isTotal(m->slots[s]) ? &out[s * n] : nullptr;
  std::vector<int64_t> errors(n);
  runtime::Batch batch{n, cols.data(), fixed.data(), outCols.data(), errors.data()};
  for (auto _ : state) {
    engine->evalBatch(batch);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(int64_t(state.iterations() * n));
}

} // namespace

int main(int argc, char **argv) {
  loadModels();
  for (const Loaded &l : models()) {
    for (bool jit : {false, true}) {
      const char *engine = jit ? "jit" : "interp";
      benchmark::RegisterBenchmark(("eval_one/" + l.name + "/" + engine).c_str(), evalOne, &l.module, jit);
      benchmark::RegisterBenchmark(("eval_batch_all/" + l.name + "/" + engine).c_str(), evalBatch, &l.module,
                                   jit, true);
      benchmark::RegisterBenchmark(("eval_batch_totals/" + l.name + "/" + engine).c_str(), evalBatch,
                                   &l.module, jit, false);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
