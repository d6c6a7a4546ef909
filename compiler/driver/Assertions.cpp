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

static diag::arg::Phrase scenarioList(const std::vector<std::string> &names) {
  std::vector<diag::arg::Phrase> phrases;
  for (const std::string &n : names)
    phrases.push_back(scenarioPhrase(n));
  return diag::listOf(phrases);
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
    SourceRange at = rangeOf(Model, a.loc);
    auto &d = a.message.empty()
                  ? diag::report<diag::msg::AssertionFails>(Model.diags, at, diag::arg::Words{a.text}, scenarioList(names))
                  : diag::report<diag::msg::LabelledAssertionFails>(Model.diags, at, diag::arg::Words{a.message},
                                                                    diag::arg::Words{a.text}, scenarioList(names));
    if (a.lhsSlot >= 0) {
      const Failure &f = Failures[i].front();
      d.label = fmt::format("the left side is {}, the right side {}{}",
                            runtime::formatValue(f.lhs, m.slots[size_t(a.lhsSlot)].unit),
                            runtime::formatValue(f.rhs, m.slots[size_t(a.rhsSlot)].unit),
                            Failures[i].size() > 1 ? fmt::format(" (in {})", scenarioList({f.scenario}).text()) : "");
    }
    d.help = "change the model so the condition holds, or revise the assertion's limit";
  }
  return failed;
}

} // namespace camp::driver
