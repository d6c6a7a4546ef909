// Reads files (rejecting binaries, directories, huge files), follows imports once each, finds
// import cycles, then runs parse → check → lower on a large stack.
#include "syntax/Compile.h"

#include "ir/Verify.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

#include "base/Stack.h"
#include "lower/Lower.h"
#include "sema/Checker.h"
#include "syntax/Parser.h"

namespace fs = std::filesystem;

namespace camp {

namespace {

constexpr uintmax_t kMaxFileBytes = uintmax_t(64) << 20;

bool validUtf8(const std::string &s, size_t &badAt) {
  for (size_t i = 0; i < s.size();) {
    uint8_t c = uint8_t(s[i]);
    if (c == 0) {
      badAt = i;
      return false;
    }
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      badAt = i;
      return false;
    }
    for (size_t k = 1; k < n; ++k)
      if ((uint8_t(s[i + k]) & 0xC0) != 0x80) {
        badAt = i;
        return false;
      }
    i += n;
  }
  return true;
}

class Loader {
public:
  Loader(diag::DiagnosticEngine &diags, const CompileOptions &opts, Compilation &out)
      : Diags(diags), Opts(opts), Out(out) {
    // $CAMP_STDLIB wins, then the caller's places (an installed copy), then the source tree.
    if (const char *env = std::getenv("CAMP_STDLIB"); env && *env)
      StdPaths.push_back(env);
    for (const std::string &p : opts.stdlibPaths)
      StdPaths.push_back(p);
    for (const std::string &p : defaultStdlibPaths())
      StdPaths.push_back(p);
  }

  void loadEntry(const std::string &path) {
    std::string text;
    if (!read(path, SourceRange{}, text)) {
      Out.unreadable = true;
      return;
    }
    addFile(path, canonical(path), std::move(text), SourceRange{});
  }

  void loadEntryText(const std::string &name, std::string text) { addFile(name, canonical(name), std::move(text), SourceRange{}); }

  void addExtraLets() {
    if (Opts.extraLets.empty() || Out.files.empty())
      return;
    std::string text;
    for (auto &[name, expr] : Opts.extraLets)
      text += fmt::format("let {} = {}\n", name, expr);
    int32_t id = Diags.sources().add("<metric>", text);
    if (auto f = syntax::parseFile(id, Diags.sources(), Diags))
      Out.files.push_back(std::move(*f));
  }

private:
  static std::string canonical(const std::string &p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return c.string();
  }

  // Reads a file for parsing; reports why not (at `from`, the import, when there is one).
  bool read(const std::string &path, SourceRange from, std::string &text) {
    std::error_code ec;
    auto report = [&](diag::Kind k, const std::string &msg, const std::string &help) {
      auto &d = Diags.report(k, from, msg);
      d.help = help;
      return false;
    };
    if (fs::is_directory(path, ec))
      return report(diag::Kind::FileIsDirectory, fmt::format("`{}` is a directory, not a .camp file", path),
                    "name a file inside it");
    if (!fs::exists(path, ec))
      return report(from.valid() ? diag::Kind::ImportNotFound : diag::Kind::FileUnreadable,
                    fmt::format("cannot find `{}`", path),
                    from.valid() ? "paths are relative to the importing file; `std/NAME` is the standard library"
                                 : "check the file name");
    uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > kMaxFileBytes)
      return report(diag::Kind::FileTooLarge, fmt::format("`{}` is {} MiB; Camp reads at most 64 MiB", path, size >> 20),
                    "split the model into several imported files");
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return report(diag::Kind::FileUnreadable, fmt::format("cannot open `{}`", path), "check its permissions");
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    size_t badAt = 0;
    if (!validUtf8(text, badAt)) {
      int32_t id = Diags.sources().add(path, text.substr(0, std::min<size_t>(badAt + 1, 4096)));
      SourceRange at{id, uint32_t(badAt), uint32_t(badAt + 1)};
      auto &d = Diags.report(diag::Kind::FileNotText, from.valid() ? from : at,
                             fmt::format("`{}` is not a text file (byte {} is not UTF-8 text)", path, badAt + 1));
      d.help = "a .camp file is plain UTF-8 text; check that the right file is named";
      return false;
    }
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
      text.replace(0, 3, "   "); // a byte-order mark: keep offsets, drop the mark
    return true;
  }

  void addFile(const std::string &display, const std::string &canon, std::string text, SourceRange from) {
    int32_t id = Diags.sources().add(display, std::move(text));
    Loaded[canon] = id;
    Stack.push_back({canon, from});
    auto file = syntax::parseFile(id, Diags.sources(), Diags);
    if (file) {
      size_t index = Out.files.size();
      Out.files.push_back(std::move(*file));
      std::vector<ast::ImportDecl> imports = Out.files[index].imports;
      for (const ast::ImportDecl &imp : imports)
        followImport(display, imp);
    }
    Stack.pop_back();
  }

  std::string resolve(const std::string &importer, const std::string &spec) {
    std::error_code ec;
    fs::path base = fs::path(importer).parent_path();
    if (spec.rfind("std/", 0) != 0 && fs::is_directory(base / spec, ec))
      return (base / spec).lexically_normal().string(); // reported as a directory, not as missing
    std::string withExt = fs::path(spec).extension() == ".camp" ? spec : spec + ".camp";
    if (spec.rfind("std/", 0) == 0) {
      for (const std::string &dir : StdPaths) {
        fs::path p = fs::path(dir) / withExt;
        std::error_code ec;
        if (fs::exists(p, ec))
          return p.string();
      }
      return withExt;
    }
    return (base / withExt).lexically_normal().string();
  }

  void followImport(const std::string &importer, const ast::ImportDecl &imp) {
    std::string path = resolve(importer, imp.path);
    std::string canon = canonical(path);
    for (size_t i = 0; i < Stack.size(); ++i) {
      if (Stack[i].first != canon)
        continue;
      auto &d = Diags.report(diag::Kind::ImportCycle, imp.range,
                             fmt::format("importing `{}` here makes the imports go round in a circle", imp.path));
      for (size_t k = i + 1; k < Stack.size(); ++k)
        d.notes.push_back({Stack[k].second, "which is imported here"});
      d.help = "move what both files need into a third file that both import";
      return;
    }
    if (Loaded.count(canon))
      return; // imported before: loaded once
    std::string text;
    if (!read(path, imp.range, text))
      return;
    addFile(path, canon, std::move(text), imp.range);
  }

  diag::DiagnosticEngine &Diags;
  const CompileOptions &Opts;
  Compilation &Out;
  std::vector<std::string> StdPaths;
  std::map<std::string, int32_t> Loaded;
  std::vector<std::pair<std::string, SourceRange>> Stack; // canonical path, the import that led here
};

void checkAndLower(Compilation &c, diag::DiagnosticEngine &diags) {
  if (c.files.empty() || diags.hasErrors())
    return;
  c.model = sema::check(c.files, diags.sources(), diags);
  if (!c.model)
    return;
  c.module = lower::lower(*c.model, diags.sources());
  std::string broken;
  if (!ir::verify(*c.module, broken)) {
    diags.report(diag::Kind::InternalError, SourceRange{}, broken);
    c.module.reset();
  }
}

} // namespace

std::vector<std::string> defaultStdlibPaths() {
  std::vector<std::string> paths;
  if (const char *env = std::getenv("CAMP_STDLIB"); env && *env)
    paths.push_back(env);
#ifdef CAMP_SOURCE_STDLIB
  paths.push_back(CAMP_SOURCE_STDLIB);
#endif
  return paths;
}

std::unique_ptr<Compilation> compile(const std::string &path, diag::DiagnosticEngine &diags, const CompileOptions &opts) {
  auto c = std::make_unique<Compilation>();
  runWithLargeStack([&] {
    Loader loader(diags, opts, *c);
    loader.loadEntry(path);
    loader.addExtraLets();
    checkAndLower(*c, diags);
  });
  return c;
}

std::unique_ptr<Compilation> compileText(const std::string &fileName, const std::string &text,
                                         diag::DiagnosticEngine &diags, const CompileOptions &opts) {
  auto c = std::make_unique<Compilation>();
  runWithLargeStack([&] {
    Loader loader(diags, opts, *c);
    loader.loadEntryText(fileName, text);
    loader.addExtraLets();
    checkAndLower(*c, diags);
  });
  return c;
}

std::optional<ir::Module> compileFile(const std::string &path, diag::DiagnosticEngine &diags, const CompileOptions &opts) {
  return std::move(compile(path, diags, opts)->module);
}

std::optional<ir::Module> compileSource(const std::string &fileName, const std::string &text,
                                        diag::DiagnosticEngine &diags, const CompileOptions &opts) {
  return std::move(compileText(fileName, text, diags, opts)->module);
}

std::optional<double> parseParamValue(const Compilation &c, int param, const std::string &origin,
                                      const std::string &text, diag::DiagnosticEngine &diags) {
  if (!c.model)
    return std::nullopt;
  int32_t id = diags.sources().add(origin, text);
  std::optional<double> out;
  runWithLargeStack([&] {
    ast::ExprPtr e = syntax::parseExpression(id, diags.sources(), diags);
    if (e)
      out = sema::checkOverride(*c.model, param, *e, diags);
  });
  return out;
}

} // namespace camp
