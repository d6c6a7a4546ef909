// Lowers the evaluation IR to LLVM IR: the one-sample, batch and price functions, and metadata.
#include "CodeGen.h"

#include <functional>
#include <limits>
#include <map>
#include <mutex>

#include "camp/Engine.h"
#include "ir/Verify.h"

namespace camp::backend {

using llvm::BasicBlock;
using llvm::Value;

bool validateModule(const ir::Module &m, std::string &error) {
  if (!ir::verify(m, error))
    return false;
  const int32_t nodeCount = int32_t(m.nodes.size());
  // The code generator walks trees recursively: refuse nesting deep enough to exhaust the
  // stack (a price body counts at every call).
  std::vector<int32_t> depth(m.nodes.size(), 1);
  for (int32_t i = 0; i < nodeCount; ++i) {
    const ir::Node &n = m.nodes[size_t(i)];
    const int32_t kids[3] = {n.a, n.b, n.c};
    for (int k = 0; k < ir::opArity(n.op); ++k)
      depth[size_t(i)] = std::max(depth[size_t(i)], depth[size_t(kids[k])] + 1);
    int32_t body = n.op == ir::Op::CallPrice ? m.prices[size_t(n.index)].root : -1;
    if (body >= 0 && body < nodeCount)
      depth[size_t(i)] += depth[size_t(body)];
    if (depth[size_t(i)] > kMaxExpressionDepth) {
      error = "an expression of this model is nested more than " + std::to_string(kMaxExpressionDepth) +
              " levels deep, too deep to compile to native code; split it into several `let`s, "
              "or use --engine interp";
      return false;
    }
  }
  return true;
}

namespace {

/// Facts about each node, computed once: whether evaluating it can raise an error, and
/// whether it reads a price's argument (then its value differs from call to call).
struct NodeFacts {
  std::vector<uint8_t> canFail, usesArg;

  explicit NodeFacts(const ir::Module &m) : canFail(m.nodes.size()), usesArg(m.nodes.size()) {
    // Children precede parents, and price bodies never call prices, so one pass in index
    // order sees every operand first; a call's price body is looked up by its root.
    for (size_t i = 0; i < m.nodes.size(); ++i) {
      const ir::Node &n = m.nodes[i];
      bool fails = n.op == ir::Op::Div || n.op == ir::Op::CheckQuantity || (n.op == ir::Op::PowInt && n.index < 0);
      bool arg = n.op == ir::Op::Arg;
      const int32_t kids[3] = {n.a, n.b, n.c};
      for (int k = 0; k < ir::opArity(n.op); ++k) {
        fails = fails || canFail[size_t(kids[k])];
        arg = arg || usesArg[size_t(kids[k])];
      }
      canFail[i] = fails;
      usesArg[i] = arg;
    }
    for (size_t i = 0; i < m.nodes.size(); ++i) {
      const ir::Node &n = m.nodes[i];
      if (n.op == ir::Op::CallPrice && canFail[size_t(m.prices[size_t(n.index)].root)])
        propagateFailure(m, int32_t(i));
    }
  }

private:
  // A call whose price body can fail makes every node above it fallible too; parents have
  // larger indices, so one forward sweep from the call suffices.
  void propagateFailure(const ir::Module &m, int32_t call) {
    canFail[size_t(call)] = 1;
    for (size_t i = size_t(call) + 1; i < m.nodes.size(); ++i) {
      const ir::Node &n = m.nodes[i];
      const int32_t kids[3] = {n.a, n.b, n.c};
      for (int k = 0; k < ir::opArity(n.op); ++k)
        if (canFail[size_t(kids[k])])
          canFail[i] = 1;
    }
  }
};

/// TBAA tags: each output column gets its own type, so LLVM knows the stores of one sample
/// never overlap each other or the parameter loads, and vectorises without run-time checks.
class AliasTags {
public:
  AliasTags(llvm::LLVMContext &ctx, size_t slotCount) : md(ctx) {
    root = md.createTBAARoot("camp.columns");
    param = tag("param");
    fixed = tag("fixed");
    column = tag("column");
    error = tag("error");
    slots.resize(slotCount, nullptr);
  }
  llvm::MDNode *slot(size_t s) {
    if (!slots[s])
      slots[s] = tag("slot." + std::to_string(s));
    return slots[s];
  }
  llvm::MDNode *param, *fixed, *column, *error;

private:
  llvm::MDNode *tag(const std::string &name) {
    llvm::MDNode *type = md.createTBAAScalarTypeNode(name, root);
    return md.createTBAAStructTagNode(type, type, 0);
  }
  llvm::MDBuilder md;
  llvm::MDNode *root;
  std::vector<llvm::MDNode *> slots;
};

/// Emits the arithmetic of expression trees into the current block, with the interpreter's
/// error rules: an error is recorded only where the interpreter would evaluate the node
/// (`guard`), and only if no earlier error was recorded. Everything else is computed eagerly,
/// which is harmless (no side effects) and keeps the code branch-free, hence vectorisable.
class TreeEmitter {
public:
  using Reader = std::function<Value *(int32_t)>;

  TreeEmitter(const ir::Module &m, const NodeFacts &facts, llvm::IRBuilder<> &b, Reader param,
              Reader slot)
      : m(m), facts(facts), b(b), readParam(std::move(param)), readSlot(std::move(slot)),
        pure(m.nodes.size(), nullptr) {
    f64 = b.getDoubleTy();
  }

  int32_t currentSlot = -1;

  /// Forgets cached values (they would not dominate code in a new block of a switch).
  void resetCache() {
    std::fill(pure.begin(), pure.end(), nullptr);
    checks.clear();
  }

  /// The first error among `earlier` and every check emitted since the last call, in
  /// evaluation order. "First non-ok of two" is associative, so a balanced tree of selects
  /// gives the interpreter's first error with logarithmic, not linear, dependency depth.
  Value *firstError(Value *earlier) {
    std::vector<Value *> level;
    if (!isOk(earlier))
      level.push_back(earlier);
    level.insert(level.end(), checks.begin(), checks.end());
    checks.clear();
    if (level.empty())
      return b.getInt64(runtime::kOk);
    while (level.size() > 1) {
      std::vector<Value *> next;
      for (size_t i = 0; i + 1 < level.size(); i += 2) {
        Value *failed = b.CreateICmpNE(level[i], b.getInt64(runtime::kOk));
        next.push_back(b.CreateSelect(failed, level[i], level[i + 1]));
      }
      if (level.size() % 2)
        next.push_back(level.back());
      level.swap(next);
    }
    return level[0];
  }

  Value *emit(int32_t id, Value *guard, Value *arg) {
    const ir::Node &n = m.nodes[size_t(id)];
    bool cacheable = !facts.canFail[size_t(id)] && !facts.usesArg[size_t(id)];
    if (cacheable && pure[size_t(id)])
      return pure[size_t(id)];
    Value *v = emitNode(n, guard, arg);
    if (cacheable)
      pure[size_t(id)] = v;
    return v;
  }

  /// Records `code` when `cond` holds, the node is evaluated (guard) and nothing failed yet.
  void failWhen(Value *guard, Value *cond, const runtime::EvalError &e) {
    if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(cond); c && c->isZero())
      return;
    if (guard)
      cond = b.CreateAnd(guard, cond);
    checks.push_back(b.CreateSelect(cond, b.getInt64(runtime::encodeError(e)), b.getInt64(runtime::kOk)));
  }

  /// After slot `s`: a non-finite value is an error unless the slot may be undefined.
  void checkFinite(int32_t s, Value *v) {
    const ir::Slot &slot = m.slots[size_t(s)];
    if (slot.mayBeUndefined)
      return;
    Value *mag = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
    Value *bad = b.CreateFCmpUGE(mag, llvm::ConstantFP::getInfinity(f64));
    failWhen(nullptr, bad, {runtime::EvalErrorKind::NotFinite, slot.loc, s});
  }

private:
  Value *c(double x) { return llvm::ConstantFP::get(f64, x); }
  Value *boolean(Value *cond) { return b.CreateSelect(cond, c(1.0), c(0.0)); }
  Value *truth(Value *x) { return b.CreateFCmpUNE(x, c(0.0)); } // C++ `x != 0`, NaN is true
  Value *both(Value *guard, Value *cond) { return guard ? b.CreateAnd(guard, cond) : cond; }
  Value *unary(llvm::Intrinsic::ID id, const ir::Node &n, Value *guard, Value *arg) {
    return b.CreateUnaryIntrinsic(id, emit(n.a, guard, arg));
  }

  Value *emitNode(const ir::Node &n, Value *guard, Value *arg) {
    using ir::Op;
    switch (n.op) {
    case Op::Const:
      return c(n.num);
    case Op::Param:
      return readParam(n.index);
    case Op::Slot:
      return readSlot(n.index);
    case Op::Arg:
      return arg ? arg : c(0.0);
    case Op::Neg:
      return b.CreateFNeg(emit(n.a, guard, arg));
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Pow:
    case Op::Min:
    case Op::Max:
      return binary(n, guard, arg);
    case Op::PowInt:
      return powInt(n, emit(n.a, guard, arg), guard);
    case Op::Sqrt:
      return unary(llvm::Intrinsic::sqrt, n, guard, arg);
    case Op::Exp:
      return unary(llvm::Intrinsic::exp, n, guard, arg);
    case Op::Ln:
      return unary(llvm::Intrinsic::log, n, guard, arg);
    case Op::Sin:
      return unary(llvm::Intrinsic::sin, n, guard, arg);
    case Op::Cos:
      return unary(llvm::Intrinsic::cos, n, guard, arg);
    case Op::Abs:
      return unary(llvm::Intrinsic::fabs, n, guard, arg);
    case Op::Ceil:
      return unary(llvm::Intrinsic::ceil, n, guard, arg);
    case Op::Floor:
      return unary(llvm::Intrinsic::floor, n, guard, arg);
    case Op::Round:
      return unary(llvm::Intrinsic::round, n, guard, arg);
    case Op::Snap: {
      // r = round(a); |a - r| <= 1e-9 * |a| ? r : a — the interpreter's exact operations.
      Value *a = emit(n.a, guard, arg);
      Value *r = b.CreateUnaryIntrinsic(llvm::Intrinsic::round, a);
      Value *gap = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, b.CreateFSub(a, r));
      Value *tol = b.CreateFMul(c(1e-9), b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a));
      return b.CreateSelect(b.CreateFCmpOLE(gap, tol), r, a);
    }
    case Op::CheckQuantity: {
      Value *a = emit(n.a, guard, arg);
      failWhen(guard, b.CreateFCmpOLT(a, c(0.0)), {runtime::EvalErrorKind::NegativeQuantity, n.loc, currentSlot});
      return a;
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::Eq:
    case Op::Ne:
      return compare(n, guard, arg);
    case Op::And:
    case Op::Or: {
      Value *ca = truth(emit(n.a, guard, arg));
      Value *evalB = n.op == Op::And ? ca : b.CreateNot(ca);
      Value *cb = truth(emit(n.b, both(guard, evalB), arg));
      return boolean(n.op == Op::And ? b.CreateAnd(ca, cb) : b.CreateOr(ca, cb));
    }
    case Op::Not:
      return boolean(b.CreateFCmpOEQ(emit(n.a, guard, arg), c(0.0)));
    case Op::Select: {
      Value *ca = truth(emit(n.a, guard, arg));
      Value *vb = emit(n.b, both(guard, ca), arg);
      Value *vc = emit(n.c, both(guard, b.CreateNot(ca)), arg);
      return b.CreateSelect(ca, vb, vc);
    }
    case Op::CallPrice: {
      Value *q = emit(n.a, guard, arg);
      return emit(m.prices[size_t(n.index)].root, guard, q);
    }
    }
    return c(0.0);
  }

  Value *binary(const ir::Node &n, Value *guard, Value *arg) {
    using ir::Op;
    Value *va = emit(n.a, guard, arg);
    Value *vb = emit(n.b, guard, arg);
    switch (n.op) {
    case Op::Add:
      return b.CreateFAdd(va, vb);
    case Op::Sub:
      return b.CreateFSub(va, vb);
    case Op::Mul:
      return b.CreateFMul(va, vb);
    case Op::Div:
      // A division the front end gave no place (loc < 0) is not checked, as in the
      // interpreter: its infinity is then caught as a non-finite value, if at all.
      if (n.loc >= 0)
        failWhen(guard, b.CreateFCmpOEQ(vb, c(0.0)),
                 {runtime::EvalErrorKind::DivisionByZero, n.loc, currentSlot});
      return b.CreateFDiv(va, vb);
    case Op::Pow:
      return b.CreateBinaryIntrinsic(llvm::Intrinsic::pow, va, vb);
    case Op::Min:
      return b.CreateSelect(b.CreateFCmpOLT(va, vb), va, vb);
    case Op::Max:
      return b.CreateSelect(b.CreateFCmpOGT(va, vb), va, vb);
    default:
      return c(0.0);
    }
  }

  Value *compare(const ir::Node &n, Value *guard, Value *arg) {
    using ir::Op;
    Value *va = emit(n.a, guard, arg);
    Value *vb = emit(n.b, guard, arg);
    switch (n.op) {
    case Op::Lt:
      return boolean(b.CreateFCmpOLT(va, vb));
    case Op::Le:
      return boolean(b.CreateFCmpOLE(va, vb));
    case Op::Gt:
      return boolean(b.CreateFCmpOGT(va, vb));
    case Op::Ge:
      return boolean(b.CreateFCmpOGE(va, vb));
    case Op::Eq:
      return boolean(b.CreateFCmpOEQ(va, vb));
    default:
      return boolean(b.CreateFCmpUNE(va, vb));
    }
  }

  /// r = 1; |n| times r = r * a; for n < 0, r = 1 / r — the interpreter's exact sequence of
  /// roundings (repeated squaring would round differently). Short powers are unrolled so the
  /// batch loop stays one straight block.
  Value *powInt(const ir::Node &n, Value *a, Value *guard) {
    int64_t count = n.index < 0 ? -int64_t(n.index) : int64_t(n.index);
    Value *r = c(1.0);
    if (count <= 64) {
      for (int64_t k = 0; k < count; ++k)
        r = b.CreateFMul(r, a);
    } else {
      r = powLoop(a, count);
    }
    if (n.index >= 0)
      return r;
    failWhen(guard, b.CreateFCmpOEQ(r, c(0.0)),
             {runtime::EvalErrorKind::DivisionByZero, n.loc, currentSlot});
    return b.CreateFDiv(c(1.0), r);
  }

  Value *powLoop(Value *a, int64_t count) {
    BasicBlock *pre = b.GetInsertBlock();
    llvm::Function *fn = pre->getParent();
    llvm::LLVMContext &ctx = fn->getContext();
    BasicBlock *loop = BasicBlock::Create(ctx, "powi", fn);
    BasicBlock *done = BasicBlock::Create(ctx, "powi.done", fn);
    b.CreateBr(loop);
    b.SetInsertPoint(loop);
    llvm::PHINode *i = b.CreatePHI(b.getInt64Ty(), 2);
    llvm::PHINode *r = b.CreatePHI(f64, 2);
    i->addIncoming(b.getInt64(0), pre);
    r->addIncoming(c(1.0), pre);
    Value *r2 = b.CreateFMul(r, a);
    Value *i2 = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(i2, loop);
    r->addIncoming(r2, loop);
    b.CreateCondBr(b.CreateICmpEQ(i2, b.getInt64(count)), done, loop);
    b.SetInsertPoint(done);
    return r2;
  }

  static bool isOk(Value *code) {
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(code);
    return c && c->getSExtValue() == runtime::kOk;
  }

  const ir::Module &m;
  const NodeFacts &facts;
  llvm::IRBuilder<> &b;
  Reader readParam, readSlot;
  std::vector<Value *> pure;
  std::vector<Value *> checks; // i64 per check: its error code if it fails here, else kOk
  llvm::Type *f64;
};

class Lowering {
public:
  Lowering(const ir::Module &m, llvm::Module &mod, const CodeGenOptions &options)
      : m(m), mod(mod), ctx(mod.getContext()), options(options), facts(m),
        tags(ctx, m.slots.size()), b(ctx) {
    f64 = b.getDoubleTy();
    i64 = b.getInt64Ty();
    i32 = b.getInt32Ty();
    ptr = b.getPtrTy();
  }

  void run() {
    if (options.sampled) {
      emitSampledBatch(*options.sampled);
      return;
    }
    if (options.withEval || options.withBatch)
      emitEval();
    if (options.withBatch)
      emitBatch();
    if (options.withPrice)
      emitPrice();
    if (options.withModelInfo)
      emitModelInfo();
  }

private:
  llvm::Function *declare(const std::string &name, llvm::Type *result,
                          llvm::ArrayRef<llvm::Type *> args) {
    auto *type = llvm::FunctionType::get(result, args, false);
    auto *fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                      options.prefix + name, mod);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn->addFnAttr(llvm::Attribute::NoFree);
    fn->addFnAttr(llvm::Attribute::NoSync);
    return fn;
  }

  llvm::LoadInst *load(llvm::Type *type, Value *base, Value *index, llvm::MDNode *tag) {
    Value *at = b.CreateInBoundsGEP(type, base, index);
    llvm::LoadInst *l = b.CreateLoad(type, at);
    l->setMetadata(llvm::LLVMContext::MD_tbaa, tag);
    return l;
  }
  void store(Value *v, Value *base, Value *index, llvm::MDNode *tag) {
    Value *at = b.CreateInBoundsGEP(v->getType(), base, index);
    b.CreateStore(v, at)->setMetadata(llvm::LLVMContext::MD_tbaa, tag);
  }

  /// Emits slots [first, last) in order with `te`, handing each value to `keep`.
  void emitSlots(TreeEmitter &te, std::vector<Value *> &slotValues, size_t first, size_t last,
                 const std::function<void(size_t, Value *)> &keep) {
    for (size_t s = first; s < last; ++s) {
      te.currentSlot = int32_t(s);
      Value *v = te.emit(m.slots[s].root, nullptr, nullptr);
      te.checkFinite(int32_t(s), v);
      slotValues[s] = v;
      keep(s, v);
    }
  }

  /// A reader of params from a `const double *` argument, loading each once per function.
  TreeEmitter::Reader paramReader(Value *params, std::vector<Value *> &cache) {
    cache.assign(m.params.size(), nullptr);
    return [this, params, &cache](int32_t p) {
      if (!cache[size_t(p)])
        cache[size_t(p)] = load(f64, params, b.getInt64(uint64_t(p)), tags.param);
      return cache[size_t(p)];
    };
  }

  // i64 eval(const double *params, double *slots)
  // A large model is cut into parts of kSlotsPerPart slots, each its own function reading
  // earlier parts' results back from `slots`: LLVM's code generation is superlinear in the
  // size of a basic block, and this keeps compile time linear in the model's size.
  void emitEval() {
    llvm::Function *fn = declare("eval", i64, {ptr, ptr});
    fn->addParamAttr(0, llvm::Attribute::NoAlias);
    fn->addParamAttr(1, llvm::Attribute::NoAlias);
    if (!options.withEval)
      return; // a declaration: the batch module calls the eval module's definition
    size_t ns = m.slots.size();
    size_t parts = std::max<size_t>(1, (ns + kSlotsPerPart - 1) / kSlotsPerPart);
    if (parts == 1) {
      b.SetInsertPoint(BasicBlock::Create(ctx, "entry", fn));
      b.CreateRet(emitEvalPart(fn->getArg(0), fn->getArg(1), b.getInt64(runtime::kOk), 0, ns));
      return;
    }
    std::vector<llvm::Function *> partFns;
    for (size_t k = 0; k < parts; ++k) {
      auto *type = llvm::FunctionType::get(i64, {ptr, ptr, i64}, false);
      auto *part = llvm::Function::Create(type, llvm::Function::InternalLinkage,
                                          options.prefix + "eval.part" + std::to_string(k), mod);
      part->addFnAttr(llvm::Attribute::NoInline);
      part->addFnAttr(llvm::Attribute::NoUnwind);
      b.SetInsertPoint(BasicBlock::Create(ctx, "entry", part));
      size_t first = k * kSlotsPerPart, last = std::min(ns, first + kSlotsPerPart);
      b.CreateRet(emitEvalPart(part->getArg(0), part->getArg(1), part->getArg(2), first, last));
      partFns.push_back(part);
    }
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", fn));
    Value *err = b.getInt64(runtime::kOk);
    for (llvm::Function *part : partFns)
      err = b.CreateCall(part, {fn->getArg(0), fn->getArg(1), err});
    b.CreateRet(err);
  }

  Value *emitEvalPart(Value *params, Value *slots, Value *err, size_t first, size_t last) {
    std::vector<Value *> paramValues, slotValues(m.slots.size(), nullptr);
    TreeEmitter te(m, facts, b, paramReader(params, paramValues), [&](int32_t s) {
      Value *&v = slotValues[size_t(s)];
      if (!v) // computed by an earlier part: read it back
        v = load(f64, slots, b.getInt64(uint64_t(s)), tags.slot(size_t(s)));
      return v;
    });
    emitSlots(te, slotValues, first, last,
              [&](size_t s, Value *v) { store(v, slots, b.getInt64(s), tags.slot(s)); });
    return te.firstError(err);
  }

  // void eval_batch(size_t n, const double *const *params, const double *fixed,
  //                 double *const *slots, int64_t *errors)
  void emitBatch() {
    llvm::Function *fn = declare("eval_batch", b.getVoidTy(), {i64, ptr, ptr, ptr, ptr});
    if (options.vectoriseBatch)
      emitVectorisedBatch(fn);
    else
      emitSampleLoopBatch(fn);
  }

  /// Emits `for (i = 0; i < count; ++i) body(i)` at the insertion point; continues after it.
  void loop(Value *count, const std::string &name, const std::function<void(Value *)> &body) {
    llvm::Function *fn = b.GetInsertBlock()->getParent();
    BasicBlock *pre = b.GetInsertBlock();
    BasicBlock *head = BasicBlock::Create(ctx, name, fn);
    BasicBlock *done = BasicBlock::Create(ctx, name + ".done", fn);
    b.CreateCondBr(b.CreateICmpEQ(count, b.getInt64(0)), done, head);
    b.SetInsertPoint(head);
    llvm::PHINode *i = b.CreatePHI(i64, 2, name + ".i");
    i->addIncoming(b.getInt64(0), pre);
    body(i);
    Value *next = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(next, b.GetInsertBlock());
    b.CreateCondBr(b.CreateICmpULT(next, count), head, done);
    b.SetInsertPoint(done);
  }

  /// Samples per block for the vectorised kernel: fixed params get a scratch column of that
  /// length on the stack, kept under 256 KiB.
  uint64_t blockLength() const {
    uint64_t len = kBatchBlock;
    while (len > 8 && len * 8 * (m.params.size() + 2) > (256u << 10))
      len /= 2;
    return len;
  }

  // Blocks of samples; in each block every param and output has a unit-stride column (a fixed
  // param reads a scratch column filled with its value once, an output nobody asked for goes
  // to a scratch column), so the per-sample loop is one straight block LLVM vectorises.
  void emitVectorisedBatch(llvm::Function *fn) {
    Value *n = fn->getArg(0), *paramCols = fn->getArg(1), *fixed = fn->getArg(2);
    Value *slotCols = fn->getArg(3), *errors = fn->getArg(4);
    const uint64_t blockLen = blockLength();
    size_t np = m.params.size(), ns = m.slots.size();
    BasicBlock *entry = BasicBlock::Create(ctx, "entry", fn);
    b.SetInsertPoint(entry);
    Value *scratchIn = b.CreateAlloca(f64, b.getInt64(std::max<uint64_t>(1, np) * blockLen), "scratch.in");
    Value *scratchOut = b.CreateAlloca(f64, b.getInt64(blockLen), "scratch.out");
    Value *scratchErr = b.CreateAlloca(i64, b.getInt64(blockLen), "scratch.err");
    Value *nullPtr = llvm::ConstantPointerNull::get(llvm::PointerType::get(ctx, 0));
    // Fixed params: fill their scratch columns once (a run-time loop: the code stays small).
    loop(b.getInt64(np), "fill", [&](Value *p) {
      Value *col = load(ptr, paramCols, p, tags.column);
      Value *value = load(f64, fixed, p, tags.fixed);
      Value *column = b.CreateInBoundsGEP(f64, scratchIn, b.CreateMul(p, b.getInt64(blockLen)));
      loop(b.CreateSelect(b.CreateICmpEQ(col, nullPtr), b.getInt64(blockLen), b.getInt64(0)), "fill.column",
           [&](Value *j) { store(value, column, j, tags.param); });
    });
    std::vector<Value *> inCol(np), isFixed(np), outCol(ns), outMissing(ns);
    for (size_t p = 0; p < np; ++p) {
      inCol[p] = load(ptr, paramCols, b.getInt64(p), tags.column);
      isFixed[p] = b.CreateICmpEQ(inCol[p], nullPtr);
    }
    for (size_t s = 0; s < ns; ++s) {
      outCol[s] = load(ptr, slotCols, b.getInt64(s), tags.column);
      outMissing[s] = b.CreateICmpEQ(outCol[s], nullPtr);
    }
    Value *errMissing = b.CreateICmpEQ(errors, nullPtr);
    BasicBlock *beforeBlocks = b.GetInsertBlock();
    BasicBlock *outerHead = BasicBlock::Create(ctx, "block", fn);
    BasicBlock *outerBody = BasicBlock::Create(ctx, "block.setup", fn);
    BasicBlock *inner = BasicBlock::Create(ctx, "sample", fn);
    BasicBlock *exit = BasicBlock::Create(ctx, "exit", fn);
    b.CreateBr(outerHead);

    b.SetInsertPoint(outerHead);
    llvm::PHINode *start = b.CreatePHI(i64, 2, "start");
    start->addIncoming(b.getInt64(0), beforeBlocks);
    b.CreateCondBr(b.CreateICmpULT(start, n), outerBody, exit);

    b.SetInsertPoint(outerBody);
    Value *left = b.CreateSub(n, start);
    Value *len = b.CreateSelect(b.CreateICmpULT(left, b.getInt64(blockLen)), left, b.getInt64(blockLen), "len");
    std::vector<Value *> inPtr(np), outPtr(ns);
    for (size_t p = 0; p < np; ++p)
      inPtr[p] = b.CreateSelect(isFixed[p], b.CreateInBoundsGEP(f64, scratchIn, b.getInt64(p * blockLen)),
                                b.CreateInBoundsGEP(f64, inCol[p], start));
    for (size_t s = 0; s < ns; ++s)
      outPtr[s] = b.CreateSelect(outMissing[s], scratchOut, b.CreateInBoundsGEP(f64, outCol[s], start));
    Value *errPtr = b.CreateSelect(errMissing, scratchErr, b.CreateInBoundsGEP(i64, errors, start));
    b.CreateBr(inner);

    b.SetInsertPoint(inner);
    llvm::PHINode *j = b.CreatePHI(i64, 2, "j");
    j->addIncoming(b.getInt64(0), outerBody);
    std::vector<Value *> paramValues(np, nullptr), slotValues(ns);
    TreeEmitter te(
        m, facts, b,
        [&](int32_t p) {
          Value *&v = paramValues[size_t(p)];
          if (!v)
            v = load(f64, inPtr[size_t(p)], j, tags.param);
          return v;
        },
        [&](int32_t s) { return slotValues[size_t(s)]; });
    emitSlots(te, slotValues, 0, ns, [&](size_t s, Value *v) { store(v, outPtr[s], j, tags.slot(s)); });
    store(te.firstError(b.getInt64(runtime::kOk)), errPtr, j, tags.error);
    Value *next = b.CreateAdd(j, b.getInt64(1));
    j->addIncoming(next, b.GetInsertBlock());
    BasicBlock *latch = BasicBlock::Create(ctx, "block.next", fn, exit);
    b.CreateCondBr(b.CreateICmpULT(next, len), inner, latch);

    b.SetInsertPoint(latch);
    start->addIncoming(b.CreateAdd(start, b.getInt64(blockLen)), latch);
    b.CreateBr(outerHead);

    b.SetInsertPoint(exit);
    b.CreateRetVoid();
  }

  // The fused kernel: each sample's params are drawn inside the per-sample loop (Philox,
  // Latin hypercube stratum, inverse CDF: EmitSamplers.cpp), then the model runs on them, so
  // the loop vectorises as one straight block. Loop-invariant values (constants, round keys,
  // the block's stratum keys) are computed once in the entry block.
  void emitSampledBatch(const SampledLayout &layout) {
    llvm::Function *fn = declare("eval_sampled", b.getVoidTy(),
                                 {i64, i64, i64, i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr});
    // The host's widest vectors: the draws are long integer chains that gain from every lane.
    fn->addFnAttr("prefer-vector-width", "512");
    Value *n = fn->getArg(0), *first = fn->getArg(1), *seed = fn->getArg(2), *stream = fn->getArg(3);
    Value *keys = fn->getArg(4), *consts = fn->getArg(5), *tables = fn->getArg(6);
    Value *uniforms = fn->getArg(7), *fixed = fn->getArg(8), *paramsOut = fn->getArg(9);
    Value *slotCols = fn->getArg(10), *errors = fn->getArg(11);
    const uint64_t blockLen = kBatchBlock;
    size_t np = m.params.size(), ns = m.slots.size();
    SamplerEmitter se(b, tags.fixed);
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", fn));
    Value *nullPtr = llvm::ConstantPointerNull::get(llvm::PointerType::get(ctx, 0));
    auto constant = [&](size_t at) { return load(f64, consts, b.getInt64(at), tags.fixed); };
    // 32-bit words travel in i64 lanes (EmitSamplers.cpp).
    auto rk = se.roundKeys(b.CreateAnd(seed, b.getInt64(0xffffffffu)), b.CreateLShr(seed, b.getInt64(32)));
    Value *stream64 = b.CreateZExt(stream, i64);
    Value *block = b.CreateLShr(first, b.getInt64(10));
    // Per param: what the loop needs, loaded or computed once.
    struct Drawn {
      Value *fixed = nullptr, *key = nullptr, *table = nullptr, *uniformCol = nullptr, *outCol = nullptr;
      std::vector<Value *> c, values, cumulative;
      SamplerEmitter::Words latinKeys{};
    };
    std::vector<Drawn> drawn(np);
    for (size_t p = 0; p < np; ++p) {
      const SampledParamLayout &pl = layout.params[p];
      Drawn &d = drawn[p];
      if (pl.kind == runtime::DrawKind::Fixed) {
        d.fixed = load(f64, fixed, b.getInt64(p), tags.fixed);
        continue;
      }
      size_t extra = pl.kind == runtime::DrawKind::BetaTable ? 3 : 0;
      for (size_t k = 0; k < 3 + extra; ++k)
        d.c.push_back(constant(pl.constOffset + k));
      for (int32_t k = 0; k < pl.discreteCount; ++k) {
        d.values.push_back(constant(pl.constOffset + 3 + size_t(k)));
        d.cumulative.push_back(constant(pl.constOffset + 3 + size_t(pl.discreteCount + k)));
      }
      if (pl.kind == runtime::DrawKind::BetaTable)
        d.table = load(ptr, tables, b.getInt64(p), tags.column);
      if (layout.storeParams)
        d.outCol = load(ptr, paramsOut, b.getInt64(p), tags.column);
      if (pl.hostUniform) {
        d.uniformCol = load(ptr, uniforms, b.getInt64(p), tags.column);
        continue;
      }
      d.key = b.CreateZExt(b.CreateLoad(i32, b.CreateInBoundsGEP(i32, keys, b.getInt64(p))), i64);
      if (layout.latin)
        d.latinKeys = se.latinKeys(block, d.key, stream64, rk);
    }
    // Only the slots the caller reads have a column (SampledLayout::storeSlots); the others
    // are not stored, and what no store and no error rule needs is dead code.
    std::vector<Value *> outCol(ns, nullptr);
    for (size_t s = 0; s < ns; ++s)
      if (layout.storeSlots[s])
        outCol[s] = load(ptr, slotCols, b.getInt64(s), tags.column);
    Value *scratchParam = layout.storeParams ? b.CreateAlloca(f64, b.getInt64(blockLen), "scratch.param") : nullptr;
    BasicBlock *beforeBlocks = b.GetInsertBlock();
    BasicBlock *outerHead = BasicBlock::Create(ctx, "block", fn);
    BasicBlock *outerBody = BasicBlock::Create(ctx, "block.setup", fn);
    BasicBlock *inner = BasicBlock::Create(ctx, "sample", fn);
    BasicBlock *exit = BasicBlock::Create(ctx, "exit", fn);
    b.CreateBr(outerHead);

    b.SetInsertPoint(outerHead);
    llvm::PHINode *start = b.CreatePHI(i64, 2, "start");
    start->addIncoming(b.getInt64(0), beforeBlocks);
    b.CreateCondBr(b.CreateICmpULT(start, n), outerBody, exit);

    b.SetInsertPoint(outerBody);
    Value *left = b.CreateSub(n, start);
    Value *len = b.CreateSelect(b.CreateICmpULT(left, b.getInt64(blockLen)), left, b.getInt64(blockLen), "len");
    std::vector<Value *> outPtr(ns, nullptr), uniformPtr(np, nullptr), paramPtr(np, nullptr);
    for (size_t s = 0; s < ns; ++s)
      if (outCol[s])
        outPtr[s] = b.CreateInBoundsGEP(f64, outCol[s], start);
    for (size_t p = 0; p < np; ++p) {
      if (drawn[p].uniformCol)
        uniformPtr[p] = b.CreateInBoundsGEP(f64, drawn[p].uniformCol, start);
      if (drawn[p].outCol)
        paramPtr[p] = b.CreateSelect(b.CreateICmpEQ(drawn[p].outCol, nullPtr), scratchParam,
                                     b.CreateInBoundsGEP(f64, drawn[p].outCol, start));
    }
    Value *errPtr = b.CreateInBoundsGEP(i64, errors, start);
    Value *sampleBase = b.CreateAdd(first, start);
    b.CreateBr(inner);

    b.SetInsertPoint(inner);
    llvm::PHINode *j = b.CreatePHI(i64, 2, "j");
    j->addIncoming(b.getInt64(0), outerBody);
    Value *sample = b.CreateAdd(sampleBase, j);
    Value *sampleLo = b.CreateAnd(sample, b.getInt64(0xffffffffu)), *sampleHi = b.CreateLShr(sample, b.getInt64(32));
    std::vector<Value *> paramValues(np, nullptr), slotValues(ns);
    for (size_t p = 0; p < np; ++p) {
      const SampledParamLayout &pl = layout.params[p];
      Drawn &d = drawn[p];
      if (d.fixed) {
        paramValues[p] = d.fixed;
        continue;
      }
      Value *u;
      if (d.uniformCol) {
        u = load(f64, uniformPtr[p], j, tags.fixed);
      } else {
        Value *bits = se.bits53(se.philox({sampleLo, sampleHi, d.key, stream64}, rk));
        u = layout.latin ? se.latinUniform(se.latinStratum(b.CreateAnd(sample, b.getInt64(1023)), d.latinKeys), bits)
                         : se.uniformOpen01(bits);
      }
      paramValues[p] = drawValue(se, pl.kind, d.c, d.table, d.values, d.cumulative, u);
      if (paramPtr[p])
        store(paramValues[p], paramPtr[p], j, tags.param);
    }
    TreeEmitter te(
        m, facts, b, [&](int32_t p) { return paramValues[size_t(p)]; },
        [&](int32_t s) { return slotValues[size_t(s)]; });
    emitSlots(te, slotValues, 0, ns, [&](size_t s, Value *v) {
      if (outPtr[s])
        store(v, outPtr[s], j, tags.slot(s));
    });
    store(te.firstError(b.getInt64(runtime::kOk)), errPtr, j, tags.error);
    Value *next = b.CreateAdd(j, b.getInt64(1));
    j->addIncoming(next, b.GetInsertBlock());
    BasicBlock *latch = BasicBlock::Create(ctx, "block.next", fn, exit);
    llvm::BranchInst *back = b.CreateCondBr(b.CreateICmpULT(next, len), inner, latch);
    back->setMetadata(llvm::LLVMContext::MD_loop, sampledLoopHints());

    b.SetInsertPoint(latch);
    start->addIncoming(b.CreateAdd(start, b.getInt64(blockLen)), latch);
    b.CreateBr(outerHead);

    b.SetInsertPoint(exit);
    b.CreateRetVoid();
  }

  /// The fused loop's body is long: one copy of it, vectorised with masked lanes for the last
  /// partial vector, instead of an interleaved body plus a scalar remainder loop, which would
  /// triple the code LLVM must compile for little gain.
  llvm::MDNode *sampledLoopHints() {
    auto hint = [&](const char *name, llvm::Constant *value) {
      return llvm::MDNode::get(ctx, {llvm::MDString::get(ctx, name), llvm::ConstantAsMetadata::get(value)});
    };
    llvm::Metadata *ops[] = {nullptr, hint("llvm.loop.vectorize.enable", b.getTrue()),
                             hint("llvm.loop.vectorize.predicate.enable", b.getTrue()),
                             hint("llvm.loop.interleave.count", b.getInt32(1))};
    llvm::MDNode *id = llvm::MDNode::getDistinct(ctx, ops);
    id->replaceOperandWith(0, id);
    return id;
  }

  /// A param's value from its uniform u, as Sampler::quantile computes it.
  Value *drawValue(SamplerEmitter &se, runtime::DrawKind kind, const std::vector<Value *> &c, Value *table,
                   const std::vector<Value *> &values, const std::vector<Value *> &cumulative, Value *u) {
    switch (kind) {
    case runtime::DrawKind::Uniform:
      return b.CreateFAdd(c[0], b.CreateFMul(u, b.CreateFSub(c[1], c[0])));
    case runtime::DrawKind::Triangular:
      return se.triangularQuantile(u, c[0], c[1], c[2]);
    case runtime::DrawKind::Normal:
      return b.CreateFAdd(c[0], b.CreateFMul(c[1], se.normalQuantile(u)));
    case runtime::DrawKind::Lognormal:
      return se.exp(b.CreateFAdd(c[0], b.CreateFMul(c[1], se.normalQuantile(u))));
    case runtime::DrawKind::BetaTable:
      return b.CreateFAdd(c[0], b.CreateFMul(b.CreateFSub(c[1], c[0]),
                                             se.betaTableQuantile(table, c[3], c[4], c[5], u)));
    case runtime::DrawKind::Discrete:
      return se.discreteQuantile(values, cumulative, u);
    case runtime::DrawKind::Fixed:
      break;
    }
    return c.empty() ? llvm::ConstantFP::get(f64, 0.0) : c[0];
  }

  // For large models: one sample at a time through eval (itself cut into parts), with the
  // params gathered into and the outputs scattered from stack buffers by small loops.
  void emitSampleLoopBatch(llvm::Function *fn) {
    Value *n = fn->getArg(0), *paramCols = fn->getArg(1), *fixed = fn->getArg(2);
    Value *slotCols = fn->getArg(3), *errors = fn->getArg(4);
    size_t np = m.params.size(), ns = m.slots.size();
    b.SetInsertPoint(BasicBlock::Create(ctx, "entry", fn));
    Value *pbuf = b.CreateAlloca(f64, b.getInt64(std::max<size_t>(1, np)), "params");
    Value *sbuf = b.CreateAlloca(f64, b.getInt64(std::max<size_t>(1, ns)), "slots");
    Value *nullPtr = llvm::ConstantPointerNull::get(llvm::PointerType::get(ctx, 0));
    llvm::Function *eval = mod.getFunction(options.prefix + "eval");
    loop(n, "sample", [&](Value *i) {
      loop(b.getInt64(np), "gather", [&](Value *p) {
        Value *col = load(ptr, paramCols, p, tags.column);
        Value *at = b.CreateSelect(b.CreateICmpEQ(col, nullPtr), b.CreateInBoundsGEP(f64, fixed, p),
                                   b.CreateInBoundsGEP(f64, col, i));
        b.CreateStore(b.CreateLoad(f64, at), b.CreateInBoundsGEP(f64, pbuf, p));
      });
      Value *code = b.CreateCall(eval, {pbuf, sbuf});
      loop(b.getInt64(ns), "scatter", [&](Value *s) {
        Value *col = load(ptr, slotCols, s, tags.column);
        BasicBlock *storeIt = BasicBlock::Create(ctx, "scatter.store", fn);
        BasicBlock *next = BasicBlock::Create(ctx, "scatter.next", fn);
        b.CreateCondBr(b.CreateICmpEQ(col, nullPtr), next, storeIt);
        b.SetInsertPoint(storeIt);
        b.CreateStore(b.CreateLoad(f64, b.CreateInBoundsGEP(f64, sbuf, s)), b.CreateInBoundsGEP(f64, col, i));
        b.CreateBr(next);
        b.SetInsertPoint(next);
      });
      BasicBlock *storeErr = BasicBlock::Create(ctx, "error.store", fn);
      BasicBlock *done = BasicBlock::Create(ctx, "error.done", fn);
      b.CreateCondBr(b.CreateICmpEQ(errors, nullPtr), done, storeErr);
      b.SetInsertPoint(storeErr);
      b.CreateStore(code, b.CreateInBoundsGEP(i64, errors, i));
      b.CreateBr(done);
      b.SetInsertPoint(done);
    });
    b.CreateRetVoid();
  }

  // double price(i32 price, double quantity, const double *params, const double *slots)
  void emitPrice() {
    llvm::Function *fn = declare("price", f64, {i32, f64, ptr, ptr});
    Value *which = fn->getArg(0), *q = fn->getArg(1), *params = fn->getArg(2);
    Value *slots = fn->getArg(3);
    BasicBlock *entry = BasicBlock::Create(ctx, "entry", fn);
    BasicBlock *unknown = BasicBlock::Create(ctx, "unknown", fn);
    b.SetInsertPoint(unknown);
    b.CreateRet(llvm::ConstantFP::getNaN(f64));
    b.SetInsertPoint(entry);
    // Cases 0..n-1 are the prices, n..2n-1 their gross forms (Engine::evalGrossPrice).
    llvm::SwitchInst *sw = b.CreateSwitch(which, unknown, unsigned(2 * m.prices.size()));
    std::vector<Value *> paramValues(m.params.size()), slotValues(m.slots.size());
    TreeEmitter te(
        m, facts, b,
        [&](int32_t p) {
          if (!paramValues[size_t(p)])
            paramValues[size_t(p)] = load(f64, params, b.getInt64(uint64_t(p)), tags.param);
          return paramValues[size_t(p)];
        },
        [&](int32_t s) {
          if (!slotValues[size_t(s)])
            slotValues[size_t(s)] = load(f64, slots, b.getInt64(uint64_t(s)), tags.slot(size_t(s)));
          return slotValues[size_t(s)];
        });
    for (size_t k = 0; k < 2 * m.prices.size(); ++k) {
      const ir::Price &price = m.prices[k % m.prices.size()];
      int32_t root = k < m.prices.size() || price.grossRoot < 0 ? price.root : price.grossRoot;
      BasicBlock *body = BasicBlock::Create(ctx, "price." + std::to_string(k), fn);
      sw->addCase(b.getInt32(uint32_t(k)), body);
      b.SetInsertPoint(body);
      std::fill(paramValues.begin(), paramValues.end(), nullptr);
      std::fill(slotValues.begin(), slotValues.end(), nullptr);
      te.resetCache();
      Value *v = te.emit(root, nullptr, q);
      // A price whose evaluation fails is NaN, as the interpreter answers.
      Value *failed = b.CreateICmpNE(te.firstError(b.getInt64(runtime::kOk)), b.getInt64(runtime::kOk));
      b.CreateRet(b.CreateSelect(failed, llvm::ConstantFP::getNaN(f64), v));
    }
  }

  // ---- camp_model (camp.h) for ahead-of-time objects ----

  llvm::Constant *str(const std::string &s) {
    auto it = strings.find(s);
    if (it != strings.end())
      return it->second;
    llvm::Constant *g = b.CreateGlobalStringPtr(s, ".str", 0, &mod);
    strings.emplace(s, g);
    return g;
  }

  llvm::Constant *array(llvm::Type *elem, const std::vector<llvm::Constant *> &items,
                        const std::string &name) {
    if (items.empty())
      return llvm::ConstantPointerNull::get(llvm::PointerType::get(ctx, 0));
    auto *type = llvm::ArrayType::get(elem, items.size());
    return new llvm::GlobalVariable(mod, type, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(type, items),
                                    options.prefix + name);
  }

  static const char *kindName(ir::SlotKind k) {
    switch (k) {
    case ir::SlotKind::Let: return "let";
    case ir::SlotKind::Fee: return "fee";
    case ir::SlotKind::CostLine: return "cost_line";
    case ir::SlotKind::RevenueLine: return "revenue_line";
    case ir::SlotKind::StageOutput: return "stage_output";
    case ir::SlotKind::StageCost: return "stage_cost";
    case ir::SlotKind::PipelineCategory: return "pipeline_category";
    case ir::SlotKind::PipelineCost: return "pipeline_cost";
    case ir::SlotKind::PipelineRevenue: return "pipeline_revenue";
    case ir::SlotKind::PipelineProfit: return "pipeline_profit";
    case ir::SlotKind::PipelineRoi: return "pipeline_roi";
    case ir::SlotKind::AssertCond: return "assert_cond";
    case ir::SlotKind::AssertSide: return "assert_side";
    case ir::SlotKind::BilledQuantity: return "billed_quantity";
    case ir::SlotKind::Bill: return "bill";
    case ir::SlotKind::PriceTerm: return "price_term";
    }
    return "?";
  }

  void emitModelInfo() {
    auto *paramTy = llvm::StructType::get(ctx, {ptr, ptr, f64, f64, f64, f64});
    auto *outputTy = llvm::StructType::get(ctx, {ptr, ptr, ptr, f64, i32, i32});
    auto *locTy = llvm::StructType::get(ctx, {ptr, i32, i32});
    auto *modelTy = llvm::StructType::get(
        ctx, {i32, i32, i32, i32, i32, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr});
    auto cf = [&](double x) { return llvm::ConstantFP::get(f64, x); };
    auto ci = [&](int64_t x) { return llvm::ConstantInt::get(i32, uint64_t(x)); };
    double nan = std::numeric_limits<double>::quiet_NaN();

    std::vector<llvm::Constant *> params, outputs, prices, locs;
    for (const ir::Param &p : m.params)
      params.push_back(llvm::ConstantStruct::get(
          paramTy, {str(p.name), str(p.unit.text), cf(p.unit.scale), cf(p.nominal),
                    cf(p.range ? p.range->first : nan), cf(p.range ? p.range->second : nan)}));
    for (const ir::Slot &s : m.slots)
      outputs.push_back(llvm::ConstantStruct::get(
          outputTy, {str(s.name), str(kindName(s.kind)), str(s.unit.text), cf(s.unit.scale),
                     ci(s.mayBeUndefined ? 1 : 0), ci(s.loc)}));
    for (const ir::Price &p : m.prices)
      prices.push_back(str(p.name));
    for (const ir::Loc &l : m.locs)
      locs.push_back(llvm::ConstantStruct::get(locTy, {str(l.file), ci(l.line), ci(l.column)}));

    llvm::Constant *info = llvm::ConstantStruct::get(
        modelTy,
        {ci(1), ci(int64_t(m.params.size())), ci(int64_t(m.slots.size())),
         ci(int64_t(m.prices.size())), ci(int64_t(m.locs.size())), str(m.title), str(m.currency),
         array(paramTy, params, "params"), array(outputTy, outputs, "outputs"),
         array(ptr, prices, "price_names"), array(locTy, locs, "locs"),
         mod.getFunction(options.prefix + "eval"), mod.getFunction(options.prefix + "eval_batch"),
         mod.getFunction(options.prefix + "price")});
    new llvm::GlobalVariable(mod, modelTy, true, llvm::GlobalValue::ExternalLinkage, info,
                             options.prefix + "model");
  }

  const ir::Module &m;
  llvm::Module &mod;
  llvm::LLVMContext &ctx;
  const CodeGenOptions &options;
  NodeFacts facts;
  AliasTags tags;
  llvm::IRBuilder<> b;
  llvm::Type *f64, *i64, *i32, *ptr;
  std::map<std::string, llvm::Constant *> strings;
};

} // namespace

std::unique_ptr<llvm::Module> lowerToLLVM(const ir::Module &m, llvm::LLVMContext &ctx,
                                          const CodeGenOptions &options) {
  auto mod = std::make_unique<llvm::Module>("camp." + options.prefix, ctx);
  Lowering(m, *mod, options).run();
  return mod;
}

Tier tierFor(const ir::Module &m, int optLevel) {
  if (optLevel >= 0)
    return optLevel >= 2 ? Tier::Full : Tier::Fast;
  return m.slots.size() <= kFullTierSlotLimit ? Tier::Full : Tier::Fast;
}

// The analyses the passes of optimiseModule ask for, registered by hand. PassBuilder would
// register them too, but linking it links every pass LLVM has, and their command-line options
// are built before main() in every `camp` process: 2.3 ms of CPU and 115 page faults of each
// start. An analysis asked for but not registered is undefined behaviour in LLVM's release
// builds, so this list errs on the side of more: everything EarlyCSE, InstCombine, SimplifyCFG
// and LoopVectorize (with the analyses those analyses use) can ask for in LLVM 19.
static void registerAnalyses(llvm::TargetMachine &tm, llvm::ModuleAnalysisManager &mam,
                             llvm::FunctionAnalysisManager &fam, llvm::LoopAnalysisManager &lam) {
  mam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  mam.registerPass([] { return llvm::ProfileSummaryAnalysis(); });
  mam.registerPass([] { return llvm::GlobalsAA(); });
  mam.registerPass([&] { return llvm::FunctionAnalysisManagerModuleProxy(fam); });

  fam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  fam.registerPass([&] { return llvm::ModuleAnalysisManagerFunctionProxy(mam); });
  fam.registerPass([&] { return llvm::LoopAnalysisManagerFunctionProxy(lam); });
  fam.registerPass([] {
    llvm::AAManager aa;
    aa.registerFunctionAnalysis<llvm::ScopedNoAliasAA>();
    aa.registerFunctionAnalysis<llvm::TypeBasedAA>();
    aa.registerFunctionAnalysis<llvm::BasicAA>();
    return aa;
  });
  fam.registerPass([] { return llvm::BasicAA(); });
  fam.registerPass([] { return llvm::ScopedNoAliasAA(); });
  fam.registerPass([] { return llvm::TypeBasedAA(); });
  fam.registerPass([] { return llvm::SCEVAA(); });
  fam.registerPass([] { return llvm::AssumptionAnalysis(); });
  fam.registerPass([] { return llvm::BlockFrequencyAnalysis(); });
  fam.registerPass([] { return llvm::BranchProbabilityAnalysis(); });
  fam.registerPass([] { return llvm::DemandedBitsAnalysis(); });
  fam.registerPass([] { return llvm::DominatorTreeAnalysis(); });
  fam.registerPass([] { return llvm::PostDominatorTreeAnalysis(); });
  fam.registerPass([] { return llvm::LoopAnalysis(); });
  fam.registerPass([] { return llvm::LoopAccessAnalysis(); });
  fam.registerPass([] { return llvm::LazyValueAnalysis(); });
  fam.registerPass([] { return llvm::MemoryDependenceAnalysis(); });
  fam.registerPass([] { return llvm::MemorySSAAnalysis(); });
  fam.registerPass([] { return llvm::OptimizationRemarkEmitterAnalysis(); });
  fam.registerPass([] { return llvm::PhiValuesAnalysis(); });
  fam.registerPass([] { return llvm::ScalarEvolutionAnalysis(); });
  fam.registerPass([] { return llvm::ShouldRunExtraVectorPasses(); });
  fam.registerPass([] { return llvm::TargetLibraryAnalysis(); });
  fam.registerPass([&] { return tm.getTargetIRAnalysis(); });

  lam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  lam.registerPass([&] { return llvm::FunctionAnalysisManagerLoopProxy(fam); });
}

// The Full tier's pipeline is built by hand for the code camp emits, not LLVM's O3: a kernel is
// one function (a large model's parts are kept apart, never inlined) whose loop-invariant values
// are already in the entry block and whose loads carry alias tags, so O3's inliner, LICM, GVN,
// unrolling and its eight rounds of InstCombine find nothing left to do, yet they took 45 % of
// a cold `camp mc`'s optimisation time. What is left: clean up the emitted code, vectorise
// the batch loops, clean up again. (No SLP vectoriser: what runs many times is a loop, and on
// the vectorised loop it cost 12 % of a cold run for nothing.) No pass here reassociates or
// contracts floating point, so compiled results stay bit-identical to the interpreter.
void optimiseModule(llvm::Module &mod, llvm::TargetMachine &tm, Tier tier) {
  mod.setDataLayout(tm.createDataLayout());
  mod.setTargetTriple(tm.getTargetTriple().str());
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::ModuleAnalysisManager mam;
  registerAnalyses(tm, mam, fam, lam);
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::EarlyCSEPass());
  if (tier == Tier::Full) {
    fpm.addPass(llvm::InstCombinePass());
    fpm.addPass(llvm::SimplifyCFGPass());
    fpm.addPass(llvm::LoopVectorizePass());
    fpm.addPass(llvm::InstCombinePass());
  } else {
    fpm.addPass(llvm::InstSimplifyPass());
  }
  fpm.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(mod, mam);
}

void initialiseLLVM() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    // X86's domain reassignment (moving mask logic between general and AVX-512 mask registers)
    // left every kernel of the examples and the conformance model byte-identical and took 4 % of
    // a cold `camp mc` (docs/performance.md, tenth session). Set by name, as `llc` would:
    // LLVM has no API for it, and the option only exists when the X86 back end is linked.
    llvm::StringMap<llvm::cl::Option *> &options = llvm::cl::getRegisteredOptions();
    if (auto it = options.find("disable-x86-domain-reassignment"); it != options.end())
      it->second->addOccurrence(0, it->first(), "true");
  });
}

std::unique_ptr<llvm::TargetMachine> hostTargetMachine(bool pic, Tier tier, std::string &error) {
  initialiseLLVM();
  std::string triple = llvm::sys::getProcessTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::SubtargetFeatures features;
  for (const auto &f : llvm::sys::getHostCPUFeatures())
    features.AddFeature(f.first(), f.second);
  llvm::TargetOptions to;
  // Never fuse a*b+c into an FMA: compiled results must equal the interpreter's bit for bit.
  to.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features.getString(), to,
      pic ? llvm::Reloc::PIC_ : llvm::Reloc::Static, std::nullopt,
      tier == Tier::Full ? llvm::CodeGenOptLevel::Aggressive : llvm::CodeGenOptLevel::None));
  if (!tm)
    error = "LLVM cannot generate code for " + triple;
  return tm;
}

bool isAllowedExternal(llvm::StringRef name) {
  static const char *const allowed[] = {
      "exp",   "log",   "pow",   "sin",    "cos",    "sincos", "exp2",  "log2",  "log10",
      "round", "ceil",  "floor", "trunc",  "sqrt",   "fabs",   "memset", "memcpy", "memmove",
      "__exp_finite", "__log_finite", "__pow_finite"};
  for (const char *a : allowed)
    if (name == a)
      return true;
  return false;
}

std::string errorText(llvm::Error err) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::logAllUnhandledErrors(std::move(err), os);
  os.flush();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

} // namespace camp::backend
