// One analysed version of a document: its compilation, name index, base-case values and lint
// findings, and the LSP answers computed from them (hover, symbols, hints, lenses, …).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "camp/Engine.h"
#include "diag/Diagnostic.h"
#include "lsp/Index.h"
#include "lsp/Protocol.h"
#include "syntax/Compile.h"
#include "tooling/Lint.h"

namespace camp::lsp {

struct AnalysisOptions {
  std::vector<std::string> stdlibPaths;
};

/// The bill of one metered cost line at the base case: its price billed once on the pipeline's
/// summed quantity, shared among the lines that meter it.
struct Bill {
  double quantity = 0, amount = 0;
  int lines = 1;         // metered lines sharing the bill
  double share = 0;      // this line's share
  std::string tier;      // "tier 2 of 3: up to 2_000_000 email: 0.50 USD/(1000 email)", or ""
  std::string allowance; // "5,000 prompt included; 1,200 prompt billed", or ""
  bool minimumApplies = false;
};

class Snapshot {
public:
  /// Compiles `text` as the file `path` (imports are read from disk), indexes it and evaluates
  /// the base case. Never throws on bad input. When `cancelled()` turns true after compiling
  /// (a newer edit arrived), the base case is not evaluated: the caller drops the result.
  static std::shared_ptr<Snapshot> analyse(const std::string &uri, const std::string &path, const std::string &text,
                                           int version, const AnalysisOptions &opts,
                                           const std::function<bool()> &cancelled = {});
  /// Adds lint findings (a model that compiled only).
  void lint();

  std::string uri, path, text;
  int version = 0;
  diag::DiagnosticEngine diags;
  std::unique_ptr<Compilation> comp;
  Index index;
  int32_t entryFile = -1; // the source id of the document; -1 when it did not parse
  std::unique_ptr<runtime::Engine> engine;
  std::vector<double> params, slots;
  bool evaluated = false;
  std::vector<tooling::Finding> lintFindings;
  std::vector<std::unique_ptr<LineMap>> maps; // one per source id
  std::vector<std::string> uris;              // one per source id

  bool parsed() const { return entryFile >= 0; }
  bool checked() const { return comp && comp->model && comp->module; }
  const ir::Module &module() const { return *comp->module; }
  const LineMap &map(int32_t file) const { return *maps[size_t(file)]; }
  json location(SourceRange r) const;
  std::string sourceText(SourceRange r) const;
  /// A slot's base-case value as the reports show it ("1,280.00 USD"), or "".
  std::string valueText(int32_t slot) const;
  int32_t slotNamed(const std::string &name) const;
  std::optional<Bill> bill(int pipeline, int stage, int line) const;

private:
  std::unordered_map<std::string, int32_t> SlotByName;
  void evaluate(const std::string &path);
  AnalysisOptions Opts;
  std::vector<diag::Diagnostic> EvalDiags;
  friend json publishable(const Snapshot &, bool);
};

/// uri -> Diagnostic[] for the document and every file it imports (lint findings as warnings
/// when `withLint`). Every imported file appears, with an empty list when clean.
json publishable(const Snapshot &s, bool withLint);

json hover(const Snapshot &s, uint32_t offset);
json definition(const Snapshot &s, uint32_t offset);
json references(const Snapshot &s, uint32_t offset, bool includeDeclaration);
/// A WorkspaceEdit, or nullopt with `error` set (a keyword, a clash, nothing to rename).
std::optional<json> rename(const Snapshot &s, uint32_t offset, const std::string &newName, std::string &error);
json prepareRename(const Snapshot &s, uint32_t offset);
json documentSymbols(const Snapshot &s);
/// `text`/`offset`: the document as the editor has it now (the snapshot may be older).
json completion(const Snapshot *s, const std::string &text, uint32_t offset);
json formatting(const std::string &path, const std::string &text);
json semanticTokensLegend();
json semanticTokens(const Snapshot &s);
json inlayHints(const Snapshot &s, uint32_t begin, uint32_t end);
json codeActions(const Snapshot &s, const std::string &uri, uint32_t begin, uint32_t end);
json codeLenses(const Snapshot &s);

} // namespace camp::lsp
