// Monte Carlo runner: blocks of samples drawn from the counter-based stream, evaluated in batches.
#include "analyses/MonteCarlo.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include "analyses/Sampling.h"

namespace camp::analyses {

bool keepsExactValues(uint64_t samples, size_t metrics, size_t memoryBudgetBytes) {
  return double(samples) * double(metrics) * sizeof(double) <= double(memoryBudgetBytes);
}

void McResult::finishAll(unsigned threads) {
  stats.assign(metrics.size(), MetricStats{});
  // Metrics in parallel; when there are fewer metrics than threads, each metric's scans over
  // its kept values share the rest (one metric on two threads: both scan it).
  threads = resolveThreads(threads);
  unsigned inner = std::max<unsigned>(1, threads / unsigned(std::max<size_t>(metrics.size(), 1)));
  parallelChunks(metrics.size(), threads, nullptr,
                 [&](unsigned, uint64_t k) { stats[k] = metrics[k].finishInPlace(inner); });
}

void McResult::mergeCounts(const McResult &other) {
  stats.clear();
  requested += other.requested;
  evaluated += other.evaluated;
  failed += other.failed;
  partial = partial || other.partial;
  if (other.firstError && (!firstError || other.firstErrorSample < firstErrorSample)) {
    firstError = other.firstError;
    firstErrorSample = other.firstErrorSample;
  }
  for (size_t a = 0; a < assertsHeld.size() && a < other.assertsHeld.size(); ++a)
    assertsHeld[a] += other.assertsHeld[a];
}

void McResult::merge(const McResult &other) {
  mergeCounts(other);
  for (size_t m = 0; m < metrics.size() && m < other.metrics.size(); ++m)
    metrics[m].merge(other.metrics[m]);
}

namespace {

/// Blocks a worker runs between two updates of the shared progress counter: one shared write
/// per 16,384 samples instead of one per block keeps the counter's cache line from bouncing.
constexpr uint64_t kProgressBlocks = 16;

/// The per-thread state: its buffers and its share of the result. Aligned to a cache line so
/// that one thread's counters never share a line with another's (no false sharing).
struct alignas(64) Worker {
  uint64_t unpublished = 0; // samples done but not yet added to McOptions::progress
  std::vector<std::vector<double>> paramBuffers, slotBuffers;
  std::vector<const double *> params;
  std::vector<double *> slots;
  std::vector<int64_t> errors;
  std::vector<uint8_t> skip;
  McResult result;
  std::unique_ptr<SampledEvaluator> sampled; // made on the thread's first block
};

McResult emptyResult(const ir::Module &module, const McOptions &options,
                     const std::vector<double> &shifts, bool keep) {
  McResult r;
  r.seed = options.seed;
  for (double shift : shifts)
    r.metrics.emplace_back(shift, keep);
  r.assertsHeld.assign(module.asserts.size(), 0);
  return r;
}

void runBlock(const ir::Module &module, const runtime::Engine &engine,
              const std::vector<Sampler> &samplers, const UniformDesign &design,
              const McOptions &options, Worker &w, uint64_t first, size_t n) {
  std::vector<double *> columns(samplers.size(), nullptr);
  for (size_t p = 0; p < samplers.size(); ++p)
    if (w.params[p])
      columns[p] = w.paramBuffers[p].data();
  // Draw and evaluate in one fused kernel when the engine has one (the params are then only
  // stored when onBlock reads them), else on the host: the same bits either way.
  if (!w.sampled)
    w.sampled = std::make_unique<SampledEvaluator>(samplers, design);
  w.sampled->run(engine, first, n, columns, bool(options.onBlock), options.baseParams.data(),
                 w.slots.data(), w.errors.data());

  McResult &r = w.result;
  r.requested += n;
  r.evaluated += n;
  for (size_t i = 0; i < n; ++i) {
    w.skip[i] = w.errors[i] != runtime::kOk;
    if (!w.skip[i])
      continue;
    ++r.failed;
    if (!r.firstError || first + i < r.firstErrorSample) {
      r.firstError = runtime::decodeError(w.errors[i]);
      r.firstErrorSample = first + i;
    }
  }
  if (options.onBlock) {
    std::vector<const double *> metrics;
    for (int32_t slot : options.metricSlots)
      metrics.push_back(w.slots[slot]);
    options.onBlock(first, n, w.params, metrics, w.skip.data());
  }
  for (size_t m = 0; m < options.metricSlots.size(); ++m)
    r.metrics[m].addBlock(w.slots[options.metricSlots[m]], w.skip.data(), n);
  for (size_t a = 0; a < module.asserts.size(); ++a) {
    // Counted locally: the counters' vector may share a cache line with another thread's.
    const double *cond = w.slots[module.asserts[a].condSlot];
    uint64_t held = 0;
    for (size_t i = 0; i < n; ++i)
      held += !w.skip[i] && cond[i] != 0;
    r.assertsHeld[a] += held;
  }
  w.unpublished += n;
  if (options.progress && w.unpublished >= kProgressBlocks * kBlock) {
    options.progress->fetch_add(w.unpublished, std::memory_order_relaxed);
    w.unpublished = 0;
  }
}

void publishProgress(const McOptions &options, std::vector<Worker> &workers) {
  for (Worker &w : workers) {
    if (options.progress && w.unpublished)
      options.progress->fetch_add(w.unpublished, std::memory_order_relaxed);
    w.unpublished = 0;
  }
}

Worker makeWorker(const ir::Module &module, const std::vector<Sampler> &samplers,
                  const McOptions &options, McResult empty) {
  Worker w;
  w.paramBuffers.resize(samplers.size());
  w.params.assign(samplers.size(), nullptr);
  for (size_t p = 0; p < samplers.size(); ++p) {
    if (!samplers[p].isRandom())
      continue;
    w.paramBuffers[p].resize(kBlock);
    w.params[p] = w.paramBuffers[p].data();
  }
  w.slotBuffers.resize(module.slots.size());
  w.slots.assign(module.slots.size(), nullptr);
  auto need = [&](int32_t slot) {
    if (slot < 0 || w.slots[slot])
      return;
    w.slotBuffers[slot].resize(kBlock);
    w.slots[slot] = w.slotBuffers[slot].data();
  };
  for (int32_t s : options.metricSlots)
    need(s);
  for (const ir::Assert &a : module.asserts)
    need(a.condSlot);
  w.errors.resize(kBlock);
  w.skip.resize(kBlock);
  w.result = std::move(empty);
  return w;
}

/// Whether every metric's mean is known to `precision` (relative standard error), from the exact
/// moment sums of all threads' summaries (their sum does not depend on which thread did what).
bool precisionReached(const std::vector<Worker> &workers, double precision) {
  size_t metrics = workers.front().result.metrics.size();
  for (size_t m = 0; m < metrics; ++m) {
    uint64_t count = 0;
    ExactSum sum, squares;
    for (const Worker &w : workers)
      w.result.metrics[m].addMoments(count, sum, squares);
    if (count < 2)
      return false;
    double n = double(count), s1 = sum.value(), s2 = squares.value();
    double mean = workers.front().result.metrics[m].shift() + s1 / n;
    double var = std::max((s2 - s1 * s1 / n) / (n - 1), 0.0);
    if (!(std::sqrt(var / n) <= precision * std::abs(mean)))
      return false;
  }
  return true;
}

} // namespace

std::optional<McResult> runMonteCarlo(const ir::Module &module, const runtime::Engine &engine,
                                      const McOptions &options, std::string &problem) {
  std::vector<Sampler> samplers;
  if (!makeSamplers(module, options.pinned, samplers, problem))
    return std::nullopt;
  if (options.baseParams.size() != module.params.size()) {
    problem = "internal: one base value per param is needed";
    return std::nullopt;
  }
  std::vector<ChangedPair> changed;
  UniformDesign design = makeUniformDesign(module, drawnParams(samplers), options.sampling,
                                           options.seed, Stream::Sample, options.correlate, &changed);
  // The shift keeps the moment sums small (no cancellation); the nominal value is the same for
  // every part of a run, as merging requires.
  std::vector<double> base;
  std::vector<double> shifts;
  // The interpreter computes it (bit for bit what any engine gives): a JIT's one-sample
  // evaluator would be compiled for this one value.
  bool baseOk = evalAt(*runtime::makeInterpreter(module), module, options.baseParams, base);
  for (int32_t s : options.metricSlots)
    shifts.push_back(baseOk ? base[s] : 0.0);
  uint64_t total = options.totalSamples ? options.totalSamples : options.samples;
  bool keep = keepsExactValues(total, options.metricSlots.size(), options.memoryBudgetBytes);

  // Blocks are aligned to absolute sample indices so that any split gives the same blocks.
  uint64_t first = options.firstSample, end = first + options.samples;
  unsigned threads = resolveThreads(options.threads);
  std::vector<Worker> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.push_back(makeWorker(module, samplers, options, emptyResult(module, options, shifts, keep)));
  auto runRange = [&](uint64_t from, uint64_t to) {
    uint64_t firstBlock = from / kBlock, endBlock = (to + kBlock - 1) / kBlock;
    parallelChunks(endBlock - firstBlock, threads, options.stop, [&](unsigned t, uint64_t chunk) {
      uint64_t b = firstBlock + chunk;
      uint64_t lo = std::max(from, b * kBlock), hi = std::min(to, (b + 1) * kBlock);
      runBlock(module, engine, samplers, design, options, workers[t], lo, size_t(hi - lo));
    });
    publishProgress(options, workers);
  };
  bool converged = false;
  if (options.precision > 0) {
    // Rounds of a fixed size: the same rounds, hence the same stopping point, for any threads.
    uint64_t at = first;
    while (at < end && !converged && !(options.stop && options.stop->load())) {
      uint64_t next = std::min(end, (at / kPrecisionRound + 1) * kPrecisionRound);
      runRange(at, next);
      at = next;
      converged = precisionReached(workers, options.precision);
    }
    end = at;
  } else {
    runRange(first, end);
  }

  McResult result = std::move(workers[0].result);
  for (size_t t = 1; t < workers.size(); ++t)
    result.mergeCounts(workers[t].result);
  // Merging moves each thread's chunks of kept values and adds its fine-bin counts: no value is
  // copied, so it takes microseconds and needs no threads of its own.
  for (size_t m = 0; m < result.metrics.size(); ++m)
    for (size_t t = 1; t < workers.size(); ++t)
      result.metrics[m].merge(std::move(workers[t].result.metrics[m]));
  result.requested = end - first;
  result.partial = result.evaluated < end - first;
  result.converged = converged;
  result.precision = options.precision;
  result.sampling = options.sampling;
  result.finishAll(threads);
  result.changedCorrelations = std::move(changed);
  return result;
}

} // namespace camp::analyses
