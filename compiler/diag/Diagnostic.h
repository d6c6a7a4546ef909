// The diagnostic engine: checks report Diagnostics to it; it emits them as records for diag/Render.h.
#pragma once

#include <string>
#include <vector>

#include "base/Source.h"

namespace camp::diag {

enum class Kind {
#define CAMP_DIAG(Name, Level, Explanation) Name,
#include "diag/DiagnosticKinds.def"
};

enum class Level { Error, Warning, Note };

const char *kindName(Kind k);
Level kindLevel(Kind k);
const char *kindExplanation(Kind k);
bool kindFromName(const std::string &name, Kind &out);
std::vector<Kind> allKinds();

/// One entry of the diagnostics table (DiagnosticKinds.def), whatever its channel.
struct TableEntry {
  const char *name;        // `UnitMismatch`, or a lint rule's id `unused-param`
  const char *channel;     // "compiler", "lint" or "command line"
  const char *level;       // "error", "warning", "note"
  const char *explanation; // what `camp explain` prints (a lint rule: what it finds, then what to do)
  const char *help;        // lint rules: what to do; empty otherwise
};
/// Every entry: compiler kinds, then lint rules, then command-line errors.
const std::vector<TableEntry> &diagnosticTable();
/// The entry named `name`, compared case-insensitively; nullptr if none.
const TableEntry *findTableEntry(const std::string &name);

struct Note {
  SourceRange range; // may be invalid: a note without a place
  std::string message;
};

struct Diagnostic {
  Kind kind = Kind::Syntax;
  Level level = Level::Error;
  SourceRange range;
  std::string message;
  std::string label;             // short text printed under the caret
  std::vector<Note> notes;
  std::string help;              // how to fix it
};

/// Collects diagnostics. Identical reports (same place and message) are kept once, and after
/// `maxErrors` errors further ones are counted but not kept.
class DiagnosticEngine {
public:
  DiagnosticEngine() = default;
  DiagnosticEngine(const DiagnosticEngine &) = delete;
  DiagnosticEngine &operator=(const DiagnosticEngine &) = delete;

  const std::vector<Diagnostic> &diagnostics() const { return Diags; }
  const SourceManager &sources() const { return Sources; }
  SourceManager &sources() { return Sources; }
  int errorCount() const { return Errors; }
  int warningCount() const { return Warnings; }
  bool hasErrors() const { return Errors > 0; }
  void setMaxErrors(int n) { MaxErrors = n; }
  /// Drops the diagnostics `drop` selects (one mistake reported once: a later pass replaces
  /// several symptoms by their cause), keeping the error and warning counts right.
  template <typename Pred> void removeIf(Pred drop) {
    std::vector<Diagnostic> kept;
    for (Diagnostic &d : Diags) {
      if (!drop(static_cast<const Diagnostic &>(d))) {
        kept.push_back(std::move(d));
        continue;
      }
      Errors -= d.level == Level::Error;
      Warnings -= d.level == Level::Warning;
    }
    Diags = std::move(kept);
  }

private:
  // Every message is a CAMP_MESSAGE row of DiagnosticKinds.def, reported through the typed
  // diag::report<diag::msg::Id>(engine, range, args…) (diag/Messages.h): the only caller.
  template <typename M, typename... A>
  friend Diagnostic &report(DiagnosticEngine &engine, SourceRange range, const A &...args);
  Diagnostic &report(Kind kind, SourceRange range, std::string message);

  SourceManager Sources; // every file a diagnostic may point into
  std::vector<Diagnostic> Diags;
  Diagnostic Discarded;
  int Errors = 0, Warnings = 0, MaxErrors = 100;
};

struct RenderOptions {
  bool colour = false;
};

/// `file:line:col: error: message [Kind]`, the source line, a caret under the span, notes, help.
std::string renderText(const DiagnosticEngine &engine, const RenderOptions &opts);
std::string renderText(const Diagnostic &d, const SourceManager &sources, const RenderOptions &opts);
/// {"schema": "camp.diagnostics/1", "diagnostics": [...]} for tools and editors.
std::string renderJson(const DiagnosticEngine &engine);

struct Record;
/// A diagnostic as the shared renderers' record (diag/Render.h): its place resolved in `sm`.
Record recordOf(const Diagnostic &d, const SourceManager &sm);
/// The engine's diagnostics as records, in reading order.
std::vector<Record> recordsOf(const DiagnosticEngine &engine);

} // namespace camp::diag
