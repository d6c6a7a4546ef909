// Prints the generated model of one seed (the differential suite names the seed that failed).
#include <cstdio>
#include <cstdlib>

#include "ModelGen.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: backend_modelgen SEED\n");
    return 2;
  }
  std::fputs(camp::test::generateModel(std::strtoull(argv[1], nullptr, 10)).c_str(), stdout);
  return 0;
}
