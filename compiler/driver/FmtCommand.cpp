// `camp fmt FILE... [--check]`: rewrite models in the canonical layout, or report which are not.
// Compiled only when camp_tooling is linked into the driver (it defines CAMP_HAVE_TOOLING).
#ifdef CAMP_HAVE_TOOLING
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

#include "Command.h"
#include "ModelLoader.h"
#include "Output.h"
#include "base/Text.h"
#include "tooling/Format.h"

namespace camp::driver {

namespace {

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
};

// Writes beside the file, then renames over it, so a crash never leaves half a model.
bool writeAtomically(const std::string &path, const std::string &text, std::string &error) {
  std::filesystem::path target(path);
  std::filesystem::path tmp = target;
  tmp += fmt::format(".camp-fmt-{}.tmp", getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      error = "cannot write beside it (is the folder writable?)";
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return false;
    }
  }
  std::error_code ec;
  auto perms = std::filesystem::status(target, ec).permissions();
  if (!ec)
    std::filesystem::permissions(tmp, perms, ec);
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    error = ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

// Reads `path` as `camp check` does; false, with the reason in `diags`, when it is not model text.
bool loadText(const std::string &path, diag::DiagnosticEngine &diags, std::string &text, text::Layout &layout) {
  text::ReadResult r = text::readFile(path);
  if (r.status == text::ReadStatus::Ok) {
    text = std::move(r.decoded.text);
    layout = r.decoded.layout;
    return true;
  }
  if (r.status != text::ReadStatus::NotText) {
    commandLineError(fmt::format("cannot read `{}`", path), "check the file name");
    return false;
  }
  size_t badAt = r.decoded.badByte;
  int32_t id = diags.sources().add(path, r.validPrefix + "\xEF\xBF\xBD");
  diag::report<diag::msg::NotText>(diags, {id, uint32_t(badAt), uint32_t(badAt + 3)}, diag::arg::Path{path},
                                   diag::arg::Count{int64_t(badAt + 1)})
      .help = "a .camp file is plain UTF-8 text; check that the right file is named";
  return false;
}

void runFmt(const FmtOptions &opts) {
  int unformatted = 0, rewritten = 0;
  for (const std::string &path : opts.files) {
    // The same reading as `camp check` (base/Text.h): a file check would refuse is never rewritten.
    diag::DiagnosticEngine diags;
    std::string text;
    text::Layout layout;
    if (!loadText(path, diags, text, layout)) {
      printDiagnostics(diags, "text");
      fmt::print(stderr, "camp fmt: `{}` was left unchanged\n", path);
      setExitCode(2); // as `camp check` does for a file it cannot read as a model
      continue;
    }
    auto formatted = tooling::formatSource(path, text, diags);
    if (!formatted) {
      printDiagnostics(diags, "text");
      fmt::print(stderr, "camp fmt: `{}` was left unchanged because it does not parse\n", path);
      setExitCode(1);
      continue;
    }
    if (*formatted == text)
      continue;
    if (opts.check) {
      ++unformatted;
      fmt::print("{}", tooling::unifiedDiff(path, path + " (formatted)", text, *formatted));
      continue;
    }
    std::string error;
    if (!writeAtomically(path, text::toFileBytes(*formatted, layout), error)) {
      commandLineError(fmt::format("cannot rewrite `{}`: {}", path, error));
      continue;
    }
    ++rewritten;
    fmt::print(stderr, "formatted {}\n", path);
  }
  std::fflush(stdout);
  if (opts.check && unformatted > 0) {
    fmt::print(stderr, "camp fmt: {} file{} not formatted; run `camp fmt` on {} to fix\n", unformatted,
               unformatted == 1 ? " is" : "s are", unformatted == 1 ? "it" : "them");
    setExitCode(1);
  }
}

} // namespace

CAMP_REGISTER_COMMAND(60, [](CLI::App &app) {
  auto opts = std::make_shared<FmtOptions>();
  CLI::App *sub = app.add_subcommand("fmt", "Rewrite models in the one canonical layout (or check that they are)");
  sub->footer("Indentation, spacing, `=` aligned within a block, digit grouping and blank lines are made\n"
              "canonical; every comment stays where it is. A file that does not parse is left untouched and\n"
              "its error printed. With --check nothing is written: files that would change are shown as a\n"
              "unified diff and the exit code is 1.\n\n"
              "Examples:\n"
              "  camp fmt model.camp rates/*.camp\n"
              "  camp fmt --check $(git ls-files '*.camp')");
  sub->add_option("files", opts->files, "The .camp files to format")->required();
  sub->add_flag("--check", opts->check, "Change nothing; print a diff and exit 1 when a file is not formatted");
  sub->callback([opts] { runFmt(*opts); });
});

} // namespace camp::driver

#endif // CAMP_HAVE_TOOLING
