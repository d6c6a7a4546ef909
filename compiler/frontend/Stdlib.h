// Where `import "std/…"` looks: the one definition of the standard library's search path.
#pragma once

#include <string>
#include <vector>

namespace camp {

/// The places searched for `std/NAME.camp`, in order: $CAMP_STDLIB, then `extra` (a caller's
/// own places, e.g. tests), then an installed copy beside the executable
/// (`BIN/../share/camp/stdlib`), then the source tree's `stdlib/` (for a build that is not
/// installed).
std::vector<std::string> stdlibSearchPath(const std::vector<std::string> &extra = {});

} // namespace camp
