// The front-end pipeline: reads files (base/Text.h), follows imports once each, finds import
// cycles, then runs parse → check → lower on a large stack.
#include "frontend/Compile.h"

#include "ir/Verify.h"

#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "base/Stack.h"
#include "base/Text.h"
#include "diag/Messages.h"
#include "frontend/Stdlib.h"
#include "lower/Lower.h"
#include "sema/Checker.h"
#include "sema/UnitlessParams.h"
#include "syntax/Parser.h"

namespace fs = std::filesystem;

namespace camp {

namespace {

class Loader {
public:
  Loader(diag::DiagnosticEngine &diags, const CompileOptions &opts, Compilation &out)
      : Diags(diags), Opts(opts), Out(out) {
    StdPaths = stdlibSearchPath(opts.stdlibPaths);
  }

  void loadEntry(const std::string &path) {
    std::string text;
    if (!read(path, SourceRange{}, text)) {
      Out.unreadable = true;
      return;
    }
    addFile(path, canonical(path), std::move(text), SourceRange{});
  }

  void loadEntryText(const std::string &name, std::string bytes) {
    std::string text;
    if (!accept(name, SourceRange{}, text::readBytes(std::move(bytes)), text)) {
      Out.unreadable = true;
      return;
    }
    addFile(name, canonical(name), std::move(text), SourceRange{});
  }

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

  // Reads a file for parsing (validated UTF-8, BOM and CR LF removed); reports why not (at
  // `from`, the import, when there is one).
  bool read(const std::string &path, SourceRange from, std::string &text) {
    return accept(path, from, text::readFile(path), text);
  }

  bool accept(const std::string &path, SourceRange from, text::ReadResult r, std::string &text) {
    switch (r.status) {
    case text::ReadStatus::Ok:
      text = std::move(r.decoded.text);
      return true;
    case text::ReadStatus::Directory:
      diag::report<diag::msg::IsDirectory>(Diags, from, diag::arg::Path{path}).help = "name a file inside it";
      return false;
    case text::ReadStatus::Missing:
      if (from.valid())
        diag::report<diag::msg::ImportedFileNotFound>(Diags, from, diag::arg::Path{path}).help =
            "paths are relative to the importing file; `std/NAME` is the standard library";
      else
        diag::report<diag::msg::FileNotFound>(Diags, from, diag::arg::Path{path}).help = "check the file name";
      return false;
    case text::ReadStatus::TooLarge:
      diag::report<diag::msg::TooLarge>(Diags, from, diag::arg::Path{path}).help =
          "split the model into several imported files";
      return false;
    case text::ReadStatus::Unreadable:
      diag::report<diag::msg::CannotOpen>(Diags, from, diag::arg::Path{path}).help = "check its permissions";
      return false;
    case text::ReadStatus::NotText:
      break;
    }
    // Show the line up to the bad byte, with the byte itself as U+FFFD.
    size_t badAt = r.decoded.badByte;
    int32_t id = Diags.sources().add(path, r.validPrefix + "\xEF\xBF\xBD");
    SourceRange at{id, uint32_t(badAt), uint32_t(badAt + 3)};
    auto &d = diag::report<diag::msg::NotText>(Diags, from.valid() ? from : at, diag::arg::Path{path},
                                               diag::arg::Count{int64_t(badAt + 1)});
    d.help = "a .camp file is plain UTF-8 text; check that the right file is named";
    return false;
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
      auto &d = diag::report<diag::msg::ImportsInACircle>(Diags, imp.range, diag::arg::Path{imp.path});
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
  if (!c.model) {
    std::string currency;
    for (const ast::File &f : c.files)
      if (!f.currencies.empty() && currency.empty())
        currency = f.currencies[0].name;
    sema::explainUnitlessParams(c.files, currency, diags);
    return;
  }
  c.module = lower::lower(*c.model, diags.sources());
  std::string broken, what;
  if (!ir::verify(*c.module, broken, &what)) {
    diag::report<diag::msg::CompiledModelInconsistent>(diags, SourceRange{}, diag::arg::Words{what});
    c.module.reset();
  }
}

} // namespace

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
