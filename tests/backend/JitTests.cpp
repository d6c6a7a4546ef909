// JIT engine tests: hand-computed figures, the error rules, the batch kernel, and random IR
// checked bit for bit against the reference walk in IrBuilder.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "IrBuilder.h"
#include "backend/Backend.h"

using namespace camp;
using camp::ir::Op;
using camp::test::IrBuilder;

namespace {

std::unique_ptr<runtime::Engine> jit(const ir::Module &m) {
  std::string error;
  auto engine = backend::makeJitEngine(m, error);
  INFO(error);
  REQUIRE(engine);
  return engine;
}

/// A small model: a rate card with a graduated price and an allowance, a division, powers.
/// params: volume = 1.5e6, rate = 80, hours = 16
IrBuilder pricedModel() {
  IrBuilder b;
  int32_t volume = b.param("volume", 1.5e6), rate = b.param("rate", 80), hours = b.param("hours", 16);
  // graduated: 0.0009 * min(q, 1e6) + 0.0006 * max(q - 1e6, 0)
  int32_t q1 = b.node(Op::Arg), cap = b.num(1e6);
  int32_t first = b.node(Op::Mul, b.num(0.0009), b.node(Op::Min, q1, cap));
  int32_t over = b.node(Op::Max, b.node(Op::Sub, b.node(Op::Arg), b.num(1e6)), b.num(0));
  b.price("esp.send", b.node(Op::Add, first, b.node(Op::Mul, b.num(0.0006), over)));
  // allowance: 0.02 * max(0, q - 10000)
  int32_t excess = b.node(Op::Max, b.num(0), b.node(Op::Sub, b.node(Op::Arg), b.num(10000)));
  b.price("esp.prompt", b.node(Op::Mul, b.num(0.02), excess));
  b.slot("labor", b.node(Op::Mul, b.p(hours), b.p(rate)));                       // 16*80 = 1280
  b.slot("sends", b.node(Op::CallPrice, b.p(volume), -1, -1, 0));                // 900 + 300 = 1200
  b.slot("prompts", b.node(Op::CallPrice, b.num(30000), -1, -1, 1));             // 0.02*20000 = 400
  b.slot("cost", b.node(Op::Add, b.node(Op::Add, b.s(0), b.s(1)), b.s(2)));      // 2880
  b.slot("per_hour", b.node(Op::Div, b.s(3), b.p(hours)));                       // 180
  b.slot("cube", b.node(Op::PowInt, b.p(hours), -1, -1, 3));                     // 4096
  b.slot("inv_sq", b.node(Op::PowInt, b.p(hours), -1, -1, -2));                  // 1/256
  b.slot("ceil", b.node(Op::Ceil, b.node(Op::Div, b.s(3), b.num(1000))));        // ceil(2.88) = 3
  b.slot("round", b.node(Op::Round, b.num(-2.5)));                               // -3 (away from 0)
  b.slot("pick", b.node(Op::Select, b.node(Op::Gt, b.s(3), b.num(2000)), b.num(1), b.num(2))); // 1
  return b;
}

} // namespace

TEST_CASE("jit computes hand-checked figures", "[jit]") {
  IrBuilder b = pricedModel();
  auto engine = jit(b.m);
  std::vector<double> params = b.m.nominalParams(), slots(b.m.slots.size());
  runtime::EvalError err;
  REQUIRE(engine->evalOne(params.data(), slots.data(), err));
  CHECK(slots[0] == 1280.0);
  CHECK(slots[1] == Approx(1200.0).epsilon(1e-15));
  CHECK(slots[2] == Approx(400.0).epsilon(1e-15));
  CHECK(slots[3] == Approx(2880.0).epsilon(1e-15));
  CHECK(slots[4] == Approx(180.0).epsilon(1e-15));
  CHECK(slots[5] == 4096.0);
  CHECK(slots[6] == 1.0 / 256.0);
  CHECK(slots[7] == 3.0);
  CHECK(slots[8] == -3.0);
  CHECK(slots[9] == 1.0);
  // evalPrice prices any quantity: 2e6 sends = 900 + 600.
  CHECK(engine->evalPrice(0, 2e6, params.data(), slots.data()) == Approx(1500.0).epsilon(1e-15));
  CHECK(std::isnan(engine->evalPrice(7, 1.0, params.data(), slots.data())));
  CHECK(engine->evalPrice(1, 30000, params.data(), slots.data()) ==
        runtime::makeInterpreter(b.m)->evalPrice(1, 30000, params.data(), slots.data()));
}

TEST_CASE("division by zero is reported at the division, in the slot being computed", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 0);
  b.slot("fine", b.num(1));
  int32_t div = b.node(Op::Div, b.num(1), b.p(x));
  b.at(div, 7);
  b.slot("ratio", div);
  auto engine = jit(b.m);
  double params[] = {0.0};
  double slots[2];
  runtime::EvalError err;
  REQUIRE_FALSE(engine->evalOne(params, slots, err));
  CHECK(err.kind == runtime::EvalErrorKind::DivisionByZero);
  CHECK(err.slot == 1);
  CHECK(b.m.locs[size_t(err.loc)].line == 7);
  params[0] = 4.0;
  REQUIRE(engine->evalOne(params, slots, err));
  CHECK(slots[1] == 0.25);
}

TEST_CASE("errors in branches that are not taken do not count", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 0);
  // if x != 0 then 1/x else 5
  b.slot("guarded", b.node(Op::Select, b.p(x), b.node(Op::Div, b.num(1), b.p(x)), b.num(5)));
  // x != 0 and 1/x > 0 : the right side is skipped when x == 0
  b.slot("and", b.node(Op::And, b.p(x), b.node(Op::Gt, b.node(Op::Div, b.num(1), b.p(x)), b.num(0))));
  // x == 0 or 1/x > 0
  b.slot("or", b.node(Op::Or, b.node(Op::Eq, b.p(x), b.num(0)),
                      b.node(Op::Gt, b.node(Op::Div, b.num(1), b.p(x)), b.num(0))));
  auto engine = jit(b.m);
  double params[] = {0.0}, slots[3];
  runtime::EvalError err;
  REQUIRE(engine->evalOne(params, slots, err));
  CHECK(slots[0] == 5.0);
  CHECK(slots[1] == 0.0);
  CHECK(slots[2] == 1.0);
  params[0] = -2.0; // 1/x = -0.5: and -> 0, or -> 0
  REQUIRE(engine->evalOne(params, slots, err));
  CHECK(slots[0] == -0.5);
  CHECK(slots[1] == 0.0);
  CHECK(slots[2] == 0.0);
}

TEST_CASE("the first error wins, and non-finite values are errors unless allowed", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 0);
  int32_t lnNode = b.node(Op::Ln, b.p(x));
  b.slot("log", lnNode);                                            // ln 0 = -inf: NotFinite
  int32_t d = b.node(Op::Div, b.num(1), b.p(x));
  b.at(d, 3);
  b.slot("later", d);                                               // never reached
  b.slot("roi", b.num(std::numeric_limits<double>::quiet_NaN()), true);
  auto engine = jit(b.m);
  double params[] = {0.0}, slots[3];
  runtime::EvalError err;
  REQUIRE_FALSE(engine->evalOne(params, slots, err));
  CHECK(err.kind == runtime::EvalErrorKind::NotFinite);
  CHECK(err.slot == 0);
  CHECK(err.loc == b.m.slots[0].loc);
  params[0] = 1.0; // ln 1 = 0, 1/1 = 1, NaN allowed
  REQUIRE(engine->evalOne(params, slots, err));
  CHECK(slots[0] == 0.0);
  CHECK(std::isnan(slots[2]));
}

TEST_CASE("powers multiply step by step and 0 to a negative power is a division by zero", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 0);
  int32_t neg = b.node(Op::PowInt, b.p(x), -1, -1, -3);
  b.at(neg, 9);
  b.slot("inv_cube", neg);
  b.slot("zeroth", b.node(Op::PowInt, b.p(x), -1, -1, 0));
  b.slot("big", b.node(Op::PowInt, b.num(1.0001), -1, -1, 100)); // looped, not unrolled
  auto engine = jit(b.m);
  double params[] = {0.0}, slots[3];
  runtime::EvalError err;
  REQUIRE_FALSE(engine->evalOne(params, slots, err));
  CHECK(err.kind == runtime::EvalErrorKind::DivisionByZero);
  CHECK(b.m.locs[size_t(err.loc)].line == 9);
  params[0] = 2.0;
  REQUIRE(engine->evalOne(params, slots, err));
  CHECK(slots[0] == 0.125);
  CHECK(slots[1] == 1.0);
  double r = 1.0;
  for (int k = 0; k < 100; ++k)
    r = r * 1.0001;
  CHECK(slots[2] == r);
}

TEST_CASE("min and max follow the written comparison with NaN and signed zeros", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 0), y = b.param("y", 0);
  b.slot("min", b.node(Op::Min, b.p(x), b.p(y)), true);
  b.slot("max", b.node(Op::Max, b.p(x), b.p(y)), true);
  auto engine = jit(b.m);
  double nan = std::numeric_limits<double>::quiet_NaN();
  double slots[2];
  runtime::EvalError err;
  double a[] = {nan, 1.0}; // nan < 1 is false -> b; nan > 1 is false -> b
  REQUIRE(engine->evalOne(a, slots, err));
  CHECK(slots[0] == 1.0);
  CHECK(slots[1] == 1.0);
  double z[] = {0.0, -0.0}; // 0 < -0 false -> -0; 0 > -0 false -> -0
  REQUIRE(engine->evalOne(z, slots, err));
  CHECK(std::signbit(slots[0]));
  CHECK(std::signbit(slots[1]));
}

TEST_CASE("the batch kernel equals evalOne sample by sample", "[jit][batch]") {
  // A random module where some samples fail and most do not: both paths of the kernel run.
  std::mt19937_64 rng(42);
  ir::Module m;
  for (;;) {
    m = test::randomModule(rng, 5, 12);
    int fails = 0;
    for (int i = 0; i < 100; ++i) {
      std::vector<double> params = test::randomParams(rng, m.params.size()), slots(m.slots.size());
      fails += test::referenceEval(m, params.data(), slots.data()) != runtime::kOk;
    }
    if (fails >= 5 && fails <= 50)
      break;
  }
  auto engine = jit(m);
  const size_t n = 1237; // more than two blocks, not a multiple of any vector width
  size_t np = m.params.size(), ns = m.slots.size();
  std::vector<std::vector<double>> cols(np, std::vector<double>(n));
  std::vector<double> fixed = test::randomParams(rng, np);
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> v = test::randomParams(rng, np);
    for (size_t p = 0; p < np; ++p)
      cols[p][i] = v[p];
  }
  std::vector<const double *> params(np);
  for (size_t p = 0; p < np; ++p)
    params[p] = p == 1 ? nullptr : cols[p].data(); // param 1 is fixed
  std::vector<std::vector<double>> out(ns, std::vector<double>(n));
  std::vector<double *> slots(ns);
  for (size_t s = 0; s < ns; ++s)
    slots[s] = s % 3 == 2 ? nullptr : out[s].data(); // some outputs are not wanted
  std::vector<int64_t> errors(n);
  runtime::Batch batch{n, params.data(), fixed.data(), slots.data(), errors.data()};
  engine->evalBatch(batch);
  size_t failures = 0;
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> one(np), expect(ns);
    for (size_t p = 0; p < np; ++p)
      one[p] = params[p] ? cols[p][i] : fixed[p];
    runtime::EvalError err;
    bool ok = engine->evalOne(one.data(), expect.data(), err);
    REQUIRE(errors[i] == (ok ? runtime::kOk : runtime::encodeError(err)));
    failures += ok ? 0 : 1;
    if (!ok)
      continue;
    for (size_t s = 0; s < ns; ++s)
      if (slots[s])
        REQUIRE(test::sameBits(out[s][i], expect[s]));
  }
  CHECK(failures > 0); // the sample set exercises both outcomes
  CHECK(failures < n / 2);
}

TEST_CASE("random IR: JIT, interpreter and reference walk agree bit for bit", "[jit][random]") {
  std::mt19937_64 rng(7);
  int compared = 0, failed = 0;
  for (int model = 0; model < 150; ++model) {
    ir::Module m = test::randomModule(rng, 1 + int(rng() % 5), 1 + int(rng() % 25));
    auto engine = jit(m);
    auto interp = runtime::makeInterpreter(m);
    for (int trial = 0; trial < 40; ++trial) {
      std::vector<double> params = test::randomParams(rng, m.params.size());
      std::vector<double> a(m.slots.size()), b(m.slots.size()), c(m.slots.size());
      int64_t want = test::referenceEval(m, params.data(), a.data());
      runtime::EvalError err;
      bool ok = engine->evalOne(params.data(), b.data(), err);
      int64_t got = ok ? runtime::kOk : runtime::encodeError(err);
      bool iok = interp->evalOne(params.data(), c.data(), err);
      int64_t igot = iok ? runtime::kOk : runtime::encodeError(err);
      INFO("model " << model << " trial " << trial << "\n" << ir::print(m));
      REQUIRE(igot == want);
      REQUIRE(got == want);
      for (size_t s = 0; ok && s < m.slots.size(); ++s) {
        INFO("slot " << s << ": interp " << c[s] << " vs reference " << a[s]);
        REQUIRE(test::sameBits(a[s], c[s]));
      }
      ++compared;
      if (!ok) {
        ++failed;
        continue;
      }
      for (size_t s = 0; s < m.slots.size(); ++s) {
        INFO("slot " << s << ": " << a[s] << " vs " << b[s]);
        REQUIRE(test::sameBits(a[s], b[s]));
      }
    }
  }
  CHECK(failed < compared);
}

TEST_CASE("an inconsistent module is refused with a message, not a crash", "[jit]") {
  IrBuilder b;
  b.slot("bad", b.node(Op::Slot, -1, -1, -1, 5)); // reads a slot that does not exist
  std::string error;
  CHECK_FALSE(backend::makeJitEngine(b.m, error));
  CHECK(error.find("inconsistent") != std::string::npos);
}

TEST_CASE("an identical model is compiled once per process", "[jit]") {
  IrBuilder b = pricedModel();
  std::string error;
  backend::JitStats first, second;
  auto e1 = backend::makeJitEngine(b.m, error, {}, &first);
  auto e2 = backend::makeJitEngine(b.m, error, {}, &second);
  REQUIRE(e1);
  REQUIRE(e2);
  CHECK(second.fromCache);
}

namespace {

/// A long model (slots read earlier slots far back, prices, branches): big enough to be cut
/// into several evaluator parts, and to take the fast tier when the size decides.
IrBuilder longModel(int slots) {
  IrBuilder b;
  for (int p = 0; p < 4; ++p)
    b.param("p" + std::to_string(p), 1.5 + p);
  int32_t q = b.node(Op::Arg);
  b.price("card.tiered", b.node(Op::Add, b.node(Op::Mul, b.num(0.9), b.node(Op::Min, q, b.num(3))),
                                b.node(Op::Mul, b.num(0.4), b.node(Op::Max, b.node(Op::Sub, b.node(Op::Arg), b.num(3)), b.num(0)))));
  b.slot("v0", b.p(0));
  for (int s = 1; s < slots; ++s) {
    int32_t prev = b.s(s - 1), far = b.s(s / 2);
    int32_t cond = b.node(Op::Gt, b.p(s % 4), b.num(2));
    int32_t branch = b.node(Op::Select, cond, b.node(Op::CallPrice, b.p((s + 1) % 4), -1, -1, 0),
                            b.node(Op::Div, far, b.p((s + 2) % 4)));
    b.slot("v" + std::to_string(s), b.node(Op::Add, b.node(Op::Mul, prev, b.num(0.5)), branch));
  }
  return b;
}

void checkLongModel(const ir::Module &m, int optLevel) {
  std::string error;
  backend::JitOptions jo;
  jo.optLevel = optLevel;
  jo.useCache = false;
  auto engine = backend::makeJitEngine(m, error, jo, nullptr);
  INFO(error);
  REQUIRE(engine);
  std::mt19937_64 rng(3);
  const size_t n = 100, np = m.params.size(), ns = m.slots.size();
  std::vector<double> in(np * n), out(ns * n), fixed = m.nominalParams();
  std::uniform_real_distribution<double> u(-1, 4);
  for (double &x : in)
    x = u(rng);
  std::vector<const double *> cols(np);
  std::vector<double *> outCols(ns);
  for (size_t p = 0; p < np; ++p)
    cols[p] = p == 2 ? nullptr : &in[p * n];
  for (size_t s = 0; s < ns; ++s)
    outCols[s] = s % 5 == 0 ? nullptr : &out[s * n];
  std::vector<int64_t> codes(n);
  engine->evalBatch({n, cols.data(), fixed.data(), outCols.data(), codes.data()});
  int ok = 0;
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> params(np), want(ns), got(ns);
    for (size_t p = 0; p < np; ++p)
      params[p] = cols[p] ? cols[p][i] : fixed[p];
    int64_t expect = test::referenceEval(m, params.data(), want.data());
    runtime::EvalError err;
    bool one = engine->evalOne(params.data(), got.data(), err);
    REQUIRE((one ? runtime::kOk : runtime::encodeError(err)) == expect);
    REQUIRE(codes[i] == expect);
    if (expect != runtime::kOk)
      continue;
    ++ok;
    size_t bad = ns;
    for (size_t s = 0; s < ns && bad == ns; ++s)
      if (!test::sameBits(got[s], want[s]) || (outCols[s] && !test::sameBits(outCols[s][i], want[s])))
        bad = s;
    INFO("sample " << i << " slot " << bad);
    REQUIRE(bad == ns);
  }
  CHECK(ok > 0);
}

} // namespace

TEST_CASE("a long model is evaluated in parts, on both tiers", "[jit][large]") {
  IrBuilder b = longModel(320); // > 256 slots per part, > 300 slots: fast tier by default
  checkLongModel(b.m, -1);
  checkLongModel(b.m, 3);       // the full tier: O3 and the vectorised batch loop
}

TEST_CASE("an expression nested too deeply is refused, not a crash", "[jit]") {
  IrBuilder b;
  int32_t x = b.param("x", 1);
  int32_t e = b.p(x);
  for (int k = 0; k < 25000; ++k) // 25,000 additions nested one in another
    e = b.node(Op::Add, e, b.num(1));
  b.slot("deep", e);
  std::string error;
  CHECK_FALSE(backend::makeJitEngine(b.m, error));
  CHECK(error.find("too deep") != std::string::npos);
}
