// A pthread with a big stack: parsing and checking recurse over the syntax tree.
//
// Each calling thread keeps one such thread and hands it every call, instead of creating (and
// faulting in) a fresh 512 MiB stack per call: a process that compiles many models (the fuzz
// targets, the LSP worker, lint's per-file compiles) pays for the thread once. A call made on
// the big stack itself (a nested call) runs there directly.
#include "base/Stack.h"

#include <condition_variable>
#include <mutex>
#include <pthread.h>

namespace camp {

namespace {

thread_local size_t OnLargeStack = 0; // this thread's stack size, when it is a big-stack helper

void *trampoline(void *arg) {
  (*static_cast<const std::function<void()> *>(arg))();
  return nullptr;
}

bool startThread(pthread_t &thread, size_t bytes, void *(*body)(void *), void *arg) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0)
    return false;
  bool ok = pthread_attr_setstacksize(&attr, bytes) == 0 && pthread_create(&thread, &attr, body, arg) == 0;
  pthread_attr_destroy(&attr);
  return ok;
}

/// The big-stack helper of one calling thread: runs one function at a time, for as long as the
/// calling thread lives (its thread_local destructor stops and joins it).
class Helper {
public:
  explicit Helper(size_t bytes) : Bytes(bytes) { Started = startThread(Thread, bytes, &Helper::main, this); }
  Helper(const Helper &) = delete;
  Helper &operator=(const Helper &) = delete;
  ~Helper() {
    if (!Started)
      return;
    {
      std::lock_guard<std::mutex> lock(Mutex);
      Quit = true;
    }
    Cv.notify_all();
    pthread_join(Thread, nullptr);
  }

  bool usable(size_t bytes) const { return Started && Bytes >= bytes; }

  void run(const std::function<void()> &fn) {
    std::unique_lock<std::mutex> lock(Mutex);
    Job = &fn;
    Done = false;
    Cv.notify_all();
    Cv.wait(lock, [&] { return Done; });
  }

private:
  static void *main(void *arg) {
    auto *h = static_cast<Helper *>(arg);
    OnLargeStack = h->Bytes;
    std::unique_lock<std::mutex> lock(h->Mutex);
    for (;;) {
      h->Cv.wait(lock, [&] { return h->Job || h->Quit; });
      if (!h->Job)
        return nullptr;
      const std::function<void()> *job = h->Job;
      lock.unlock();
      (*job)();
      lock.lock();
      h->Job = nullptr;
      h->Done = true;
      h->Cv.notify_all();
    }
  }

  size_t Bytes;
  bool Started = false;
  pthread_t Thread{};
  std::mutex Mutex;
  std::condition_variable Cv;
  const std::function<void()> *Job = nullptr;
  bool Done = false, Quit = false;
};

} // namespace

void runWithLargeStack(const std::function<void()> &fn, size_t bytes) {
  if (OnLargeStack >= bytes) { // already on a big enough stack
    fn();
    return;
  }
  thread_local Helper helper(bytes);
  if (helper.usable(bytes)) {
    helper.run(fn);
    return;
  }
  // A bigger stack than this thread's helper has (or no helper): a thread for this call only.
  pthread_t thread;
  if (!startThread(thread, bytes, trampoline, const_cast<std::function<void()> *>(&fn))) {
    fn(); // no thread to be had: run here rather than not at all
    return;
  }
  pthread_join(thread, nullptr);
}

} // namespace camp
