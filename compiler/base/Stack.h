// Runs a function on a thread with a large stack, so deeply nested input cannot overflow it.
#pragma once

#include <functional>

namespace camp {

/// Calls fn on a fresh thread with `bytes` of stack and waits for it.
void runWithLargeStack(const std::function<void()> &fn, size_t bytes = size_t(512) << 20);

} // namespace camp
