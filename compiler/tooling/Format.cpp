// The formatter: re-lays out the token list line by line, keeping line breaks and comments.
//
// Only whitespace between tokens changes (and digit grouping inside numbers), and the line
// structure is the user's: statements are never joined or split, so the parser sees the same
// token sequence and the model means exactly what it meant before.
#include "tooling/Format.h"

#include <algorithm>
#include <set>
#include <fmt/format.h>

#include "diag/Messages.h"
#include "syntax/Parser.h"
#include "syntax/Tokens.h"

namespace camp::tooling {

using syntax::Token;
using syntax::TokenKind;

size_t displayWidth(const std::string &s) {
  size_t n = 0;
  for (char c : s)
    if ((uint8_t(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

std::string groupDigits(const std::string &number, bool group) {
  size_t intEnd = 0;
  while (intEnd < number.size() && (isdigit(uint8_t(number[intEnd])) || number[intEnd] == '_'))
    ++intEnd;
  std::string digits;
  for (size_t i = 0; i < intEnd; ++i)
    if (number[i] != '_')
      digits += number[i];
  if (digits.size() < 4 || !group)
    return digits + number.substr(intEnd);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      grouped += '_';
    grouped += digits[i];
  }
  return grouped + number.substr(intEnd);
}

namespace {

constexpr int kIndent = 2;
constexpr int kContinuationIndent = 4;

bool isOpen(const Token &t) { return t.isPunct("(") || t.isPunct("["); }
bool isClose(const Token &t) { return t.isPunct(")") || t.isPunct("]"); }

// After these a line break does not end the statement (LANGUAGE.md, "Lexical").
bool continuesStatement(const Token &t) {
  static const char *const kOps[] = {"+", "-", "*", "/", "^", "<", "<=", ">", ">=", "==", "!=", "=", ",", "~", ":"};
  if (t.kind == TokenKind::Keyword)
    return t.text == "and" || t.text == "or" || t.text == "not";
  if (t.kind != TokenKind::Punct)
    return false;
  for (const char *op : kOps)
    if (t.text == op)
      return true;
  return false;
}

/// One physical line of the input (a multi-line block comment keeps its lines inside it).
struct Line {
  std::vector<const Token *> toks;
  // Filled by the layout pass:
  std::string indent;
  std::string code;        // rendered tokens, trailing comment excluded
  std::string comment;     // a trailing `//` comment
  bool commentOnly = false;
  bool blank = false;
  bool opensBlock = false; // last code token is `{`
  bool closesFirst = false; // first token is `}`
  // Alignment: `code` = prefix + pad + rest, pad chosen per run of lines.
  int anchorKind = 0;      // 0 none, 1 `=`, 2 tier rate after `:`
  std::string prefix, rest;
  bool continued = false;  // starts inside a statement begun on an earlier line
  bool complete = true;    // the statement ends on this line
  uint32_t origCommentCol = 0;
  uint32_t origFirstCol = 0;
  bool hanging = false;    // a comment-only line continuing the trailing comment above
};

/// Decides spacing between tokens of one statement, tracking unit suffixes and unary minus.
class LineRenderer {
public:
  LineRenderer(const std::vector<Token> &all, const std::set<std::string> &values) : All(all), Values(values) {}

  /// Renders the first `count` tokens of `line` (its trailing comment excluded), records its
  /// alignment anchor, and carries the statement's state on to the next line.
  std::string render(const std::vector<const Token *> &toks, size_t count, Line &line) {
    std::string out;
    int parenDepth = 0;
    bool seenBrace = false;
    bool afterComment = false;
    for (size_t i = 0; i < count; ++i) {
      const Token &t = *toks[i];
      if (t.isComment()) { // kept verbatim; invisible to the spacing rules
        out += (out.empty() ? "" : " ") + t.text;
        afterComment = true;
        continue;
      }
      bool unit = inUnit(t);
      if (!out.empty() && (afterComment || needsSpace(t, unit)))
        out += ' ';
      afterComment = false;
      if (t.isPunct("=") && parenDepth == 0 && !seenBrace && line.anchorKind == 0 && !line.continued) {
        line.anchorKind = 1;
        line.prefix = out;
        while (!line.prefix.empty() && line.prefix.back() == ' ')
          line.prefix.pop_back();
      }
      // Inside a unit a number is a group size (`USD/(1000 email)`): written without separators.
      out += t.kind != TokenKind::Number ? t.text : unit ? groupDigits(t.text, false) : groupDigits(t.text);
      if (t.isPunct(":") && line.anchorKind == 0 && TierLine && parenDepth == 0) {
        line.anchorKind = 2;
        line.prefix = out;
      }
      if (isOpen(t))
        ++parenDepth;
      else if (isClose(t))
        parenDepth = std::max(0, parenDepth - 1);
      else if (t.isPunct("{"))
        seenBrace = true;
      advance(t, unit);
    }
    if (line.anchorKind == 1)
      line.rest = out.substr(out.find('=', line.prefix.size()));
    else if (line.anchorKind == 2) {
      line.rest = out.substr(line.prefix.size());
      while (!line.rest.empty() && line.rest.front() == ' ')
        line.rest.erase(0, 1);
      if (line.rest.empty())
        line.anchorKind = 0;
    }
    return out;
  }

  void startLine(const std::vector<const Token *> &toks, bool continued) {
    if (!continued) { // a new statement: nothing before it affects its spacing
      Prev = Prev2 = Prev3 = nullptr;
      PrevUnary = PrevUnit = false;
      UnitParen = 0;
    }
    TierLine = !toks.empty() && (toks[0]->isKeyword("up") || toks[0]->isKeyword("above"));
  }

private:
  const std::vector<Token> &All;
  const std::set<std::string> &Values; // names declared as values: `N month / campaigns` divides
  const Token *Prev = nullptr, *Prev2 = nullptr, *Prev3 = nullptr;
  bool PrevUnary = false;   // Prev is a unary minus
  bool PrevUnit = false;    // Prev belongs to a unit suffix
  int UnitParen = 0;        // open `(` inside a unit suffix
  bool TierLine = false;

  // Whether `t` continues (or starts) a unit suffix: `16 h`, `USD/(1000 email)`, `h^2`.
  bool inUnit(const Token &t) {
    if (!Prev)
      return false;
    if (t.kind == TokenKind::Identifier) {
      if (Prev->kind == TokenKind::Number && !PrevUnit)
        return true;
      if (Prev->isPunct("(") && Prev2 && Prev3 && Prev3->isKeyword("price"))
        return true;
      if (PrevUnit && (Prev->isPunct("/") || Prev->isPunct("(") || Prev->isPunct("*")))
        return true;
      return PrevUnit && UnitParen > 0 && (Prev->kind == TokenKind::Identifier || Prev->kind == TokenKind::Number);
    }
    // `30%/year`, `4/month`: a rate per unit of time reads as one quantity.
    if (t.isPunct("/") && Prev->kind == TokenKind::Number && !PrevUnit) {
      size_t next = size_t(&t - All.data()) + 1;
      return next < All.size() && All[next].kind == TokenKind::Identifier && unitDenomFollows(t);
    }
    if (!PrevUnit)
      return false;
    if (t.isPunct("^"))
      return Prev->kind == TokenKind::Identifier;
    if (t.isPunct("-"))
      return Prev->isPunct("^");
    if (t.kind == TokenKind::Number)
      return Prev->isPunct("^") || Prev->isPunct("-") || Prev->isPunct("(");
    if (t.isPunct("/"))
      return UnitParen == 0 && unitDenomFollows(t);
    if (t.isPunct("*"))
      return UnitParen > 0;
    if (t.isPunct("("))
      return Prev->isPunct("/");
    if (t.isPunct(")"))
      return UnitParen > 0;
    return false;
  }

  // `/` continues a unit when an identifier or a unit group `(N? name …)` follows.
  bool unitDenomFollows(const Token &slash) const {
    size_t i = size_t(&slash - All.data()) + 1;
    if (i >= All.size())
      return false;
    if (All[i].kind == TokenKind::Identifier)
      return !Values.count(All[i].text);
    if (!All[i].isPunct("("))
      return false;
    for (size_t k = i + 1; k < All.size(); ++k) {
      const Token &u = All[k];
      if (u.isPunct(")"))
        return k > i + 1;
      bool ok = u.kind == TokenKind::Identifier || u.kind == TokenKind::Number || u.isPunct("*") ||
                u.isPunct("^") || u.isPunct("-");
      if (!ok)
        return false;
    }
    return false;
  }

  bool isUnaryMinus(const Token &t) const {
    if (!t.isPunct("-"))
      return false;
    if (!Prev)
      return true;
    if (Prev->kind == TokenKind::Keyword)
      return !(syntax::isNameKeyword(Prev->text) && Prev2 && Prev2->isPunct("."));
    return Prev->kind == TokenKind::Punct && !isClose(*Prev) && !Prev->isPunct("}");
  }

  bool needsSpace(const Token &t, bool unit) const {
    if (!Prev)
      return false;
    if (unit && (PrevUnit || t.isPunct("/"))) {
      // Inside a unit suffix only juxtaposed names and numbers are spaced: `(1000 email)`.
      bool word = t.kind == TokenKind::Identifier || t.kind == TokenKind::Number;
      bool prevWord = Prev->kind == TokenKind::Identifier || Prev->kind == TokenKind::Number;
      return word && prevWord;
    }
    if (t.isPunct(",") || t.isPunct(";") || t.isPunct(":") || t.isPunct(".") || isClose(t))
      return false;
    if (Prev->isPunct(".") || isOpen(*Prev))
      return false;
    if (PrevUnary)
      return false;
    if (t.isPunct("(")) {
      if (Prev->kind == TokenKind::Identifier)
        return false;
      if (Prev->kind == TokenKind::Keyword && syntax::isNameKeyword(Prev->text) && Prev2 && Prev2->isPunct("."))
        return false;
    }
    return true;
  }

  void advance(const Token &t, bool unit) {
    PrevUnary = isUnaryMinus(t);
    if (unit && t.isPunct("("))
      ++UnitParen;
    if (unit && t.isPunct(")"))
      --UnitParen;
    if (!unit)
      UnitParen = 0;
    PrevUnit = unit;
    Prev3 = Prev2;
    Prev2 = Prev;
    Prev = &t;
  }
};

class Formatter {
public:
  explicit Formatter(const std::string &text)
      : Text(text), Toks(syntax::tokenize(text)), Values(valueNames(Toks)), Renderer(Toks, Values) {}

  std::string run() {
    splitLines();
    layOut();
    alignAnchors();
    alignComments();
    return emit();
  }

private:
  const std::string &Text;
  std::vector<Token> Toks;
  std::set<std::string> Values;
  std::vector<Line> Lines;
  LineRenderer Renderer;

  static std::set<std::string> valueNames(const std::vector<Token> &toks) {
    std::set<std::string> names;
    for (size_t i = 0; i + 1 < toks.size(); ++i) {
      const Token &t = toks[i];
      bool declares = t.isKeyword("param") || t.isKeyword("let") || t.isKeyword("fee") || t.isKeyword("ratecard") ||
                      t.isKeyword("pipeline") || t.isKeyword("stage");
      if (declares && (toks[i + 1].kind == TokenKind::Identifier || toks[i + 1].kind == TokenKind::Keyword))
        names.insert(toks[i + 1].text);
    }
    return names;
  }

  // Lines align only with lines of the same kind: `let` with `let`, cost lines with cost lines.
  static std::string lineKind(const Line &l) {
    const Token &t = *l.toks[0];
    if (l.anchorKind == 2)
      return "#tier";
    return t.kind == TokenKind::Keyword ? t.text : std::string("#") + char('0' + l.anchorKind);
  }

  uint32_t columnOf(uint32_t offset) const {
    uint32_t start = offset;
    while (start > 0 && Text[start - 1] != '\n' && Text[start - 1] != '\r')
      --start;
    return uint32_t(displayWidth(Text.substr(start, offset - start)));
  }

  void splitLines() {
    Lines.emplace_back();
    for (const Token &t : Toks) {
      if (t.isLineBreak())
        Lines.emplace_back();
      else
        Lines.back().toks.push_back(&t);
    }
  }

  void layOut() {
    int braces = 0, parens = 0;
    std::vector<bool> seasonBlocks; // per open `{`: is it a `seasonal { … }` list?
    const Token *lastCode = nullptr;
    for (Line &l : Lines) {
      if (l.toks.empty()) {
        l.blank = true;
        continue;
      }
      size_t codeCount = l.toks.size();
      const Token &last = *l.toks.back();
      if (last.kind == TokenKind::LineComment || last.kind == TokenKind::DocComment) {
        --codeCount;
        l.comment = trimRight(last.text);
        l.origCommentCol = columnOf(last.begin);
      }
      l.origFirstCol = columnOf(l.toks[0]->begin);
      l.commentOnly = codeCount == 0;
      l.continued = parens > 0 || (lastCode && continuesStatement(*lastCode));
      // Entries of a seasonal block are a list, one per line: no continuation indent.
      if (parens == 0 && lastCode && lastCode->isPunct(",") && !seasonBlocks.empty() && seasonBlocks.back())
        l.continued = false;
      l.closesFirst = l.toks[0]->isPunct("}");
      int level = braces - (l.closesFirst ? 1 : 0);
      int extra = l.continued && !(codeCount > 0 && isClose(*l.toks[0])) ? kContinuationIndent : 0;
      l.indent = std::string(size_t(std::max(0, level) * kIndent + extra), ' ');
      if (l.commentOnly)
        continue;
      Renderer.startLine(l.toks, l.continued);
      l.code = Renderer.render(l.toks, codeCount, l);
      const Token *lineLast = nullptr;
      for (size_t i = 0; i < codeCount; ++i) {
        const Token &t = *l.toks[i];
        if (t.isComment())
          continue;
        lineLast = &t;
        if (t.isPunct("{")) {
          ++braces;
          seasonBlocks.push_back(lastCode && lastCode->isKeyword("seasonal"));
        } else if (t.isPunct("}")) {
          braces = std::max(0, braces - 1);
          if (!seasonBlocks.empty())
            seasonBlocks.pop_back();
        }
        else if (isOpen(t))
          ++parens;
        else if (isClose(t))
          parens = std::max(0, parens - 1);
        lastCode = &t;
      }
      l.opensBlock = lineLast && lineLast->isPunct("{");
      l.complete = parens == 0 && !(lineLast && continuesStatement(*lineLast));
      if (l.continued || !l.complete)
        l.anchorKind = 0;
    }
  }

  static std::string trimRight(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
      s.pop_back();
    return s;
  }

  // Lines next to each other in one block with the same anchor get it in one column.
  void alignAnchors() {
    for (size_t i = 0; i < Lines.size();) {
      if (Lines[i].anchorKind == 0) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < Lines.size() && Lines[j].anchorKind == Lines[i].anchorKind && Lines[j].indent == Lines[i].indent &&
             !Lines[j - 1].opensBlock && lineKind(Lines[j]) == lineKind(Lines[i]))
        ++j;
      size_t width = 0;
      for (size_t k = i; k < j; ++k)
        width = std::max(width, displayWidth(Lines[k].prefix));
      for (size_t k = i; k < j; ++k) {
        Line &l = Lines[k];
        l.code = l.prefix + std::string(width - displayWidth(l.prefix) + 1, ' ') + l.rest;
      }
      i = j;
    }
  }

  static size_t lastLineWidth(const std::string &s) {
    size_t nl = s.find_last_of('\n');
    return displayWidth(nl == std::string::npos ? s : s.substr(nl + 1));
  }

  // Trailing comments of adjacent lines share a column; a comment-only line written under a
  // trailing comment (same column) stays under it.
  void alignComments() {
    for (size_t i = 0; i < Lines.size();) {
      if (Lines[i].comment.empty() || Lines[i].commentOnly) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < Lines.size() && !Lines[j].comment.empty()) {
        if (Lines[j].commentOnly) {
          if (Lines[j].origFirstCol != Lines[j - 1].origCommentCol)
            break;
          Lines[j].hanging = true;
          Lines[j].origCommentCol = Lines[j].origFirstCol;
        }
        ++j;
      }
      size_t col = 0;
      for (size_t k = i; k < j; ++k)
        if (!Lines[k].hanging)
          col = std::max(col, lastLineWidth(Lines[k].indent + Lines[k].code) + 2);
      for (size_t k = i; k < j; ++k) {
        Line &l = Lines[k];
        if (l.hanging) {
          l.indent = std::string(col, ' ');
          continue;
        }
        size_t w = lastLineWidth(l.indent + l.code);
        l.code += std::string(col - w, ' ') + l.comment;
        l.comment.clear();
      }
      i = j;
    }
  }

  std::string emit() const {
    std::string out;
    bool pendingBlank = false, afterOpen = true;
    for (const Line &l : Lines) {
      if (l.blank) {
        pendingBlank = !afterOpen;
        continue;
      }
      if (pendingBlank && !l.closesFirst)
        out += '\n';
      pendingBlank = false;
      out += l.indent + (l.commentOnly ? l.comment : l.code) + '\n';
      afterOpen = l.opensBlock;
    }
    return out;
  }
};

} // namespace

std::optional<std::string> formatSource(const std::string &fileName, const std::string &text,
                                        diag::DiagnosticEngine &diags) {
  int32_t id = diags.sources().add(fileName, text);
  if (!syntax::parseFile(id, diags.sources(), diags) || diags.hasErrors())
    return std::nullopt;
  std::string out = Formatter(text).run();
  // The promise: fmt never writes what it cannot read back. Its output must parse and be a
  // fixed point; otherwise the file is left alone.
  diag::DiagnosticEngine again;
  int32_t outId = again.sources().add(fileName, out);
  if (!syntax::parseFile(outId, again.sources(), again) || again.hasErrors() || Formatter(out).run() != out) {
    diag::report<diag::msg::CannotFormatSafely>(diags, {id, 0, 0})
        .help = "the file was left unchanged; please report this file as a Camp bug";
    return std::nullopt;
  }
  return out;
}

// ── Unified diff ───────────────────────────────────────────────────────────────────────────

namespace {

std::vector<std::string> splitKeep(const std::string &s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(s.substr(start));
      break;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

struct Edit {
  char op; // ' ', '-', '+'
  size_t a, b; // line indices in old / new
};

std::vector<Edit> lcsEdits(const std::vector<std::string> &a, const std::vector<std::string> &b) {
  std::vector<Edit> edits;
  // The unchanged head and tail need no table; the table covers the middle only.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head])
    ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  for (size_t k = 0; k < head; ++k)
    edits.push_back({' ', k, k});
  size_t n = a.size() - tail, m = b.size() - tail;
  auto finish = [&] {
    for (size_t k = 0; k < tail; ++k)
      edits.push_back({' ', n + k, m + k});
    return edits;
  };
  // The middle is compared in windows of at most kWindow lines a side (an LCS table each);
  // a window's edits are kept up to about its middle, then the next window starts there.
  // Small changes get the exact shortest diff; huge ones a valid, nearly minimal one.
  constexpr size_t kWindow = 2000;
  size_t i = head, j = head;
  while (i < n || j < m) {
    size_t iEnd = std::min(n, i + kWindow), jEnd = std::min(m, j + kWindow);
    bool last = iEnd == n && jEnd == m;
    size_t rows = iEnd - i, cols = jEnd - j;
    std::vector<std::vector<uint32_t>> L(rows + 1, std::vector<uint32_t>(cols + 1, 0));
    for (size_t r = rows; r-- > 0;)
      for (size_t c = cols; c-- > 0;)
        L[r][c] = a[i + r] == b[j + c] ? L[r + 1][c + 1] + 1 : std::max(L[r + 1][c], L[r][c + 1]);
    size_t i0 = i, j0 = j;
    while (i < iEnd || j < jEnd) {
      if (!last && ((i - i0) * 2 >= rows && (j - j0) * 2 >= cols))
        break;
      if (i < iEnd && j < jEnd && a[i] == b[j]) {
        edits.push_back({' ', i++, j++});
      } else if (i < iEnd && (j == jEnd || L[i + 1 - i0][j - j0] >= L[i - i0][j + 1 - j0])) {
        edits.push_back({'-', i++, j});
      } else {
        edits.push_back({'+', i, j++});
      }
    }
  }
  return finish();
}

} // namespace

std::string unifiedDiff(const std::string &oldName, const std::string &newName, const std::string &oldText,
                        const std::string &newText) {
  if (oldText == newText)
    return "";
  std::vector<std::string> a = splitKeep(oldText), b = splitKeep(newText);
  std::vector<Edit> e = lcsEdits(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", oldName, newName);
  constexpr size_t kContext = 3;
  for (size_t k = 0; k < e.size();) {
    if (e[k].op == ' ') {
      ++k;
      continue;
    }
    size_t start = k >= kContext ? k - kContext : 0;
    size_t end = k;
    // Extend the hunk while changes are closer than 2 × context apart.
    for (size_t q = k; q < e.size(); ++q) {
      if (e[q].op != ' ')
        end = q + 1;
      else if (q - end >= 2 * kContext)
        break;
    }
    end = std::min(e.size(), end + kContext);
    size_t oldStart = e[start].a, newStart = e[start].b, oldCount = 0, newCount = 0;
    std::string body;
    for (size_t q = start; q < end; ++q) {
      const Edit &d = e[q];
      const std::string &line = d.op == '+' ? b[d.b] : a[d.a];
      body += d.op + line + "\n";
      oldCount += d.op != '+';
      newCount += d.op != '-';
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", oldCount ? oldStart + 1 : oldStart, oldCount,
                       newCount ? newStart + 1 : newStart, newCount);
    out += body;
    k = end;
  }
  return out;
}

} // namespace camp::tooling
