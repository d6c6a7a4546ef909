// Diagnostic records and the one set of renderers (text, JSON, SARIF) every channel prints with.
#pragma once

#include <string>
#include <vector>

#include "base/Source.h"
#include "diag/Diagnostic.h"

namespace camp::diag {

/// A resolved place: what a record prints, independent of the SourceManager it came from.
struct Place {
  std::string file; // the path as given; empty: no place (a command-line error)
  int line = 0, column = 0, endLine = 0, endColumn = 0; // 1-based; 0: the whole file
  bool hasLine() const { return line > 0; }
};

/// `range` resolved in `sm`; the end column is raw (an empty range ends where it begins), as
/// camp.diagnostics/1 has always printed it. No place for an invalid range.
Place placeOf(const SourceManager &sm, SourceRange range);

struct RecordNote {
  std::string message;
  Place place;
  SourceRange range; // for the snippet; may be invalid
};

/// One diagnostic of any channel: compiler diagnostics, lint findings and command-line errors
/// are all emitted as records and printed by the renderers below.
struct Record {
  std::string code;   // the kind's name (`UnitMismatch`), a lint rule's id, or `UsageError`
  Level level = Level::Error;
  std::string message;
  Place place;
  SourceRange range;  // the source span behind `place`, for the snippet; may be invalid
  std::string label;  // short text printed under the caret
  std::vector<RecordNote> notes;
  std::string help;
};

const char *levelWord(Level l); // "error", "warning", "note"

/// The layouts the text renderer knows; each is what one channel has always printed.
enum class TextStyle {
  Compiler,    // `file:line:col: error: message [Kind]`, snippet and caret, notes, `help: ...`
  Lint,        // `file:line:col: warning: message [rule]`, then `  help: ...` indented
  CommandLine, // `camp: error: message [UsageError]`, then `help: ...`
};

struct TextOptions {
  TextStyle style = TextStyle::Compiler;
  bool colour = false;
  bool snippet = true; // Compiler style: the source line and a caret (needs a SourceManager)
};

/// One record as text. `sm` may be null: then no snippet is printed.
std::string renderText(const Record &r, const SourceManager *sm, const TextOptions &opts);

enum class JsonStyle {
  Diagnostics, // camp.diagnostics/1: nlohmann's layout, keys sorted, one field a line
  Lint,        // camp.lint/1: hand-written, one record a line
};

/// camp.diagnostics/1 wants the engine's counts (they include diagnostics not kept); camp.lint/1
/// ignores them.
std::string renderJson(const std::vector<Record> &records, JsonStyle style, int errors = 0, int warnings = 0);

/// A SARIF 2.1.0 log with one run, every rule of the channel described, for GitHub code
/// scanning. `tool` is "lint" (rules: the lint rules) or "check" (rules: the compiler kinds);
/// both from the one diagnostics table.
std::string renderSarif(const std::vector<Record> &records, const std::string &toolVersion, const std::string &tool);

/// JSON string escaping (quotes included); invalid UTF-8 is repaired first.
std::string jsonString(const std::string &raw);

} // namespace camp::diag
