// Turning failed assertions into diagnostics that show where, in which scenarios, and both sides.
#pragma once

#include <vector>

#include "ModelLoader.h"
#include "camp/Results.h"

namespace camp::driver {

/// Collects failed assertions over several runs (scenarios) and reports each assertion once.
class AssertionReport {
public:
  explicit AssertionReport(LoadedModel &model) : Model(model) {}
  void add(const runtime::RunResult &r);
  /// Reports one error per failed assertion, naming every scenario it fails in; returns the count.
  int report();

private:
  struct Failure {
    std::string scenario;
    double lhs = 0, rhs = 0;
  };
  LoadedModel &Model;
  std::vector<std::vector<Failure>> Failures; // per assertion
};

/// The source range of an IR location, for diagnostics after evaluation.
SourceRange rangeOf(const LoadedModel &model, int32_t loc);

} // namespace camp::driver
