// `camp lsp`: the language server for editors, on stdin/stdout. The server lives in compiler/lsp.
// Compiled only when camp_lsp is linked into the driver (it defines CAMP_HAVE_LSP).
#ifdef CAMP_HAVE_LSP
#include <csignal>
#include <cstdio>

#include "Command.h"
#include "ModelLoader.h"
#include "lsp/Server.h"

namespace camp::driver {

namespace {

struct LspOptions {
  bool stdio = false;
  int debounceMs = 50;
};

void runLsp(const LspOptions &opts) {
  std::signal(SIGPIPE, SIG_IGN); // a client that goes away is the end of input, not a crash
  lsp::ServerOptions so;
  so.stdlibPaths = stdlibSearchPath();
  so.debounceMs = opts.debounceMs;
  so.version = CAMP_VERSION;
  setExitCode(lsp::serve(stdin, stdout, so));
}

} // namespace

CAMP_REGISTER_COMMAND(70, [](CLI::App &app) {
  auto opts = std::make_shared<LspOptions>();
  CLI::App *sub = app.add_subcommand("lsp", "Run the language server for editors (LSP over stdin/stdout)");
  sub->footer("Editors start this command themselves; you do not run it by hand. It speaks the Language\n"
              "Server Protocol on stdin/stdout: diagnostics as you type (compiler errors and lint warnings),\n"
              "hover with units and base-case values, go to definition, references, rename, completion,\n"
              "formatting (as `camp fmt`), semantic highlighting, inlay hints with each line's cost, quick\n"
              "fixes, and a code lens with each pipeline's cost, revenue and ROI.\n\n"
              "Setup for VS Code, Neovim and Helix: docs/editors.md.\n\n"
              "Examples:\n"
              "  camp lsp                      (what an editor runs)\n"
              "  camp lsp --debounce 150       (wait longer after each keystroke before checking)");
  sub->add_flag("--stdio", opts->stdio,
                "Use stdin/stdout (the default and only transport; accepted for clients that pass it)");
  sub->add_option("--debounce", opts->debounceMs,
                  "Milliseconds of quiet after an edit before the model is checked again")
      ->check(CLI::Range(0, 5000));
  sub->callback([opts] { runLsp(*opts); });
});

} // namespace camp::driver

#endif // CAMP_HAVE_LSP
