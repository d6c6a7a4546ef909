// The front end in one call: read a model and its imports, parse, check and lower it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ast/Ast.h"
#include "diag/Diagnostic.h"
#include "ir/IR.h"
#include "frontend/Locations.h"
#include "frontend/Stdlib.h"
#include "sema/Model.h"

namespace camp {

struct CompileOptions {
  std::vector<std::string> stdlibPaths; // extra places for import "std/…" (see frontend/Stdlib.h)
  /// (name, expression) pairs appended to the model as `let name = expr` (e.g. --metric).
  std::vector<std::pair<std::string, std::string>> extraLets;
};

/// Everything one compilation produced; the model and module exist only without errors.
struct Compilation {
  std::vector<ast::File> files; // the entry file first, then imports in load order
  std::optional<sema::Model> model;
  std::optional<ir::Module> module;
  bool unreadable = false;      // the entry file itself could not be read (exit code 2)
};

std::unique_ptr<Compilation> compile(const std::string &path, diag::DiagnosticEngine &diags,
                                     const CompileOptions &opts = {});
std::unique_ptr<Compilation> compileText(const std::string &fileName, const std::string &text,
                                         diag::DiagnosticEngine &diags, const CompileOptions &opts = {});

/// Shorthands that keep only the IR.
std::optional<ir::Module> compileFile(const std::string &path, diag::DiagnosticEngine &diags,
                                      const CompileOptions &opts = {});
std::optional<ir::Module> compileSource(const std::string &fileName, const std::string &text,
                                        diag::DiagnosticEngine &diags, const CompileOptions &opts = {});

/// Parses and checks `text` (a --set value) as a value for param `param` of a compiled model;
/// `origin` names it in diagnostics ("--set conversion"). Canonical value, or nullopt.
std::optional<double> parseParamValue(const Compilation &c, int param, const std::string &origin,
                                      const std::string &text, diag::DiagnosticEngine &diags);


} // namespace camp
