// The report page from hand-written camp.*/1 JSON: billing, commitments and budgets (fields the
// CLI does not print yet) render, absent data is said, and nothing in the data can break out.
#include <catch2/catch.hpp>

#include "HtmlReport.h"

using camp::driver::ChartLibrary;
using camp::driver::ReportData;
using camp::driver::renderHtmlReport;
using nlohmann::ordered_json;

namespace {

ChartLibrary fakeLibrary() {
  return {"/*vega*/\n//# sourceMappingURL=vega.min.js.map\n", "/*lite*/ var s = '</script>';", "/*embed*/", "test"};
}

// Two pipelines: a costs 1,800 and earns 2,000; b costs 500 and earns 300 (total 2,300 / 2,300).
ordered_json runJson(bool withBilling) {
  ordered_json a = {{"name", "a"}, {"title", "A"}, {"cost", 1800.0}, {"revenue", 2000.0}, {"profit", 200.0},
                    {"roi", 200.0 / 1800.0}, {"by_category", {{"labor", 800.0}, {"media", 1000.0}}},
                    {"stages", ordered_json::array({{{"name", "plan"}, {"title", "Plan"}, {"cost", 800.0},
                                                     {"output", nullptr}, {"lines", ordered_json::array()}},
                                                    {{"name", "send"}, {"title", "</script><b>x</b>"}, {"cost", 1000.0},
                                                     {"output", {{"value", 1000.0}, {"unit", "email"}}},
                                                     {"unit_cost", 1.0}, {"lines", ordered_json::array()}}})},
                    {"revenue_lines", ordered_json::array()}};
  ordered_json b = {{"name", "b"}, {"title", "B"}, {"cost", 500.0}, {"revenue", 300.0}, {"profit", -200.0},
                    {"roi", -0.4}, {"by_category", {{"labor", 500.0}, {"media", 0.0}}},
                    {"stages", ordered_json::array()}, {"revenue_lines", ordered_json::array()}};
  if (withBilling) {
    a["billing"] = ordered_json::array({{{"price", "esp.send"}, {"quantity", 1400000.0}, {"unit", "email"},
                                         {"cost", 1140.0}, {"lines", 2}, {"included", 10000.0},
                                         {"overage_quantity", 1390000.0}}});
    b["billing"] = ordered_json::array();
  }
  return {{"schema", "camp.run/1"}, {"model", "Two"}, {"currency", "USD"}, {"scenario", "base"},
          {"pipelines", ordered_json::array({a, b})}};
}

ReportData data(bool withBilling) {
  ReportData d;
  d.meta = {{"title", "Two <pipelines>"}, {"file", "two.camp"}, {"version", "0.1.0"}, {"date", "2026-11-29 12:00 UTC"}};
  d.run = runJson(withBilling);
  d.scenarios = ordered_json::array({{{"name", "base"}, {"title", "Base case"}, {"changes", ordered_json::array()},
                                      {"run", d.run}}});
  d.assumptions = ordered_json::array();
  return d;
}

std::string between(const std::string &page, const std::string &from, const std::string &to) {
  size_t a = page.find(from);
  REQUIRE(a != std::string::npos);
  size_t b = page.find(to, a);
  return page.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

} // namespace

TEST_CASE("report page: the total row is the sum of the pipelines") {
  std::string page = renderHtmlReport(data(false), fakeLibrary());
  // 1,800 + 500 = 2,300 cost; 2,000 + 300 = 2,300 revenue; profit 0; ROI 0 / 2,300 = 0.
  CHECK(page.find("data-value=\"2300\" data-pipeline=\"*total\" data-field=\"cost\">2,300.00<") != std::string::npos);
  CHECK(page.find("data-value=\"2300\" data-pipeline=\"*total\" data-field=\"revenue\">2,300.00<") != std::string::npos);
  CHECK(page.find("data-value=\"0\" data-pipeline=\"*total\" data-field=\"profit\">0.00<") != std::string::npos);
  // b's profit is a loss, shown red.
  CHECK(page.find("class=\"num loss\" data-value=\"-200\" data-pipeline=\"b\" data-field=\"profit\">-200.00<") !=
        std::string::npos);
}

TEST_CASE("report page: billing renders each price, or says there is no billing data yet") {
  std::string without = renderHtmlReport(data(false), fakeLibrary());
  CHECK(between(without, "<section id=\"billing\">", "</section>").find("No billing data yet") != std::string::npos);

  std::string with = renderHtmlReport(data(true), fakeLibrary());
  std::string billing = between(with, "<section id=\"billing\">", "</section>");
  CHECK(billing.find("No billing data yet") == std::string::npos);
  CHECK(billing.find("<td>esp.send</td>") != std::string::npos);
  CHECK(billing.find("data-value=\"1400000\">1,400,000<") != std::string::npos);
  CHECK(billing.find("data-value=\"1140\">1,140.00<") != std::string::npos);
  CHECK(billing.find("data-value=\"10000\">10,000<") != std::string::npos);
  CHECK(billing.find("data-value=\"1390000\">1,390,000<") != std::string::npos);
  CHECK(billing.find("No rate-card price is billed in this pipeline.") != std::string::npos); // pipeline b
}

TEST_CASE("report page: forecast commitments, budgets and budget lines") {
  ReportData d = data(false);
  d.forecast = {{"schema", "camp.forecast/1"}, {"name", "plan"}, {"title", "Plan"}, {"currency", "USD"},
                {"months", ordered_json::array({{{"month", "2027-01"}, {"runs", {{"a", 1.0}}}, {"cost", 900.0},
                                                 {"revenue", 1000.0}, {"profit", 100.0},
                                                 {"by_category", {{"labor", 400.0}, {"media", 500.0}}},
                                                 {"cumulative_profit", 100.0}}})},
                {"allowances", ordered_json::array({{{"ratecard", "esp"}, {"price", "send"}, {"first_exceeded", nullptr}}})},
                {"commits", ordered_json::array({{{"ratecard", "esp"}, {"from", "2027-01"}, {"to", "2027-12"},
                                                  {"amount", 12000.0}, {"used", 12000.0}, {"exhausted", "2027-10"},
                                                  {"overage_cost", 350.0}, {"unused", 0.0}}})},
                {"budgets", ordered_json::array({{{"label", "Monthly cap"}, {"limit", 800.0}, {"period", "month"},
                                                  {"breaches", ordered_json::array({{{"period", "2027-01"}, {"cost", 900.0},
                                                                                     {"over", 100.0}}})}}})}};
  std::string page = renderHtmlReport(d, fakeLibrary());
  std::string forecast = between(page, "<section id=\"forecast\">", "</section>");
  CHECK(forecast.find("<td>never in the forecast</td>") != std::string::npos);
  CHECK(forecast.find("<td>2027-10</td>") != std::string::npos);         // commitment exhausted
  CHECK(forecast.find("data-value=\"350\">350.00<") != std::string::npos); // overage cost
  CHECK(forecast.find("2027-01 over by 100.00") != std::string::npos);    // 900 - 800
  CHECK(forecast.find("No commitment data yet") == std::string::npos);
  // The monthly budget is a rule on the monthly chart.
  std::string specs = between(page, "<script id=\"camp-specs\"", "</script>");
  CHECK(specs.find("\"limit\":800") != std::string::npos);

  d.forecast.erase("commits");
  d.forecast.erase("budgets");
  std::string older = renderHtmlReport(d, fakeLibrary());
  CHECK(older.find("No commitment data yet") != std::string::npos);
  CHECK(older.find("No budget data yet") != std::string::npos);
}

TEST_CASE("report page: nothing in the data or the library ends a script early or asks the network") {
  std::string page = renderHtmlReport(data(true), fakeLibrary());
  CHECK(page.find("</script><b>") == std::string::npos);
  CHECK(page.find("&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;") != std::string::npos); // escaped in the table
  CHECK(page.find("<title>Two &lt;pipelines&gt; — Camp report</title>") != std::string::npos);
  CHECK(page.find("sourceMappingURL") == std::string::npos);
  CHECK(page.find("var s = '<\\/script>'") != std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
}

TEST_CASE("report page: sampled forecasts give a fan of cumulative profit and probabilities") {
  ReportData d = data(false);
  ordered_json month = {{"month", "2027-01"}, {"runs", {{"a", 1.0}}}, {"cost", 900.0}, {"revenue", 1000.0},
                        {"profit", 100.0}, {"by_category", {{"labor", 400.0}, {"media", 500.0}}},
                        {"cumulative_profit", 100.0}, {"cumulative_profit_p10", -50.0},
                        {"cumulative_profit_p50", 90.0}, {"cumulative_profit_p90", 240.0}};
  d.forecast = {{"schema", "camp.forecast/1"}, {"name", "plan"}, {"title", "Plan"}, {"currency", "USD"},
                {"uncertainty", {{"samples", 400}, {"evaluated", 400}, {"failed", 0}}},
                {"months", ordered_json::array({month})},
                {"allowances", ordered_json::array({{{"ratecard", "esp"}, {"price", "send"}, {"first_exceeded", nullptr},
                                                     {"run_out_probability", ordered_json::array({{{"month", "2027-01"},
                                                                                                   {"probability", 0.25}}})}}})},
                {"commits", ordered_json::array()},
                {"budgets", ordered_json::array({{{"label", "Monthly cap"}, {"limit", 800.0}, {"period", "month"},
                                                  {"breaches", ordered_json::array({{{"period", "2027-01"}, {"cost", 900.0},
                                                                                     {"over", 100.0}, {"probability", 0.75}}})},
                                                  {"at_risk", ordered_json::array({{{"period", "2027-01"},
                                                                                    {"probability", 0.75}}})}}})}};
  std::string page = renderHtmlReport(d, fakeLibrary());
  std::string forecast = between(page, "<section id=\"forecast\">", "</section>");
  CHECK(forecast.find("over 400 sampled forecasts") != std::string::npos);
  CHECK(forecast.find("2027-01 over by 100.00 (in 75.0% of draws)") != std::string::npos);
  CHECK(forecast.find("<td>2027-01: 75.0%</td>") != std::string::npos);
  CHECK(forecast.find("data-value=\"0.25\">25.0%<") != std::string::npos); // allowance run out by the end
  std::string specs = between(page, "<script id=\"camp-specs\"", "</script>");
  CHECK(specs.find("\"p10\":-50") != std::string::npos);
  CHECK(specs.find("\"p90\":240") != std::string::npos);

  d.forecast.erase("uncertainty");
  std::string plain = renderHtmlReport(d, fakeLibrary());
  CHECK(plain.find("Run `camp report` with --samples N to add a P10–P90 fan") != std::string::npos);
}
