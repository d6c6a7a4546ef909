// A plain token list of a .camp text (comments and line breaks included) for source tools.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace camp::syntax {

enum class TokenKind {
  Identifier,   // a name, or a unit name
  Keyword,      // a reserved word: `param`, `stage`, `up`, …
  Number,       // 1_400_000, 2.5e-4, 1.2%
  String,       // "…" with its quotes
  Date,         // 2026-01, 2026-01-31
  Punct,        // operators and brackets: `=`, `/`, `(`, `..`, …
  LineBreak,    // one line break (\n, \r\n or \r)
  LineComment,  // `// …` without the line break
  DocComment,   // `/// …` without the line break
  BlockComment, // `/* … */`, possibly over several lines
  Invalid,      // a character or unterminated string/comment the language does not allow
};

struct Token {
  TokenKind kind = TokenKind::Invalid;
  std::string text;       // exactly as written
  uint32_t begin = 0;     // byte offsets into the text: [begin, end)
  uint32_t end = 0;
  int line = 1;           // 1-based line of the first character

  bool isComment() const {
    return kind == TokenKind::LineComment || kind == TokenKind::DocComment || kind == TokenKind::BlockComment;
  }
  bool isDocComment() const { return kind == TokenKind::DocComment; }
  bool isLineBreak() const { return kind == TokenKind::LineBreak; }
  bool is(TokenKind k, const char *t) const { return kind == k && text == t; }
  bool isPunct(const char *t) const { return is(TokenKind::Punct, t); }
  bool isKeyword(const char *t) const { return is(TokenKind::Keyword, t); }
};

/// Every token of `text` in order, whitespace excepted. Never fails: characters the language
/// does not allow come out as Invalid tokens.
std::vector<Token> tokenize(const std::string &text);

/// True for keywords that may also be used as names (`param fee`, `let monthly`).
bool isNameKeyword(const std::string &word);

} // namespace camp::syntax
