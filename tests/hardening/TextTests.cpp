// base/Text: strict UTF-8 validation, decoding, repair, the BOM/CRLF round trip, and renderers
// that accept any bytes; the shared CSV and NAME=VALUE helpers of base/Strings.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "base/Strings.h"
#include "base/Text.h"
#include "diag/Diagnostic.h"
#include "diag/Messages.h"
#include "tooling/Lint.h"

using namespace camp::text;

TEST_CASE("valid UTF-8 of every length is accepted") {
  CHECK(findInvalid("plain ascii") == npos);
  CHECK(findInvalid("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x93\x88") == npos); // é — 📈
  CHECK(findInvalid("\xEF\xBB\xBF") == npos);                                // the BOM itself
  CHECK(findInvalid("\xF4\x8F\xBF\xBF") == npos);                            // U+10FFFF
}

TEST_CASE("overlong forms, surrogates, out-of-range, truncated and NUL are rejected at their byte") {
  CHECK(findInvalid("// \xC0\xAF") == 3);      // overlong '/' (issue 14, item 1)
  CHECK(findInvalid("ab\xE0\x80\xAF") == 2);   // overlong three-byte form
  CHECK(findInvalid("x\xED\xA0\x80") == 1);    // a lone surrogate U+D800 (item 4)
  CHECK(findInvalid("\xF4\x90\x80\x80") == 0); // U+110000
  CHECK(findInvalid("\xF5\x80\x80\x80") == 0);
  CHECK(findInvalid("abc\xE2\x80") == 3);      // truncated at the end
  CHECK(findInvalid(std::string_view("a\0b", 3)) == 1);
  CHECK(findInvalid("\x80") == 0);             // a stray continuation byte
}

TEST_CASE("decode and encode are inverse on valid text") {
  std::string s = "Promo \xE2\x80\x94 \xC3\xA9t\xC3\xA9 \xF0\x9F\x93\x88";
  std::u32string cps = decode(s);
  REQUIRE(cps.size() == 13);
  CHECK(cps[6] == U'\u2014');
  CHECK(cps[12] == U'\U0001F4C8');
  CHECK(encode(cps) == s);
}

TEST_CASE("repaired replaces each bad byte with U+FFFD and keeps valid text") {
  CHECK(repaired("ok \xC3\xA9") == "ok \xC3\xA9");
  CHECK(repaired("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(repaired("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(findInvalid(repaired("\xC0\xAF\xF8\x88\x80\x80\x80")) == npos);
}

TEST_CASE("a BOM and CRLF line ends are removed on reading and written back") {
  std::string bytes = "\xEF\xBB\xBFmodel \"m\"\r\ncurrency USD\r\n";
  Decoded d = fromFileBytes(bytes);
  REQUIRE(d.ok());
  CHECK(d.layout.bom);
  CHECK(d.layout.crlf);
  CHECK(d.text == "model \"m\"\ncurrency USD\n");
  CHECK(toFileBytes(d.text, d.layout) == bytes);

  Decoded plain = fromFileBytes("model \"m\"\n");
  CHECK_FALSE(plain.layout.bom);
  CHECK_FALSE(plain.layout.crlf);
  CHECK(toFileBytes(plain.text, plain.layout) == "model \"m\"\n");
}

TEST_CASE("invalid bytes are reported at their offset in the file, BOM included") {
  Decoded d = fromFileBytes("\xEF\xBB\xBF// \xC0\xAF\n");
  CHECK_FALSE(d.ok());
  CHECK(d.badByte == 6);
  ReadResult r = readBytes("\xEF\xBB\xBF// \xC0\xAF\n");
  CHECK(r.status == ReadStatus::NotText);
  CHECK(r.validPrefix == "\xEF\xBB\xBF// ");
}

TEST_CASE("JSON renderers never throw on bytes that are not UTF-8, and write valid UTF-8") {
  camp::diag::DiagnosticEngine diags;
  int32_t id = diags.sources().add("bad\xFF.camp", "let x = \"\xC0\xAF\"\n");
  auto &d = camp::diag::report<camp::diag::msg::UnexpectedCharacter>(diags, {id, 8, 12},
                                                                     camp::diag::arg::Words{"\xED\xA0\x80"});
  d.help = "help \xFF";
  std::string json;
  REQUIRE_NOTHROW(json = camp::diag::renderJson(diags));
  CHECK(findInvalid(json) == npos);
  std::string text = camp::diag::renderText(diags, {});
  CHECK(findInvalid(text) == npos);
  std::string s = camp::tooling::jsonString("a\xFF\"b");
  CHECK(s == "\"a\xEF\xBF\xBD\\\"b\"");
}

// One CSV quoting rule and one NAME=VALUE splitter for every command (base/Strings.h).
TEST_CASE("csvField quotes commas, quotes and line breaks, nothing else") {
  CHECK(camp::csvField("plain text") == "plain text");
  CHECK(camp::csvField("a,b") == "\"a,b\"");
  CHECK(camp::csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(camp::csvField("two\nlines") == "\"two\nlines\"");
  CHECK(camp::csvField("cr\rhere") == "\"cr\rhere\""); // the analyses' copy used to miss \r
  CHECK(camp::csvField("") == "");
  CHECK(camp::csvNumber(948.0000000000001) == "948");
  CHECK(camp::csvNumber(std::nan("")) == "");
}

TEST_CASE("splitAssignment takes NAME=VALUE as --set and --param do") {
  auto a = camp::splitAssignment("conversion=2.5%");
  REQUIRE(a);
  CHECK(a->first == "conversion");
  CHECK(a->second == "2.5%");
  auto b = camp::splitAssignment(" hourly = 95 USD/h");
  REQUIRE(b);
  CHECK(b->first == "hourly");
  CHECK(b->second == " 95 USD/h");
  auto c = camp::splitAssignment("x=a=b");
  REQUIRE(c);
  CHECK(c->second == "a=b");
  CHECK_FALSE(camp::splitAssignment("conversion"));
  CHECK_FALSE(camp::splitAssignment("=2"));
  CHECK_FALSE(camp::splitAssignment("   =2"));
}

// The typed message templates of DiagnosticKinds.def (CAMP_MESSAGE).
TEST_CASE("every message template uses each of its typed arguments, and only those") {
  std::set<std::string> ids;
  std::vector<camp::diag::MessageTemplate> all = camp::diag::messageTemplates();
  for (const camp::diag::MessageTemplate &t : camp::diag::phraseTemplates())
    all.push_back(t);
  for (const camp::diag::MessageTemplate &t : all) {
    INFO(t.id << ": " << t.text);
    CHECK(ids.insert(t.id).second); // ids are unique across kinds
    std::set<size_t> used;
    std::string s = t.text;
    for (size_t i = s.find('{'); i != std::string::npos; i = s.find('{', i + 1)) {
      if (s.compare(i, 2, "{{") == 0) { // a literal brace
        ++i;
        continue;
      }
      size_t close = s.find('}', i);
      REQUIRE(close != std::string::npos);
      used.insert(size_t(std::stoul(s.substr(i + 1, close - i - 1))));
    }
    CHECK(used.size() == t.arity);
    if (!used.empty())
      CHECK(*used.rbegin() == t.arity - 1);
  }
  CHECK(ids.size() >= 15);
}

TEST_CASE("a typed message fills its template as the old free strings did") {
  using namespace camp::diag;
  CHECK(format<msg::NotTheModelsCurrency>(arg::Unit{"EUR"}, arg::Unit{"USD"}) ==
        "`EUR` is a currency, but this model's currency is USD");
  CHECK(format<msg::ReusesName>(arg::Words{"stage"}, arg::Name{"send"}, arg::Words{"param"}) ==
        "stage `send` reuses the name of a param");
  CHECK(format<msg::NotText>(arg::Path{"m.camp"}, arg::Count{12}) ==
        "`m.camp` is not a text file (byte 12 is not UTF-8 text)");
  DiagnosticEngine engine;
  CHECK(format<msg::NegativePriceTerm>(phrase<phr::OfPrice>(arg::Words{"the rate"}, arg::Name{"esp.send"})) ==
        "the rate of price `esp.send` cannot be negative");
  CHECK(format<msg::ConstantTooLarge>(arg::Phrase(arg::Words{"a budget"})) == "a budget is too large to represent");
  CHECK(listOf({arg::Phrase(arg::Words{"the base case"}), phrase<phr::ScenarioNamed>(arg::Name{"high"}),
                phrase<phr::ScenarioNamed>(arg::Name{"low"})})
            .text() == "the base case, scenario `high` and scenario `low`");
  CHECK(format<msg::BlockNotClosed>(phrase<phr::Named>(arg::Words{"stage"}, arg::Name{"s"}), arg::Count{3}) ==
        "expected `}` to close stage `s` opened at line 3");
  Diagnostic &d = report<msg::DeclaredTwice>(engine, {}, arg::Name{"esp.send"});
  CHECK(d.kind == Kind::Redefinition);
  CHECK(d.message == "`esp.send` is declared twice");
}
