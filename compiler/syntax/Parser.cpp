// Drives the ANTLR lexer and parser, hides ignorable line breaks, and words syntax errors plainly.
#include "syntax/Parser.h"

#include <fmt/format.h>
#include <limits>

#include "CampLexer.h"
#include "CampParser.h"
#include "antlr4-runtime.h"
#include "base/Text.h"
#include "syntax/CodePoints.h"
#include "diag/Messages.h"
#include "syntax/AstBuilder.h"

namespace camp::syntax {

using camp_antlr::CampLexer;
using camp_antlr::CampParser;

namespace {

constexpr int kMaxNesting = 100;          // ( [ { levels
constexpr int kMaxOperatorsPerStatement = 2000;

bool isContinuationToken(size_t type) {
  switch (type) {
  case CampLexer::PLUS: case CampLexer::MINUS: case CampLexer::STAR: case CampLexer::SLASH:
  case CampLexer::CARET: case CampLexer::LT: case CampLexer::LE: case CampLexer::GT:
  case CampLexer::GE: case CampLexer::EQ: case CampLexer::NE: case CampLexer::AND:
  case CampLexer::OR: case CampLexer::NOT: case CampLexer::ASSIGN: case CampLexer::COMMA:
  case CampLexer::TILDE: case CampLexer::COLON:
    return true;
  default:
    return false;
  }
}

bool isOperatorToken(size_t type) { return isContinuationToken(type) && type != CampLexer::COMMA && type != CampLexer::ASSIGN; }

SourceRange tokenRange(int32_t file, const antlr4::Token *t) {
  if (t->getType() == antlr4::Token::EOF)
    return {file, uint32_t(t->getStartIndex()), uint32_t(t->getStartIndex())};
  return {file, uint32_t(t->getStartIndex()), uint32_t(t->getStopIndex() + 1)};
}

/// Lexes the whole text, rewrites code-point offsets to bytes, reports bad tokens, hides the line
/// breaks LANGUAGE.md ignores, and refuses inputs nested too deeply to parse safely.
class TokenPrep {
public:
  TokenPrep(int32_t file, const std::string &text, diag::DiagnosticEngine &diags)
      : File(file), Diags(diags), Input(text), Lexer(&Input), Offsets(text) {
    Lexer.removeErrorListeners();
  }

  bool run(std::vector<std::unique_ptr<antlr4::Token>> &out) {
    out = Lexer.getAllTokens();
    fixOffsets(out);
    // ListTokenSource needs a real EOF token (an empty file has no other token).
    auto eof = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF);
    size_t end = Offsets.byteOf(std::numeric_limits<size_t>::max());
    eof->setStartIndex(end);
    eof->setStopIndex(end - 1);
    eof->setLine(Lexer.getLine());
    eof->setCharPositionInLine(Lexer.getCharPositionInLine());
    eof->setText("<EOF>");
    out.push_back(std::move(eof));
    for (auto &t : out)
      if (!checkToken(t.get()))
        return false;
    return hideLineBreaks(out);
  }

private:
  void fixOffsets(std::vector<std::unique_ptr<antlr4::Token>> &toks) {
    if (Offsets.identity())
      return;
    for (auto &t : toks) {
      auto *ct = static_cast<antlr4::CommonToken *>(t.get());
      ct->setText(ct->getText()); // the text is read through the old indices: keep it
      size_t b = ct->getStartIndex(), e = ct->getStopIndex();
      ct->setStartIndex(Offsets.byteOf(b));
      ct->setStopIndex(Offsets.byteOf(e + 1) - 1);
    }
  }

  bool checkToken(antlr4::Token *t) {
    SourceRange r = tokenRange(File, t);
    switch (t->getType()) {
    case CampLexer::UNTERMINATED_STRING:
      diag::report<diag::msg::StringNeverClosed>(Diags, r).help =
          "add the closing `\"` before the end of the line";
      return false;
    case CampLexer::UNTERMINATED_COMMENT:
      r.end = r.begin + 2;
      diag::report<diag::msg::CommentNeverClosed>(Diags, r).help =
          "end the comment with `*/`";
      return false;
    case CampLexer::ERROR_CHAR: {
      std::string text = t->getText();
      std::string shown = text;
      if (text.size() == 1 && (uint8_t(text[0]) < 0x20 || uint8_t(text[0]) == 0x7F))
        shown = fmt::format("\\x{:02x}", uint8_t(text[0]));
      auto &d = diag::report<diag::msg::UnexpectedCharacter>(Diags, r, diag::arg::Words{shown});
      if (text == "'")
        d.help = "strings are written in double quotes: \"like this\"";
      else if (text == "$" || text == "€" || text == "£")
        d.help = "write the currency code after the number, e.g. `12 USD`";
      else if (text == "&" || text == "|" || text == "!")
        d.help = "use the words `and`, `or`, `not`";
      return false;
    }
    default:
      return true;
    }
  }

  bool hideLineBreaks(std::vector<std::unique_ptr<antlr4::Token>> &toks) {
    std::vector<antlr4::Token *> open;
    size_t prevType = CampLexer::NL;
    int operators = 0;
    for (auto &up : toks) {
      antlr4::Token *t = up.get();
      if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
        continue;
      size_t type = t->getType();
      if (type == CampLexer::NL) {
        bool inside = !open.empty() && open.back()->getType() != CampLexer::LBRACE;
        if (inside || isContinuationToken(prevType) || prevType == CampLexer::NL)
          static_cast<antlr4::CommonToken *>(t)->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        else
          operators = 0;
        if (prevType != CampLexer::NL && !isContinuationToken(prevType) && !inside)
          prevType = type;
        continue;
      }
      if (type == CampLexer::SEMI || type == CampLexer::LBRACE || type == CampLexer::RBRACE)
        operators = 0;
      if (isOperatorToken(type) && ++operators > kMaxOperatorsPerStatement) {
        diag::report<diag::msg::TooManyOperators>(Diags, tokenRange(File, t), diag::arg::Count{kMaxOperatorsPerStatement})
            .help = "split it into several `let` values";
        return false;
      }
      if (type == CampLexer::LPAREN || type == CampLexer::LBRACK || type == CampLexer::LBRACE) {
        open.push_back(t);
        if (open.size() > size_t(kMaxNesting)) {
          diag::report<diag::msg::NestedTooDeep>(Diags, tokenRange(File, t), diag::arg::Count{kMaxNesting})
              .help = "split the expression into several `let` values";
          return false;
        }
      } else if (type == CampLexer::RPAREN || type == CampLexer::RBRACK || type == CampLexer::RBRACE) {
        if (!open.empty())
          open.pop_back();
      }
      prevType = type;
    }
    return true;
  }

  int32_t File;
  diag::DiagnosticEngine &Diags;
  CodePointStream Input;
  CampLexer Lexer;
  OffsetMap Offsets;
};

diag::arg::Phrase describeToken(const antlr4::Token *t, const antlr4::dfa::Vocabulary &vocab) {
  using namespace diag::arg;
  switch (t->getType()) {
  case antlr4::Token::EOF:
    return Phrase(Words{"end of file"});
  case CampLexer::NL:
    return Phrase(Words{"end of line"});
  case CampLexer::IDENT:
    return diag::phrase<diag::phr::NameToken>(Name{t->getText()});
  case CampLexer::NUMBER:
    return diag::phrase<diag::phr::NumberToken>(Words{t->getText()});
  case CampLexer::STRING:
    return diag::phrase<diag::phr::StringToken>(
        Words{t->getText().size() > 40 ? t->getText().substr(0, 37) + "…\"" : t->getText()});
  case CampLexer::DATE:
    return diag::phrase<diag::phr::DateToken>(Words{t->getText()});
  default:
    return diag::phrase<diag::phr::Token>(Words{t->getText()});
  }
}

std::string describeExpected(const antlr4::misc::IntervalSet &set, const antlr4::dfa::Vocabulary &vocab) {
  bool value = set.contains(size_t(CampLexer::NUMBER)) && set.contains(size_t(CampLexer::IDENT)) && set.contains(size_t(CampLexer::LPAREN));
  std::vector<std::string> words;
  if (value)
    words.push_back("a value (a number, a name or `(`)");
  for (size_t type : set.toList()) {
    if (value && (type == CampLexer::NUMBER || type == CampLexer::IDENT || type == CampLexer::LPAREN ||
                  type == CampLexer::MINUS || type == CampLexer::NOT || type == CampLexer::IF))
      continue;
    if (type == CampLexer::NL || type == CampLexer::SEMI) {
      if (std::find(words.begin(), words.end(), "the end of the line") == words.end())
        words.push_back("the end of the line");
      continue;
    }
    if (type == antlr4::Token::EOF) {
      words.push_back("the end of the file");
      continue;
    }
    if (type == CampLexer::IDENT) { words.push_back("a name"); continue; }
    if (type == CampLexer::NUMBER) { words.push_back("a number"); continue; }
    if (type == CampLexer::STRING) { words.push_back("a string in double quotes"); continue; }
    if (type == CampLexer::DATE) { words.push_back("a date like 2026-01"); continue; }
    std::string lit = vocab.getLiteralName(type);
    if (lit.size() >= 2)
      words.push_back("`" + lit.substr(1, lit.size() - 2) + "`");
  }
  if (words.empty())
    return "";
  if (words.size() > 6)
    return "";
  std::string out = words[0];
  for (size_t i = 1; i < words.size(); ++i)
    out += (i + 1 == words.size() ? " or " : ", ") + words[i];
  return out;
}

struct OpenBlock {
  diag::arg::Phrase what; // "stage `s`"
  antlr4::Token *brace = nullptr;
};

// The innermost `{ … }` block that the parser is inside and has not closed yet.
std::optional<OpenBlock> innermostOpenBlock(antlr4::ParserRuleContext *ctx) {
  for (; ctx; ctx = dynamic_cast<antlr4::ParserRuleContext *>(ctx->parent)) {
    auto named = [&](const char *kind, antlr4::ParserRuleContext *ident, antlr4::tree::TerminalNode *lb,
                     antlr4::tree::TerminalNode *rb) -> std::optional<OpenBlock> {
      if (!lb || rb)
        return std::nullopt;
      diag::arg::Words words{kind};
      return OpenBlock{ident ? diag::phrase<diag::phr::Named>(words, diag::arg::Name{ident->getText()})
                             : diag::arg::Phrase(words),
                       lb->getSymbol()};
    };
    std::optional<OpenBlock> found;
    if (auto *c = dynamic_cast<CampParser::StageDeclContext *>(ctx))
      found = named("stage", c->name(), c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::PipelineDeclContext *>(ctx))
      found = named("pipeline", c->name(), c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::RatecardDeclContext *>(ctx))
      found = named("rate card", c->name(), c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::ScenarioDeclContext *>(ctx))
      found = named("scenario", c->name(), c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::ForecastDeclContext *>(ctx))
      found = named("forecast", c->name(), c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::TierBlockContext *>(ctx))
      found = named("tier table", nullptr, c->LBRACE(), c->RBRACE());
    else if (auto *c = dynamic_cast<CampParser::SeasonBlockContext *>(ctx))
      found = named("seasonal block", nullptr, c->LBRACE(), c->RBRACE());
    if (found)
      return found;
  }
  return std::nullopt;
}

bool startsDeclaration(size_t type) {
  switch (type) {
  case CampLexer::MODEL: case CampLexer::CURRENCY: case CampLexer::IMPORT: case CampLexer::UNIT:
  case CampLexer::CATEGORY: case CampLexer::PARAM: case CampLexer::RATECARD: case CampLexer::PIPELINE:
  case CampLexer::STAGE: case CampLexer::SCENARIO: case CampLexer::ASSERT: case CampLexer::FORECAST:
  case CampLexer::REVENUE: case CampLexer::PRICE: case CampLexer::FEE: case CampLexer::CORRELATE:
  case antlr4::Token::EOF:
    return true;
  default:
    return false;
  }
}

/// Rewrites ANTLR's syntax errors into plain words; keeps only the first one of a file.
class ErrorListener : public antlr4::BaseErrorListener {
public:
  ErrorListener(int32_t file, const SourceManager &sm, diag::DiagnosticEngine &diags)
      : File(file), Sm(sm), Diags(diags) {}
  bool failed() const { return Failed; }

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending, size_t, size_t,
                   const std::string &, std::exception_ptr) override {
    if (Failed)
      return;
    Failed = true;
    auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
    if (!parser || !offending)
      return (void)diag::report<diag::msg::NotReadableAsModel>(Diags, {File, 0, 0});
    const auto &vocab = parser->getVocabulary();
    antlr4::misc::IntervalSet expected;
    try {
      expected = parser->getExpectedTokens();
    } catch (...) {
    }
    SourceRange at = tokenRange(File, offending);
    if (offending->getType() == CampLexer::NL && at.begin > 0)
      at = {File, at.begin, at.begin};
    std::optional<OpenBlock> block = innermostOpenBlock(parser->getContext());
    if (block && expected.contains(size_t(CampLexer::RBRACE)) && startsDeclaration(offending->getType())) {
      LineCol lc = Sm.file(File).lineCol(uint32_t(block->brace->getStartIndex()));
      auto &d = diag::report<diag::msg::BlockNotClosed>(Diags, at, block->what, diag::arg::Count{int64_t(lc.line)});
      d.notes.push_back({tokenRange(File, block->brace), fmt::format("{} opened here", block->what.text())});
      d.help = fmt::format("add `}}` at the end of {}", block->what.text());
      return;
    }
    if (valueAfterUnit(parser, offending))
      return;
    std::string want = describeExpected(expected, vocab);
    auto &d = diag::report<diag::msg::UnexpectedToken>(Diags, at, describeToken(offending, vocab));
    if (!want.empty())
      d.label = "expected " + want + " here";
    hint(d, offending, expected);
  }

private:
  // The default-channel token `back` places before `t` (nullptr at the start).
  static antlr4::Token *before(antlr4::Parser *parser, antlr4::Token *t, int back) {
    antlr4::TokenStream *ts = parser->getTokenStream();
    for (ssize_t i = ssize_t(t->getTokenIndex()) - 1; i >= 0; --i) {
      antlr4::Token *p = ts->get(size_t(i));
      if (p->getChannel() == antlr4::Token::DEFAULT_CHANNEL && --back == 0)
        return p;
    }
    return nullptr;
  }

  // `16 h hourly`, `2 USD/h rate`: a name right after a number's unit is a value written where
  // `*` was meant (LANGUAGE.md: `*` is never part of a suffix). Reported as ValueAsUnit.
  bool valueAfterUnit(antlr4::Parser *parser, antlr4::Token *offending) {
    if (offending->getType() != CampLexer::IDENT)
      return false;
    antlr4::Token *unit = before(parser, offending, 1), *p2 = before(parser, offending, 2);
    if (!unit || !p2 || unit->getType() != CampLexer::IDENT)
      return false;
    antlr4::Token *number = p2;
    if (p2->getType() == CampLexer::SLASH) {
      antlr4::Token *p3 = before(parser, offending, 3);
      number = p3 && p3->getType() == CampLexer::IDENT ? before(parser, offending, 4) : nullptr;
    }
    if (!number || number->getType() != CampLexer::NUMBER)
      return false;
    std::string name = offending->getText();
    auto &d = diag::report<diag::msg::NameFollowsUnit>(Diags, tokenRange(File, offending), diag::arg::Name{name},
                                                       diag::arg::Unit{unit->getText()});
    d.help = fmt::format("to multiply, write `*` before it: `… * {}`", name);
    return true;
  }

  void hint(diag::Diagnostic &d, antlr4::Token *offending, const antlr4::misc::IntervalSet &expected) {
    size_t type = offending->getType();
    if (expected.contains(size_t(CampLexer::ASSIGN)) && expected.size() <= 2)
      d.help = "a declaration is `NAME = value`; did you forget `=`?";
    else if (type == CampLexer::RBRACE)
      d.help = "this `}` closes nothing that is open; remove it or open the block with `{`";
    else if (type >= CampLexer::MODEL && type <= CampLexer::IN && expected.contains(size_t(CampLexer::IDENT)))
      d.help = fmt::format("`{}` is a keyword and cannot be used as a name", offending->getText());
    else if (type == CampLexer::NUMBER && expected.contains(size_t(CampLexer::IDENT)))
      d.help = "names start with a letter or `_`";
  }

  int32_t File;
  const SourceManager &Sm;
  diag::DiagnosticEngine &Diags;
  bool Failed = false;
};

} // namespace

/// Lexes and parses one source with the two-stage strategy ANTLR recommends: the fast SLL mode
/// with bail-out first, and full LL with error reporting only when SLL fails.
template <typename Build>
static auto parseSource(int32_t fileId, const SourceManager &sm, diag::DiagnosticEngine &diags, Build &&build)
    -> decltype(build(std::declval<CampParser &>(), std::declval<std::vector<antlr4::Token *> &>())) {
  const std::string &text = sm.file(fileId).text();
  // Files are validated when read (base/Text.h); this guards text from elsewhere (--set, --metric).
  if (size_t bad = text::findInvalid(text); bad != text::npos) {
    diag::report<diag::msg::ByteNotText>(diags, {fileId, uint32_t(bad), uint32_t(bad)}, diag::arg::Count{int64_t(bad + 1)},
                                         diag::arg::Path{sm.file(fileId).path()})
        .help = "write plain UTF-8 text";
    return {};
  }
  TokenPrep prep(fileId, text, diags);
  std::vector<std::unique_ptr<antlr4::Token>> owned;
  if (!prep.run(owned))
    return {};
  std::vector<antlr4::Token *> all;
  for (auto &t : owned)
    all.push_back(t.get());
  antlr4::ListTokenSource source(std::move(owned));
  antlr4::CommonTokenStream tokens(&source);
  CampParser parser(&tokens);
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    return build(parser, all);
  } catch (const antlr4::ParseCancellationException &) {
  }
  tokens.seek(0);
  parser.reset();
  ErrorListener listener(fileId, sm, diags);
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
  auto result = build(parser, all);
  if (listener.failed())
    return {};
  return result;
}

std::optional<ast::File> parseFile(int32_t fileId, const SourceManager &sm, diag::DiagnosticEngine &diags) {
  return parseSource(fileId, sm, diags, [&](CampParser &parser, std::vector<antlr4::Token *> &all) -> std::optional<ast::File> {
    CampParser::File_Context *tree = parser.file_();
    if (parser.getNumberOfSyntaxErrors() > 0)
      return std::nullopt;
    AstBuilder builder(fileId, sm, diags, all);
    return builder.buildFile(tree);
  });
}

ast::ExprPtr parseExpression(int32_t fileId, const SourceManager &sm, diag::DiagnosticEngine &diags) {
  return parseSource(fileId, sm, diags, [&](CampParser &parser, std::vector<antlr4::Token *> &all) -> ast::ExprPtr {
    CampParser::ExprOnlyContext *tree = parser.exprOnly();
    if (parser.getNumberOfSyntaxErrors() > 0)
      return nullptr;
    AstBuilder builder(fileId, sm, diags, all);
    return builder.buildExpr(tree->expr());
  });
}

} // namespace camp::syntax
