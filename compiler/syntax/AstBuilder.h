// Walks ANTLR's typed parse contexts into Camp's own AST (no ANTLR type escapes this library).
#pragma once

#include <vector>

#include "CampParser.h"
#include "ast/Ast.h"
#include "diag/Diagnostic.h"

namespace camp::syntax {

class AstBuilder {
public:
  AstBuilder(int32_t file, const SourceManager &sm, diag::DiagnosticEngine &diags,
             std::vector<antlr4::Token *> tokens)
      : File(file), Sm(sm), Diags(diags), Tokens(std::move(tokens)) {}

  std::optional<ast::File> buildFile(camp_antlr::CampParser::File_Context *ctx);
  ast::ExprPtr buildExpr(camp_antlr::CampParser::ExprContext *ctx);

private:
  using P = camp_antlr::CampParser;

  SourceRange range(antlr4::ParserRuleContext *ctx) const;
  SourceRange range(antlr4::Token *t) const;
  SourceRange range(antlr4::tree::TerminalNode *n) const { return range(n->getSymbol()); }
  ast::Ident ident(antlr4::tree::TerminalNode *n) const;
  ast::Ident ident(P::NameContext *n) const;
  std::string stringValue(antlr4::tree::TerminalNode *n) const;
  std::string docBefore(antlr4::ParserRuleContext *ctx) const;
  std::string sourceText(antlr4::ParserRuleContext *ctx) const;
  double numberValue(antlr4::Token *t);
  /// Name, title, doc comment and range: what every named block declaration starts with.
  template <typename Decl, typename Ctx> void header(Decl &d, Ctx *ctx) {
    d.name = ident(ctx->name());
    d.title = stringValue(ctx->STRING());
    d.doc = docBefore(ctx);
    d.range = range(ctx);
  }

  void addDecl(ast::File &f, P::DeclContext *ctx);
  ast::ParamDecl param(P::ParamDeclContext *ctx);
  ast::LetDecl let(P::LetDeclContext *ctx);
  ast::RatecardDecl ratecard(P::RatecardDeclContext *ctx);
  ast::PriceDecl price(P::PriceDeclContext *ctx);
  void tiers(ast::PriceDecl &p, P::TierBlockContext *block);
  void priceTerm(ast::PriceDecl &p, P::PriceTermContext *t);
  ast::PipelineDecl pipeline(P::PipelineDeclContext *ctx);
  ast::StageDecl stage(P::StageDeclContext *ctx);
  ast::ScenarioDecl scenario(P::ScenarioDeclContext *ctx);
  ast::ForecastDecl forecast(P::ForecastDeclContext *ctx);
  ast::Date date(antlr4::Token *t);
  ast::ExprPtr primary(P::PrimaryContext *ctx);
  ast::UnitSuffix unitSuffix(P::UnitExprContext *ctx);
  ast::UnitTerm unitPower(P::UnitPowerContext *ctx);

  int32_t File;
  const SourceManager &Sm;
  diag::DiagnosticEngine &Diags;
  std::vector<antlr4::Token *> Tokens;
};

} // namespace camp::syntax
