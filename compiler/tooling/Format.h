// `camp fmt`: the one canonical layout of a .camp file, and the unified diff `--check` prints.
#pragma once

#include <optional>
#include <string>

#include "diag/Diagnostic.h"

namespace camp::tooling {

/// The canonical layout of `text` (see docs/tooling.md): indentation by block, one space
/// around operators, `=` aligned within a block, grouped digits, at most one blank line.
/// Every comment is kept. nullopt, with the syntax error in `diags`, when `text` does not parse.
std::optional<std::string> formatSource(const std::string &fileName, const std::string &text,
                                        diag::DiagnosticEngine &diags);

/// `1400000` -> `1_400_000`: integer parts of four digits or more grouped in threes
/// (with `group` false: every separator removed).
std::string groupDigits(const std::string &number, bool group = true);

/// A unified diff (`--- a`/`+++ b`, hunks with three lines of context); empty when equal.
std::string unifiedDiff(const std::string &oldName, const std::string &newName, const std::string &oldText,
                        const std::string &newText);

/// Number of characters (UTF-8 code points) in `s`, for column alignment.
size_t displayWidth(const std::string &s);

} // namespace camp::tooling
