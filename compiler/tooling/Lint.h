// `camp lint`: rules with stable ids over a compiled model, suppression comments, and reports.
#pragma once

#include <string>
#include <vector>

#include "syntax/Compile.h"

namespace camp::tooling {

enum class LintLevel { Error, Warning, Note };

const char *levelName(LintLevel l); // "error", "warning", "note"

struct LintRule {
  const char *id;          // stable, kebab-case: `unused-param`
  LintLevel level;
  const char *summary;     // one line: what the rule finds
  const char *help;        // what to do about it
};

/// Every rule, in documentation order.
const std::vector<LintRule> &lintRules();
const LintRule *findRule(const std::string &id);

struct Finding {
  std::string rule;        // a rule id, or `compile-error` when the model does not compile
  LintLevel level = LintLevel::Warning;
  std::string message;
  std::string help;
  std::string file;        // the path as given
  int line = 0, column = 0, endLine = 0, endColumn = 0; // 1-based; 0: the whole file
};

struct LintOptions {
  std::vector<std::string> disabled; // rule ids
  std::vector<std::string> stdlibPaths;
};

/// Lints one model file (findings in the file itself; imports are checked for use only).
/// A model that does not compile gives its errors as `compile-error` findings.
std::vector<Finding> lintFile(const std::string &path, const LintOptions &opts);
/// The same for a text held in memory (tests).
std::vector<Finding> lintText(const std::string &fileName, const std::string &text, const LintOptions &opts);
/// The same for a model already compiled (the language server lints what it just compiled).
/// Reads `c` and `diags` only.
std::vector<Finding> lintCompilation(Compilation &c, diag::DiagnosticEngine &diags, const std::string &path,
                                     const LintOptions &opts);

/// `file:line:col: warning: message [rule]` lines with help.
std::string renderLintText(const std::vector<Finding> &findings);
/// {"schema": "camp.lint/1", "findings": [...]}.
std::string renderLintJson(const std::vector<Finding> &findings);
/// A SARIF 2.1.0 log with one run, every rule described, for GitHub code scanning.
std::string renderSarif(const std::vector<Finding> &findings, const std::string &toolVersion);

/// JSON string escaping (quotes included).
std::string jsonString(const std::string &s);

} // namespace camp::tooling
