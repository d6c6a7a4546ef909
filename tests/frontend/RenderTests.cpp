// The shared renderers (diag/Render.h): one record as text, JSON and SARIF, expected output written by hand.
#include <catch2/catch.hpp>

#include "diag/Render.h"

using namespace camp;
using namespace camp::diag;

namespace {

// `café` is 5 bytes and 4 characters: columns count characters.
struct Fixture {
  SourceManager sm;
  int32_t file = sm.add("m.camp", "let café = 5 USD\n");
  SourceRange word{file, 4, 9}; // `café`
  SourceRange empty{file, 4, 4};

  Record error() const {
    Record r;
    r.code = "UnitMismatch";
    r.level = Level::Error;
    r.message = "coût négatif « café »";
    r.range = word;
    r.place = placeOf(sm, word);
    r.label = "ici";
    r.help = "rename it";
    return r;
  }
  Record emptyWarning() const {
    Record r;
    r.code = "unused-param";
    r.level = Level::Warning;
    r.message = "vide";
    r.range = empty;
    r.place = placeOf(sm, empty);
    r.help = "remove it";
    return r;
  }
};

} // namespace

TEST_CASE("placeOf counts characters and keeps an empty range's raw end", "[render]") {
  Fixture fx;
  Place p = placeOf(fx.sm, fx.word);
  CHECK(p.file == "m.camp");
  CHECK((p.line == 1 && p.column == 5 && p.endLine == 1 && p.endColumn == 9));
  Place e = placeOf(fx.sm, fx.empty);
  CHECK((e.column == 5 && e.endColumn == 5));
  CHECK_FALSE(placeOf(fx.sm, SourceRange{}).hasLine());
}

TEST_CASE("text with and without the snippet", "[render]") {
  Fixture fx;
  // `USD` (bytes 14-17) stands after `é`: its column and caret count characters, not bytes.
  Record usd = fx.error();
  usd.range = SourceRange{fx.file, 14, 17};
  usd.place = placeOf(fx.sm, usd.range);
  SourceRange let{fx.file, 0, 3};
  usd.notes.push_back({"declared here", placeOf(fx.sm, let), let});
  usd.notes.push_back({"a note without a place", {}, {}});
  CHECK(renderText(usd, &fx.sm, {}) == "m.camp:1:14: error: coût négatif « café » [UnitMismatch]\n"
                                       " 1 | let café = 5 USD\n"
                                       "   |              ^~~ ici\n"
                                       "m.camp:1:1: note: declared here\n"
                                       " 1 | let café = 5 USD\n"
                                       "   | ^~~\n"
                                       "note: a note without a place\n"
                                       "help: rename it\n");
  CHECK(renderText(fx.error(), &fx.sm, {TextStyle::Compiler, false, false}) ==
        "m.camp:1:5: error: coût négatif « café » [UnitMismatch]\nhelp: rename it\n");
  CHECK(renderText(fx.error(), nullptr, {}) ==
        "m.camp:1:5: error: coût négatif « café » [UnitMismatch]\nhelp: rename it\n");
  // An empty range still gets one caret.
  CHECK(renderText(fx.emptyWarning(), &fx.sm, {}) == "m.camp:1:5: warning: vide [unused-param]\n"
                                                     " 1 | let café = 5 USD\n"
                                                     "   |     ^\n"
                                                     "help: remove it\n");
}

// The caret's width counts characters: a range that ends in a multi-byte character (`é`) is
// four columns wide, not five (it was measured to the last byte before).
TEST_CASE("a caret under a word that ends in a multi-byte character", "[render]") {
  Fixture fx;
  CHECK(renderText(fx.error(), &fx.sm, {}) == "m.camp:1:5: error: coût négatif « café » [UnitMismatch]\n"
                                              " 1 | let café = 5 USD\n"
                                              "   |     ^~~~ ici\n"
                                              "help: rename it\n");
}

TEST_CASE("lint and command-line text styles", "[render]") {
  Fixture fx;
  CHECK(renderText(fx.emptyWarning(), &fx.sm, {TextStyle::Lint}) ==
        "m.camp:1:5: warning: vide [unused-param]\n  help: remove it\n");
  Record whole;
  whole.code = "compile-error";
  whole.message = "x";
  whole.place.file = "m.camp"; // the whole file: no line
  CHECK(renderText(whole, nullptr, {TextStyle::Lint}) == "m.camp: error: x [compile-error]\n");
  Record cli;
  cli.code = "UsageError";
  cli.message = "« nope » introuvable";
  cli.help = "check";
  CHECK(renderText(cli, nullptr, {TextStyle::CommandLine}) ==
        "camp: error: « nope » introuvable [UsageError]\nhelp: check\n");
  CHECK(renderText(cli, nullptr, {TextStyle::CommandLine, true}) ==
        "camp: \033[1;31merror\033[0m: « nope » introuvable [UsageError]\n\033[1mhelp\033[0m: check\n");
}

TEST_CASE("camp.diagnostics/1 and camp.lint/1 JSON", "[render]") {
  Fixture fx;
  CHECK(renderJson({fx.emptyWarning()}, JsonStyle::Diagnostics, 0, 1) == R"({
  "diagnostics": [
    {
      "code": "unused-param",
      "help": "remove it",
      "label": "",
      "location": {
        "column": 5,
        "end_column": 5,
        "end_line": 1,
        "file": "m.camp",
        "line": 1
      },
      "message": "vide",
      "notes": [],
      "severity": "warning"
    }
  ],
  "errors": 0,
  "schema": "camp.diagnostics/1",
  "warnings": 1
}
)");
  CHECK(renderJson({fx.error()}, JsonStyle::Lint) ==
        "{\n  \"schema\": \"camp.lint/1\",\n  \"findings\": [\n"
        "    {\"rule\": \"UnitMismatch\", \"level\": \"error\", \"message\": \"coût négatif « café »\", "
        "\"help\": \"rename it\", \"file\": \"m.camp\", \"line\": 1, \"column\": 5, \"end_line\": 1, "
        "\"end_column\": 9}\n  ]\n}\n");
  CHECK(renderJson({}, JsonStyle::Lint) == "{\n  \"schema\": \"camp.lint/1\",\n  \"findings\": []\n}\n");
}

TEST_CASE("SARIF results", "[render]") {
  Fixture fx;
  std::string sarif = renderSarif({fx.error(), fx.emptyWarning()}, "1.2.3", "check");
  CHECK(sarif.rfind("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n", 0) == 0);
  CHECK(sarif.find("\"name\": \"camp-check\"") != std::string::npos);
  CHECK(sarif.find("\"version\": \"1.2.3\"") != std::string::npos);
  std::string index = std::to_string(int(Kind::UnitMismatch));
  std::string tail =
      "\"results\": [\n"
      "        {\"ruleId\": \"UnitMismatch\", \"ruleIndex\": " + index + ", \"level\": \"error\", "
      "\"message\": {\"text\": \"coût négatif « café ». rename it\"}, \"locations\": [{\"physicalLocation\": "
      "{\"artifactLocation\": {\"uri\": \"m.camp\"}, \"region\": {\"startLine\": 1, \"startColumn\": 5, "
      "\"endLine\": 1, \"endColumn\": 9}}}]},\n"
      // An empty range: SARIF gets one character, a rule that is no compiler kind gets index -1.
      "        {\"ruleId\": \"unused-param\", \"ruleIndex\": -1, \"level\": \"warning\", "
      "\"message\": {\"text\": \"vide. remove it\"}, \"locations\": [{\"physicalLocation\": "
      "{\"artifactLocation\": {\"uri\": \"m.camp\"}, \"region\": {\"startLine\": 1, \"startColumn\": 5, "
      "\"endLine\": 1, \"endColumn\": 6}}}]}\n"
      "      ]\n    }\n  ]\n}\n";
  REQUIRE(sarif.size() > tail.size());
  CHECK(sarif.substr(sarif.size() - tail.size()) == tail);
}
