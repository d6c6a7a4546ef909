// libFuzzer target `camp_fuzz_jit`: a differential test of the LLVM JIT against the reference
// interpreter on every small input that checks. For the nominal values, each scenario and three
// perturbations (all zero, all negated, all ×1e6): the same error code and every slot
// bit-identical, one by one and as one batch; and every price (gross too) at a few quantities.
#include <cstdint>
#include <vector>

#include "FuzzCommon.h"
#include "backend/Backend.h"

using namespace camp;

namespace {

// JIT compilation is the cost here (a few ms per model on the fast tier, ~0.1 s at O3):
// compile models up to this size, and use the full tier for one input in 16 of the smallest.
constexpr size_t kMaxSlots = 300, kMaxSlotsFullTier = 60;

std::vector<std::vector<double>> paramVectors(const ir::Module &m) {
  std::vector<std::vector<double>> out{m.nominalParams()};
  for (size_t s = 0; s < m.scenarios.size() && s < 4; ++s) {
    std::vector<double> v = m.nominalParams();
    for (auto [p, value] : m.scenarios[s].overrides)
      v[size_t(p)] = value;
    out.push_back(std::move(v));
  }
  for (double factor : {0.0, -1.0, 1e6}) {
    std::vector<double> v = m.nominalParams();
    for (double &x : v)
      x *= factor;
    out.push_back(std::move(v));
  }
  return out;
}

struct Eval {
  int64_t code = runtime::kOk;
  std::vector<double> slots;
};

Eval evalOne(const runtime::Engine &e, const ir::Module &m, const std::vector<double> &params) {
  Eval o;
  o.slots.assign(m.slots.size(), 0.0);
  runtime::EvalError err;
  if (!e.evalOne(params.data(), o.slots.data(), err))
    o.code = runtime::encodeError(err);
  return o;
}

std::string where(const ir::Module &m, size_t vector, size_t slot) {
  return "parameter vector " + std::to_string(vector) + ", slot " + m.slots[slot].name;
}

// Slots are only specified when the evaluation succeeded.
void compare(const ir::Module &m, size_t vector, const Eval &want, int64_t gotCode, const double *got, size_t stride,
             const char *how) {
  if (want.code != gotCode)
    fuzz::fail(how, "parameter vector " + std::to_string(vector) + ": error codes differ");
  if (want.code != runtime::kOk)
    return;
  for (size_t s = 0; s < m.slots.size(); ++s)
    if (!fuzz::sameBits(want.slots[s], got[s * stride]))
      fuzz::fail(how, where(m, vector, s));
}

void differential(const ir::Module &m, int optLevel) {
  backend::JitOptions jo;
  jo.useCache = false; // every input is a new model: a cache would only grow
  jo.optLevel = optLevel;
  std::string error;
  auto jit = backend::makeJitEngine(m, error, jo, nullptr);
  if (!jit)
    fuzz::fail("the JIT refused a model that checks", error);
  auto interp = runtime::makeInterpreter(m);
  std::vector<std::vector<double>> vectors = paramVectors(m);
  std::vector<Eval> want;
  for (size_t i = 0; i < vectors.size(); ++i) {
    want.push_back(evalOne(*interp, m, vectors[i]));
    Eval got = evalOne(*jit, m, vectors[i]);
    compare(m, i, want.back(), got.code, got.slots.data(), 1, "JIT evalOne differs from the interpreter");
  }
  // The same vectors as one batch, every param supplied per sample.
  size_t n = vectors.size(), np = m.params.size(), ns = m.slots.size();
  std::vector<double> in(np * n), out(ns * n);
  std::vector<const double *> cols(np);
  std::vector<double *> outCols(ns);
  for (size_t p = 0; p < np; ++p) {
    for (size_t i = 0; i < n; ++i)
      in[p * n + i] = vectors[i][p];
    cols[p] = &in[p * n];
  }
  for (size_t s = 0; s < ns; ++s)
    outCols[s] = &out[s * n];
  std::vector<int64_t> codes(n);
  std::vector<double> fixed = m.nominalParams();
  jit->evalBatch({n, cols.data(), fixed.data(), outCols.data(), codes.data()});
  for (size_t i = 0; i < n; ++i) // a model may have no slots at all: then there is only the code
    compare(m, i, want[i], codes[i], ns ? &out[i] : nullptr, n, "JIT batch differs from the interpreter");
  // Prices, as forecasts call them, from the nominal case's slots.
  if (want[0].code != runtime::kOk)
    return;
  for (size_t p = 0; p < m.prices.size() && p < 8; ++p)
    for (double q : {0.0, 1.0, 999.5, 1e9}) {
      double a = interp->evalPrice(int32_t(p), q, vectors[0].data(), want[0].slots.data());
      double b = jit->evalPrice(int32_t(p), q, vectors[0].data(), want[0].slots.data());
      double ga = interp->evalGrossPrice(int32_t(p), q, vectors[0].data(), want[0].slots.data());
      double gb = jit->evalGrossPrice(int32_t(p), q, vectors[0].data(), want[0].slots.data());
      if (!fuzz::sameBits(a, b) || !fuzz::sameBits(ga, gb))
        fuzz::fail("JIT price differs from the interpreter", "price " + std::to_string(p) + " at " + std::to_string(q));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > fuzz::kMaxInput)
    return -1;
  auto c = fuzz::compileInput(std::string(reinterpret_cast<const char *>(data), size));
  const ir::Module *m = c->module();
  if (!m || m->slots.size() > kMaxSlots)
    return 0;
  differential(*m, 0);
  uint32_t hash = 2166136261u; // FNV-1a: the same input always takes the same tiers
  for (size_t i = 0; i < size; ++i)
    hash = (hash ^ data[i]) * 16777619u;
  if (m->slots.size() <= kMaxSlotsFullTier && hash % 16 == 0)
    differential(*m, 3);
  return 0;
}
