// `camp lsp`: a Language Server Protocol server over a pair of byte streams (stdin/stdout).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace camp::lsp {

struct ServerOptions {
  std::vector<std::string> stdlibPaths;
  int debounceMs = 50;      // quiet time after an edit before the document is compiled again
  std::string version = ""; // reported in serverInfo
};

/// Serves requests until `exit` (or the end of input). Returns the process exit code:
/// 0 after `shutdown` then `exit`, 1 otherwise (as the protocol asks).
int serve(FILE *in, FILE *out, const ServerOptions &opts);

} // namespace camp::lsp
