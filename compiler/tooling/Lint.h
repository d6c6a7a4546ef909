// `camp lint`: rules with stable ids over a compiled model and suppression comments; findings are diag::Records.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "diag/Render.h"
#include "frontend/Compile.h"

namespace camp::tooling {

// A rule's level is a diagnostic level: lint findings are diagnostic records like any other.
using LintLevel = diag::Level;

struct LintRule {
  const char *id;          // stable, kebab-case: `unused-param`
  LintLevel level;
  const char *summary;     // one line: what the rule finds
  const char *help;        // what to do about it
};

/// Every rule, in documentation order.
const std::vector<LintRule> &lintRules();
const LintRule *findRule(const std::string &id);

/// A finding is a diagnostic record: code is a rule id, or `compile-error` when the model does
/// not compile; place.file is the path as given, its line 0 for the whole file. Its end column
/// is widened to at least one character (what editors and SARIF viewers can underline).
using Finding = diag::Record;

/// Declarations of library files that models use: "canonical path\tkind\tname".
using LibraryUses = std::set<std::string>;

struct LintOptions {
  std::vector<std::string> disabled; // rule ids
  std::vector<std::string> stdlibPaths;
};

/// Lints one model file (findings in the file itself; imports are checked for use only).
/// A model that does not compile gives its errors as `compile-error` findings.
std::vector<Finding> lintFile(const std::string &path, const LintOptions &opts);
/// Lints several files together, as `camp lint $(git ls-files '*.camp')` does. A file without
/// `model` is a library: its params, fees, prices and units count as used when a linted model
/// that imports it uses them, and are not judged when no linted model imports it.
std::vector<Finding> lintFiles(const std::vector<std::string> &paths, const LintOptions &opts);
/// The same for a text held in memory (tests).
std::vector<Finding> lintText(const std::string &fileName, const std::string &text, const LintOptions &opts);
/// The same for a model already compiled (the language server lints what it just compiled).
/// Reads `c` and `diags` only.
std::vector<Finding> lintCompilation(Compilation &c, diag::DiagnosticEngine &diags, const std::string &path,
                                     const LintOptions &opts);

/// Findings are printed by diag/Render.h: renderText with TextStyle::Lint, renderJson with
/// JsonStyle::Lint (camp.lint/1), renderSarif.

/// Compiler diagnostics as findings (code: the kind's name), in the order reported, their spans
/// widened as lint's are, so that `camp check` gives SARIF the same places lint does.
std::vector<Finding> diagnosticsAsFindings(const diag::DiagnosticEngine &diags);

/// Lint's own span rule: an empty or one-line span covers at least one character.
void widenSpan(diag::Place &p);

using diag::jsonString;

} // namespace camp::tooling
