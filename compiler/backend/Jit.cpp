// The JIT engine: compiles a model with ORC LLJIT and evaluates it through runtime::Engine.
#include <chrono>
#include <deque>
#include <map>
#include <mutex>

#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/Support/SHA256.h>

#include "Backend.h"
#include "CodeGen.h"
#include "ObjectStore.h"

namespace camp::backend {

namespace {

using EvalFn = int64_t (*)(const double *, double *);
using BatchFn = void (*)(size_t, const double *const *, const double *, double *const *, int64_t *);
using PriceFn = double (*)(int32_t, double, const double *, const double *);
using SampledFn = void (*)(size_t, uint64_t, uint64_t, uint32_t, const uint32_t *, const double *,
                           const double *const *, const double *const *, const double *,
                           double *const *, double *const *, int64_t *);

/// The on-disk store, when the program asked for one (usePersistentCache); none by default, so
/// tests, fuzzers and embedders leave no files behind.
std::unique_ptr<ObjectStore> &persistentStore() {
  static std::unique_ptr<ObjectStore> store;
  return store;
}

constexpr llvm::StringLiteral kStoredModulePrefix = "camp.stored.";

std::string hexDigest(llvm::SHA256 &sha) {
  std::array<uint8_t, 32> digest = sha.final();
  return llvm::toHex(digest, /*LowerCase=*/true);
}

/// Hands the object code of every module named `camp.stored.<key>` to the store as ORC's compile
/// layer produces it (after optimisation, at the first lookup of one of its symbols).
class StoringObjectCache final : public llvm::ObjectCache {
public:
  void notifyObjectCompiled(const llvm::Module *m, llvm::MemoryBufferRef object) override {
    llvm::StringRef id = m->getModuleIdentifier();
    if (!persistentStore() || !id.starts_with(kStoredModulePrefix))
      return;
    persistentStore()->store(id.drop_front(kStoredModulePrefix.size()).str(),
                             std::string_view(object.getBufferStart(), object.getBufferSize()));
  }
  // Hits are served before optimisation (prepareModule), so the compile layer never asks.
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module *) override { return nullptr; }
};

StoringObjectCache &storingObjectCache() {
  static StoringObjectCache *cache = new StoringObjectCache; // used by JIT sessions never destroyed
  return *cache;
}

/// One LLJIT per tier for the whole process (they differ in instruction selection effort);
/// each model lives in its own JITDylib, removed with it.
class JitSession {
public:
  static JitSession *get(Tier tier, std::string &error) {
    static std::once_flag once[2];
    static JitSession *sessions[2] = {nullptr, nullptr};
    static std::string failure[2];
    int k = tier == Tier::Full ? 0 : 1;
    std::call_once(once[k], [k, tier] {
      auto created = create(tier);
      if (created)
        sessions[k] = created->release();
      else
        failure[k] = errorText(created.takeError());
    });
    if (!sessions[k])
      error = "cannot start the JIT compiler: " + failure[k];
    return sessions[k];
  }

  std::mutex mutex;  // guards dylib creation, module addition, lookup and removal
  std::unique_ptr<llvm::orc::LLJIT> jit;
  uint64_t nextId = 0;

private:
  static llvm::Expected<std::unique_ptr<JitSession>> create(Tier tier) {
    initialiseLLVM();
    auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!jtmb)
      return jtmb.takeError();
    // The Full tier's IR is already optimised at O3; of the code generator's levels, `Less`
    // compiled the Monte Carlo kernel 4 % faster than `Aggressive` and it ran as fast (measured,
    // docs/performance.md), and a first run of a model pays for every pass.
    jtmb->setCodeGenOptLevel(tier == Tier::Full ? llvm::CodeGenOptLevel::Less : llvm::CodeGenOptLevel::None);
    // Never fuse a*b+c into an FMA: compiled results must equal the interpreter's bit for bit.
    jtmb->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;
    auto jit = llvm::orc::LLJITBuilder()
                   .setJITTargetMachineBuilder(std::move(*jtmb))
                   .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                   .setLinkProcessSymbolsByDefault(false)
                   .setCompileFunctionCreator([](llvm::orc::JITTargetMachineBuilder builder)
                                                  -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                     auto tm = builder.createTargetMachine();
                     if (!tm)
                       return tm.takeError();
                     return std::make_unique<llvm::orc::TMOwningSimpleCompiler>(std::move(*tm),
                                                                                &storingObjectCache());
                   })
                   .create();
    if (!jit)
      return jit.takeError();
    auto session = std::make_unique<JitSession>();
    session->jit = std::move(*jit);
    return session;
  }
};

template <typename Fn>
bool lookup(llvm::orc::LLJIT &jit, llvm::orc::JITDylib &dylib, const char *name, Fn &out,
            std::string &error) {
  auto sym = jit.lookup(dylib, name);
  if (!sym) {
    error = "the JIT could not link the model: " + errorText(sym.takeError());
    return false;
  }
  out = sym->toPtr<Fn>();
  return true;
}

std::string cacheKey(const ir::Module &m, int optLevel);

/// What of the code generator's options decides the code it emits.
std::string optionsKey(const CodeGenOptions &options) {
  std::string k = options.prefix + "|";
  for (bool flag : {options.withModelInfo, options.withEval, options.withPrice, options.withBatch,
                    options.vectoriseBatch})
    k.push_back(flag ? '1' : '0');
  k += options.sampled ? "|sampled " + options.sampled->key() : std::string("|");
  return k;
}

/// The store's key of a kernel module: everything its machine code depends on (the program's
/// build, LLVM, the host CPU and its features, the tier, the model and the code generator's
/// options), hashed. It is computed from camp's IR, not from the LLVM module, so that a hit
/// skips lowering too: the code generator is part of the program's build id, so equal inputs
/// give equal modules.
std::string storedKey(const std::string &modelKey, const CodeGenOptions &options, Tier tier) {
  static const std::string host = [] {
    std::string h = llvm::sys::getProcessTriple() + "|" + llvm::sys::getHostCPUName().str() + "|";
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      h += (f.second ? "+" : "-") + f.first().str() + ",";
    return h;
  }();
  llvm::SHA256 sha;
  // Version 3: keyed by camp's IR and the options (version 2 hashed the LLVM module's bitcode).
  sha.update("camp-jit-object/3|" + ObjectStore::programIdentity() + "|llvm " + LLVM_VERSION_STRING +
             "|" + host + "|tier " + std::to_string(int(tier)) + "|" + optionsKey(options) + "|");
  sha.update(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(modelKey.data()), modelKey.size()));
  return hexDigest(sha);
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// A model's machine code, alive as long as an engine or the cache holds it. Each kernel is
/// lowered and compiled at its first use: `camp run` never needs the batch kernel, and Monte
/// Carlo (fused sampled kernels) may never need the one-sample evaluator.
struct CompiledModel {
  JitSession *session = nullptr;
  Tier tier = Tier::Full;
  llvm::orc::JITDylib *dylib = nullptr;
  std::shared_ptr<const ir::Module> module; // the model the kernels are lowered from

  /// The one-sample evaluator and the price function (one module); nullptr if they failed to
  /// compile (not expected: the engine then evaluates with the interpreter). `stats`, if
  /// given, receives the phases' times when this call is the one that compiles.
  EvalFn evaluator(JitStats *stats = nullptr) {
    std::call_once(evalOnce, [&] { compileEval(stats); });
    return eval;
  }
  PriceFn pricer() { return evaluator() ? price : nullptr; }
  const std::string &evaluatorError() const { return evalError; }
  /// What evaluates when the evaluator failed to compile.
  const runtime::Engine &fallback() {
    std::call_once(fallbackOnce, [this] { interpreter = runtime::makeInterpreter(*module); });
    return *interpreter;
  }

  BatchFn batchKernel() {
    std::call_once(batchOnce, [this] { compileBatch(); });
    return batch;
  }

  /// The fused sample-and-evaluate kernel of a layout, compiled on first use (nullptr if it
  /// failed to compile: the caller then draws on the host).
  SampledFn sampledKernel(const SampledLayout &layout) {
    std::string key = layout.key();
    std::lock_guard<std::mutex> lock(sampledMutex);
    auto it = sampled.find(key);
    if (it != sampled.end())
      return it->second;
    SampledFn fn = compileSampled(layout);
    sampled.emplace(key, fn);
    return fn;
  }

  ~CompiledModel() {
    if (!session || !dylib)
      return;
    std::lock_guard<std::mutex> lock(session->mutex);
    llvm::consumeError(session->jit->getExecutionSession().removeJITDylib(*dylib));
  }

private:
  std::once_flag evalOnce;
  EvalFn eval = nullptr;
  PriceFn price = nullptr;
  std::string evalError;

  std::once_flag fallbackOnce;
  std::unique_ptr<runtime::Engine> interpreter;

  std::once_flag batchOnce;
  BatchFn batch = nullptr;

  std::mutex sampledMutex;
  std::map<std::string, SampledFn> sampled;

  /// Loads `options`' functions of the model from the store, or lowers, optimises and names
  /// them to be stored once compiled, and adds them to the model's JITDylib; false + `error`
  /// on failure.
  bool addKernelModule(const CodeGenOptions &options, std::string &error, JitStats *stats) {
    auto t0 = std::chrono::steady_clock::now();
    std::string key;
    // The key names lowering's inputs (camp's IR and the options), so a hit needs no LLVM
    // module at all. Model info (ahead-of-time only) reads names the key leaves out: not stored.
    if (const auto &store = persistentStore(); store && !options.withModelInfo) {
      key = storedKey(cacheKey(*module, int(tier)), options, tier);
      if (std::optional<std::string> bytes = store->load(key)) {
        auto object = llvm::MemoryBuffer::getMemBufferCopy(*bytes, (kStoredModulePrefix + key).str());
        if (stats) {
          stats->optimiseSeconds = secondsSince(t0);
          stats->fromStore = true;
        }
        std::lock_guard<std::mutex> lock(session->mutex);
        return addOrExplain(session->jit->addObjectFile(*dylib, std::move(object)), error);
      }
    }
    return addLoweredModule(options, key, error, stats, t0);
  }

  bool addLoweredModule(const CodeGenOptions &options, const std::string &key, std::string &error,
                        JitStats *stats, std::chrono::steady_clock::time_point t0) {
    auto ctx = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> mod = lowerToLLVM(*module, *ctx, options);
    if (stats)
      stats->lowerSeconds = secondsSince(t0);
    auto t1 = std::chrono::steady_clock::now();
    std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(false, tier, error);
    if (!tm)
      return false;
    if (!key.empty())
      mod->setModuleIdentifier((kStoredModulePrefix + key).str());
    optimiseModule(*mod, *tm, tier);
    if (stats)
      stats->optimiseSeconds = secondsSince(t1);
    std::lock_guard<std::mutex> lock(session->mutex);
    llvm::orc::ThreadSafeModule ready(std::move(mod), std::move(ctx));
    return addOrExplain(session->jit->addIRModule(*dylib, std::move(ready)), error);
  }

  static bool addOrExplain(llvm::Error err, std::string &error) {
    if (!err)
      return true;
    error = "the JIT could not load the model: " + errorText(std::move(err));
    return false;
  }

  void compileEval(JitStats *stats) {
    CodeGenOptions options;
    options.prefix = "camp_";
    options.withBatch = false;
    if (!addKernelModule(options, evalError, stats))
      return;
    auto t2 = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(session->mutex);
    EvalFn e = nullptr;
    PriceFn p = nullptr;
    if (!lookup(*session->jit, *dylib, "camp_eval", e, evalError) ||
        !lookup(*session->jit, *dylib, "camp_price", p, evalError))
      return;
    eval = e, price = p;
    if (stats)
      stats->codegenSeconds = secondsSince(t2);
  }

  SampledFn compileSampled(const SampledLayout &layout) {
    if (tier != Tier::Full)
      return nullptr;
    CodeGenOptions options;
    options.prefix = "camp_s" + std::to_string(sampled.size()) + "_";
    options.sampled = &layout;
    std::string error;
    if (!addKernelModule(options, error, nullptr))
      return nullptr;
    std::lock_guard<std::mutex> lock(session->mutex);
    SampledFn fn = nullptr;
    lookup(*session->jit, *dylib, (options.prefix + "eval_sampled").c_str(), fn, error);
    return fn;
  }

  void compileBatch() {
    CodeGenOptions options;
    options.prefix = "camp_";
    options.withEval = false;
    options.withPrice = false;
    options.vectoriseBatch = tier == Tier::Full;
    std::string error;
    if (!addKernelModule(options, error, nullptr))
      return;
    std::lock_guard<std::mutex> lock(session->mutex);
    lookup(*session->jit, *dylib, "camp_eval_batch", batch, error);
  }
};

class JitEngine final : public runtime::Engine {
public:
  JitEngine(std::shared_ptr<CompiledModel> code, size_t params, size_t slots, size_t prices)
      : code(std::move(code)), paramCount(params), slotCount(slots), priceCount(prices) {}

  const char *name() const override { return "jit"; }

  bool evalOne(const double *params, double *slots, runtime::EvalError &err) const override {
    EvalFn eval = code->evaluator();
    if (!eval)
      return code->fallback().evalOne(params, slots, err);
    int64_t status = eval(params, slots);
    if (status == runtime::kOk)
      return true;
    err = runtime::decodeError(status);
    return false;
  }

  void evalBatch(const runtime::Batch &batch) const override {
    if (batch.n == 0)
      return;
    // The kernel reads both pointer arrays unconditionally; absent ones mean "all fixed"
    // and "store nothing".
    std::vector<const double *> noParams;
    std::vector<double *> noSlots;
    const double *const *params = batch.params;
    double *const *slots = batch.slots;
    if (!params) {
      noParams.assign(paramCount, nullptr);
      params = noParams.data();
    }
    if (!slots) {
      noSlots.assign(slotCount, nullptr);
      slots = noSlots.data();
    }
    if (BatchFn kernel = code->batchKernel()) {
      kernel(batch.n, params, batch.fixed, slots, batch.errors);
      return;
    }
    // The kernel failed to compile (not expected): evaluate sample by sample instead.
    evalSampleBySample(batch, params, slots);
  }

  bool evalSampledBatch(const runtime::SampledBatch &batch) const override {
    if (code->tier != Tier::Full)
      return false; // large models: no vectorised kernel to fuse with, the host draws
    if (batch.n == 0)
      return true;
    std::vector<double> consts;
    SampledLayout layout = sampledLayout(batch, paramCount, slotCount, &consts);
    SampledFn kernel = code->sampledKernel(layout);
    if (!kernel)
      return false;
    std::vector<uint32_t> keys(paramCount);
    std::vector<const double *> tables(paramCount, nullptr), noUniforms(paramCount, nullptr);
    for (size_t p = 0; p < paramCount; ++p) {
      keys[p] = batch.draws[p].key;
      tables[p] = batch.draws[p].table;
    }
    std::vector<double *> noSlots;
    double *const *slots = batch.slots;
    if (!slots) {
      noSlots.assign(slotCount, nullptr);
      slots = noSlots.data();
    }
    std::vector<int64_t> noErrors;
    int64_t *errors = batch.errors;
    if (!errors) {
      noErrors.resize(batch.n);
      errors = noErrors.data();
    }
    kernel(batch.n, batch.first, batch.seed, batch.stream, keys.data(), consts.data(), tables.data(),
           batch.uniforms ? batch.uniforms : noUniforms.data(), batch.fixed, batch.params, slots, errors);
    return true;
  }

  double evalPrice(int32_t price, double quantity, const double *params,
                   const double *slots) const override {
    if (PriceFn fn = code->pricer())
      return fn(price, quantity, params, slots);
    return code->fallback().evalPrice(price, quantity, params, slots);
  }

  // The price function's cases past the last price are the prices' gross forms (CodeGen).
  double evalGrossPrice(int32_t price, double quantity, const double *params,
                        const double *slots) const override {
    if (PriceFn fn = code->pricer())
      return fn(price + int32_t(priceCount), quantity, params, slots);
    return code->fallback().evalGrossPrice(price, quantity, params, slots);
  }

private:
  void evalSampleBySample(const runtime::Batch &batch, const double *const *params,
                          double *const *slots) const {
    std::vector<double> in(paramCount), out(slotCount);
    for (size_t i = 0; i < batch.n; ++i) {
      for (size_t p = 0; p < paramCount; ++p)
        in[p] = params[p] ? params[p][i] : batch.fixed[p];
      runtime::EvalError err;
      int64_t status = evalOne(in.data(), out.data(), err) ? runtime::kOk : runtime::encodeError(err);
      if (batch.errors)
        batch.errors[i] = status;
      for (size_t s = 0; s < slotCount; ++s)
        if (slots[s])
          slots[s][i] = out[s];
    }
  }

  std::shared_ptr<CompiledModel> code;
  size_t paramCount, slotCount, priceCount;
};

/// Everything of a module the generated code depends on, as bytes: equal keys, equal code.
std::string cacheKey(const ir::Module &m, int optLevel) {
  std::string key;
  auto put = [&](const auto &v) { key.append(reinterpret_cast<const char *>(&v), sizeof v); };
  put(optLevel);
  put(m.params.size());
  put(m.nodes.size());
  for (const ir::Node &n : m.nodes) {
    put(n.op);
    put(n.index);
    put(n.a);
    put(n.b);
    put(n.c);
    put(n.loc);
    put(n.num);
  }
  put(m.slots.size());
  for (const ir::Slot &s : m.slots) {
    put(s.root);
    put(s.loc);
    put(s.mayBeUndefined);
  }
  put(m.prices.size());
  for (const ir::Price &p : m.prices)
    put(p.root);
  return key;
}

/// Compiled models of this process, most recent last; a few are kept so that commands which
/// rebuild the same model (scenarios, repeated runs) compile it once.
class CodeCache {
public:
  std::shared_ptr<CompiledModel> find(const std::string &key) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : it->second;
  }
  void remember(const std::string &key, std::shared_ptr<CompiledModel> code) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!entries.emplace(key, std::move(code)).second)
      return;
    order.push_back(key);
    if (order.size() <= kCapacity)
      return;
    entries.erase(order.front());
    order.pop_front();
  }

private:
  static constexpr size_t kCapacity = 16;
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<CompiledModel>> entries;
  std::deque<std::string> order;
};

CodeCache &codeCache() {
  static CodeCache *cache = new CodeCache; // never destroyed: code may outlive static teardown
  return *cache;
}

/// A model's JITDylib, its kernels not compiled yet (CompiledModel compiles each at first use).
std::shared_ptr<CompiledModel> prepareCode(const ir::Module &m, Tier tier, std::string &error) {
  JitSession *session = JitSession::get(tier, error);
  if (!session)
    return nullptr;
  auto code = std::make_shared<CompiledModel>();
  code->tier = tier;
  code->module = std::make_shared<const ir::Module>(m);
  std::lock_guard<std::mutex> lock(session->mutex);
  llvm::orc::LLJIT &jit = *session->jit;
  // Compiled code may call libm and nothing else of the process.
  auto libm = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit.getDataLayout().getGlobalPrefix(), [&jit](const llvm::orc::SymbolStringPtr &name) {
        llvm::StringRef text = *name;
        if (jit.getDataLayout().getGlobalPrefix() && text.starts_with("_"))
          text = text.drop_front();
        return isAllowedExternal(text);
      });
  if (!libm) {
    error = "cannot start the JIT compiler: " + errorText(libm.takeError());
    return nullptr;
  }
  llvm::orc::JITDylib &dylib =
      jit.getExecutionSession().createBareJITDylib("camp.model." + std::to_string(session->nextId++));
  dylib.addGenerator(std::move(*libm));
  code->session = session;
  code->dylib = &dylib;
  return code;
}

} // namespace

void usePersistentCache(const std::string &directory) {
  persistentStore() = directory.empty() ? nullptr : std::make_unique<ObjectStore>(directory);
}

std::string defaultCacheDirectory() { return ObjectStore::defaultDirectory(); }

namespace {
std::string dataKey(const std::string &name) {
  llvm::SHA256 sha;
  sha.update("camp-data/1|" + ObjectStore::programIdentity() + "|" + name);
  return hexDigest(sha);
}
} // namespace

std::optional<std::string> loadCachedData(const std::string &name) {
  const auto &store = persistentStore();
  return store ? store->load(dataKey(name)) : std::nullopt;
}

void storeCachedData(const std::string &name, std::string_view bytes) {
  if (const auto &store = persistentStore())
    store->store(dataKey(name), bytes);
}

std::unique_ptr<runtime::Engine> makeJitEngine(const ir::Module &m, std::string &error) {
  return makeJitEngine(m, error, JitOptions{}, nullptr);
}

std::unique_ptr<runtime::Engine> makeJitEngine(const ir::Module &m, std::string &error,
                                               const JitOptions &options, JitStats *stats) {
  if (!validateModule(m, error))
    return nullptr;
  Tier tier = tierFor(m, options.optLevel);
  std::string key = options.useCache ? cacheKey(m, int(tier)) : std::string();
  std::shared_ptr<CompiledModel> code = options.useCache ? codeCache().find(key) : nullptr;
  if (stats)
    *stats = JitStats{};
  if (code) {
    if (stats)
      stats->fromCache = true;
  } else {
    code = prepareCode(m, tier, error);
    if (!code)
      return nullptr;
    if (options.useCache)
      codeCache().remember(key, code);
  }
  // Compiled now unless deferred, so that a model the JIT cannot compile is reported here.
  if (!options.deferEvaluator && !code->evaluator(stats)) {
    error = code->evaluatorError();
    return nullptr;
  }
  return std::make_unique<JitEngine>(std::move(code), m.params.size(), m.slots.size(), m.prices.size());
}

} // namespace camp::backend
