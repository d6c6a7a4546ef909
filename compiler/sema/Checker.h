// Name resolution, units-of-measure and type checking, and dependency ordering of a whole model.
#pragma once

#include <optional>
#include <vector>

#include "ast/Ast.h"
#include "diag/Diagnostic.h"
#include "sema/Model.h"

namespace camp::sema {

/// Checks the files of one model (the entry file first, then its imports in load order).
/// The AST must outlive the returned Model, which points into it. nullopt on any error.
std::optional<Model> check(std::vector<ast::File> &files, const SourceManager &sm, diag::DiagnosticEngine &diags);

/// Checks the `correlate` statements of `files` against the params of `model` (whose params
/// are already checked) and fills model.correlations. Defined in Correlations.cpp.
void checkCorrelations(std::vector<ast::File> &files, Model &model, const SourceManager &sm,
                       diag::DiagnosticEngine &diags);

/// Checks a constant expression (a --set value) against a param, in the param's written unit
/// when the expression has none. Returns the canonical value, or nullopt with diagnostics.
std::optional<double> checkOverride(const Model &model, int param, ast::Expr &value, diag::DiagnosticEngine &diags);

} // namespace camp::sema
