// Runs the ANTLR lexer over a text and turns its tokens into the plain, ANTLR-free Token list.
#include "syntax/Tokens.h"

#include "CampLexer.h"
#include "antlr4-runtime.h"
#include "syntax/CodePoints.h"

namespace camp::syntax {

using camp_antlr::CampLexer;

namespace {

TokenKind kindOf(size_t type) {
  switch (type) {
  case CampLexer::IDENT:
    return TokenKind::Identifier;
  case CampLexer::NUMBER:
    return TokenKind::Number;
  case CampLexer::STRING:
    return TokenKind::String;
  case CampLexer::DATE:
    return TokenKind::Date;
  case CampLexer::NL:
    return TokenKind::LineBreak;
  case CampLexer::LINE_COMMENT:
    return TokenKind::LineComment;
  case CampLexer::DOC_COMMENT:
    return TokenKind::DocComment;
  case CampLexer::BLOCK_COMMENT:
    return TokenKind::BlockComment;
  case CampLexer::UNTERMINATED_STRING:
  case CampLexer::UNTERMINATED_COMMENT:
  case CampLexer::ERROR_CHAR:
    return TokenKind::Invalid;
  default:
    break;
  }
  if (type >= CampLexer::MODEL && type <= CampLexer::IN)
    return TokenKind::Keyword;
  return TokenKind::Punct;
}

} // namespace

std::vector<Token> tokenize(const std::string &text) {
  CodePointStream input(text);
  CampLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<std::unique_ptr<antlr4::Token>> raw = lexer.getAllTokens();
  OffsetMap offsets(text);
  std::vector<Token> out;
  out.reserve(raw.size());
  for (const auto &t : raw) {
    if (t->getType() == antlr4::Token::EOF)
      continue;
    Token tok;
    tok.kind = kindOf(t->getType());
    tok.begin = offsets.byteOf(t->getStartIndex());
    tok.end = offsets.byteOf(t->getStopIndex() + 1);
    tok.text = text.substr(tok.begin, tok.end - tok.begin);
    tok.line = int(t->getLine());
    out.push_back(std::move(tok));
  }
  return out;
}

bool isNameKeyword(const std::string &word) {
  static const char *const kNames[] = {"fee",    "price",     "monthly", "run",   "per",      "growth",
                                       "seasonal", "graduated", "volume",  "up",    "to",       "above",
                                       "after",  "included",  "minimum", "maximum", "package", "at",
                                       "plus",   "discount",  "commit",  "overage", "contract", "from",
                                       "billed", "budget", "correlate"};
  for (const char *n : kNames)
    if (word == n)
      return true;
  return false;
}

} // namespace camp::syntax
