// libFuzzer target `camp_fuzz_model`: any bytes through read → check → lower → interpret →
// every renderer, and lint (on the same compilation, as `camp lint` does) with its renderers.
// Built only with -DCAMP_FUZZ=ON by clang (see docs/fuzzing.md); a crash or sanitizer report is a finding.
#include <cstdint>

#include "FuzzCommon.h"
#include "camp/Report.h"
#include "tooling/Lint.h"

using namespace camp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > fuzz::kMaxInput)
    return -1;
  auto c = fuzz::compileInput(std::string(reinterpret_cast<const char *>(data), size));
  // Every renderer must accept every diagnostic.
  (void)diag::renderText(c->diags, {});
  (void)diag::renderJson(c->diags);
  if (const ir::Module *m = c->module()) {
    auto engine = runtime::makeInterpreter(*m);
    runtime::RunResult base = runtime::evaluate(*m, *engine, runtime::scenarioParams(*m, -1), "base");
    (void)runtime::renderJson(base);
    (void)runtime::renderTable(base, {false, true});
    (void)runtime::renderCsv(base);
    for (size_t s = 0; s < m->scenarios.size() && s < 4; ++s)
      (void)runtime::evaluate(*m, *engine, runtime::scenarioParams(*m, int(s)), m->scenarios[s].name);
  }
  std::vector<tooling::Finding> findings = tooling::lintCompilation(*c->compilation, c->diags, "fuzz.camp", {});
  for (const tooling::Finding &f : findings)
    (void)diag::renderText(f, nullptr, {diag::TextStyle::Lint});
  (void)diag::renderJson(findings, diag::JsonStyle::Lint);
  (void)diag::renderSarif(findings, "fuzz", "lint");
  return 0;
}
