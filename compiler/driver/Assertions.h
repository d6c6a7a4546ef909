// Turning failed assertions of a run into diagnostics that show both sides' values.
#pragma once

#include "ModelLoader.h"
#include "camp/Results.h"

namespace camp::driver {

/// Reports each failed assertion of `r` as an error; returns how many failed.
int reportFailedAsserts(LoadedModel &model, const runtime::RunResult &r);

/// The source range of an IR location, for diagnostics after evaluation.
SourceRange rangeOf(const LoadedModel &model, int32_t loc);

} // namespace camp::driver
