// One mistake, one error: unit errors caused by a param written without its unit become one
// error at the param that says which unit it probably lacks.
#pragma once

#include <string>
#include <vector>

#include "ast/Ast.h"
#include "diag/Diagnostic.h"

namespace camp::sema {

/// Rewrites `diags` after a failed check: every NotMoney/UnitMismatch error whose expression
/// reads a param written as a bare number (`param hourly = 80`) is replaced, per param, by one
/// error at the param's value with the use sites as notes. `currency` is the model's.
void explainUnitlessParams(const std::vector<ast::File> &files, const std::string &currency,
                           diag::DiagnosticEngine &diags);

} // namespace camp::sema
