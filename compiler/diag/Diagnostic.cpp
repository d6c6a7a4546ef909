// Diagnostic kinds' table look-ups, the engine, and the text and JSON renderers.
#include "diag/Diagnostic.h"

#include "base/Text.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace camp::diag {

namespace {
struct KindInfo {
  const char *name;
  Level level;
  const char *explanation;
};
const KindInfo kKinds[] = {
#define CAMP_DIAG(Name, Lvl, Explanation) {#Name, Level::Lvl, Explanation},
#include "diag/DiagnosticKinds.def"
};
} // namespace

const char *kindName(Kind k) { return kKinds[size_t(k)].name; }
Level kindLevel(Kind k) { return kKinds[size_t(k)].level; }
const char *kindExplanation(Kind k) { return kKinds[size_t(k)].explanation; }

bool kindFromName(const std::string &name, Kind &out) {
  auto lower = [](std::string s) {
    for (char &c : s)
      c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string wanted = lower(name); // `tiertable` finds TierTable: people type what they read
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (wanted == lower(kKinds[i].name)) {
      out = Kind(i);
      return true;
    }
  }
  return false;
}

const std::vector<TableEntry> &diagnosticTable() {
  static const std::vector<TableEntry> table = [] {
    auto word = [](Level l) { return l == Level::Error ? "error" : l == Level::Warning ? "warning" : "note"; };
    (void)word;
    std::vector<TableEntry> t = {
#define CAMP_DIAG(Name, Lvl, Explanation) {#Name, "compiler", word(Level::Lvl), Explanation, ""},
#define CAMP_LINT(Name, Id, Lvl, Summary, Help) {Id, "lint", word(Level::Lvl), Summary, Help},
#define CAMP_CLI(Name, Lvl, Explanation) {#Name, "command line", word(Level::Lvl), Explanation, ""},
#include "diag/DiagnosticKinds.def"
    };
    return t;
  }();
  return table;
}

const TableEntry *findTableEntry(const std::string &name) {
  auto lower = [](std::string s) {
    for (char &c : s)
      c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string wanted = lower(name);
  for (const TableEntry &e : diagnosticTable())
    if (lower(e.name) == wanted)
      return &e;
  return nullptr;
}

std::vector<Kind> allKinds() {
  std::vector<Kind> v;
  for (size_t i = 0; i < std::size(kKinds); ++i)
    v.push_back(Kind(i));
  return v;
}

Diagnostic &DiagnosticEngine::report(Kind kind, SourceRange range, std::string message) {
  Level level = kindLevel(kind);
  for (Diagnostic &d : Diags)
    if (d.kind == kind && d.range.file == range.file && d.range.begin == range.begin && d.message == message)
      return Discarded = Diagnostic{}; // the same mistake reported twice: keep one
  if (level == Level::Error && ++Errors > MaxErrors)
    return Discarded = Diagnostic{};
  if (level == Level::Warning)
    ++Warnings;
  Diags.push_back(Diagnostic{kind, level, range, std::move(message), {}, {}, {}});
  return Diags.back();
}

namespace {

const char *levelWord(Level l) {
  switch (l) {
  case Level::Error:
    return "error";
  case Level::Warning:
    return "warning";
  case Level::Note:
    return "note";
  }
  return "error";
}

struct Style {
  bool on;
  std::string bold(const std::string &s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string level(Level l) const {
    std::string w = levelWord(l);
    if (!on)
      return w;
    const char *c = l == Level::Error ? "\033[1;31m" : l == Level::Warning ? "\033[1;35m" : "\033[1;36m";
    return c + w + "\033[0m";
  }
  std::string caret(const std::string &s) const { return on ? "\033[1;32m" + s + "\033[0m" : s; }
};

// Prints the source line of `range` with a caret under its first character and `~` under the rest.
void renderSnippet(std::string &out, const SourceManager &sm, SourceRange range, const std::string &label,
                   const Style &st) {
  if (!range.valid())
    return;
  const SourceFile &f = sm.file(range.file);
  LineCol b = f.lineCol(range.begin);
  std::string_view text = f.lineText(b.line);
  // A very long line (generated, minified): show a window of it around the column.
  constexpr int kWindow = 100;
  int skipped = 0;
  if (b.column > kWindow) {
    skipped = b.column - kWindow / 2;
    size_t byte = f.offsetOf(b.line, skipped + 1) - f.offsetOf(b.line, 1);
    text = text.substr(byte);
  }
  if (text.size() > size_t(2 * kWindow))
    text = text.substr(0, size_t(2 * kWindow));
  std::string lineNo = std::to_string(b.line);
  std::string gutter(lineNo.size(), ' ');
  std::string shown = skipped ? "…" : "";
  for (char c : text)
    shown += (c == '\t') ? ' ' : c;
  LineCol e0 = f.lineCol(std::max(range.end, range.begin + 1) - 1);
  int width0 = e0.line == b.line ? std::max(1, e0.column - b.column + 1) : 1 << 20;
  if (skipped)
    b.column = b.column - skipped + 1;
  out += fmt::format(" {} | {}\n", lineNo, shown);
  int width = width0;
  int textCols = 0;
  for (char c : shown)
    if ((uint8_t(c) & 0xC0) != 0x80)
      ++textCols;
  if (width > textCols - b.column + 1)
    width = std::max(1, textCols - b.column + 1);
  std::string marks = "^" + std::string(size_t(width - 1), '~');
  out += fmt::format(" {} | {}{}{}\n", gutter, std::string(size_t(b.column - 1), ' '), st.caret(marks),
                     label.empty() ? "" : " " + label);
}

std::string location(const SourceManager &sm, SourceRange r) {
  if (!r.valid())
    return "";
  const SourceFile &f = sm.file(r.file);
  LineCol lc = f.lineCol(r.begin);
  return fmt::format("{}:{}:{}: ", f.path(), lc.line, lc.column);
}

} // namespace

std::string renderText(const Diagnostic &d, const SourceManager &sm, const RenderOptions &opts) {
  Style st{opts.colour};
  std::string out = st.bold(location(sm, d.range)) + st.level(d.level) + ": " + st.bold(d.message) +
                    " [" + kindName(d.kind) + "]\n";
  renderSnippet(out, sm, d.range, d.label, st);
  for (const Note &n : d.notes) {
    out += st.bold(location(sm, n.range)) + st.level(Level::Note) + ": " + n.message + "\n";
    renderSnippet(out, sm, n.range, "", st);
  }
  if (!d.help.empty())
    out += st.bold("help") + ": " + d.help + "\n";
  return text::repaired(out); // a cut long line or bytes from the command line: never print invalid UTF-8
}

// In reading order: by file (as loaded) and position; reports without a place keep their order.
static std::vector<const Diagnostic *> sorted(const DiagnosticEngine &engine) {
  std::vector<const Diagnostic *> v;
  for (const Diagnostic &d : engine.diagnostics())
    v.push_back(&d);
  std::stable_sort(v.begin(), v.end(), [](const Diagnostic *a, const Diagnostic *b) {
    if (!a->range.valid() || !b->range.valid())
      return false;
    return std::tie(a->range.file, a->range.begin) < std::tie(b->range.file, b->range.begin);
  });
  return v;
}

std::string renderText(const DiagnosticEngine &engine, const RenderOptions &opts) {
  std::string out;
  for (const Diagnostic *d : sorted(engine))
    out += renderText(*d, engine.sources(), opts);
  if (engine.errorCount() > 0) {
    out += fmt::format("{} error{}", engine.errorCount(), engine.errorCount() == 1 ? "" : "s");
    if (engine.warningCount() > 0)
      out += fmt::format(" and {} warning{}", engine.warningCount(), engine.warningCount() == 1 ? "" : "s");
    out += " found\n";
  }
  return out;
}

static nlohmann::json rangeJson(const SourceManager &sm, SourceRange r) {
  if (!r.valid())
    return nullptr;
  const SourceFile &f = sm.file(r.file);
  LineCol b = f.lineCol(r.begin), e = f.lineCol(std::max(r.end, r.begin));
  return {{"file", f.path()}, {"line", b.line}, {"column", b.column}, {"end_line", e.line}, {"end_column", e.column}};
}

std::string renderJson(const DiagnosticEngine &engine) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic *dp : sorted(engine)) {
    const Diagnostic &d = *dp;
    nlohmann::json notes = nlohmann::json::array();
    for (const Note &n : d.notes)
      notes.push_back({{"message", n.message}, {"location", rangeJson(engine.sources(), n.range)}});
    list.push_back({{"severity", levelWord(d.level)},
                    {"code", kindName(d.kind)},
                    {"message", d.message},
                    {"location", rangeJson(engine.sources(), d.range)},
                    {"label", d.label},
                    {"notes", notes},
                    {"help", d.help}});
  }
  nlohmann::json root = {{"schema", "camp.diagnostics/1"},
                         {"errors", engine.errorCount()},
                         {"warnings", engine.warningCount()},
                         {"diagnostics", list}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace camp::diag
