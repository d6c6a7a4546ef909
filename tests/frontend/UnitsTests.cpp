// Units of measure: dimension arithmetic, time conversions and how dimensions are written.
#include <catch2/catch.hpp>

#include "sema/Units.h"

using camp::sema::Dim;
using camp::sema::UnitTable;

TEST_CASE("dimensions multiply, divide and cancel", "[units]") {
  UnitTable u;
  u.setCurrency("USD");
  REQUIRE(u.declareCount("email"));
  Dim money = u.find("USD")->dim, email = u.find("email")->dim, time = u.find("h")->dim;
  CHECK(u.format(money / time) == "USD/h");
  CHECK(u.format(money / email) == "USD/email");
  CHECK((money / email * email) == money);
  CHECK((time / time).none());
  CHECK(u.format(money / (email * time)) == "USD/(h*email)");
  CHECK(u.format(Dim() / time) == "1/h");
  CHECK(u.format(time.pow(2)) == "h^2");
  CHECK(u.format(Dim()) == "a plain number");
}

TEST_CASE("time units convert through hours", "[units]") {
  UnitTable u;
  // LANGUAGE.md: day = 24 h, week = 7 day, month = 730 h, quarter = 3 month, year = 12 month = 365 day.
  CHECK(u.find("day")->scale == 24);
  CHECK(u.find("week")->scale == 168);
  CHECK(u.find("month")->scale == 730);
  CHECK(u.find("quarter")->scale == 2190);
  CHECK(u.find("year")->scale == 8760);
  CHECK(u.find("year")->scale == 365 * u.find("day")->scale);
  CHECK(u.find("minute")->scale == Approx(1.0 / 60));
  CHECK(u.find("day")->dim == u.find("month")->dim);
}

TEST_CASE("square roots halve even powers only", "[units]") {
  UnitTable u;
  u.setCurrency("EUR");
  Dim m2 = u.money().pow(2);
  CHECK(m2.canSqrt());
  CHECK(m2.sqrt() == u.money());
  CHECK_FALSE(u.money().canSqrt());
}

TEST_CASE("count units cannot shadow built-in units, redeclaring one is the same unit", "[units]") {
  UnitTable u;
  u.setCurrency("USD");
  CHECK_FALSE(u.declareCount("h"));
  CHECK_FALSE(u.declareCount("USD"));
  REQUIRE(u.declareCount("seat"));
  Dim first = u.find("seat")->dim;
  REQUIRE(u.declareCount("seat"));
  CHECK(u.find("seat")->dim == first);
}
