// Helpers shared by the front-end unit tests: compile a snippet, list error kinds, evaluate slots.
#pragma once

#include <string>
#include <vector>

#include "camp/Engine.h"
#include "camp/Results.h"
#include "diag/Diagnostic.h"
#include "frontend/Compile.h"

namespace camp::test {

/// `model "t"` and `currency USD` are prepended unless the text declares a currency itself.
inline std::string withHeader(const std::string &body) {
  if (body.find("currency ") != std::string::npos || body.rfind("model ", 0) == 0)
    return body;
  return "model \"t\"\ncurrency USD\n" + body;
}

/// Names of the diagnostic kinds a snippet produces (empty when it compiles).
inline std::vector<std::string> errorKinds(const std::string &body) {
  diag::DiagnosticEngine diags;
  compileSource("t.camp", withHeader(body), diags);
  std::vector<std::string> kinds;
  for (const diag::Diagnostic &d : diags.diagnostics())
    kinds.push_back(diag::kindName(d.kind));
  return kinds;
}

/// The first diagnostic's message, or "" when there is none.
inline std::string firstMessage(const std::string &body) {
  diag::DiagnosticEngine diags;
  compileSource("t.camp", withHeader(body), diags);
  return diags.diagnostics().empty() ? "" : diags.diagnostics().front().message;
}

/// Compiles and evaluates the base case with the interpreter.
struct Evaluated {
  std::optional<ir::Module> module;
  runtime::RunResult result;
  std::string errors;
  double slot(const std::string &name) const {
    int32_t s = module->findSlot(name);
    if (s < 0)
      throw std::runtime_error("no slot " + name);
    return result.slots[size_t(s)];
  }
};

inline Evaluated evaluate(const std::string &body, int scenario = -1) {
  Evaluated e;
  diag::DiagnosticEngine diags;
  e.module = compileSource("t.camp", withHeader(body), diags);
  e.errors = diag::renderText(diags, {});
  if (!e.module)
    return e;
  auto engine = runtime::makeInterpreter(*e.module);
  e.result = runtime::evaluate(*e.module, *engine, runtime::scenarioParams(*e.module, scenario), "base");
  return e;
}

} // namespace camp::test
