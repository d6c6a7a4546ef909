// The IR verifier: the invariants every engine (interpreter, JIT, AOT) relies on.
#pragma once

#include <string>

#include "ir/IR.h"

namespace camp::ir {

/// Checks indices in range, children before parents, slots reading only earlier slots, no
/// price argument outside a price, no price calls inside prices, and the structure (prices'
/// terms, rate cards, bills, cost lines). False with `error` set when something is broken, and
/// `*what` (when given) to the part that says what: "node 3 has a bad operand".
bool verify(const Module &m, std::string &error, std::string *what = nullptr);

} // namespace camp::ir
