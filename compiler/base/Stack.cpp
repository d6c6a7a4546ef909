// A pthread with a big stack: parsing and checking recurse over the syntax tree.
#include "base/Stack.h"

#include <pthread.h>

namespace camp {

static void *trampoline(void *arg) {
  (*static_cast<const std::function<void()> *>(arg))();
  return nullptr;
}

void runWithLargeStack(const std::function<void()> &fn, size_t bytes) {
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0 || pthread_attr_setstacksize(&attr, bytes) != 0 ||
      pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()> *>(&fn)) != 0) {
    fn(); // no thread to be had: run here rather than not at all
    return;
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

} // namespace camp
