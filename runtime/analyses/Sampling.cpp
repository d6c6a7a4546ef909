// Shared plumbing of the analyses: samplers, chunked batch evaluation, a tiny thread pool.
#include "analyses/Sampling.h"

#include <algorithm>
#include <limits>
#include <thread>

namespace camp::analyses {

bool makeSamplers(const ir::Module &module, const std::vector<bool> &pinned,
                  std::vector<Sampler> &samplers, std::string &problem) {
  samplers.clear();
  for (size_t p = 0; p < module.params.size(); ++p) {
    ir::Param param = module.params[p];
    if (p < pinned.size() && pinned[p]) {
      param.range.reset();
      param.dist = {};
    }
    auto s = Sampler::forParam(param, problem);
    if (!s)
      return false;
    samplers.push_back(std::move(*s));
  }
  return true;
}

std::vector<bool> drawnParams(const std::vector<Sampler> &samplers) {
  std::vector<bool> drawn;
  for (const Sampler &s : samplers)
    drawn.push_back(s.isRandom());
  return drawn;
}

void drawParams(const std::vector<Sampler> &samplers, const UniformDesign &design,
                uint64_t first, size_t n, const std::vector<double *> &columns) {
  drawUniforms(design, first, n, columns);
  for (size_t p = 0; p < samplers.size(); ++p) {
    if (!samplers[p].isRandom() || !columns[p])
      continue;
    double *col = columns[p];
    const Sampler &s = samplers[p];
    for (size_t i = 0; i < n; ++i)
      col[i] = s.quantile(col[i]);
  }
}

SampledEvaluator::SampledEvaluator(const std::vector<Sampler> &samplers, const UniformDesign &design)
    : samplers_(samplers), design_(design), uniforms_(samplers.size()),
      uniformCols_(samplers.size(), nullptr) {
  const std::vector<size_t> &members = design.correlation.members;
  for (size_t p = 0; p < samplers.size(); ++p) {
    draws_.push_back(samplers[p].draw(p < design.keys.size() ? design.keys[p] : 0));
    bool drawn = p < design.drawn.size() && design.drawn[p];
    if (!drawn)
      draws_.back().kind = runtime::DrawKind::Fixed;
    if (drawn && std::find(members.begin(), members.end(), p) != members.end()) {
      draws_.back().hostUniform = true;
      uniforms_[p].resize(kBlock);
      uniformCols_[p] = uniforms_[p].data();
    }
  }
}

void SampledEvaluator::run(const runtime::Engine &engine, uint64_t first, size_t n,
                           const std::vector<double *> &columns, bool keepParams,
                           const double *fixed, double *const *slots, int64_t *errors) {
  if (fused_) {
    if (!design_.correlation.empty())
      drawUniforms(design_, first, n, uniformCols_);
    runtime::SampledBatch sb;
    sb.seed = design_.seed;
    sb.stream = uint32_t(design_.stream);
    sb.latin = design_.method == SamplingMethod::LatinHypercube;
    sb.first = first;
    sb.n = n;
    sb.draws = draws_.data();
    sb.uniforms = uniformCols_.data();
    sb.fixed = fixed;
    sb.params = keepParams ? columns.data() : nullptr;
    sb.slots = slots;
    sb.errors = errors;
    if (engine.evalSampledBatch(sb))
      return;
    fused_ = false; // this engine has no fused kernel: the host draws from now on
  }
  // The host reference: the same uniforms, the same math (Sampler::quantile).
  std::vector<double *> drawn(columns.size(), nullptr);
  for (size_t p = 0; p < columns.size(); ++p)
    if (draws_[p].kind != runtime::DrawKind::Fixed)
      drawn[p] = columns[p];
  drawUniforms(design_, first, n, drawn);
  for (size_t p = 0; p < samplers_.size(); ++p) {
    if (!columns[p] || draws_[p].kind == runtime::DrawKind::Fixed)
      continue;
    double *col = columns[p];
    for (size_t i = 0; i < n; ++i)
      col[i] = samplers_[p].quantile(col[i]);
  }
  std::vector<const double *> params(columns.size(), nullptr);
  for (size_t p = 0; p < columns.size(); ++p)
    if (draws_[p].kind != runtime::DrawKind::Fixed)
      params[p] = columns[p];
  runtime::Batch batch;
  batch.n = n;
  batch.params = params.data();
  batch.fixed = fixed;
  batch.slots = slots;
  batch.errors = errors;
  engine.evalBatch(batch);
}

unsigned resolveThreads(unsigned requested) {
  if (requested > 0)
    return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void parallelChunks(uint64_t chunks, unsigned threads, const std::atomic<bool> *stop,
                    const std::function<void(unsigned thread, uint64_t chunk)> &work) {
  // The only shared write of the scheduler: on a cache line of its own.
  alignas(64) std::atomic<uint64_t> next{0};
  auto worker = [&](unsigned id) {
    for (;;) {
      if (stop && stop->load(std::memory_order_relaxed))
        return;
      uint64_t chunk = next.fetch_add(1, std::memory_order_relaxed);
      if (chunk >= chunks)
        return;
      work(id, chunk);
    }
  };
  threads = unsigned(std::min<uint64_t>(resolveThreads(threads), std::max<uint64_t>(chunks, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker, t);
  worker(0);
  for (auto &t : pool)
    t.join();
}

void evalSlotColumns(const runtime::Engine &engine, const ir::Module &module, int32_t slot,
                     const std::vector<const double *> &columns, const std::vector<double> &fixed,
                     size_t n, double *out) {
  std::vector<double *> slots(module.slots.size(), nullptr);
  std::vector<const double *> params(module.params.size(), nullptr);
  std::vector<int64_t> errors(kBlock);
  for (size_t start = 0; start < n; start += kBlock) {
    size_t m = std::min<size_t>(kBlock, n - start);
    for (size_t p = 0; p < params.size(); ++p)
      params[p] = columns[p] ? columns[p] + start : nullptr;
    slots[slot] = out + start;
    runtime::Batch batch;
    batch.n = m;
    batch.params = params.data();
    batch.fixed = fixed.data();
    batch.slots = slots.data();
    batch.errors = errors.data();
    engine.evalBatch(batch);
    for (size_t i = 0; i < m; ++i)
      if (errors[i] != runtime::kOk)
        out[start + i] = std::numeric_limits<double>::quiet_NaN();
  }
}

bool evalAt(const runtime::Engine &engine, const ir::Module &module,
            const std::vector<double> &params, std::vector<double> &slots,
            runtime::EvalError *error) {
  slots.assign(module.slots.size(), 0.0);
  runtime::EvalError err;
  bool ok = engine.evalOne(params.data(), slots.data(), err);
  if (!ok && error)
    *error = err;
  return ok;
}

double evalSlotAt(const runtime::Engine &engine, const ir::Module &module,
                  const std::vector<double> &params, int32_t slot) {
  std::vector<double> slots;
  if (!evalAt(engine, module, params, slots))
    return std::numeric_limits<double>::quiet_NaN();
  return slots[slot];
}

} // namespace camp::analyses
