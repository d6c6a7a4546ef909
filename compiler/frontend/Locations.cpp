// ir::Loc → SourceRange, for diagnostics raised after lowering (evaluation errors, assertions).
#include "frontend/Locations.h"

#include <algorithm>

namespace camp {

SourceRange sourceRangeOf(const SourceManager &sm, const ir::Loc &loc) {
  for (size_t f = 0; f < sm.size(); ++f) {
    const SourceFile &file = sm.file(int32_t(f));
    if (file.path() != loc.file)
      continue;
    uint32_t begin = file.offsetOf(loc.line, loc.column);
    uint32_t end = file.offsetOf(loc.line, loc.endColumn);
    return {int32_t(f), begin, std::max(end, begin + 1)};
  }
  return {};
}

} // namespace camp
