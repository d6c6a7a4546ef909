// Failed assertions as diagnostics: where, in which scenario, and the values of both sides.
#include "Assertions.h"

#include <fmt/format.h>

#include "camp/Report.h"

namespace camp::driver {

SourceRange rangeOf(const LoadedModel &model, int32_t loc) {
  if (loc < 0)
    return {};
  const ir::Loc &l = model.module().locs[size_t(loc)];
  const SourceManager &sm = model.diags.sources();
  for (size_t f = 0; f < sm.size(); ++f) {
    if (sm.file(int32_t(f)).path() != l.file)
      continue;
    uint32_t b = sm.file(int32_t(f)).offsetOf(l.line, l.column);
    uint32_t e = sm.file(int32_t(f)).offsetOf(l.line, l.endColumn);
    return {int32_t(f), b, std::max(e, b + 1)};
  }
  return {};
}

int reportFailedAsserts(LoadedModel &model, const runtime::RunResult &r) {
  const ir::Module &m = model.module();
  int failed = 0;
  for (size_t i = 0; i < r.asserts.size(); ++i) {
    if (r.asserts[i].ok)
      continue;
    ++failed;
    const ir::Assert &a = m.asserts[i];
    std::string where = r.scenario == "base" ? "the base case" : fmt::format("scenario `{}`", r.scenario);
    std::string what = a.message.empty() ? fmt::format("`{}`", a.text) : fmt::format("\"{}\" (`{}`)", a.message, a.text);
    auto &d = model.diags.report(diag::Kind::AssertFailed, rangeOf(model, a.loc),
                                 fmt::format("assertion {} fails in {}", what, where));
    if (a.lhsSlot >= 0) {
      d.label = fmt::format("{} is {}, {} is {}", a.text.substr(0, a.text.find(a.op)),
                            runtime::formatValue(r.asserts[i].lhs, m.slots[size_t(a.lhsSlot)].unit), "the limit",
                            runtime::formatValue(r.asserts[i].rhs, m.slots[size_t(a.rhsSlot)].unit));
      d.label = fmt::format("left side is {}, right side is {}",
                            runtime::formatValue(r.asserts[i].lhs, m.slots[size_t(a.lhsSlot)].unit),
                            runtime::formatValue(r.asserts[i].rhs, m.slots[size_t(a.rhsSlot)].unit));
    }
    d.help = "change the model so the condition holds, or revise the assertion's limit";
  }
  return failed;
}

} // namespace camp::driver
