// The samplers' math as LLVM IR: Philox, the Latin hypercube stratum, log/exp, inverse CDFs.
// Every function mirrors runtime/analyses/Rng.h or SamplerMath.cpp operation by operation.
#include "EmitSamplers.h"

#include "analyses/SamplerConstants.h"

namespace camp::backend {

using llvm::Value;
namespace sm = analyses::smath;

std::string SampledLayout::key() const {
  std::string k;
  k.push_back(latin ? 'L' : 'R');
  k.push_back(storeParams ? 'S' : '-');
  for (const SampledParamLayout &p : params) {
    k.push_back(char('0' + int(p.kind)));
    k.push_back(p.hostUniform ? 'h' : 'k');
    k += std::to_string(p.discreteCount);
    k.push_back(',');
  }
  // The stored slots, four to a hex digit.
  k.push_back('|');
  for (size_t s = 0; s < storeSlots.size(); s += 4) {
    unsigned digit = 0;
    for (size_t b = 0; b < 4 && s + b < storeSlots.size(); ++b)
      digit |= unsigned(storeSlots[s + b]) << b;
    k.push_back("0123456789abcdef"[digit]);
  }
  return k;
}

SampledLayout sampledLayout(const runtime::SampledBatch &batch, size_t params, size_t slots,
                            std::vector<double> *consts) {
  SampledLayout layout;
  layout.latin = batch.latin;
  layout.storeParams = batch.params != nullptr;
  layout.storeSlots.assign(slots, false);
  for (size_t s = 0; batch.slots && s < slots; ++s)
    layout.storeSlots[s] = batch.slots[s] != nullptr;
  size_t offset = 0;
  for (size_t p = 0; p < params; ++p) {
    const runtime::ParamDraw &d = batch.draws[p];
    SampledParamLayout pl;
    pl.kind = d.kind;
    pl.hostUniform = d.kind != runtime::DrawKind::Fixed && d.hostUniform;
    pl.constOffset = offset;
    std::vector<double> mine(d.c, d.c + 3);
    if (d.kind == runtime::DrawKind::BetaTable)
      mine.insert(mine.end(), {d.tableLo, d.tableInvStep, double(d.tableKnots)});
    if (d.kind == runtime::DrawKind::Discrete) {
      pl.discreteCount = int32_t(d.values.size());
      mine.insert(mine.end(), d.values.begin(), d.values.end());
      mine.insert(mine.end(), d.cumulative.begin(), d.cumulative.end());
    }
    offset += mine.size();
    if (consts)
      consts->insert(consts->end(), mine.begin(), mine.end());
    layout.params.push_back(pl);
  }
  return layout;
}

Value *SamplerEmitter::f(double x) { return llvm::ConstantFP::get(b.getDoubleTy(), x); }
Value *SamplerEmitter::i32(uint32_t x) { return b.getInt32(x); }
Value *SamplerEmitter::i64(uint64_t x) { return b.getInt64(x); }

// Every 32-bit word lives in an i64 lane with its upper half zero: a 32 x 32 -> 64-bit product
// is then one plain i64 multiply (vpmuludq), and no lane ever changes width (no shuffles).
Value *SamplerEmitter::low32(Value *x) { return b.CreateAnd(x, i64(0xffffffffu)); }

std::vector<std::array<Value *, 2>> SamplerEmitter::roundKeys(Value *seedLo, Value *seedHi) {
  std::vector<std::array<Value *, 2>> keys{{seedLo, seedHi}};
  for (int r = 1; r < 10; ++r)
    keys.push_back({low32(b.CreateAdd(keys.back()[0], i64(sm::kPhiloxW0))),
                    low32(b.CreateAdd(keys.back()[1], i64(sm::kPhiloxW1)))});
  return keys;
}

SamplerEmitter::Words SamplerEmitter::philox(Words c, const std::vector<std::array<Value *, 2>> &keys) {
  for (const auto &k : keys) {
    Value *p0 = b.CreateMul(c[0], i64(sm::kPhiloxM0), "", /*HasNUW=*/true);
    Value *p1 = b.CreateMul(c[2], i64(sm::kPhiloxM1), "", /*HasNUW=*/true);
    Value *hi0 = b.CreateLShr(p0, i64(32)), *lo0 = low32(p0);
    Value *hi1 = b.CreateLShr(p1, i64(32)), *lo1 = low32(p1);
    c = {b.CreateXor(b.CreateXor(hi1, c[1]), k[0]), lo1, b.CreateXor(b.CreateXor(hi0, c[3]), k[1]), lo0};
  }
  return c;
}

SamplerEmitter::Words SamplerEmitter::latinKeys(Value *block, Value *key, Value *stream,
                                                const std::vector<std::array<Value *, 2>> &keys) {
  return philox({low32(block), b.CreateLShr(block, i64(32)), key, b.CreateOr(stream, i64(sm::kLatinKeyTag))}, keys);
}

Value *SamplerEmitter::bits53(const Words &w) {
  return b.CreateLShr(b.CreateOr(b.CreateShl(w[0], i64(32)), w[1]), i64(11));
}

Value *SamplerEmitter::uniformOpen01(Value *bits) {
  // bits < 2^53: the signed conversion is exact. Capped below 1 as Rng.h's openUniform.
  Value *u = b.CreateFMul(b.CreateFAdd(b.CreateSIToFP(bits, b.getDoubleTy()), f(0.5)), f(0x1p-53));
  return b.CreateSelect(b.CreateFCmpOLT(u, f(1 - 0x1p-53)), u, f(1 - 0x1p-53));
}

Value *SamplerEmitter::mix32(Value *x) {
  // Masked although x < 2^32 already: instruction selection sees one block at a time, and a
  // visible mask is what lets it use the cheap 32 x 32 multiply rather than a 64-bit one.
  x = low32(x);
  x = b.CreateXor(x, b.CreateLShr(x, i64(16)));
  x = low32(b.CreateMul(x, i64(sm::kMix32A), "", true));
  x = b.CreateXor(x, b.CreateLShr(x, i64(15)));
  x = low32(b.CreateMul(x, i64(sm::kMix32B), "", true));
  return b.CreateXor(x, b.CreateLShr(x, i64(16)));
}

Value *SamplerEmitter::latinStratum(Value *i, const Words &keys) {
  Value *left = b.CreateLShr(i, i64(5)), *right = b.CreateAnd(i, i64(31));
  for (Value *k : keys) {
    Value *fn = b.CreateAnd(mix32(b.CreateXor(right, k)), i64(31));
    Value *next = b.CreateXor(left, fn);
    left = right;
    right = next;
  }
  return b.CreateOr(b.CreateShl(left, i64(5)), right);
}

Value *SamplerEmitter::latinUniform(Value *stratum, Value *bits) {
  return uniformOpen01(b.CreateOr(b.CreateShl(stratum, i64(43)), b.CreateLShr(bits, i64(10))));
}

Value *SamplerEmitter::log(Value *x) {
  llvm::Type *i64t = b.getInt64Ty(), *i32t = b.getInt32Ty();
  Value *bits = b.CreateBitCast(x, i64t);
  Value *hx = b.CreateTrunc(b.CreateLShr(bits, i64(32)), i32t);
  Value *k = b.CreateSub(b.CreateAShr(hx, i32(20)), i32(1023));
  hx = b.CreateAnd(hx, i32(0x000fffff));
  Value *i = b.CreateAnd(b.CreateAdd(hx, i32(0x95f64)), i32(0x100000));
  Value *high = b.CreateZExt(b.CreateOr(hx, b.CreateXor(i, i32(0x3ff00000))), i64t);
  Value *mbits = b.CreateOr(b.CreateShl(high, i64(32)), b.CreateAnd(bits, i64(0xffffffffu)));
  Value *fv = b.CreateFSub(b.CreateBitCast(mbits, b.getDoubleTy()), f(1.0));
  k = b.CreateAdd(k, b.CreateAShr(i, i32(20)));
  Value *s = b.CreateFDiv(fv, b.CreateFAdd(f(2.0), fv));
  Value *dk = b.CreateSIToFP(k, b.getDoubleTy());
  Value *z = b.CreateFMul(s, s);
  Value *w = b.CreateFMul(z, z);
  auto mul = [&](Value *a, Value *c) { return b.CreateFMul(a, c); };
  auto add = [&](Value *a, Value *c) { return b.CreateFAdd(a, c); };
  auto sub = [&](Value *a, Value *c) { return b.CreateFSub(a, c); };
  Value *t1 = mul(w, add(f(sm::kLg2), mul(w, add(f(sm::kLg4), mul(w, f(sm::kLg6))))));
  Value *t2 = mul(z, add(f(sm::kLg1), mul(w, add(f(sm::kLg3), mul(w, add(f(sm::kLg5), mul(w, f(sm::kLg7))))))));
  Value *r = add(t2, t1);
  Value *hfsq = mul(mul(f(0.5), fv), fv);
  Value *far = sub(mul(dk, f(sm::kLn2Hi)),
                   sub(sub(hfsq, add(mul(s, add(hfsq, r)), mul(dk, f(sm::kLn2Lo)))), fv));
  Value *near = sub(mul(dk, f(sm::kLn2Hi)), sub(sub(mul(s, sub(fv, r)), mul(dk, f(sm::kLn2Lo))), fv));
  Value *which = b.CreateOr(b.CreateSub(hx, i32(0x6147a)), b.CreateSub(i32(0x6b851), hx));
  return b.CreateSelect(b.CreateICmpSGT(which, i32(0)), far, near);
}

Value *SamplerEmitter::exp(Value *x) {
  auto mul = [&](Value *a, Value *c) { return b.CreateFMul(a, c); };
  auto add = [&](Value *a, Value *c) { return b.CreateFAdd(a, c); };
  auto sub = [&](Value *a, Value *c) { return b.CreateFSub(a, c); };
  Value *xc = b.CreateSelect(b.CreateFCmpOGT(x, f(sm::kExpOver + 1)), f(sm::kExpOver + 1), x);
  xc = b.CreateSelect(b.CreateFCmpOLT(xc, f(sm::kExpUnder - 1)), f(sm::kExpUnder - 1), xc);
  Value *isNan = b.CreateFCmpUNE(x, x);
  xc = b.CreateSelect(isNan, f(0.0), xc);
  Value *kd = add(mul(xc, f(sm::kInvLn2)), b.CreateSelect(b.CreateFCmpOLT(xc, f(0.0)), f(-0.5), f(0.5)));
  Value *k = b.CreateFPToSI(kd, b.getInt32Ty());
  Value *t = b.CreateSIToFP(k, b.getDoubleTy());
  Value *hi = sub(xc, mul(t, f(sm::kLn2Hi)));
  Value *lo = mul(t, f(sm::kLn2Lo));
  Value *r = sub(hi, lo);
  Value *rr = mul(r, r);
  Value *poly = add(f(sm::kP1), mul(rr, add(f(sm::kP2), mul(rr, add(f(sm::kP3), mul(rr, add(f(sm::kP4), mul(rr, f(sm::kP5)))))))));
  Value *c = sub(r, mul(rr, poly));
  Value *y = sub(f(1.0), sub(sub(lo, b.CreateFDiv(mul(r, c), sub(f(2.0), c))), hi));
  Value *k1 = b.CreateAShr(k, b.getInt32(1));
  Value *k2 = b.CreateSub(k, k1);
  auto pow2 = [&](Value *e) {
    Value *biased = b.CreateAdd(b.CreateSExt(e, b.getInt64Ty()), i64(1023));
    return b.CreateBitCast(b.CreateShl(biased, i64(52)), b.getDoubleTy());
  };
  Value *v = mul(mul(y, pow2(k1)), pow2(k2));
  v = b.CreateSelect(b.CreateFCmpOGT(x, f(sm::kExpOver)), llvm::ConstantFP::getInfinity(b.getDoubleTy()), v);
  v = b.CreateSelect(b.CreateFCmpOLT(x, f(sm::kExpUnder)), f(0.0), v);
  return b.CreateSelect(isNan, x, v);
}

Value *SamplerEmitter::normalQuantile(Value *u) {
  Value *q = b.CreateFSub(u, f(0.5));
  Value *r = b.CreateFSub(f(0.180625), b.CreateFMul(q, q));
  Value *negative = b.CreateFCmpOLT(q, f(0.0));
  Value *p = b.CreateSelect(negative, u, b.CreateFSub(f(1.0), u));
  Value *s = b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, b.CreateFNeg(log(p)));
  Value *central = b.CreateFCmpOLE(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, q), f(0.425));
  Value *mid = b.CreateFCmpOLE(s, f(5.0));
  auto pick = [&](Value *a, Value *c, Value *e) { return b.CreateSelect(central, a, b.CreateSelect(mid, c, e)); };
  Value *x = pick(r, b.CreateFSub(s, f(1.6)), b.CreateFSub(s, f(5.0)));
  Value *num = pick(f(sm::kA[0]), f(sm::kC[0]), f(sm::kE[0]));
  Value *den = pick(f(sm::kB[0]), f(sm::kD[0]), f(sm::kF[0]));
  for (int i = 1; i < 8; ++i) {
    num = b.CreateFAdd(b.CreateFMul(num, x), pick(f(sm::kA[i]), f(sm::kC[i]), f(sm::kE[i])));
    den = b.CreateFAdd(b.CreateFMul(den, x), pick(f(sm::kB[i]), f(sm::kD[i]), f(sm::kF[i])));
  }
  num = b.CreateSelect(central, b.CreateFMul(q, num), num);
  Value *z = b.CreateFDiv(num, den);
  return b.CreateSelect(b.CreateAnd(b.CreateNot(central), negative), b.CreateFNeg(z), z);
}

Value *SamplerEmitter::triangularQuantile(Value *u, Value *lo, Value *mode, Value *hi) {
  Value *width = b.CreateFSub(hi, lo);
  Value *split = b.CreateFDiv(b.CreateFSub(mode, lo), width);
  Value *left = b.CreateFCmpOLT(u, split);
  Value *area = b.CreateSelect(left, b.CreateFMul(b.CreateFMul(u, width), b.CreateFSub(mode, lo)),
                               b.CreateFMul(b.CreateFMul(b.CreateFSub(f(1.0), u), width), b.CreateFSub(hi, mode)));
  Value *root = b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, area);
  return b.CreateSelect(left, b.CreateFAdd(lo, root), b.CreateFSub(hi, root));
}

Value *SamplerEmitter::betaTableQuantile(Value *table, Value *tLo, Value *invStep, Value *knots, Value *u) {
  llvm::Type *f64 = b.getDoubleTy();
  Value *t = log(b.CreateFDiv(u, b.CreateFSub(f(1.0), u)));
  Value *pos = b.CreateFMul(b.CreateFSub(t, tLo), invStep);
  pos = b.CreateSelect(b.CreateFCmpOLT(pos, f(0.0)), f(0.0), pos);
  pos = b.CreateSelect(b.CreateFCmpOGT(pos, knots), knots, pos);
  Value *j = b.CreateFPToSI(pos, b.getInt32Ty());
  Value *lastJ = b.CreateSub(b.CreateFPToSI(knots, b.getInt32Ty()), b.getInt32(1));
  j = b.CreateSelect(b.CreateICmpSGT(j, lastJ), lastJ, j);
  Value *fr = b.CreateFSub(pos, b.CreateSIToFP(j, f64));
  Value *f2 = b.CreateFMul(fr, fr), *f3 = b.CreateFMul(f2, fr);
  auto mul = [&](Value *a, Value *c) { return b.CreateFMul(a, c); };
  Value *h00 = b.CreateFAdd(b.CreateFSub(mul(f(2), f3), mul(f(3), f2)), f(1));
  Value *h10 = b.CreateFAdd(b.CreateFSub(f3, mul(f(2), f2)), fr);
  Value *h01 = b.CreateFAdd(mul(f(-2), f3), mul(f(3), f2));
  Value *h11 = b.CreateFSub(f3, f2);
  Value *at = b.CreateInBoundsGEP(f64, table, b.CreateShl(b.CreateSExt(j, b.getInt64Ty()), i64(1)));
  auto knot = [&](uint64_t k) {
    llvm::LoadInst *l = b.CreateLoad(f64, b.CreateInBoundsGEP(f64, at, i64(k)));
    if (tableTag)
      l->setMetadata(llvm::LLVMContext::MD_tbaa, tableTag);
    return l;
  };
  Value *x = b.CreateFAdd(b.CreateFAdd(b.CreateFAdd(mul(h00, knot(0)), mul(h10, knot(1))), mul(h01, knot(2))),
                          mul(h11, knot(3)));
  x = b.CreateSelect(b.CreateFCmpOLT(x, f(0.0)), f(0.0), x);
  return b.CreateSelect(b.CreateFCmpOGT(x, f(1.0)), f(1.0), x);
}

Value *SamplerEmitter::discreteQuantile(const std::vector<Value *> &values,
                                        const std::vector<Value *> &cumulative, Value *u) {
  Value *v = values.back();
  for (size_t k = values.size() - 1; k-- > 0;)
    v = b.CreateSelect(b.CreateFCmpOLE(u, cumulative[k]), values[k], v);
  return v;
}

} // namespace camp::backend
