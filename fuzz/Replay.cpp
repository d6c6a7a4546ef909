// Runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs, without libFuzzer: the regression
// test of every finding (fuzz/regressions/TARGET/, one file per finding) in the normal build.
// An input that takes longer than the time limit counts as a hang, as libFuzzer's -timeout does.
// usage: camp_fuzz_replay_TARGET SECONDS FILE_OR_DIR...
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace fs = std::filesystem;

static const char *Current = "";

static void onAlarm(int) {
  static const char msg[] = "camp fuzz replay: an input hangs (time limit reached): ";
  (void)!write(2, msg, sizeof msg - 1);
  (void)!write(2, Current, std::char_traits<char>::length(Current));
  (void)!write(2, "\n", 1);
  _exit(1);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SECONDS FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  unsigned limit = unsigned(std::atoi(argv[1]));
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto &e : fs::directory_iterator(argv[i]))
        if (e.is_regular_file())
          files.push_back(e.path());
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "camp fuzz replay: no inputs\n");
    return 1;
  }
  std::signal(SIGALRM, onAlarm);
  for (const fs::path &f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string name = f.string();
    Current = name.c_str();
    alarm(limit);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    alarm(0);
    std::printf("ok %s\n", name.c_str());
  }
  return 0;
}
