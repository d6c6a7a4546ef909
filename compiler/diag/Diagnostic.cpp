// Diagnostic kinds' table look-ups, the engine, and its diagnostics emitted as records.
#include "diag/Diagnostic.h"
#include "diag/Render.h"

#include "base/Text.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <fmt/format.h>

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
    std::vector<TableEntry> t = {
#define CAMP_DIAG(Name, Lvl, Explanation) {#Name, "compiler", levelWord(Level::Lvl), Explanation, ""},
#define CAMP_LINT(Name, Id, Lvl, Summary, Help) {Id, "lint", levelWord(Level::Lvl), Summary, Help},
#define CAMP_CLI(Name, Lvl, Explanation) {#Name, "command line", levelWord(Level::Lvl), Explanation, ""},
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

Record recordOf(const Diagnostic &d, const SourceManager &sm) {
  Record r{kindName(d.kind), d.level, d.message, placeOf(sm, d.range), d.range, d.label, {}, d.help};
  for (const Note &n : d.notes)
    r.notes.push_back({n.message, placeOf(sm, n.range), n.range});
  return r;
}

std::string renderText(const Diagnostic &d, const SourceManager &sm, const RenderOptions &opts) {
  return renderText(recordOf(d, sm), &sm, {TextStyle::Compiler, opts.colour, true});
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

std::vector<Record> recordsOf(const DiagnosticEngine &engine) {
  std::vector<Record> out;
  for (const Diagnostic *d : sorted(engine))
    out.push_back(recordOf(*d, engine.sources()));
  return out;
}

std::string renderJson(const DiagnosticEngine &engine) {
  return renderJson(recordsOf(engine), JsonStyle::Diagnostics, engine.errorCount(), engine.warningCount());
}

} // namespace camp::diag
