// The LLVM backend's public face: JIT engines and ahead-of-time files, with no LLVM types.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "camp/Engine.h"
#include "ir/IR.h"

namespace camp::backend {

/// What `camp build --emit` writes: DIR/<name>.o, .so, .ll, .s, or the evaluation IR as text.
enum class EmitKind { Object, Shared, LlvmIr, Asm, Ir };

/// "obj", "shared", "llvm-ir", "asm", "ir"; nullopt for anything else.
std::optional<EmitKind> parseEmitKind(std::string_view text);
/// The file extension written for a kind, with its dot: ".o", ".so", ".ll", ".s", ".ir".
const char *emitExtension(EmitKind kind);

/// Seconds spent in each backend phase of one compilation (for benchmarks and --verbose).
struct JitStats {
  double lowerSeconds = 0;    // evaluation IR -> LLVM IR
  double optimiseSeconds = 0; // LLVM's optimisation pipeline
  double codegenSeconds = 0;  // machine code generation and linking in the JIT (the one-sample
                              // evaluator; every other kernel is compiled on its first use)
  bool fromCache = false;     // the model was already compiled in this process
  bool fromStore = false;     // its one-sample evaluator's machine code came from the disk cache
};

struct JitOptions {
  /// -1: by model size (LLVM's O3 pipeline and a vectorised batch loop up to 300 values,
  /// else a few cheap passes and fast instruction selection, so compile time stays linear);
  /// 0-1: always the fast tier; 2-3: always O3.
  int optLevel = -1;
  bool useCache = true;       // reuse (and remember) the compiled code of an identical model
  /// Compile the one-sample evaluator at its first use instead of now: Monte Carlo and Sobol
  /// run fused sampled kernels and may never need it. Its stats are then not reported, and a
  /// failure to compile it (not expected) makes the engine evaluate with the interpreter.
  bool deferEvaluator = false;
};

/// Keeps the JIT's machine code in `directory` (ObjectStore.h) across processes: a module whose
/// key (program, LLVM, host CPU, tier, camp's IR of the model, the code generator's options) was
/// compiled before is loaded without LLVM's optimiser and code generator. "" turns it off, as it
/// is until called: the `camp` program turns it on (ObjectStore::defaultDirectory), libraries and
/// tests do not.
void usePersistentCache(const std::string &directory);
/// Data other than code kept in the same store (e.g. the samplers' beta tables): `name` says what
/// it is, and the key hashes it with the program's identity, so that another build of camp never
/// reads it. Both are no-ops (nullopt) while no cache is in use; safe from any thread.
std::optional<std::string> loadCachedData(const std::string &name);
void storeCachedData(const std::string &name, std::string_view bytes);
/// $CAMP_CACHE_DIR if set ("off" or empty: none), else $XDG_CACHE_HOME/camp/jit, else
/// $HOME/.cache/camp/jit; "" when none applies.
std::string defaultCacheDirectory();

/// JIT-compiles the module with ORC LLJIT (O2/O3 new pass manager, host CPU).
/// nullptr + error text on failure.
std::unique_ptr<runtime::Engine> makeJitEngine(const ir::Module &m, std::string &error);
std::unique_ptr<runtime::Engine> makeJitEngine(const ir::Module &m, std::string &error,
                                               const JitOptions &options, JitStats *stats);

/// AOT: writes DIR/<name>.o|.so|.ll|.s plus DIR/<name>.h (C header); returns false + error.
/// `name` also prefixes every exported symbol (<name>_eval, <name>_model, ...), after
/// cIdentifier() has made it a valid C name.
bool emitModule(const ir::Module &m, const std::string &dir, const std::string &name, EmitKind kind,
                std::string &error);

/// The C header of a compiled model: camp.h's ABI plus the model's own symbols and indices.
std::string cHeader(const ir::Module &m, const std::string &name);

/// `name` made into a C identifier: letters, digits and '_', not starting with a digit.
std::string cIdentifier(std::string_view name);

/// The LLVM IR text of the model after optimisation (what `--emit llvm-ir` writes).
bool llvmIrText(const ir::Module &m, const std::string &name, std::string &out, std::string &error);

} // namespace camp::backend
