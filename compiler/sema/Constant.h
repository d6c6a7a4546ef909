// Unit suffixes and constant expressions: param values, ranges, distributions, overrides, --set.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ast/Ast.h"
#include "diag/Messages.h"
#include "sema/Model.h"

namespace camp::sema {

/// Resolves `USD/(1000 email)` to a dimension and scale. `isValue` says whether a name that is
/// not a unit names a value instead (for a better message). nullopt after reporting an error.
std::optional<Unit> resolveUnitSuffix(const ast::UnitSuffix &suffix, size_t factorCount, UnitTable &units,
                                      diag::DiagnosticEngine &diags,
                                      const std::function<bool(const std::string &)> &isValue);

/// The unit a literal was written in, for showing values the way their author wrote them.
Written writtenUnit(const ast::Expr &e, const SourceManager &sm, double unitScale);

struct Constant {
  Type type;
  double value = 0;       // canonical units
  Written written;
};

/// Evaluates an expression made only of numbers, units and arithmetic. A name that is not a unit
/// is reported as "not a constant" when `describeName` knows what it is ("param"), else as unknown.
/// `what` names the place in the messages ("the value of param `a`").
std::optional<Constant> evalConstant(ast::Expr &e, UnitTable &units, const SourceManager &sm,
                                     diag::DiagnosticEngine &diags, const diag::arg::Phrase &what,
                                     const std::function<std::string(const std::string &)> &describeName);

/// A value for a param written without a unit takes the param's written unit (scale included);
/// with a unit it must have the param's dimension. `what` names the place ("this override").
std::optional<double> convertToParam(const Constant &c, const ParamInfo &p, const UnitTable &units,
                                     SourceRange at, diag::DiagnosticEngine &diags, const diag::arg::Phrase &what);

} // namespace camp::sema
