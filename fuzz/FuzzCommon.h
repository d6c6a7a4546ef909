// What the libFuzzer targets share: failing loudly, comparing results, compiling one input.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "camp/Engine.h"
#include "camp/Results.h"
#include "diag/Diagnostic.h"
#include "frontend/Compile.h"

namespace camp::fuzz {

/// Inputs over this size are skipped: the size limits have their own tests (tests/badinput).
constexpr size_t kMaxInput = 64 * 1024;

/// A promise was broken: print why and abort, so that libFuzzer saves the input.
[[noreturn]] inline void fail(const char *what, const std::string &detail) {
  std::fprintf(stderr, "camp fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

/// The same value bit for bit (any NaN equals any NaN: the payload is not a result).
inline bool sameBits(double x, double y) {
  if (std::isnan(x) || std::isnan(y))
    return std::isnan(x) && std::isnan(y);
  return std::memcmp(&x, &y, sizeof x) == 0;
}

/// Same results: every slot bit-identical, the same error and the same assertion outcomes.
inline bool sameResults(const runtime::RunResult &a, const runtime::RunResult &b) {
  if (a.slots.size() != b.slots.size() || a.asserts.size() != b.asserts.size() ||
      a.error.has_value() != b.error.has_value())
    return false;
  for (size_t i = 0; i < a.slots.size(); ++i)
    if (!sameBits(a.slots[i], b.slots[i]))
      return false;
  for (size_t i = 0; i < a.asserts.size(); ++i)
    if (a.asserts[i].ok != b.asserts[i].ok)
      return false;
  return true;
}

/// One input compiled as `camp check` would (file name fuzz.camp, imports relative to the
/// working directory), with its diagnostics.
struct Compiled {
  diag::DiagnosticEngine diags;
  std::unique_ptr<Compilation> compilation;
  const ir::Module *module() const { return compilation->module ? &*compilation->module : nullptr; }
};

inline std::unique_ptr<Compiled> compileInput(const std::string &bytes) {
  auto c = std::make_unique<Compiled>();
  c->compilation = compileText("fuzz.camp", bytes, c->diags);
  return c;
}

} // namespace camp::fuzz
