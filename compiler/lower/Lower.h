// Lowering: the checked model (sema) to the evaluation IR (slots of arithmetic over params).
#pragma once

#include "ir/IR.h"
#include "sema/Model.h"

namespace camp::lower {

/// Pre: `model` passed sema::check without errors. Post: every slot reads only earlier slots,
/// node children precede their parents, and every Div/slot carries a loc for run-time errors.
ir::Module lower(const sema::Model &model, const SourceManager &sm);

} // namespace camp::lower
