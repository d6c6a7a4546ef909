// Names of a parsed model and every place each is written: the basis of definition, references,
// rename, symbols, semantic tokens and completion. Built from the AST alone, so it works even
// when the model has type errors.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ast/Ast.h"

namespace camp::lsp {

enum class SymbolKind {
  Param,
  Let,
  RateCard,
  Fee,
  Price,
  Pipeline,
  Stage,
  PipelineLet,
  Unit,
  Category,
  Scenario,
  Forecast
};

const char *symbolKindName(SymbolKind k); // "param", "rate card", …

struct Symbol {
  SymbolKind kind = SymbolKind::Let;
  std::string name;                        // as written: `send`
  std::string qualified;                   // how other code names it: `mailstream.send`, `spring.execute`
  int parent = -1;                         // the rate card or pipeline of a member
  SourceRange nameRange;                   // the declaring identifier
  SourceRange declRange;                   // the whole declaration
  std::string doc;                         // the `///` comment
  const void *decl = nullptr;              // the AST node (ParamDecl*, StageDecl*, …)
  int pipelineIndex = -1, stageIndex = -1; // Stage / PipelineLet / Pipeline: positions in the AST
};

struct Occurrence {
  int symbol = -1;
  SourceRange range;
  bool declaration = false;
};

/// A price call written in the model: where, and which price symbol it calls.
struct CallSite {
  const ast::Expr *expr = nullptr;
  int price = -1; // symbol index
};

class Index {
public:
  void build(const std::vector<ast::File> &files);

  const std::vector<Symbol> &symbols() const { return Symbols; }
  const std::vector<Occurrence> &occurrences() const { return Occurrences; }
  const std::vector<CallSite> &calls() const { return Calls; }

  /// The occurrence covering byte `offset` of `file` (the end of a name counts), or nullptr.
  const Occurrence *at(int32_t file, uint32_t offset) const;
  std::vector<const Occurrence *> referencesTo(int symbol) const;
  /// A symbol by qualified name, or -1.
  int find(const std::string &qualified) const;
  /// Members (fees and prices of a card; stages and lets of a pipeline).
  std::vector<int> membersOf(int parent) const;

private:
  int add(Symbol s);
  void occur(int symbol, SourceRange r, bool decl = false);
  void declare(const ast::File &f);
  void resolve(const ast::File &f);
  void expr(const ast::Expr *e, int pipeline);
  void unitSuffix(const ast::UnitSuffix &u);
  void name(const ast::Expr &e, int pipeline);

  std::vector<Symbol> Symbols;
  std::vector<Occurrence> Occurrences;
  std::vector<CallSite> Calls;
  std::unordered_map<std::string, int> ByName; // qualified name -> first symbol
};

} // namespace camp::lsp
