// Parsing .camp text into the AST; the only interface to the ANTLR-generated parser.
#pragma once

#include <optional>

#include "ast/Ast.h"
#include "diag/Diagnostic.h"

namespace camp::syntax {

/// Parses a whole file. Syntax errors are reported to `diags` (the first one per file, so one
/// mistake gives one error); nullopt when there was any.
std::optional<ast::File> parseFile(int32_t fileId, const SourceManager &sm, diag::DiagnosticEngine &diags);

/// Parses a lone expression (a `--set` value or a `--metric`).
ast::ExprPtr parseExpression(int32_t fileId, const SourceManager &sm, diag::DiagnosticEngine &diags);

} // namespace camp::syntax
