// The parser: numbers, units, precedence, line breaks, doc comments and contextual keywords.
#include <catch2/catch.hpp>

#include "syntax/Parser.h"
#include "TestSupport.h"

using namespace camp;

namespace {
struct Parsed {
  diag::DiagnosticEngine diags;
  std::optional<ast::File> file;
};
std::unique_ptr<Parsed> parse(const std::string &text) {
  auto p = std::make_unique<Parsed>();
  int32_t id = p->diags.sources().add("p.camp", text);
  p->file = syntax::parseFile(id, p->diags.sources(), p->diags);
  return p;
}
const ast::Expr &letValue(const Parsed &p, size_t i = 0) { return *p.file->lets.at(i).value; }
} // namespace

TEST_CASE("numbers: underscores, decimals, exponents and percent", "[parser]") {
  auto p = parse("let a = 1_400_000\nlet b = 0.0009\nlet c = 2.5e-4\nlet d = 1.2%\nlet e = 30%\n");
  REQUIRE(p->file);
  CHECK(letValue(*p, 0).number == 1400000);
  CHECK(letValue(*p, 1).number == 0.0009);
  CHECK(letValue(*p, 2).number == 2.5e-4);
  CHECK(letValue(*p, 3).number == Approx(0.012)); // 1.2 × 0.01
  CHECK(letValue(*p, 3).percent);
  CHECK(letValue(*p, 4).number == Approx(0.3));
}

TEST_CASE("a unit suffix takes names and slashes but not `*`", "[parser]") {
  auto p = parse("let a = 16 h * rate\nlet b = 0.90 USD/(1000 email)\nlet c = 1.2% click/email\n");
  REQUIRE(p->file);
  const ast::Expr &a = letValue(*p, 0);
  REQUIRE(a.kind == ast::ExprKind::Binary);
  CHECK(a.binaryOp == ast::BinaryOp::Mul);
  CHECK(a.args[0]->kind == ast::ExprKind::Number);
  REQUIRE(a.args[0]->unit);
  CHECK(a.args[0]->unit->factors.size() == 1);
  const ast::Expr &b = letValue(*p, 1);
  REQUIRE(b.unit);
  REQUIRE(b.unit->factors.size() == 2);
  CHECK(b.unit->factors[1].grouped);
  CHECK(b.unit->factors[1].number == 1000);
  CHECK(b.unit->factors[1].terms[0].name.name == "email");
  CHECK(letValue(*p, 2).unit->factors[1].denominator);
}

TEST_CASE("precedence: ^ binds tightest and to the right, - and / to the left", "[parser]") {
  auto p = parse("let a = -x ^ 2\nlet b = a - b - c\nlet c = 2 ^ 3 ^ 2\nlet d = a or b and not c\n");
  REQUIRE(p->file);
  const ast::Expr &a = letValue(*p, 0);
  CHECK(a.kind == ast::ExprKind::Unary); // -(x^2)
  CHECK(a.args[0]->binaryOp == ast::BinaryOp::Pow);
  const ast::Expr &b = letValue(*p, 1);
  CHECK(b.args[0]->kind == ast::ExprKind::Binary); // (a - b) - c
  const ast::Expr &c = letValue(*p, 2);
  CHECK(c.args[1]->kind == ast::ExprKind::Binary); // 2 ^ (3 ^ 2)
  const ast::Expr &d = letValue(*p, 3);
  CHECK(d.binaryOp == ast::BinaryOp::Or); // a or (b and (not c))
  CHECK(d.args[1]->binaryOp == ast::BinaryOp::And);
}

TEST_CASE("a line break continues after an operator, inside brackets, never before an operator", "[parser]") {
  auto ok = parse("let a = 1 +\n  2\nlet b = min(1,\n  2)\nlet c = (1\n + 2)\nparam d = 3 in [1,\n 4]\n");
  REQUIRE(ok->file);
  CHECK(ok->file->lets.size() == 3);
  auto bad = parse("let a = 1\n  + 2\n");
  CHECK_FALSE(bad->file);
  CHECK(bad->diags.errorCount() == 1);
}

TEST_CASE("statements end at semicolons too, and blocks may sit on one line", "[parser]") {
  auto p = parse("pipeline p { stage s { input a; labor \"x\" = 1 USD; media = 2 USD } }\nscenario s { a = 1; b = 2 }\n");
  REQUIRE(p->file);
  const ast::StageDecl &s = p->file->pipelines.at(0).stages.at(0);
  CHECK(s.inputs.size() == 1);
  CHECK(s.lines.size() == 2);
  CHECK(s.lines[1].label.empty());
  CHECK(p->file->scenarios.at(0).overrides.size() == 2);
}

TEST_CASE("doc comments attach to the next declaration", "[parser]") {
  auto p = parse("/// Loaded labour cost.\n/// Second line.\nparam hourly = 80 USD/h\n// plain comment\nparam other = 1\n");
  REQUIRE(p->file);
  CHECK(p->file->params[0].doc == "Loaded labour cost.\nSecond line.");
  CHECK(p->file->params[1].doc.empty());
}

TEST_CASE("block comments may span lines and be followed by code, an open one is an error", "[parser]") {
  auto p = parse("/* a note */ let a = 1\n/** two\n  lines ***/\nlet b = 2 /* inline */ + 1\n");
  REQUIRE(p->file);
  CHECK(p->file->lets.size() == 2);
  auto open = parse("let a = 1\n/* never closed\nlet b = 2\n");
  CHECK_FALSE(open->file);
  REQUIRE(open->diags.diagnostics().size() == 1);
  CHECK(open->diags.diagnostics()[0].kind == diag::Kind::UnterminatedComment);
}

TEST_CASE("keywords that never start a statement may be names", "[parser]") {
  auto p = parse("param fee = 100 USD\nlet monthly = fee * 2\nlet per = monthly\n");
  REQUIRE(p->file);
  CHECK(p->file->params[0].name.name == "fee");
  CHECK(p->file->lets[0].name.name == "monthly");
  CHECK_FALSE(parse("let stage = 1\n")->file);
}

TEST_CASE("rate cards, tiers, allowances and minimums parse into prices", "[parser]") {
  auto p = parse("ratecard v \"V\" {\n  fee license = 12_000 EUR/year\n  price g(msg) = graduated {\n"
                 "    up to 100 msg: 1 EUR/msg\n    above: 0.5 EUR/msg\n  } minimum 40 EUR\n"
                 "  price a(msg) = 2 EUR/msg after 50 msg included\n}\n");
  REQUIRE(p->file);
  const ast::RatecardDecl &r = p->file->ratecards.at(0);
  CHECK(r.title == "V");
  CHECK(r.fees.size() == 1);
  REQUIRE(r.prices.size() == 2);
  CHECK(r.prices[0].scheme == ast::PriceScheme::Graduated);
  CHECK(r.prices[0].tiers.size() == 2);
  CHECK_FALSE(r.prices[0].tiers[1].bound);
  CHECK(r.prices[0].minimum);
  CHECK(r.prices[1].allowance);
}

TEST_CASE("assertions keep their text, forecasts their dates and seasons", "[parser]") {
  auto p = parse("assert spring.roi >= -60% \"ROI guardrail\"\n"
                 "forecast f \"F\" monthly 2026-01 .. 2034-12 {\n  run spring per 4 / month growth 30% / year seasonal { nov: 1.6, dec: 1.8 }\n}\n");
  REQUIRE(p->file);
  CHECK(p->file->asserts[0].text == "spring.roi >= -60%");
  CHECK(p->file->asserts[0].message == "ROI guardrail");
  const ast::ForecastDecl &f = p->file->forecasts.at(0);
  CHECK(f.from.year == 2026);
  CHECK(f.to.month == 12);
  CHECK(f.runs.at(0).season.size() == 2);
}

TEST_CASE("syntax errors are reported once, in plain words", "[parser]") {
  auto p = parse("pipeline p {\n  stage s {\n    labor \"x\" = 1 USD\n  stage t {\n  }\n}\n");
  CHECK_FALSE(p->file);
  REQUIRE(p->diags.diagnostics().size() == 1);
  CHECK(p->diags.diagnostics()[0].message == "expected `}` to close stage `s` opened at line 2");
  CHECK(p->diags.diagnostics()[0].kind == diag::Kind::UnclosedBlock);
}
