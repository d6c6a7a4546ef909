// The differential suite: generated models, examples and conformance models evaluated by the
// interpreter, the JIT (one sample and batches) and AOT shared objects must agree to 1e-12.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "ModelGen.h"
#include "backend/Backend.h"
#include "camp/camp.h"
#include "frontend/Compile.h"

using namespace camp;
namespace fs = std::filesystem;

namespace {

/// Shards run as separate ctest tests, so `ctest -j2` uses both cores.
constexpr int kShards = 4;
#if defined(__SANITIZE_ADDRESS__) || defined(CAMP_SANITIZE)
constexpr int kModelsPerShard = 60;   // the sanitizer build's front end is ~10x slower
#else
constexpr int kModelsPerShard = 500;  // 2,000 generated models in all
#endif
constexpr int kVectorsPerModel = 12;  // parameter vectors per model, besides nominal and scenarios
// Every model is checked on the JIT's fast tier (cheap to compile); every 8th also on the full
// O3 tier with the vectorised batch loop, and every 20th through an AOT shared object (full
// tier): O3 costs ~0.1 s per model, which would not fit the test's time budget for all.
constexpr int kFullTierEvery = 8;
constexpr int kAotEvery = 20;

bool close(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  if (a == b)
    return true;
  return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

std::string describe(int64_t code) {
  if (code == runtime::kOk)
    return "ok";
  runtime::EvalError e = runtime::decodeError(code);
  return std::string(e.kind == runtime::EvalErrorKind::DivisionByZero ? "division by zero" : "not finite") +
         " at loc " + std::to_string(e.loc) + " in slot " + std::to_string(e.slot);
}

/// Parameter vectors worth comparing: nominal, every scenario, and random perturbations
/// (scaled, zeroed, negated, huge) that reach tiers, minimums, branches and errors.
std::vector<std::vector<double>> paramVectors(const ir::Module &m, std::mt19937_64 &rng) {
  std::vector<std::vector<double>> out{m.nominalParams()};
  for (const ir::Scenario &s : m.scenarios) {
    std::vector<double> v = m.nominalParams();
    for (auto [p, value] : s.overrides)
      v[size_t(p)] = value;
    out.push_back(v);
  }
  std::uniform_real_distribution<double> scale(0.0, 3.0);
  for (int k = 0; k < kVectorsPerModel; ++k) {
    std::vector<double> v = m.nominalParams();
    for (double &x : v) {
      switch (rng() % 10) {
      case 0: x = 0; break;
      case 1: x = -x; break;
      case 2: x *= 1e6; break;
      default: x *= scale(rng); break;
      }
    }
    out.push_back(v);
  }
  return out;
}

struct Outcome {
  int64_t code = runtime::kOk;
  std::vector<double> slots;
};

Outcome evalWith(const runtime::Engine &e, const ir::Module &m, const std::vector<double> &params) {
  Outcome o;
  o.slots.assign(m.slots.size(), 0.0);
  runtime::EvalError err;
  if (!e.evalOne(params.data(), o.slots.data(), err))
    o.code = runtime::encodeError(err);
  return o;
}

/// Compares one evaluation against the interpreter's; returns a description of the first
/// difference, or "" when they agree.
std::string difference(const ir::Module &m, const Outcome &want, int64_t gotCode, const double *got,
                       size_t stride) {
  if (want.code != gotCode)
    return "interpreter: " + describe(want.code) + ", compiled: " + describe(gotCode);
  if (want.code != runtime::kOk)
    return "";
  for (size_t s = 0; s < m.slots.size(); ++s)
    if (!close(want.slots[s], got[s * stride])) {
      std::ostringstream os;
      os.precision(17);
      os << "slot " << m.slots[s].name << ": interpreter " << want.slots[s] << ", compiled " << got[s * stride];
      return os.str();
    }
  return "";
}

struct Tally {
  int models = 0, evaluations = 0, errors = 0, aotModels = 0;
};

/// Checks one compiled module with the interpreter, JIT one-by-one and JIT batch. Returns ""
/// or what went wrong.
std::string checkModule(const ir::Module &m, std::mt19937_64 &rng, Tally &tally, int optLevel) {
  std::string error;
  backend::JitOptions jo;
  jo.useCache = false;
  jo.optLevel = optLevel;
  auto jit = backend::makeJitEngine(m, error, jo, nullptr);
  if (!jit)
    return "JIT failed: " + error;
  auto interp = runtime::makeInterpreter(m);
  std::vector<std::vector<double>> vectors = paramVectors(m, rng);
  std::vector<Outcome> want;
  for (const std::vector<double> &v : vectors) {
    want.push_back(evalWith(*interp, m, v));
    Outcome got = evalWith(*jit, m, v);
    std::string diff = difference(m, want.back(), got.code, got.slots.data(), 1);
    if (!diff.empty())
      return "JIT evalOne differs: " + diff;
    ++tally.evaluations;
    tally.errors += got.code != runtime::kOk;
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
  for (size_t i = 0; i < n; ++i) {
    std::string diff = difference(m, want[i], codes[i], &out[i], n);
    if (!diff.empty())
      return "JIT batch differs at sample " + std::to_string(i) + ": " + diff;
  }
  return "";
}

std::string checkModule(const ir::Module &m, std::mt19937_64 &rng, Tally &tally, bool fullTierToo) {
  std::string diff = checkModule(m, rng, tally, 0);
  if (diff.empty() && fullTierToo)
    diff = checkModule(m, rng, tally, 3);
  return diff;
}

/// The AOT side: shared objects of several models are linked at once (one `cc` run per
/// shard), then each model's camp_model is compared with the interpreter.
struct AotBatch {
  std::string dir;
  std::vector<std::pair<std::string, ir::Module>> models; // symbol prefix, module
};

std::string checkAot(AotBatch &batch, std::mt19937_64 &rng, Tally &tally, std::string &failedModel) {
  if (batch.models.empty())
    return "";
  std::string objects;
  for (auto &[name, m] : batch.models) {
    std::string error;
    if (!backend::emitModule(m, batch.dir, name, backend::EmitKind::Object, error))
      return "AOT emit failed for " + name + ": " + error;
    objects += " " + batch.dir + "/" + name + ".o";
  }
  std::string lib = batch.dir + "/models.so";
  std::string cmd = "cc -shared -o " + lib + objects + " -lm";
  if (std::system(cmd.c_str()) != 0)
    return "linking the AOT objects failed: " + cmd;
  void *handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return std::string("dlopen failed: ") + dlerror();
  std::string result;
  for (auto &[name, m] : batch.models) {
    auto *model = static_cast<const camp_model *>(dlsym(handle, (name + "_model").c_str()));
    if (!model || model->output_count != int32_t(m.slots.size())) {
      result = "no usable " + name + "_model in the shared object";
      failedModel = name;
      break;
    }
    auto interp = runtime::makeInterpreter(m);
    for (const std::vector<double> &v : paramVectors(m, rng)) {
      Outcome want = evalWith(*interp, m, v);
      std::vector<double> got(m.slots.size());
      int64_t code = model->eval(v.data(), got.data());
      std::string diff = difference(m, want, code, got.data(), 1);
      if (!diff.empty()) {
        result = "AOT differs: " + diff;
        failedModel = name;
        break;
      }
    }
    if (!result.empty())
      break;
    ++tally.aotModels;
  }
  dlclose(handle);
  return result;
}

void runShard(int shard) {
  std::mt19937_64 rng(1000 + uint64_t(shard));
  Tally tally;
  AotBatch aot;
  aot.dir = std::string(CAMP_TEST_TMP) + "/diff" + std::to_string(shard);
  fs::remove_all(aot.dir);
  fs::create_directories(aot.dir);
  std::map<std::string, std::string> texts;
  for (int k = 0; k < kModelsPerShard; ++k) {
    uint64_t seed = uint64_t(shard) * kModelsPerShard + uint64_t(k);
    std::string text = test::generateModel(seed);
    std::string fileName = "generated_" + std::to_string(seed) + ".camp";
    diag::DiagnosticEngine diags;
    std::optional<ir::Module> m = compileSource(fileName, text, diags);
    INFO("generated model (seed " << seed << "):\n" << text << "\n" << diag::renderText(diags, {}));
    REQUIRE(m);
    std::string diff = checkModule(*m, rng, tally, k % kFullTierEvery == 0);
    INFO(diff);
    REQUIRE(diff.empty());
    ++tally.models;
    if (k % kAotEvery == 0) {
      std::string name = "gen" + std::to_string(seed);
      texts[name] = text;
      aot.models.emplace_back(name, std::move(*m));
    }
  }
  std::string failedModel;
  std::string diff = checkAot(aot, rng, tally, failedModel);
  INFO("model:\n" << texts[failedModel]);
  INFO(diff);
  REQUIRE(diff.empty());
  WARN("shard " << shard << ": " << tally.models << " models, " << tally.evaluations << " evaluations ("
                << tally.errors << " ending in an evaluation error), " << tally.aotModels
                << " models through AOT");
}

std::vector<fs::path> modelFiles() {
  std::vector<fs::path> files;
  std::vector<std::string> dirs = {CAMP_EXAMPLES_DIR};
  if (const char *conf = std::getenv("CAMP_CONFORMANCE_DIR"))
    dirs.push_back(std::string(conf) + "/ok");
  else if (fs::exists("/work/shared/spec/conformance/ok"))
    dirs.push_back("/work/shared/spec/conformance/ok");
  for (const std::string &d : dirs) {
    if (!fs::exists(d))
      continue;
    for (const auto &entry : fs::directory_iterator(d))
      if (entry.path().extension() == ".camp")
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

TEST_CASE("generated models agree - shard 1", "[diff]") { runShard(0); }
TEST_CASE("generated models agree - shard 2", "[diff]") { runShard(1); }
TEST_CASE("generated models agree - shard 3", "[diff]") { runShard(2); }
TEST_CASE("generated models agree - shard 4", "[diff]") { runShard(3); }
static_assert(kShards == 4, "one TEST_CASE per shard");

TEST_CASE("example and conformance models agree", "[diff]") {
  std::mt19937_64 rng(99);
  Tally tally;
  std::vector<fs::path> files = modelFiles();
  REQUIRE(!files.empty());
  AotBatch aot;
  aot.dir = std::string(CAMP_TEST_TMP) + "/diff-examples";
  fs::remove_all(aot.dir);
  fs::create_directories(aot.dir);
  for (const fs::path &file : files) {
    diag::DiagnosticEngine diags;
    std::optional<ir::Module> m = compileFile(file.string(), diags);
    INFO(file.string() << "\n" << diag::renderText(diags, {}));
    REQUIRE(m);
    std::string diff = checkModule(*m, rng, tally, true);
    INFO(diff);
    REQUIRE(diff.empty());
    aot.models.emplace_back(backend::cIdentifier(file.stem().string()) + "_" +
                                std::to_string(aot.models.size()),
                            std::move(*m));
  }
  std::string failedModel;
  std::string diff = checkAot(aot, rng, tally, failedModel);
  INFO(failedModel << ": " << diff);
  REQUIRE(diff.empty());
}
