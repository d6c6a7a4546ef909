// Lint's span rule, and compiler diagnostics emitted as findings for `camp check --diagnostics-format sarif`.
#include <algorithm>

#include "tooling/Lint.h"

namespace camp::tooling {

void widenSpan(diag::Place &p) {
  if (!p.hasLine())
    return; // the whole file: nothing to widen
  if (p.endLine == p.line)
    p.endColumn = std::max(p.endColumn, p.column + 1);
}

std::vector<Finding> diagnosticsAsFindings(const diag::DiagnosticEngine &diags) {
  std::vector<Finding> out;
  for (const diag::Diagnostic &d : diags.diagnostics()) {
    Finding f = diag::recordOf(d, diags.sources());
    widenSpan(f.place);
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace camp::tooling
