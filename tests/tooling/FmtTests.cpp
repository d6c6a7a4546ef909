// camp fmt: exact layouts, idempotence, kept comments and unchanged meaning over every model we have.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <cstdio>
#include <random>
#include <sstream>

#include "camp/Engine.h"
#include "camp/Results.h"
#include "frontend/Compile.h"
#include "syntax/Tokens.h"
#include "tooling/Format.h"

namespace fs = std::filesystem;
using namespace camp;

namespace {

std::string readText(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::optional<std::string> fmtText(const std::string &text, const std::string &name = "t.camp") {
  diag::DiagnosticEngine diags;
  return tooling::formatSource(name, text, diags);
}

std::string trimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  return s;
}

/// Comments (right-trimmed) and the other tokens (digit separators dropped), in order.
std::pair<std::vector<std::string>, std::vector<std::string>> tokenTexts(const std::string &text) {
  std::vector<std::string> comments, code;
  for (const syntax::Token &t : syntax::tokenize(text)) {
    if (t.isComment())
      comments.push_back(trimRight(t.text));
    else if (!t.isLineBreak()) {
      std::string s = t.text;
      if (t.kind == syntax::TokenKind::Number)
        s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
      code.push_back(s);
    }
  }
  return {comments, code};
}

/// Every slot of the base case, evaluated by the interpreter; empty when the model does not compile.
std::vector<double> evaluateSlots(const std::string &path, const std::string &text) {
  diag::DiagnosticEngine diags;
  auto c = compileText(path, text, diags);
  if (!c->module)
    return {};
  auto engine = runtime::makeInterpreter(*c->module);
  auto r = runtime::evaluate(*c->module, *engine, runtime::scenarioParams(*c->module, -1), "base");
  std::vector<double> out = r.slots;
  out.push_back(r.error ? 1.0 : 0.0);
  return out;
}

/// fmt(fmt(x)) == fmt(x), every comment kept, the same tokens, and the same figures.
void checkRoundTrip(const std::string &path, const std::string &text) {
  INFO("model: " << path);
  auto once = fmtText(text, path);
  if (!once)
    return; // a file that does not parse: formatting refuses it (tested separately)
  auto twice = fmtText(*once, path);
  REQUIRE(twice);
  CHECK(*twice == *once);
  auto before = tokenTexts(text), after = tokenTexts(*once);
  CHECK(before.first == after.first);
  CHECK(before.second == after.second);
  std::vector<double> a = evaluateSlots(path, text), b = evaluateSlots(path, *once);
  CHECK(a.size() == b.size());
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (!(std::isnan(a[i]) && std::isnan(b[i])))
      CHECK(a[i] == b[i]);
}

std::vector<fs::path> campFiles(const fs::path &dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto &e : fs::recursive_directory_iterator(dir, ec))
    if (e.path().extension() == ".camp")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

TEST_CASE("digits are grouped in threes from four digits on", "[fmt]") {
  CHECK(tooling::groupDigits("1400000") == "1_400_000");
  CHECK(tooling::groupDigits("14_00000") == "1_400_000");
  CHECK(tooling::groupDigits("1500") == "1_500");
  CHECK(tooling::groupDigits("999") == "999");
  CHECK(tooling::groupDigits("12345.678_9e-3%") == "12_345.678_9e-3%");
  CHECK(tooling::groupDigits("1_000", false) == "1000");
}

TEST_CASE("the canonical layout of a messy model", "[fmt]") {
  // Written by hand: indentation by block (2 spaces), one space around operators, units tight,
  // `=` aligned within runs of the same kind of line, trailing comments in one column, one
  // blank line at most, none after `{` or before `}`.
  std::string messy = "model   \"M\"\ncurrency USD\n\n\n\nunit email,click\n"
                      "param   hourly=100 USD / h   // the team\n"
                      "param audience_size = 1400000 email   // reach\n"
                      "/// doc\n"
                      "param cpm=12 USD/(1000 email)~triangular(9,12,16)\n"
                      "pipeline p \"P\" {\n\n"
                      "stage s \"S\" {\n"
                      "labor \"Plan\"=16 h*hourly\n"
                      "media \"Sends\" = audience_size*cpm*  -1 * -1\n"
                      "}\n\n"
                      "  }\n";
  std::string expected = "model \"M\"\ncurrency USD\n\nunit email, click\n"
                         "param hourly        = 100 USD/h        // the team\n"
                         "param audience_size = 1_400_000 email  // reach\n"
                         "/// doc\n"
                         "param cpm = 12 USD/(1000 email) ~ triangular(9, 12, 16)\n"
                         "pipeline p \"P\" {\n"
                         "  stage s \"S\" {\n"
                         "    labor \"Plan\"  = 16 h * hourly\n"
                         "    media \"Sends\" = audience_size * cpm * -1 * -1\n"
                         "  }\n"
                         "}\n";
  auto got = fmtText(messy);
  REQUIRE(got);
  CHECK(*got == expected);
  CHECK(fmtText(expected) == expected);
}

TEST_CASE("continuation lines and tiers", "[fmt]") {
  std::string text = "currency USD\nunit email\n"
                     "ratecard r {\n  price send(email) = graduated {\n"
                     "    up to 1000 email: 1 USD/email\n    above: 0.5 USD/email\n  }\n}\n"
                     "let total = r.send(10 email) +\nr.send(20 email)\n";
  std::string expected = "currency USD\nunit email\n"
                         "ratecard r {\n  price send(email) = graduated {\n"
                         "    up to 1_000 email: 1 USD/email\n    above:             0.5 USD/email\n  }\n}\n"
                         "let total = r.send(10 email) +\n    r.send(20 email)\n";
  auto got = fmtText(text);
  REQUIRE(got);
  CHECK(*got == expected);
}

TEST_CASE("a file that does not parse is refused", "[fmt]") {
  diag::DiagnosticEngine diags;
  CHECK_FALSE(tooling::formatSource("bad.camp", "pipeline p {\n  stage s {\n", diags));
  CHECK(diags.errorCount() > 0);
}

TEST_CASE("a U+FEFF left after the file's BOM is whitespace, and tokens keep their offsets", "[fmt]") {
  // Reading a file removes one BOM; a second one is ordinary whitespace (LANGUAGE.md, "Lexical").
  // ANTLR's own input stream used to drop it, which shifted every token one character early.
  const std::string zwnbsp = "\xEF\xBB\xBF";
  std::string text = zwnbsp + "model \"m\"\ncurrency USD\nparam  x =  1 USD\n";
  std::vector<syntax::Token> toks = syntax::tokenize(text);
  REQUIRE(!toks.empty());
  CHECK(toks[0].text == "model");
  CHECK(toks[0].begin == 3);
  std::optional<std::string> got = fmtText(text);
  REQUIRE(got);
  CHECK(*got == "model \"m\"\ncurrency USD\nparam x = 1 USD\n");
}

TEST_CASE("fmt round-trips every example", "[fmt]") {
  for (const fs::path &p : campFiles(CAMP_EXAMPLES_DIR))
    checkRoundTrip(p.string(), readText(p));
}

TEST_CASE("fmt round-trips every conformance model and the standard library", "[fmt]") {
  auto files = campFiles(TOOLING_DATA_DIR "/conformance");
  REQUIRE(files.size() >= 20);
  for (const fs::path &p : files)
    checkRoundTrip(p.string(), readText(p));
  for (const fs::path &p : campFiles(CAMP_STDLIB_DIR))
    checkRoundTrip(p.string(), readText(p));
}

namespace {

/// A random but valid model with random spacing, blank lines, comments and digit grouping.
std::string generateModel(std::mt19937 &rng) {
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  auto sp = [&] {
    static const char *const kSpaces[] = {" ", "  ", "\t", "   "};
    return std::string(kSpaces[pick(4)]);
  };
  auto tight = [&] { return pick(2) ? std::string("") : sp(); };
  auto number = [&] {
    int v = 1 + pick(3'000'000);
    std::string s = std::to_string(v);
    if (pick(2) && s.size() > 3)
      s.insert(s.size() - 3, "_");
    return s;
  };
  auto blank = [&] { return std::string(size_t(pick(3) == 0 ? pick(3) : 0), '\n'); };
  auto comment = [&] { return pick(3) == 0 ? sp() + "// note " + std::to_string(pick(100)) : std::string(""); };
  std::string m = "model" + sp() + "\"Generated\"" + comment() + "\ncurrency USD\n" + blank();
  m += "unit" + sp() + "email," + tight() + "seat\n";
  int params = 1 + pick(4);
  for (int i = 0; i < params; ++i) {
    if (pick(2))
      m += "/// Param " + std::to_string(i) + "\n";
    m += sp().substr(0, size_t(pick(2))) + "param" + sp() + "p" + std::to_string(i) + tight() + "=" + tight() + number() +
         sp() + "USD/h" + (pick(2) ? sp() + "in" + sp() + "[1," + tight() + "9_000_000]" : "") + comment() + "\n" + blank();
  }
  m += "param volume = " + number() + " email\n";
  m += "ratecard v {\n" + blank() + "fee" + sp() + "base =" + sp() + number() + " USD/month" + comment() + "\n";
  m += "price send(email) =" + sp() + "graduated {\n up to 100000 email:" + sp() + "1 USD/(1000 email)\n" + sp() +
       "above: 0.5" + sp() + "USD/(1000" + sp() + "email)\n}\n}\n" + blank();
  int stages = 1 + pick(4);
  m += "pipeline" + sp() + "gen \"G\" {" + comment() + "\n";
  for (int s = 0; s < stages; ++s) {
    m += blank() + sp() + "stage st" + std::to_string(s) + " {\n";
    if (s > 0)
      m += "input st" + std::to_string(s - 1) + "\n";
    int lines = 1 + pick(3);
    for (int l = 0; l < lines; ++l) {
      std::string expr;
      switch (pick(4)) {
      case 0:
        expr = std::to_string(1 + pick(40)) + sp() + "h" + tight() + "*" + tight() + "p" + std::to_string(pick(params));
        break;
      case 1:
        expr = "v.send(" + tight() + "volume" + tight() + ")";
        break;
      case 2:
        expr = "v.base" + sp() + "*" + sp() + "1 month /" + sp() + "4";
        break;
      default:
        expr = "(" + tight() + "2 h +" + tight() + "30 h)" + sp() + "*" + " p0 *" + tight() + "\n" + sp() + "2";
      }
      m += sp() + "labor" + sp() + "\"L" + std::to_string(l) + "\"" + tight() + "=" + tight() + expr + comment() + "\n";
    }
    m += "}" + comment() + "\n";
  }
  m += "revenue" + sp() + "\"R\" = volume * 0.01 USD/email\n}\n" + blank();
  m += "assert gen.cost >= 0 USD" + comment() + "\n";
  return m;
}

} // namespace

TEST_CASE("fmt round-trips generated models", "[fmt]") {
  std::mt19937 rng(20261124);
  int compiled = 0;
  for (int i = 0; i < 150; ++i) {
    std::string m = generateModel(rng);
    diag::DiagnosticEngine diags;
    if (compileText("gen.camp", m, diags)->module)
      ++compiled;
    checkRoundTrip("gen.camp", m);
  }
  CHECK(compiled == 150); // the generator only writes valid models
}

TEST_CASE("unified diff of a changed line", "[fmt]") {
  std::string d = tooling::unifiedDiff("a", "b", "x\ny\nz\n", "x\nY\nz\n");
  CHECK(d == "--- a\n+++ b\n@@ -1,3 +1,3 @@\n x\n-y\n+Y\n z\n");
  CHECK(tooling::unifiedDiff("a", "b", "same\n", "same\n").empty());
}

TEST_CASE("unified diff of deletions and insertions at the ends and of separate hunks", "[fmt]") {
  CHECK(tooling::unifiedDiff("a", "b", "a\nb\nc\n", "a\nc\n") == "--- a\n+++ b\n@@ -1,3 +1,2 @@\n a\n-b\n c\n");
  CHECK(tooling::unifiedDiff("a", "b", "x\n", "new\nx\n") == "--- a\n+++ b\n@@ -1,1 +1,2 @@\n+new\n x\n");
  CHECK(tooling::unifiedDiff("a", "b", "", "a\n") == "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+a\n");
  // Lines 1..20, with line 2 and line 19 changed: 6 unchanged lines or more between the
  // changes' contexts split them into two hunks (3 lines of context each side).
  std::string oldText, newText;
  for (int i = 1; i <= 20; ++i) {
    oldText += std::to_string(i) + "\n";
    newText += (i == 2 || i == 19 ? "changed" : std::to_string(i)) + "\n";
  }
  std::string d = tooling::unifiedDiff("a", "b", oldText, newText);
  CHECK(d == "--- a\n+++ b\n"
             "@@ -1,5 +1,5 @@\n 1\n-2\n+changed\n 3\n 4\n 5\n"
             "@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+changed\n 20\n");
}

TEST_CASE("a seasonal block is a list and dates take spaces around ..", "[fmt]") {
  std::string text = "currency USD\npipeline p { stage s { labor \"L\" = 1 h * 1 USD/h } }\n"
                     "forecast f \"F\" monthly 2026-01..2026-12 {\nrun p per 4/month growth 30%/year seasonal {\n"
                     " nov:1.6,\n      dec:1.8\n}\n}\n"
                     "let y = max(1,\n2, 3)\n";
  std::string expected = "currency USD\npipeline p { stage s { labor \"L\" = 1 h * 1 USD/h } }\n"
                         "forecast f \"F\" monthly 2026-01 .. 2026-12 {\n"
                         "  run p per 4/month growth 30%/year seasonal {\n"
                         "    nov: 1.6,\n    dec: 1.8\n  }\n}\n"
                         "let y = max(1,\n    2, 3)\n";
  auto got = fmtText(text);
  REQUIRE(got);
  CHECK(*got == expected);
}

TEST_CASE("block comments keep their text, only their first line is indented", "[fmt]") {
  // Until grammar/Camp.g4 stops lexing every `/* */` followed by more text as an unterminated
  // comment, no model can hold one: the test then says so and checks nothing.
  auto probe = syntax::tokenize("/* a */ x");
  if (probe.empty() || probe[0].kind != syntax::TokenKind::BlockComment) {
    WARN("the lexer does not accept block comments yet; skipped");
    return;
  }
  std::string text = "/* Header block\n   comment over lines */\nmodel \"B\"   /* inline */ \ncurrency USD\n"
                     "param a = 1 USD   /* after */  // and a line comment\n/*\n * starred\n */\n"
                     "let b = a * /* mid */ 2\npipeline p {\n    /* inside\n       a block */\n"
                     "  stage s { labor \"L\" = 1 h * 1 USD/h }\n}\n";
  std::string expected = "/* Header block\n   comment over lines */\nmodel \"B\" /* inline */\ncurrency USD\n"
                         "param a = 1 USD /* after */  // and a line comment\n/*\n * starred\n */\n"
                         "let b = a * /* mid */ 2\npipeline p {\n  /* inside\n       a block */\n"
                         "  stage s { labor \"L\" = 1 h * 1 USD/h }\n}\n";
  auto got = fmtText(text);
  REQUIRE(got);
  CHECK(*got == expected);
  CHECK(fmtText(expected) == expected);
}

namespace {

/// Applies a unified diff to `oldText`; nullopt when a hunk does not match it.
std::optional<std::string> applyDiff(const std::string &oldText, const std::string &diff) {
  auto split = [](const std::string &s) {
    std::vector<std::string> v;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
      v.push_back(line);
    return v;
  };
  std::vector<std::string> a = split(oldText), d = split(diff), out;
  size_t next = 0; // first old line not yet copied
  for (size_t k = 2; k < d.size();) {
    unsigned oldStart = 0, oldCount = 0, newStart = 0, newCount = 0;
    if (std::sscanf(d[k].c_str(), "@@ -%u,%u +%u,%u @@", &oldStart, &oldCount, &newStart, &newCount) != 4)
      return std::nullopt;
    size_t from = oldCount ? oldStart - 1 : oldStart;
    if (from < next)
      return std::nullopt;
    while (next < from)
      out.push_back(a[next++]);
    unsigned seenOld = 0, seenNew = 0;
    for (++k; k < d.size() && d[k].rfind("@@", 0) != 0; ++k) {
      char op = d[k][0];
      std::string text = d[k].substr(1);
      if (op != '+') {
        if (next >= a.size() || a[next] != text)
          return std::nullopt;
        ++next;
        ++seenOld;
      }
      if (op != '-') {
        out.push_back(text);
        ++seenNew;
      }
    }
    if (seenOld != oldCount || seenNew != newCount || (newCount && newStart != out.size() - newCount + 1))
      return std::nullopt;
  }
  while (next < a.size())
    out.push_back(a[next++]);
  std::string s;
  for (const std::string &l : out)
    s += l + "\n";
  return s;
}

} // namespace

TEST_CASE("unified diffs apply back to the new text at every size", "[fmt]") {
  std::mt19937 rng(7);
  for (size_t lines : {10u, 300u, 5000u, 9000u}) {
    std::string oldText, newText;
    for (size_t i = 0; i < lines; ++i) {
      std::string line = "line " + std::to_string(i % 97); // repeated lines make matching harder
      oldText += line + "\n";
      int r = int(rng() % 10);
      if (r == 0)
        newText += line + " changed\n";
      else if (r == 1)
        newText += line + "\ninserted\n";
      else if (r != 2) // r == 2: deleted
        newText += line + "\n";
    }
    INFO("lines " << lines);
    std::string d = tooling::unifiedDiff("a", "b", oldText, newText);
    auto applied = applyDiff(oldText, d);
    REQUIRE(applied);
    CHECK(*applied == newText);
  }
}
