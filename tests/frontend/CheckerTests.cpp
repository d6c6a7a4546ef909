// The checker: one mistake gives one error of the right kind; correct models give none.
#include <catch2/catch.hpp>

#include "TestSupport.h"

using camp::test::errorKinds;
using camp::test::firstMessage;
using Kinds = std::vector<std::string>;

TEST_CASE("correct models check without diagnostics", "[checker]") {
  CHECK(errorKinds("unit email\nparam n = 10 email\nlet c = n * 2 USD/email\n").empty());
  CHECK(errorKinds("let b = a * 2\nlet a = 5 USD\n").empty()); // lets in any order
  CHECK(errorKinds("let hours_per_day = 8\nlet d = 16 h / hours_per_day\n").empty());
  CHECK(errorKinds("pipeline p {\n  stage s { labor = 1 USD }\n  let twice = p.cost * 2\n}\nlet t = p.twice\n").empty());
  CHECK(errorKinds("pipeline a {\n  stage s { labor = 1 USD }\n  let x = 1\n}\npipeline b {\n  stage s { labor = 1 USD }\n  let x = 2\n}\n").empty());
}

TEST_CASE("units must agree for + - comparisons min max and if", "[checker]") {
  CHECK(errorKinds("let x = 1 USD + 1 h\n") == Kinds{"UnitMismatch"});
  CHECK(firstMessage("param hourly = 80 USD/h\nlet x = hourly + 5 USD\n") == "cannot add USD/h to USD");
  CHECK(errorKinds("let x = 1 day + 3 h\n").empty()); // time units convert
  CHECK(errorKinds("let x = 1 USD < 1 h\n") == Kinds{"UnitMismatch"});
  CHECK(errorKinds("let x = max(1 USD, 2 h)\n") == Kinds{"UnitMismatch"});
  CHECK(errorKinds("let x = if 1 > 0 then 1 USD else 1 h\n") == Kinds{"UnitMismatch"});
}

TEST_CASE("cost and revenue lines must be money", "[checker]") {
  CHECK(errorKinds("pipeline p {\n  stage s { labor = 16 h }\n}\n") == Kinds{"NotMoney"});
  CHECK(errorKinds("unit order\npipeline p {\n  stage s { labor = 1 USD }\n  revenue = 3 order\n}\n") == Kinds{"NotMoney"});
}

TEST_CASE("functions take the units they are defined for", "[checker]") {
  CHECK(errorKinds("let x = ceil(130 h)\n") == Kinds{"NotDimensionless"});
  CHECK(errorKinds("let x = ceil(130 h, 8 h)\n").empty());
  CHECK(errorKinds("let x = sqrt(4 USD)\n") == Kinds{"NotDimensionless"});
  CHECK(errorKinds("let x = sqrt(4 USD * 1 USD)\n").empty());
  CHECK(errorKinds("let x = ln(2 h)\n") == Kinds{"NotDimensionless"});
  CHECK(errorKinds("param g = 30%\nlet x = 2 ^ g\n") == Kinds{"BadExponent"});
  CHECK(errorKinds("let x = (2 h) ^ -2\n").empty());
  CHECK(errorKinds("let x = frobnicate(2)\n") == Kinds{"NotAFunction"});
  CHECK(errorKinds("let x = min(2 USD)\n") == Kinds{"WrongArguments"});
}

TEST_CASE("names resolve with suggestions", "[checker]") {
  CHECK(errorKinds("param hourly_rate = 1 USD/h\nlet c = 10 h * hourly_rte\n") == Kinds{"UnknownName"});
  CHECK(errorKinds("unit customer\nparam a = 1 custmer\n") == Kinds{"UnknownUnit"});
  CHECK(errorKinds("pipeline p {\n  stage s { labr = 1 USD }\n}\n") == Kinds{"UnknownCategory"});
  CHECK(errorKinds("category agency\npipeline p {\n  stage s { agency = 1 USD }\n}\n").empty());
  CHECK(errorKinds("pipeline p {\n  stage s { input t; labor = 1 USD }\n}\n") == Kinds{"UnknownStage"});
  CHECK(errorKinds("pipeline p {\n  stage s { labor = 1 USD }\n}\nlet c = p.cots\n") == Kinds{"UnknownMember"});
  CHECK(errorKinds("param a = 1\nscenario s { b = 2 }\n") == Kinds{"UnknownParam"});
}

TEST_CASE("names are unique, stages may not be named like categories or results", "[checker]") {
  CHECK(errorKinds("param a = 1\nlet a = 2\n") == Kinds{"Redefinition"});
  CHECK(errorKinds("param a = 1\npipeline p {\n  stage s { labor = 1 USD }\n  let a = 2\n}\n") == Kinds{"Redefinition"});
  CHECK(errorKinds("pipeline p {\n  stage media { labor = 1 USD }\n}\n") == Kinds{"ReservedName"});
  CHECK(errorKinds("pipeline p {\n  stage roi { labor = 1 USD }\n}\n") == Kinds{"ReservedName"});
  CHECK(errorKinds("unit h\n") == Kinds{"Redefinition"});
  CHECK(errorKinds("unit email\nunit email\n").empty());
}

TEST_CASE("params are constants with valid ranges and distributions", "[checker]") {
  CHECK(errorKinds("param a = 10 USD\nparam b = a * 2\n") == Kinds{"ParamNotConstant"});
  CHECK(errorKinds("param a = 10 USD in [5, 20]\n").empty());
  CHECK(errorKinds("param a = 10 USD in [20, 5]\n") == Kinds{"BadDistribution"});
  // One mistake, one error: the first wrong argument is reported, not all three.
  CHECK(errorKinds("unit click, email\nparam c = 1% click/email ~ triangular(1 USD, 2 USD, 3 USD)\n") ==
        Kinds{"UnitMismatch"});
  CHECK(errorKinds("param a = 5 ~ pert(1, 9, 4)\n") == Kinds{"BadDistribution"});
  CHECK(errorKinds("param a = 5 ~ normal(5, -1)\n") == Kinds{"BadDistribution"});
  CHECK(errorKinds("param a = 5 ~ lognormal(5, 1)\n").empty());
  CHECK(errorKinds("param a = 5 USD ~ beta(2, 3)\n") == Kinds{"BadDistribution"});
  CHECK(errorKinds("param a = 5 ~ discrete(4: 0.5, 6: 0.5)\n").empty());
  CHECK(errorKinds("param a = 5 ~ discrete(4: 0.5, 6: 0.4)\n") == Kinds{"BadDistribution"});
}

TEST_CASE("cycles are found among lets, results and stages, and reported once", "[checker]") {
  CHECK(errorKinds("let a = b\nlet b = a\n") == Kinds{"Cycle"});
  CHECK(errorKinds("let o = p.cost\npipeline p {\n  stage s { labor = o }\n}\n") == Kinds{"Cycle"});
  CHECK(errorKinds("pipeline p {\n  stage a { input b; labor = 1 USD }\n  stage b { input a; labor = 1 USD }\n}\n") ==
        Kinds{"StageCycle"});
}

TEST_CASE("rate cards: units of rates and bounds, tier tables", "[checker]") {
  const char *card = "unit email, sms\nratecard e \"E\" {\n  price send(email) = 1 USD/email\n}\n";
  CHECK(errorKinds(std::string(card) + "let c = e.send(5 email)\n").empty());
  CHECK(errorKinds(std::string(card) + "let c = e.send(5 sms)\n") == Kinds{"UnitMismatch"});
  CHECK(errorKinds(std::string(card) + "let c = e.send\n") == Kinds{"WrongArguments"});
  CHECK(errorKinds("unit email\nratecard e {\n  price s(email) = graduated {\n    up to 5 email: 1 USD/email\n  }\n}\n") ==
        Kinds{"TierTable"});
  CHECK(errorKinds("unit email\nratecard e {\n  price s(email) = 1 USD after 5 email included\n}\n") == Kinds{"UnitMismatch"});
}

TEST_CASE("a model declares its currency once", "[checker]") {
  CHECK(errorKinds("model \"m\"\nlet x = 10 USD\n") == Kinds{"MissingCurrency"}); // no cascade from `USD`
  CHECK(errorKinds("model \"m\"\ncurrency USD\ncurrency EUR\n") == Kinds{"ConflictingDeclaration"});
}
