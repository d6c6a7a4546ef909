// libFuzzer target: any bytes through read → check → lower → interpret → reports, and through
// `camp fmt`, whose output must check, give the same results and be a fixed point.
// Built only with -DCAMP_FUZZ=ON by clang (see docs/fuzzing.md); a violated promise aborts.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/Text.h"
#include "camp/Engine.h"
#include "camp/Report.h"
#include "camp/Results.h"
#include "diag/Diagnostic.h"
#include "frontend/Compile.h"
#include "tooling/Format.h"
#include "tooling/Lint.h"

namespace {

[[noreturn]] void fail(const char *what, const std::string &detail) {
  std::fprintf(stderr, "camp fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// Same results: every slot equal, or both not a number; the same assertion outcomes.
bool sameResults(const camp::runtime::RunResult &a, const camp::runtime::RunResult &b) {
  if (a.slots.size() != b.slots.size() || a.asserts.size() != b.asserts.size() || a.error.has_value() != b.error.has_value())
    return false;
  for (size_t i = 0; i < a.slots.size(); ++i) {
    double x = a.slots[i], y = b.slots[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y))))
      return false;
  }
  for (size_t i = 0; i < a.asserts.size(); ++i)
    if (a.asserts[i].ok != b.asserts[i].ok)
      return false;
  return true;
}

struct Outcome {
  std::unique_ptr<camp::Compilation> compilation;
  std::optional<camp::runtime::RunResult> result;
};

Outcome compileAndRun(const std::string &text) {
  Outcome o;
  camp::diag::DiagnosticEngine diags;
  o.compilation = camp::compileText("fuzz.camp", text, diags);
  // Every renderer must accept every diagnostic.
  (void)camp::diag::renderText(diags, {});
  (void)camp::diag::renderJson(diags);
  if (!o.compilation->module)
    return o;
  const camp::ir::Module &m = *o.compilation->module;
  auto engine = camp::runtime::makeInterpreter(m);
  o.result = camp::runtime::evaluate(m, *engine, camp::runtime::scenarioParams(m, -1), "base");
  (void)camp::runtime::renderJson(*o.result);
  (void)camp::runtime::renderTable(*o.result, {false, true});
  (void)camp::runtime::renderCsv(*o.result);
  for (size_t s = 0; s < m.scenarios.size() && s < 4; ++s)
    (void)camp::runtime::evaluate(m, *engine, camp::runtime::scenarioParams(m, int(s)), "s");
  return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 64 * 1024)
    return -1; // keep runs fast; the size limits have their own tests
  std::string bytes(reinterpret_cast<const char *>(data), size);
  Outcome first = compileAndRun(bytes);
  std::vector<camp::tooling::Finding> findings = camp::tooling::lintText("fuzz.camp", bytes, {});
  (void)camp::tooling::renderLintText(findings);
  (void)camp::tooling::renderLintJson(findings);
  (void)camp::tooling::renderSarif(findings, "fuzz");

  camp::text::Decoded decoded = camp::text::fromFileBytes(bytes);
  if (!decoded.ok())
    return 0;
  camp::diag::DiagnosticEngine fmtDiags;
  std::optional<std::string> formatted = camp::tooling::formatSource("fuzz.camp", decoded.text, fmtDiags);
  (void)camp::diag::renderText(fmtDiags, {});
  for (const camp::diag::Diagnostic &d : fmtDiags.diagnostics())
    if (d.kind == camp::diag::Kind::FormatUnsafe) // fmt's own guard caught output that does not read back
      fail("fmt's output does not parse or is not a fixed point", decoded.text);
  if (!formatted)
    return 0;
  // fmt's promises: the output formats to itself (formatSource checks that itself, above), and
  // checks exactly when the input did, with the same results.
  Outcome second = compileAndRun(*formatted);
  if (bool(first.compilation->module) != bool(second.compilation->module))
    fail("fmt changed whether the model checks", *formatted);
  if (first.result && !sameResults(*first.result, *second.result))
    fail("fmt changed the model's results", *formatted);
  return 0;
}
