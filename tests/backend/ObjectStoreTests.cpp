// The JIT's disk cache: framed files, damage read as a miss, eviction, and code loaded from it
// computing bit for bit what freshly compiled code computes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "IrBuilder.h"
#include "backend/Backend.h"
#include "backend/ObjectStore.h"

using namespace camp;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string &name) {
  fs::path dir = fs::path(CAMP_TEST_TMP) / name;
  fs::remove_all(dir);
  return dir;
}

std::vector<fs::path> objectFiles(const fs::path &dir) {
  std::vector<fs::path> files;
  if (fs::exists(dir))
    for (const auto &e : fs::directory_iterator(dir))
      if (e.path().extension() == ".o")
        files.push_back(e.path());
  return files;
}

void flipByte(const fs::path &file, size_t at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(std::streamoff(at));
  char c = 0;
  f.read(&c, 1);
  f.seekp(std::streamoff(at));
  c = char(c ^ 0x5a);
  f.write(&c, 1);
}

/// Turns the process-wide store on for one test and off again, whatever happens.
struct StoreOn {
  explicit StoreOn(const fs::path &dir) { backend::usePersistentCache(dir.string()); }
  ~StoreOn() { backend::usePersistentCache(""); }
};

/// Evaluates `a` and `b` on the same random params, one by one and as a batch: every slot and
/// error code must be the same bits.
void requireSameResults(const runtime::Engine &a, const runtime::Engine &b, const ir::Module &m) {
  std::mt19937_64 rng(7);
  size_t np = m.params.size(), ns = m.slots.size();
  for (int k = 0; k < 200; ++k) {
    std::vector<double> params = test::randomParams(rng, np), sa(ns), sb(ns);
    runtime::EvalError ea, eb;
    bool oka = a.evalOne(params.data(), sa.data(), ea), okb = b.evalOne(params.data(), sb.data(), eb);
    REQUIRE(oka == okb);
    if (!oka) {
      REQUIRE(runtime::encodeError(ea) == runtime::encodeError(eb));
      continue;
    }
    for (size_t s = 0; s < ns; ++s)
      REQUIRE(test::sameBits(sa[s], sb[s]));
  }
  const size_t n = 777;
  std::vector<std::vector<double>> cols(np, std::vector<double>(n));
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> v = test::randomParams(rng, np);
    for (size_t p = 0; p < np; ++p)
      cols[p][i] = v[p];
  }
  std::vector<const double *> params(np);
  for (size_t p = 0; p < np; ++p)
    params[p] = cols[p].data();
  std::vector<double> fixed(np, 1.0);
  std::vector<std::vector<double>> outA(ns, std::vector<double>(n)), outB(ns, std::vector<double>(n));
  std::vector<double *> slotsA(ns), slotsB(ns);
  for (size_t s = 0; s < ns; ++s) {
    slotsA[s] = outA[s].data();
    slotsB[s] = outB[s].data();
  }
  std::vector<int64_t> errA(n), errB(n);
  a.evalBatch({n, params.data(), fixed.data(), slotsA.data(), errA.data()});
  b.evalBatch({n, params.data(), fixed.data(), slotsB.data(), errB.data()});
  for (size_t i = 0; i < n; ++i) {
    REQUIRE(errA[i] == errB[i]);
    for (size_t s = 0; s < ns; ++s)
      REQUIRE(test::sameBits(outA[s][i], outB[s][i]));
  }
}

std::unique_ptr<runtime::Engine> compileFresh(const ir::Module &m, int optLevel, backend::JitStats &stats) {
  std::string error;
  backend::JitOptions options;
  options.optLevel = optLevel;
  options.useCache = false; // the process's own cache would hide the disk
  auto engine = backend::makeJitEngine(m, error, options, &stats);
  INFO(error);
  REQUIRE(engine);
  return engine;
}

ir::Module someModule(uint64_t seed) {
  std::mt19937_64 rng(seed);
  return test::randomModule(rng, 5, 12);
}

} // namespace

TEST_CASE("the object store gives back what it stored, and nothing for other keys", "[jit][store]") {
  fs::path dir = freshDir("store_roundtrip");
  backend::ObjectStore store(dir);
  std::string object = std::string("\x7f" "ELF", 4) + std::string(1000, '\0') + "tail";
  CHECK_FALSE(store.load("abc123"));
  REQUIRE(store.store("abc123", object));
  auto back = store.load("abc123");
  REQUIRE(back);
  CHECK(*back == object);
  CHECK_FALSE(store.load("abc124"));
  // Keys are hex digits only: nothing outside the directory can be named.
  CHECK_FALSE(store.store("../escape", object));
  CHECK_FALSE(store.load("../escape"));
  CHECK_FALSE(store.store("", object));
  CHECK(objectFiles(dir).size() == 1);
}

TEST_CASE("a damaged or truncated stored object is a miss, and is removed", "[jit][store]") {
  fs::path dir = freshDir("store_damage");
  backend::ObjectStore store(dir);
  std::string object(4096, 'x');
  REQUIRE(store.store("aa", object));
  flipByte(dir / "aa.o", 2000); // a byte of the object itself
  CHECK_FALSE(store.load("aa"));
  CHECK_FALSE(fs::exists(dir / "aa.o"));

  REQUIRE(store.store("bb", object));
  fs::resize_file(dir / "bb.o", 100); // cut short, as by a full disk
  CHECK_FALSE(store.load("bb"));
  CHECK_FALSE(fs::exists(dir / "bb.o"));

  { std::ofstream(dir / "cc.o") << "not an object"; } // shorter than the frame
  CHECK_FALSE(store.load("cc"));
  REQUIRE(store.store("cc", object)); // a good copy replaces it
  CHECK(store.load("cc") == object);
}

TEST_CASE("the object store keeps the most recently used files", "[jit][store]") {
  fs::path dir = freshDir("store_evict");
  backend::ObjectStore store(dir, 3);
  auto age = [&](const std::string &key, int minutes) {
    fs::last_write_time(dir / (key + ".o"), fs::file_time_type::clock::now() - std::chrono::minutes(minutes));
  };
  REQUIRE(store.store("a1", "one"));
  age("a1", 40);
  REQUIRE(store.store("a2", "two"));
  age("a2", 30);
  REQUIRE(store.store("a3", "three"));
  age("a3", 20);
  REQUIRE(store.load("a1")); // a1 used now: the least recently used is a2
  REQUIRE(store.store("a4", "four"));
  CHECK(objectFiles(dir).size() == 3);
  CHECK(store.load("a1"));
  CHECK_FALSE(store.load("a2"));
  CHECK(store.load("a3"));
  CHECK(store.load("a4"));
}

TEST_CASE("the object store keeps its bytes under the limit, newest first", "[jit][store]") {
  fs::path dir = freshDir("store_bytes");
  const size_t frame = 24; // magic word, length, checksum
  backend::ObjectStore store(dir, 100, 3 * (1000 + frame));
  for (int k = 0; k < 5; ++k) {
    std::string key = "b" + std::to_string(k);
    REQUIRE(store.store(key, std::string(1000, char('a' + k))));
    fs::last_write_time(dir / (key + ".o"), fs::file_time_type::clock::now() - std::chrono::minutes(50 - k));
  }
  // Each store evicts what is over the limit: the three newest remain.
  CHECK(objectFiles(dir).size() == 3);
  CHECK_FALSE(store.load("b0"));
  CHECK_FALSE(store.load("b1"));
  CHECK(store.load("b4") == std::string(1000, 'e'));
}

TEST_CASE("an unusable cache directory is a miss, never an error", "[jit][store]") {
  backend::ObjectStore store("/dev/null/camp-cache");
  CHECK_FALSE(store.store("ab", "bytes"));
  CHECK_FALSE(store.load("ab"));
}

TEST_CASE("the program identity names the executable's build id", "[jit][store]") {
  // LLVM is linked statically by default, so the executable's build id covers it too; a shared
  // libLLVM would add an "llvm:" entry of its own.
  std::string id = backend::ObjectStore::programIdentity();
  REQUIRE(id.rfind("exe:", 0) == 0);
  std::string exe = id.substr(4, id.find(';') - 4);
  CHECK(exe.size() >= 32); // GCC's default build id is a 160-bit SHA-1: 40 hex digits
  CHECK(exe.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id == backend::ObjectStore::programIdentity());
}

TEST_CASE("code loaded from the disk cache equals freshly compiled code, on both tiers", "[jit][store]") {
  for (int optLevel : {3, 0}) {
    INFO("optLevel " << optLevel);
    fs::path dir = freshDir("jit_store_" + std::to_string(optLevel));
    ir::Module m = someModule(11 + uint64_t(optLevel));
    backend::JitStats stats;
    auto fresh = compileFresh(m, optLevel, stats); // no store: the reference
    StoreOn on(dir);
    auto first = compileFresh(m, optLevel, stats);
    CHECK_FALSE(stats.fromStore);
    requireSameResults(*fresh, *first, m); // compiles the batch kernel too: both are stored
    CHECK(objectFiles(dir).size() == 2);
    auto second = compileFresh(m, optLevel, stats);
    CHECK(stats.fromStore);
    requireSameResults(*fresh, *second, m);
    // Every stored file damaged: compiled afresh, same results, good copies stored again.
    for (const fs::path &f : objectFiles(dir))
      flipByte(f, fs::file_size(f) / 2);
    auto third = compileFresh(m, optLevel, stats);
    CHECK_FALSE(stats.fromStore);
    requireSameResults(*fresh, *third, m);
    auto fourth = compileFresh(m, optLevel, stats);
    CHECK(stats.fromStore);
    requireSameResults(*fresh, *fourth, m);
  }
}

TEST_CASE("another model is never served another model's code", "[jit][store]") {
  fs::path dir = freshDir("jit_store_two");
  StoreOn on(dir);
  ir::Module a = someModule(21), b = someModule(22);
  backend::JitStats stats;
  auto ea = compileFresh(a, 3, stats);
  auto eb = compileFresh(b, 3, stats);
  CHECK_FALSE(stats.fromStore);
  backend::usePersistentCache("");
  auto refB = compileFresh(b, 3, stats);
  requireSameResults(*refB, *eb, b);
}

// The store's key is made from camp's IR, before lowering: a model that differs in a single
// constant must miss, and get its own code.
TEST_CASE("a model that differs in one constant is a miss in the store", "[jit][store]") {
  fs::path dir = freshDir("jit_store_constant");
  StoreOn on(dir);
  ir::Module a = someModule(31);
  ir::Module b = a;
  auto constant = std::find_if(b.nodes.begin(), b.nodes.end(), [](const ir::Node &n) { return n.op == ir::Op::Const; });
  REQUIRE(constant != b.nodes.end());
  constant->num += 1.5;
  backend::JitStats stats;
  auto ea = compileFresh(a, 3, stats);
  CHECK_FALSE(stats.fromStore);
  auto eb = compileFresh(b, 3, stats);
  CHECK_FALSE(stats.fromStore);
  auto eb2 = compileFresh(b, 3, stats);
  CHECK(stats.fromStore);
  backend::usePersistentCache("");
  auto refA = compileFresh(a, 3, stats);
  auto refB = compileFresh(b, 3, stats);
  requireSameResults(*refA, *ea, a);
  requireSameResults(*refB, *eb2, b);
}
