// libFuzzer target `camp_fuzz_fmt`: `camp fmt`'s promises on any bytes. Its output must format to
// itself, check exactly when the input checks, and give bit-identical base-case results and the
// same assertion outcomes; a file it cannot read back is left alone (never a FormatUnsafe).
#include <cstdint>

#include "FuzzCommon.h"
#include "base/Text.h"
#include "tooling/Format.h"

using namespace camp;

namespace {

std::optional<runtime::RunResult> baseCase(const fuzz::Compiled &c) {
  const ir::Module *m = c.module();
  if (!m)
    return std::nullopt;
  auto engine = runtime::makeInterpreter(*m);
  return runtime::evaluate(*m, *engine, runtime::scenarioParams(*m, -1), "base");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > fuzz::kMaxInput)
    return -1;
  std::string bytes(reinterpret_cast<const char *>(data), size);
  // What `camp fmt FILE` reads: a file that is not valid text is never formatted.
  text::Decoded decoded = text::fromFileBytes(bytes);
  if (!decoded.ok())
    return 0;
  diag::DiagnosticEngine fmtDiags;
  std::optional<std::string> formatted = tooling::formatSource("fuzz.camp", decoded.text, fmtDiags);
  (void)diag::renderText(fmtDiags, {});
  for (const diag::Diagnostic &d : fmtDiags.diagnostics())
    if (d.kind == diag::Kind::FormatUnsafe) // fmt's own guard caught output that does not read back
      fuzz::fail("fmt's output does not parse or is not a fixed point", decoded.text);
  if (!formatted)
    return 0; // does not parse: fmt leaves it alone, nothing to compare
  std::string written = text::toFileBytes(*formatted, decoded.layout);
  auto before = fuzz::compileInput(bytes), after = fuzz::compileInput(written);
  if (bool(before->module()) != bool(after->module()))
    fuzz::fail("fmt changed whether the model checks", written);
  std::optional<runtime::RunResult> a = baseCase(*before), b = baseCase(*after);
  if (a && !fuzz::sameResults(*a, *b))
    fuzz::fail("fmt changed the model's results", written);
  return 0;
}
