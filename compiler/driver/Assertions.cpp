// Failed assertions as diagnostics: where, in which scenarios, and the values of both sides.
#include "Assertions.h"

#include <fmt/format.h>

#include "camp/Report.h"

namespace camp::driver {

SourceRange rangeOf(const LoadedModel &model, int32_t loc) {
  if (loc < 0)
    return {};
  return sourceRangeOf(model.diags.sources(), model.module().locs[size_t(loc)]);
}

void AssertionReport::add(const runtime::RunResult &r) {
  Failures.resize(Model.module().asserts.size());
  for (size_t i = 0; i < r.asserts.size(); ++i)
    if (!r.asserts[i].ok)
      Failures[i].push_back({r.scenario, r.asserts[i].lhs, r.asserts[i].rhs});
}

static std::string scenarioList(const std::vector<std::string> &names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    // A label with a space is already words ("the base case with --set rate=2").
    std::string n = names[i] == "base"                      ? "the base case"
                    : names[i].find(' ') != std::string::npos ? names[i]
                                                              : fmt::format("scenario `{}`", names[i]);
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + n;
  }
  return out;
}

int AssertionReport::report() {
  const ir::Module &m = Model.module();
  int failed = 0;
  for (size_t i = 0; i < Failures.size(); ++i) {
    if (Failures[i].empty())
      continue;
    ++failed;
    const ir::Assert &a = m.asserts[i];
    std::vector<std::string> names;
    for (const Failure &f : Failures[i])
      names.push_back(f.scenario);
    std::string what = a.message.empty() ? fmt::format("`{}`", a.text) : fmt::format("\"{}\" (`{}`)", a.message, a.text);
    auto &d = Model.diags.report(diag::Kind::AssertFailed, rangeOf(Model, a.loc),
                                 fmt::format("assertion {} fails in {}", what, scenarioList(names)));
    if (a.lhsSlot >= 0) {
      const Failure &f = Failures[i].front();
      d.label = fmt::format("the left side is {}, the right side {}{}",
                            runtime::formatValue(f.lhs, m.slots[size_t(a.lhsSlot)].unit),
                            runtime::formatValue(f.rhs, m.slots[size_t(a.rhsSlot)].unit),
                            Failures[i].size() > 1 ? fmt::format(" (in {})", scenarioList({f.scenario})) : "");
    }
    d.help = "change the model so the condition holds, or revise the assertion's limit";
  }
  return failed;
}

} // namespace camp::driver
