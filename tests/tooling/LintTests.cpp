// camp lint: every rule fires on a model made to break it and stays quiet on the clean baseline.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "tooling/Lint.h"

using namespace camp;

namespace {

std::string cleanModel() {
  std::ifstream in(TOOLING_DATA_DIR "/lint/clean.camp", std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// The clean model with `from` replaced by `to` (which must be found).
std::string mutate(const std::string &from, const std::string &to) {
  std::string text = cleanModel();
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

std::vector<tooling::Finding> lint(const std::string &text, std::vector<std::string> disabled = {}) {
  tooling::LintOptions opts;
  opts.disabled = std::move(disabled);
  return tooling::lintText("model.camp", text, opts);
}

std::vector<tooling::Finding> ofRule(const std::vector<tooling::Finding> &all, const std::string &rule) {
  std::vector<tooling::Finding> out;
  for (const auto &f : all)
    if (f.code == rule)
      out.push_back(f);
  return out;
}

/// Line number (1-based) of the first line of `text` containing `needle`.
int lineOf(const std::string &text, const std::string &needle) {
  size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
}

struct Case {
  const char *rule;
  const char *from;
  const char *to;
  const char *at; // text on the line the finding points to
};

// One mutation per rule, each breaking exactly the rule it names.
const Case kCases[] = {
    {"unused-param", "param audience =", "param spare_budget = 5 USD\nparam audience =", "spare_budget"},
    {"unused-let", "  let orders =", "  let spare = emails * 2\n  let orders =", "let spare"},
    {"unused-ratecard-entry", "  fee platform", "  fee support = 200 USD/month\n  fee platform", "fee support"},
    {"unused-unit", "unit customer, email, click, order", "unit customer, email, click, order, sms", "unit customer"},
    {"dangling-output", "    input execute\n", "    input review\n", "stage execute"},
    {"missing-input", "    input segments\n", "", "stage journeys"},
    {"missing-step", "  stage reporting \"Reporting\" {\n    input execute\n    labor \"Dashboard\" = 3 h * hourly\n  }\n", "",
     "pipeline promo"},
    {"uncertain-param", "param conversion = 5% order/click in [3%, 6%]", "param conversion = 5% order/click",
     "param conversion"},
    {"inline-money", "labor \"Planning\" = 10 h * hourly", "labor \"Planning\" = 10 h * hourly + 50 USD",
     "labor \"Planning\""},
    // 100,000 emails cost 100 USD at the first tier's rate, one more costs 50 at the second's.
    {"volume-cliff", "price send(email) = graduated {", "price send(email) = volume {", "price send"},
    // 5,000 USD a year against 1,000 USD/month × 12 = 12,000 USD of fees.
    {"commit-below-fees", "  fee platform", "  commit 5_000 USD per year\n  fee platform", "commit 5_000"},
    {"yearly-without-contract", "  }\n}\n\n/// Loaded",
     "  } billed yearly\n}\n\nforecast f \"F\" monthly 2026-04 .. 2026-12 { run promo per 1 /month }\n\n/// Loaded",
     "price send"},
    {"nominal-outside-support", "triangular(1%, 2%, 3%)", "triangular(2.5%, 3%, 4%)", "param click_rate"},
    {"empty-scenario", "scenario strong", "scenario nothing \"Nothing\" { }\nscenario strong", "scenario nothing"},
    {"scenario-no-change", "{ click_rate = 3% }", "{ click_rate = 2% }", "scenario strong"},
    {"negative-profit", "param aov = 60 USD/order ~ normal(60, 5)", "param aov = 10 USD/order ~ normal(10, 2)",
     "pipeline promo"},
};

} // namespace

TEST_CASE("the clean baseline has no findings", "[lint]") {
  auto found = lint(cleanModel());
  for (const auto &f : found)
    UNSCOPED_INFO(f.code << ": " << f.message);
  CHECK(found.empty());
}

TEST_CASE("every rule fires on its own mutation and not on the baseline", "[lint]") {
  auto baseline = lint(cleanModel());
  for (const Case &c : kCases) {
    INFO("rule " << c.rule);
    REQUIRE(tooling::findRule(c.rule));
    CHECK(ofRule(baseline, c.rule).empty()); // does not fire
    std::string text = mutate(c.from, c.to);
    auto found = ofRule(lint(text), c.rule);
    REQUIRE(found.size() >= 1); // fires
    CHECK(found[0].place.line == lineOf(text, c.at));
    CHECK(found[0].level == tooling::findRule(c.rule)->level);
  }
}

TEST_CASE("volume-cliff and missing-step are notes while the rest are warnings", "[lint]") {
  REQUIRE(tooling::findRule("volume-cliff"));
  CHECK(tooling::findRule("volume-cliff")->level == tooling::LintLevel::Note);
  CHECK(tooling::findRule("missing-step")->level == tooling::LintLevel::Note);
  CHECK(tooling::findRule("negative-profit")->level == tooling::LintLevel::Warning);
}

TEST_CASE("suppression comments and --disable", "[lint]") {
  SECTION("on the same line") {
    auto found = lint(mutate("param audience =", "param spare = 5 USD // camp-lint: allow unused-param\nparam audience ="));
    CHECK(ofRule(found, "unused-param").empty());
  }
  SECTION("on the line before") {
    auto found = lint(mutate("param audience =", "// camp-lint: allow unused-param\nparam spare = 5 USD\nparam audience ="));
    CHECK(ofRule(found, "unused-param").empty());
  }
  SECTION("two lines before does not count") {
    auto found =
        lint(mutate("param audience =", "// camp-lint: allow unused-param\n\nparam spare = 5 USD\nparam audience ="));
    CHECK(ofRule(found, "unused-param").size() == 1);
  }
  SECTION("allowing another rule does not hide this one") {
    auto found = lint(mutate("param audience =", "param spare = 5 USD // camp-lint: allow unused-let\nparam audience ="));
    CHECK(ofRule(found, "unused-param").size() == 1);
  }
  SECTION("several rules in one comment") {
    auto found = lint(mutate("param audience =",
                             "param spare_rate = 5% // camp-lint: allow unused-param, uncertain-param\nparam audience ="));
    CHECK(ofRule(found, "unused-param").empty());
    CHECK(ofRule(found, "uncertain-param").empty());
  }
  SECTION("--disable") {
    auto text = mutate("param audience =", "param spare = 5 USD\nparam audience =");
    CHECK(ofRule(lint(text, {"unused-param"}), "unused-param").empty());
    CHECK(ofRule(lint(text, {"unused-let"}), "unused-param").size() == 1);
  }
}

TEST_CASE("a model that does not compile gives compile-error findings", "[lint]") {
  auto found = lint(mutate("10 h * hourly", "10 h + hourly"));
  REQUIRE(found.size() >= 1);
  CHECK(found[0].code == "compile-error");
  CHECK(found[0].level == tooling::LintLevel::Error);
}

TEST_CASE("SARIF and JSON carry the rule and level and place", "[lint]") {
  std::string text = mutate("param audience =", "param spare = 5 USD\nparam audience =");
  auto found = lint(text);
  std::string sarif = diag::renderSarif(found, "0.1.0", "lint");
  CHECK(sarif.find("\"version\": \"2.1.0\"") != std::string::npos);
  CHECK(sarif.find("\"ruleId\": \"unused-param\"") != std::string::npos);
  CHECK(sarif.find(fmt::format("\"startLine\": {}", lineOf(text, "param spare"))) != std::string::npos);
  std::string json = diag::renderJson(found, diag::JsonStyle::Lint);
  CHECK(json.find("\"schema\": \"camp.lint/1\"") != std::string::npos);
  CHECK(json.find("\"rule\": \"unused-param\", \"level\": \"warning\"") != std::string::npos);
}
