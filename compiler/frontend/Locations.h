// IR locations back to source: the one mapping from an ir::Loc (file, line, columns) to the
// SourceRange diagnostics point at.
#pragma once

#include "base/Source.h"
#include "ir/IR.h"

namespace camp {

/// The range `loc` covers in the file of `sources` it names (at least one character); an
/// invalid range when no file of that path was read.
SourceRange sourceRangeOf(const SourceManager &sources, const ir::Loc &loc);

} // namespace camp
