// `camp report`'s page: sections of tables and Vega-Lite charts over the camp.*/1 JSON results.
#include "HtmlReport.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "base/Strings.h"
#include "camp/Report.h"

namespace camp::driver {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

// ---- Finding the charting library -------------------------------------------------------------

namespace {

std::optional<std::string> readWhole(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A folder holds the library when the three files are there: flat (an installed copy) or in
// npm's layout (node_modules/<package>/build/<file>).
std::optional<ChartLibrary> readLibrary(const fs::path &dir, bool npmLayout) {
  auto at = [&](const char *package, const char *file) {
    return npmLayout ? dir / package / "build" / file : dir / file;
  };
  auto vega = readWhole(at("vega", "vega.min.js"));
  auto lite = readWhole(at("vega-lite", "vega-lite.min.js"));
  auto embed = readWhole(at("vega-embed", "vega-embed.min.js"));
  if (!vega || !lite || !embed)
    return std::nullopt;
  return ChartLibrary{std::move(*vega), std::move(*lite), std::move(*embed), dir.string()};
}

} // namespace

std::optional<ChartLibrary> findChartLibrary(std::string &searched) {
  std::vector<std::pair<fs::path, bool>> candidates;
  if (const char *env = std::getenv("CAMP_REPORT_JS"); env && *env)
    candidates.emplace_back(env, false);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.emplace_back(exe.parent_path().parent_path() / "share" / "camp" / "js", false);
    candidates.emplace_back(exe.parent_path() / "node_modules", true);
  }
  for (auto &[dir, npm] : candidates) {
    searched += (searched.empty() ? "" : ", ") + dir.string();
    if (auto lib = readLibrary(dir, npm))
      return lib;
  }
  return std::nullopt;
}

// ---- Small HTML helpers ----------------------------------------------------------------------

namespace {

std::string esc(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string str(const ordered_json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A JSON number, or NaN for null/missing (non-finite figures are null in camp.*/1).
double num(const ordered_json &j) { return j.is_number() ? j.get<double>() : std::nan(""); }
double num(const ordered_json &j, const char *key) {
  auto it = j.find(key);
  return it != j.end() ? num(*it) : std::nan("");
}

std::string money(double v) { return runtime::formatMoney(v); }

std::string percent(double fraction, int decimals = 1) {
  if (!std::isfinite(fraction))
    return "n/a";
  return fmt::format("{:.{}f}%", fraction * 100, decimals);
}

// Any value: whole numbers without decimals, others with two from 1 up, four significant digits below 1.
std::string plain(double v) {
  if (!std::isfinite(v))
    return "n/a";
  if (std::fabs(v) >= 1)
    return groupThousands(v, std::fabs(v - std::round(v)) < 1e-9 * std::fabs(v) ? 0 : 2);
  return fmt::format("{:.4g}", v);
}

// A table cell whose text is for people and whose data-value is for tests.
std::string cell(const std::string &text, double raw, const std::string &attrs = "") {
  std::string value = std::isfinite(raw) ? fmt::format("{:.17g}", raw) : "";
  std::string classes = std::isfinite(raw) && raw < 0 ? "num loss" : "num";
  return fmt::format("<td class=\"{}\" data-value=\"{}\"{}>{}</td>", classes, value, attrs.empty() ? "" : " " + attrs,
                     esc(text));
}

std::string textCell(const std::string &text) { return "<td>" + esc(text) + "</td>"; }

// The share of sampled forecasts in which an allowance or commitment has run out by the last month.
std::string finalShareCell(const ordered_json &item) {
  auto it = item.find("run_out_probability");
  if (it == item.end() || !it->is_array() || it->empty())
    return cell("n/a", std::nan(""));
  double share = num(it->back(), "probability");
  return cell(percent(share), share);
}

std::string headRow(const std::vector<std::string> &heads) {
  std::string out = "<thead><tr>";
  for (const std::string &h : heads)
    out += "<th>" + esc(h) + "</th>";
  return out + "</tr></thead>";
}

std::string note(const std::string &text) { return "<p class=\"note\">" + esc(text) + "</p>\n"; }

// JSON inside <script>: `<` escaped so that no `</script>` can end the element early.
std::string scriptJson(const ordered_json &j) {
  std::string s = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    out += c == '<' ? std::string("\\u003c") : std::string(1, c);
  return out;
}

// A library's source inside <script>: without its source-map comment (the page must not ask
// for anything) and with any `</script` broken up.
std::string scriptSource(std::string js) {
  for (size_t at; (at = js.find("//# sourceMappingURL=")) != std::string::npos;) {
    size_t end = js.find('\n', at);
    js.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  for (size_t at = 0; (at = js.find("</script", at)) != std::string::npos; at += 2)
    js.replace(at, 2, "<\\/");
  return js;
}

// ---- The page builder ----------------------------------------------------------------------------

class Page {
public:
  Page(const ReportData &d) : d_(d), currency_(str(d.run, "currency")) {}
  std::string build(const ChartLibrary &lib);

private:
  const ReportData &d_;
  std::string currency_;
  std::string body_;
  ordered_json specs_ = ordered_json::object();
  std::vector<std::pair<std::string, std::string>> toc_;

  void section(const std::string &id, const std::string &title) {
    if (!toc_.empty())
      body_ += "</section>\n";
    toc_.emplace_back(id, title);
    body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, esc(title));
  }
  /// A chart: a titled figure whose Vega-Lite spec the page script embeds.
  void chart(const std::string &id, const std::string &title, ordered_json spec) {
    spec["$schema"] = nullptr; // never a URL: the page loads nothing
    spec.erase("$schema");
    if (!spec.contains("config"))
      spec["config"] = {{"font", "system-ui, sans-serif"}, {"view", {{"stroke", nullptr}}}};
    specs_[id] = std::move(spec);
    body_ += fmt::format("<figure class=\"chart-box\"><figcaption>{}</figcaption>"
                         "<div class=\"chart\" id=\"{}\" role=\"img\" aria-label=\"{}\"></div></figure>\n",
                         esc(title), id, esc(title));
  }

  /// Every category of the model in its order, so a category has one colour on every chart.
  ordered_json categoryDomain() const {
    ordered_json domain = ordered_json::array();
    if (!d_.run["pipelines"].empty())
      for (auto &[category, value] : d_.run["pipelines"][0]["by_category"].items())
        domain.push_back(category);
    return domain;
  }
  void header();
  void summary();
  void values();
  void pipelineCosts();
  void assumptions();
  void billing();
  void scenarios();
  void uncertainty();
  void distributionCharts(const ordered_json &metric, const std::string &id);
  void assertionShares();
  void tornado();
  void sobol();
  void forecast();
  void forecastFan(const ordered_json &f, double barWidth);
};

void Page::header() {
  const ordered_json &m = d_.meta;
  body_ += fmt::format("<header>\n<h1>{}</h1>\n<dl class=\"meta\">\n", esc(str(m, "title").empty() ? "Model" : str(m, "title")));
  auto item = [&](const char *label, const std::string &value, const char *id) {
    if (!value.empty())
      body_ += fmt::format("<div><dt>{}</dt><dd id=\"meta-{}\">{}</dd></div>\n", label, id, esc(value));
  };
  item("File", str(m, "file"), "file");
  item("Scenario", str(d_.run, "scenario"), "scenario");
  item("Settings", str(m, "settings"), "settings");
  item("Amounts in", currency_, "currency");
  item("Git revision", str(m, "revision").empty() ? "not in a git repository" : str(m, "revision"), "revision");
  item("Camp version", str(m, "version"), "version");
  item("Samples", m.contains("samples") ? groupThousands(num(m["samples"]), 0) : "none (no --samples)", "samples");
  item("Seed", m.contains("seed") ? fmt::format("{}", m["seed"].get<uint64_t>()) : "", "seed");
  item("Date", str(m, "date"), "date");
  body_ += "</dl>\n</header>\n";
}

void Page::summary() {
  section("summary", "Summary");
  const ordered_json &pipes = d_.run["pipelines"];
  body_ += "<table class=\"figures\" id=\"summary-table\">" +
           headRow({"Pipeline", "Cost", "Revenue", "Profit", "ROI"}) + "<tbody>\n";
  double cost = 0, revenue = 0;
  for (const ordered_json &p : pipes) {
    std::string name = str(p, "name");
    auto at = [&](const char *field) { return fmt::format("data-pipeline=\"{}\" data-field=\"{}\"", esc(name), field); };
    std::string label = str(p, "title").empty() ? name : name + " · " + str(p, "title");
    body_ += "<tr>" + textCell(label) + cell(money(num(p, "cost")), num(p, "cost"), at("cost")) +
             cell(money(num(p, "revenue")), num(p, "revenue"), at("revenue")) +
             cell(money(num(p, "profit")), num(p, "profit"), at("profit")) +
             cell(percent(num(p, "roi")), num(p, "roi"), at("roi")) + "</tr>\n";
    cost += num(p, "cost");
    revenue += num(p, "revenue");
  }
  // The total is the JSON's when `camp run` prints one, else the sum of the pipelines.
  if (d_.run.contains("total")) {
    cost = num(d_.run["total"], "cost");
    revenue = num(d_.run["total"], "revenue");
  }
  double profit = revenue - cost, roi = cost != 0 ? profit / cost : std::nan("");
  auto at = [](const char *field) { return fmt::format("data-pipeline=\"*total\" data-field=\"{}\"", field); };
  body_ += "<tr class=\"total\">" + textCell("Total") + cell(money(cost), cost, at("cost")) +
           cell(money(revenue), revenue, at("revenue")) + cell(money(profit), profit, at("profit")) +
           cell(percent(roi), roi, at("roi")) + "</tr>\n</tbody></table>\n";

  body_ += "<h3>Unit economics: the cost of each stage's output</h3>\n";
  for (const ordered_json &p : pipes) {
    body_ += fmt::format("<table class=\"figures\"><caption>{}</caption>", esc(str(p, "name"))) +
             headRow({"Stage", "Output", "Stage cost", "Unit cost"}) + "<tbody>\n";
    for (const ordered_json &s : p["stages"]) {
      std::string output = "—", unitCost = "—";
      double uc = std::nan("");
      if (s["output"].is_object()) {
        const ordered_json &o = s["output"];
        output = plain(num(o, "value")) + " " + str(o, "unit");
        uc = num(s, "unit_cost");
        if (std::isfinite(uc))
          unitCost = (std::fabs(uc) >= 1 ? money(uc) : fmt::format("{:.4g}", uc)) + " " + currency_ + "/" +
                     (str(o, "unit").empty() ? "unit" : str(o, "unit"));
      }
      std::string label = str(s, "title").empty() ? str(s, "name") : str(s, "name") + " · " + str(s, "title");
      body_ += "<tr>" + textCell(label) + "<td>" + esc(output) + "</td>" + cell(money(num(s, "cost")), num(s, "cost")) +
               cell(unitCost, uc) + "</tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
}

// The model's own figures (`let`s at the top level, e.g. a break-even order value).
void Page::values() {
  if (!d_.run.contains("values") || d_.run["values"].empty())
    return;
  std::string rows;
  for (auto &[name, v] : d_.run["values"].items()) {
    if (name.rfind("__", 0) == 0) // analyses' metric lets, not the model's
      continue;
    std::string unit = str(v, "unit");
    rows += "<tr>" + textCell(name) + cell(plain(num(v, "value")) + (unit.empty() ? "" : " " + unit), num(v, "value")) + "</tr>\n";
  }
  if (rows.empty())
    return;
  body_ += "<h3>The model's values</h3>\n<table class=\"figures\" id=\"values-table\">" + headRow({"Value", "Amount"}) +
           "<tbody>\n" + rows + "</tbody></table>\n";
}

void Page::pipelineCosts() {
  section("costs", "Where the money goes");
  const ordered_json &run = d_.run;
  int n = 0;
  for (const ordered_json &p : run["pipelines"]) {
    ++n;
    std::string name = str(p, "name");
    body_ += fmt::format("<h3>{}</h3>\n", esc(str(p, "title").empty() ? name : str(p, "title")));
    // Waterfall: each stage a floating bar from the running total before it to after it.
    ordered_json rows = ordered_json::array();
    double running = 0;
    int order = 0;
    std::string table = "<table class=\"figures\">" + headRow({"Stage", "Cost", "Running total"}) + "<tbody>\n";
    for (const ordered_json &s : p["stages"]) {
      double c = num(s, "cost");
      rows.push_back({{"order", order++}, {"stage", str(s, "name")}, {"start", running}, {"end", running + c},
                      {"cost", c}, {"kind", "stage"}});
      running += c;
      table += "<tr>" + textCell(str(s, "name")) + cell(money(c), c, "data-chart=\"waterfall\"") +
               cell(money(running), running) + "</tr>\n";
    }
    rows.push_back({{"order", order}, {"stage", "Total"}, {"start", 0}, {"end", running}, {"cost", running}, {"kind", "total"}});
    table += "<tr class=\"total\">" + textCell("Total") + cell(money(running), running) + "<td></td></tr>\n</tbody></table>\n";
    ordered_json wf = {
        {"width", 640}, {"height", 260}, {"data", {{"values", rows}}},
        {"encoding",
         {{"x", {{"field", "stage"}, {"type", "nominal"}, {"sort", {{"field", "order"}}}, {"title", nullptr},
                 {"axis", {{"labelAngle", -30}}}}}}},
        {"layer",
         {{{"mark", {{"type", "bar"}, {"tooltip", true}}},
           {"encoding",
            {{"y", {{"field", "start"}, {"type", "quantitative"}, {"title", currency_}}},
             {"y2", {{"field", "end"}}},
             {"color", {{"field", "kind"}, {"type", "nominal"}, {"legend", nullptr},
                        {"scale", {{"domain", {"stage", "total"}}, {"range", {"#4c78a8", "#54a24b"}}}}}}}}},
          {{"mark", {{"type", "text"}, {"dy", -6}, {"fontSize", 10}}},
           {"encoding",
            {{"y", {{"field", "end"}, {"type", "quantitative"}}},
             {"text", {{"field", "cost"}, {"type", "quantitative"}, {"format", ",.0f"}}}}}}}}};
    chart(fmt::format("waterfall-{}", n), "Cost waterfall by stage — " + name, wf);
    body_ += table;

    // Category split: every category of the model, zeros included in the table.
    ordered_json cats = ordered_json::array();
    double total = num(p, "cost");
    std::string ctable = "<table class=\"figures\">" + headRow({"Category", "Cost", "Share"}) + "<tbody>\n";
    for (auto &[category, value] : p["by_category"].items()) {
      double v = num(value);
      if (v != 0)
        cats.push_back({{"category", category}, {"cost", v}});
      ctable += "<tr>" + textCell(category) + cell(money(v), v, "data-chart=\"categories\"") +
                cell(total != 0 ? percent(v / total) : "n/a", total != 0 ? v / total : std::nan("")) + "</tr>\n";
    }
    ctable += "</tbody></table>\n";
    ordered_json cs = {{"width", 640}, {"height", {{"step", 22}}}, {"data", {{"values", cats}}},
                       {"mark", {{"type", "bar"}, {"tooltip", true}}},
                       {"encoding",
                        {{"y", {{"field", "category"}, {"type", "nominal"}, {"sort", "-x"}, {"title", nullptr}}},
                         {"x", {{"field", "cost"}, {"type", "quantitative"}, {"title", currency_}}},
                         {"color", {{"field", "category"}, {"type", "nominal"}, {"legend", nullptr},
                                    {"scale", {{"domain", categoryDomain()}}}}}}}};
    chart(fmt::format("categories-{}", n), "Cost by category — " + name, cs);
    body_ += ctable;
  }
}

void Page::assumptions() {
  section("assumptions", "Assumptions");
  body_ += "<table class=\"figures\" id=\"assumptions\">" +
           headRow({"Param", "Value", "Unit", "Range or distribution", "What it is"}) + "<tbody>\n";
  for (const ordered_json &a : d_.assumptions) {
    std::string spread = str(a, "distribution");
    if (!str(a, "range").empty())
      spread = str(a, "range") + (spread.empty() ? "" : "; " + spread);
    body_ += "<tr>" + textCell(str(a, "name")) + cell(str(a, "shown"), num(a, "value")) + textCell(str(a, "unit")) +
             textCell(spread.empty() ? "fixed" : spread) + textCell(str(a, "doc")) + "</tr>\n";
  }
  body_ += "</tbody></table>\n";
}

void Page::billing() {
  section("billing", "Billing of each price");
  bool any = false;
  for (const ordered_json &p : d_.run["pipelines"])
    any = any || p.contains("billing");
  if (!any) {
    body_ += note("No billing data yet: this version of Camp does not report what each price bills "
                  "(the `billing` field of camp.run/1).");
    return;
  }
  for (const ordered_json &p : d_.run["pipelines"]) {
    body_ += fmt::format("<h3>{}</h3>\n", esc(str(p, "name")));
    if (!p.contains("billing") || p["billing"].empty()) {
      body_ += note("No rate-card price is billed in this pipeline.");
      continue;
    }
    body_ += "<table class=\"figures\">" +
             headRow({"Price", "Quantity", "Unit", "Cost", "Lines", "Included", "Beyond the allowance"}) + "<tbody>\n";
    for (const ordered_json &b : p["billing"]) {
      double included = num(b, "included"), over = num(b, "overage_quantity");
      body_ += "<tr>" + textCell(str(b, "price")) + cell(plain(num(b, "quantity")), num(b, "quantity")) +
               textCell(str(b, "unit")) + cell(money(num(b, "cost")), num(b, "cost")) +
               cell(plain(num(b, "lines")), num(b, "lines")) +
               cell(std::isfinite(included) ? plain(included) : "—", included) +
               cell(std::isfinite(over) ? plain(over) : "—", over) + "</tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
}

void Page::scenarios() {
  section("scenarios", "Scenarios side by side");
  if (d_.scenarios.size() <= 1) {
    body_ += note("The model declares no scenario: only the base case above.");
    return;
  }
  ordered_json rows = ordered_json::array();
  body_ += "<table class=\"figures\" id=\"scenario-table\">" +
           headRow({"Scenario", "Pipeline", "Cost", "Revenue", "Profit", "ROI", "Changes"}) + "<tbody>\n";
  for (const ordered_json &s : d_.scenarios) {
    const ordered_json &run = s["run"];
    std::string name = str(s, "name"), changes;
    for (const ordered_json &c : s["changes"])
      changes += (changes.empty() ? "" : ", ") + str(c, "name") + " = " + str(c, "shown");
    if (run.contains("error")) {
      body_ += "<tr>" + textCell(name) + "<td colspan=\"5\">" + esc(str(run["error"], "message")) + "</td>" +
               textCell(changes) + "</tr>\n";
      continue;
    }
    double cost = 0, revenue = 0;
    for (const ordered_json &p : run["pipelines"]) {
      cost += num(p, "cost");
      revenue += num(p, "revenue");
      if (run["pipelines"].size() > 1)
        body_ += "<tr>" + textCell(name) + textCell(str(p, "name")) + cell(money(num(p, "cost")), num(p, "cost")) +
                 cell(money(num(p, "revenue")), num(p, "revenue")) + cell(money(num(p, "profit")), num(p, "profit")) +
                 cell(percent(num(p, "roi")), num(p, "roi")) + textCell(changes) + "</tr>\n";
    }
    double profit = revenue - cost;
    std::string label = str(s, "title").empty() ? name : name + " · " + str(s, "title");
    body_ += "<tr class=\"total\" data-scenario=\"" + esc(name) + "\">" + textCell(label) + textCell("total") +
             cell(money(cost), cost, "data-field=\"cost\"") + cell(money(revenue), revenue, "data-field=\"revenue\"") +
             cell(money(profit), profit, "data-field=\"profit\"") +
             cell(percent(cost != 0 ? profit / cost : std::nan("")), cost != 0 ? profit / cost : std::nan("")) +
             textCell(changes.empty() ? "—" : changes) + "</tr>\n";
    for (const char *what : {"cost", "revenue", "profit"})
      rows.push_back({{"scenario", name},
                      {"figure", what},
                      {"amount", std::string(what) == "cost" ? cost : std::string(what) == "revenue" ? revenue : profit}});
  }
  body_ += "</tbody></table>\n";
  ordered_json spec = {
      {"data", {{"values", rows}}},
      {"mark", {{"type", "bar"}, {"tooltip", true}}},
      {"width", std::min(900.0, 130.0 * double(d_.scenarios.size()))},
      {"height", 220},
      {"encoding",
       {{"x", {{"field", "scenario"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr},
               {"axis", {{"labelAngle", 0}, {"labelLimit", 105}}}}},
        {"xOffset", {{"field", "figure"}, {"type", "nominal"}, {"sort", {"cost", "revenue", "profit"}}}},
        {"y", {{"field", "amount"}, {"type", "quantitative"}, {"title", currency_}}},
        {"color", {{"field", "figure"}, {"type", "nominal"}, {"sort", {"cost", "revenue", "profit"}},
                   {"scale", {{"range", {"#e45756", "#4c78a8", "#54a24b"}}}}, {"title", nullptr}}}}}};
  // The chart sits before its table in the page.
  std::string table = body_.substr(body_.rfind("<table class=\"figures\" id=\"scenario-table\">"));
  body_.erase(body_.rfind("<table class=\"figures\" id=\"scenario-table\">"));
  chart("scenarios-chart", "Cost, revenue and profit by scenario (all pipelines)", spec);
  body_ += table;
}

void Page::distributionCharts(const ordered_json &metric, const std::string &id) {
  const ordered_json &edges = metric["histogram"]["edges"], &counts = metric["histogram"]["counts"];
  ordered_json bins = ordered_json::array(), cdf = ordered_json::array();
  double total = 0;
  for (const ordered_json &c : counts)
    total += num(c);
  double cumulative = 0;
  std::string unit = str(metric, "unit");
  bool share = unit.empty();
  if (!edges.empty())
    cdf.push_back({{"x", num(edges[0])}, {"p", 0.0}});
  for (size_t k = 0; k < counts.size() && k + 1 < edges.size(); ++k) {
    double c = num(counts[k]);
    cumulative += c;
    bins.push_back({{"lo", num(edges[k])}, {"hi", num(edges[k + 1])}, {"count", c}});
    cdf.push_back({{"x", num(edges[k + 1])}, {"p", total > 0 ? cumulative / total : 0.0}});
  }
  ordered_json marks = ordered_json::array();
  for (const char *p : {"p10", "p50", "p90"})
    marks.push_back({{"label", std::string("P") + (p + 1)}, {"x", num(metric, p)}});
  std::string axis = share ? "" : unit;
  std::string fmtx = share ? ".0%" : "~s";
  ordered_json rules = {{"data", {{"values", marks}}},
                        {"mark", {{"type", "rule"}, {"strokeDash", {4, 3}}, {"color", "#333"}}},
                        {"encoding", {{"x", {{"field", "x"}, {"type", "quantitative"}}}}}};
  ordered_json ruleText = {{"data", {{"values", marks}}},
                           {"mark", {{"type", "text"}, {"dy", -4}, {"baseline", "bottom"}, {"y", 0}, {"fontSize", 10}}},
                           {"encoding", {{"x", {{"field", "x"}, {"type", "quantitative"}}}, {"text", {{"field", "label"}}}}}};
  ordered_json hist = {
      {"width", 300},
      {"height", 180},
      {"layer",
       {{{"data", {{"values", bins}}},
         {"mark", {{"type", "rect"}, {"tooltip", true}, {"color", "#4c78a8"}, {"stroke", "white"}, {"strokeWidth", 0.5}}},
         {"encoding",
          {{"y2", {{"datum", 0}}},
           {"x", {{"field", "lo"}, {"type", "quantitative"}, {"scale", {{"zero", false}}}, {"title", str(metric, "name") + (axis.empty() ? "" : " (" + axis + ")")},
                  {"axis", {{"format", fmtx}}}}},
           {"x2", {{"field", "hi"}}},
           {"y", {{"field", "count"}, {"type", "quantitative"}, {"title", "samples"}}}}}},
        rules, ruleText}}};
  ordered_json cdfSpec = {
      {"width", 300},
      {"height", 180},
      {"layer",
       {{{"data", {{"values", cdf}}},
         {"mark", {{"type", "line"}, {"interpolate", "linear"}, {"color", "#f58518"}}},
         {"encoding",
          {{"x", {{"field", "x"}, {"type", "quantitative"}, {"title", str(metric, "name")}, {"axis", {{"format", fmtx}}}}},
           {"y", {{"field", "p"}, {"type", "quantitative"}, {"title", "share of samples at or below"},
                  {"axis", {{"format", ".0%"}}}}}}}},
        rules, ruleText}}};
  body_ += "<div class=\"pair\">\n";
  chart(id + "-hist", "Histogram of " + str(metric, "name"), hist);
  chart(id + "-cdf", "Cumulative distribution of " + str(metric, "name"), cdfSpec);
  body_ += "</div>\n";
  auto show = [&](double v) { return share ? percent(v) : plain(v); };
  std::string table = fmt::format("<details class=\"numbers\"><summary>The numbers of the histogram and CDF of {}</summary>"
                                  "<table class=\"figures\">",
                                  esc(str(metric, "name"))) +
                      headRow({"From", "To", "Samples", "Share at or below"}) + "<tbody>\n";
  for (size_t k = 0; k < bins.size(); ++k)
    table += "<tr>" + cell(show(num(bins[k], "lo")), num(bins[k], "lo")) + cell(show(num(bins[k], "hi")), num(bins[k], "hi")) +
             cell(plain(num(bins[k], "count")), num(bins[k], "count")) +
             cell(percent(num(cdf[k + 1], "p")), num(cdf[k + 1], "p")) + "</tr>\n";
  body_ += table + "</tbody></table></details>\n";
}

void Page::uncertainty() {
  section("uncertainty", "How sure are we?");
  if (d_.mc.is_null()) {
    std::string why = d_.uncertaintyNote.empty() ? "run `camp report` with --samples N." : d_.uncertaintyNote;
    why[0] = char(std::toupper(static_cast<unsigned char>(why[0])));
    body_ += note(why);
    return;
  }
  const ordered_json &mc = d_.mc;
  body_ += note(fmt::format("Monte Carlo: {} samples ({} could not be evaluated), seed {}, {} percentiles.",
                            mc["evaluated"].get<uint64_t>(), mc["failed"].get<uint64_t>(), mc["seed"].get<uint64_t>(),
                            str(mc, "percentiles")));
  body_ += "<table class=\"figures\" id=\"mc-table\">" +
           headRow({"Metric", "Mean", "P10", "P50", "P90", "P(below zero)"}) + "<tbody>\n";
  for (const ordered_json &m : mc["metrics"]) {
    bool share = str(m, "unit").empty();
    auto show = [&](double v) { return share ? percent(v) : money(v); };
    body_ += "<tr data-metric=\"" + esc(str(m, "name")) + "\">" + textCell(str(m, "name")) +
             cell(show(num(m, "mean")), num(m, "mean")) + cell(show(num(m, "p10")), num(m, "p10")) +
             cell(show(num(m, "p50")), num(m, "p50")) + cell(show(num(m, "p90")), num(m, "p90")) +
             cell(percent(num(m, "p_negative")), num(m, "p_negative")) + "</tr>\n";
  }
  body_ += "</tbody></table>\n";
  for (const ordered_json &p : d_.run["pipelines"]) {
    double loss = std::nan("");
    for (const ordered_json &m : mc["metrics"])
      if (str(m, "name") == str(p, "name") + ".profit")
        loss = num(m, "p_negative");
    body_ += fmt::format("<p class=\"headline\">Probability that <b>{}</b> makes a loss: <b data-value=\"{:.17g}\" "
                         "id=\"ploss-{}\">{}</b></p>\n",
                         esc(str(p, "name")), loss, esc(str(p, "name")), percent(loss));
    int k = 0;
    for (const ordered_json &m : mc["metrics"]) {
      std::string name = str(m, "name");
      for (const char *what : {".cost", ".profit", ".roi"})
        if (name == str(p, "name") + what)
          distributionCharts(m, fmt::format("mc-{}-{}", str(p, "name"), k));
      ++k;
    }
  }
  assertionShares();
  tornado();
  sobol();
}

void Page::assertionShares() {
  body_ += "<h3>Probability that each assertion holds</h3>\n";
  const ordered_json &list = d_.mc["asserts"];
  if (list.empty()) {
    body_ += note("The model has no assertion.");
    return;
  }
  ordered_json rows = ordered_json::array();
  std::string table = "<table class=\"figures\">" + headRow({"Assertion", "Share of samples where it holds"}) + "<tbody>\n";
  for (const ordered_json &a : list) {
    std::string label = str(a, "message").empty() ? str(a, "text") : str(a, "message") + " (" + str(a, "text") + ")";
    rows.push_back({{"assert", label}, {"share", num(a, "share_ok")}});
    table += "<tr>" + textCell(label) + cell(percent(num(a, "share_ok")), num(a, "share_ok")) + "</tr>\n";
  }
  table += "</tbody></table>\n";
  ordered_json spec = {{"width", 420}, {"height", {{"step", 24}}}, {"data", {{"values", rows}}},
                       {"mark", {{"type", "bar"}, {"tooltip", true}, {"color", "#54a24b"}}},
                       {"encoding",
                        {{"y", {{"field", "assert"}, {"type", "nominal"}, {"title", nullptr}, {"axis", {{"labelLimit", 360}}}}},
                         {"x", {{"field", "share"}, {"type", "quantitative"}, {"title", "probability it holds"},
                                {"scale", {{"domain", {0, 1}}}}, {"axis", {{"format", ".0%"}}}}}}}};
  chart("asserts-chart", "Share of the samples in which each assertion holds", spec);
  body_ += table;
}

void Page::tornado() {
  body_ += "<h3>Tornado: which assumption moves profit most</h3>\n";
  if (d_.tornado.is_null()) {
    body_ += note("No tornado: " + d_.uncertaintyNote);
    return;
  }
  const ordered_json &t = d_.tornado;
  double base = num(t, "base");
  ordered_json rows = ordered_json::array();
  std::string table = "<table class=\"figures\" id=\"tornado-table\">" +
                      headRow({"Param", "Low", "High", str(t, "metric") + " at low", str(t, "metric") + " at high", "Swing"}) +
                      "<tbody>\n";
  int order = 0;
  for (const ordered_json &b : t["params"]) {
    std::string unit = str(b, "unit");
    rows.push_back({{"param", str(b, "name")}, {"order", order++}, {"low", num(b, "metric_low")},
                    {"high", num(b, "metric_high")}, {"swing", num(b, "swing")}});
    table += "<tr>" + textCell(str(b, "name")) + cell(plain(num(b, "low")) + " " + unit, num(b, "low")) +
             cell(plain(num(b, "high")) + " " + unit, num(b, "high")) +
             cell(money(num(b, "metric_low")), num(b, "metric_low")) +
             cell(money(num(b, "metric_high")), num(b, "metric_high")) + cell(money(num(b, "swing")), num(b, "swing")) +
             "</tr>\n";
  }
  table += "</tbody></table>\n";
  ordered_json spec = {
      {"width", 520},
      {"height", {{"step", 22}}},
      {"layer",
       {{{"data", {{"values", rows}}},
         {"mark", {{"type", "bar"}, {"tooltip", true}, {"color", "#4c78a8"}}},
         {"encoding",
          {{"y", {{"field", "param"}, {"type", "nominal"}, {"sort", {{"field", "order"}}}, {"title", nullptr}}},
           {"x", {{"field", "low"}, {"type", "quantitative"}, {"title", str(t, "metric") + " (" + str(t, "unit") + ")"}}},
           {"x2", {{"field", "high"}}}}}},
        {{"data", {{"values", {{{"base", base}}}}}},
         {"mark", {{"type", "rule"}, {"color", "#333"}}},
         {"encoding", {{"x", {{"field", "base"}, {"type", "quantitative"}}}}}}}}};
  chart("tornado-chart", fmt::format("Tornado of {} (base {} {})", str(t, "metric"), money(base), str(t, "unit")), spec);
  body_ += table;
}

void Page::sobol() {
  body_ += "<h3>Sobol indices: which uncertainty drives the spread of profit</h3>\n";
  if (d_.sobol.is_null()) {
    body_ += note("No Sobol indices: " + d_.uncertaintyNote);
    return;
  }
  const ordered_json &s = d_.sobol;
  ordered_json rows = ordered_json::array();
  std::string table = "<table class=\"figures\" id=\"sobol-table\">" +
                      headRow({"Param", "First-order", "95% interval", "Total", "95% interval"}) + "<tbody>\n";
  for (const ordered_json &p : s["params"]) {
    const ordered_json &f = p["first"], &t = p["total"];
    for (auto [kind, idx] : {std::pair{"first-order", &f}, std::pair{"total", &t}})
      rows.push_back({{"param", str(p, "name")}, {"index", kind}, {"value", num(*idx, "value")},
                      {"lo", num(*idx, "ci_low")}, {"hi", num(*idx, "ci_high")}});
    auto ci = [&](const ordered_json &i) {
      return fmt::format("{:.3f} – {:.3f}", num(i, "ci_low"), num(i, "ci_high"));
    };
    table += "<tr>" + textCell(str(p, "name")) + cell(fmt::format("{:.3f}", num(f, "value")), num(f, "value")) +
             textCell(ci(f)) + cell(fmt::format("{:.3f}", num(t, "value")), num(t, "value")) + textCell(ci(t)) + "</tr>\n";
  }
  table += "</tbody></table>\n";
  ordered_json enc = {{"y", {{"field", "param"}, {"type", "nominal"}, {"title", nullptr}}},
                      {"yOffset", {{"field", "index"}, {"type", "nominal"}}},
                      {"color", {{"field", "index"}, {"type", "nominal"}, {"title", nullptr}}}};
  ordered_json spec = {
      {"width", 520},
      {"height", {{"step", 14}}},
      {"data", {{"values", rows}}},
      {"encoding", enc},
      {"layer",
       {{{"mark", {{"type", "bar"}, {"tooltip", true}}},
         {"encoding", {{"x", {{"field", "value"}, {"type", "quantitative"}, {"title", "share of the variance of " + str(s, "metric")}}}}}},
        {{"mark", {{"type", "rule"}, {"color", "#333"}}},
         {"encoding", {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}}}}}}};
  chart("sobol-chart", fmt::format("Sobol indices of {} ({} rows, {} evaluations)", str(s, "metric"),
                                   s["samples"].get<uint64_t>(), s["evaluations"].get<uint64_t>()),
        spec);
  body_ += table;
}

// Cumulative profit's P10–P90 band and P50 line from `camp forecast --samples` figures (the
// report runs them with --samples); without them, a note says how to get them.
void Page::forecastFan(const ordered_json &f, double barWidth) {
  if (!f.contains("uncertainty")) {
    body_ += note("Run `camp report` with --samples N to add a P10–P90 fan of cumulative profit and the "
                  "probability that each budget is breached and each allowance and commitment runs out.");
    return;
  }
  ordered_json band = ordered_json::array();
  for (const ordered_json &m : f["months"])
    band.push_back({{"month", str(m, "month")},
                    {"p10", num(m, "cumulative_profit_p10")},
                    {"p50", num(m, "cumulative_profit_p50")},
                    {"p90", num(m, "cumulative_profit_p90")}});
  const ordered_json &u = f["uncertainty"];
  ordered_json x = {{"field", "month"}, {"type", "ordinal"}, {"title", nullptr},
                    {"axis", {{"labelAngle", -60}, {"labelOverlap", true}}}};
  ordered_json layers = ordered_json::array();
  layers.push_back({{"mark", {{"type", "area"}, {"opacity", 0.3}, {"color", "#54a24b"}, {"tooltip", true}}},
                    {"encoding", {{"x", x},
                                  {"y", {{"field", "p10"}, {"type", "quantitative"}, {"title", currency_}}},
                                  {"y2", {{"field", "p90"}}}}}});
  layers.push_back({{"mark", {{"type", "line"}, {"color", "#2e6b2a"}, {"strokeWidth", 2}}},
                    {"encoding", {{"x", x}, {"y", {{"field", "p50"}, {"type", "quantitative"}}}}}});
  size_t count = f["months"].size();
  chart("forecast-fan",
        fmt::format("Cumulative profit: P10–P90 (band) and P50 (line) over {} sampled forecasts",
                    plain(num(u, "evaluated") - num(u, "failed"))),
        {{"width", std::max(640.0, barWidth * double(count))}, {"height", 200}, {"data", {{"values", band}}},
         {"layer", layers}});
}

void Page::forecast() {
  section("forecast", "Forecast");
  if (d_.forecast.is_null()) {
    body_ += note(d_.forecastNote.empty() ? "The model has no forecast block." : d_.forecastNote);
    return;
  }
  const ordered_json &f = d_.forecast;
  body_ += fmt::format("<h3>{}</h3>\n", esc(str(f, "title").empty() ? str(f, "name") : str(f, "title")));
  ordered_json stacked = ordered_json::array(), lines = ordered_json::array();
  std::vector<std::string> categories;
  std::string table;
  for (const ordered_json &m : f["months"]) {
    std::string month = str(m, "month");
    for (auto &[category, value] : m["by_category"].items()) {
      if (num(value) != 0)
        stacked.push_back({{"month", month}, {"category", category}, {"cost", num(value)}});
      if (std::find(categories.begin(), categories.end(), category) == categories.end())
        categories.push_back(category);
    }
    lines.push_back({{"month", month}, {"series", "revenue"}, {"amount", num(m, "revenue")}});
    lines.push_back({{"month", month}, {"series", "cumulative profit"}, {"amount", num(m, "cumulative_profit")}});
    table += "<tr data-month=\"" + esc(month) + "\">" + textCell(month) + cell(money(num(m, "cost")), num(m, "cost")) +
             cell(money(num(m, "revenue")), num(m, "revenue")) + cell(money(num(m, "profit")), num(m, "profit")) +
             cell(money(num(m, "cumulative_profit")), num(m, "cumulative_profit"));
    for (const std::string &c : categories)
      table += cell(money(num(m["by_category"], c.c_str())), num(m["by_category"], c.c_str()));
    table += "</tr>\n";
  }
  std::vector<std::string> heads = {"Month", "Cost", "Revenue", "Profit", "Cumulative profit"};
  heads.insert(heads.end(), categories.begin(), categories.end());
  ordered_json budgetRules = ordered_json::array();
  if (f.contains("budgets"))
    for (const ordered_json &b : f["budgets"])
      if (str(b, "period") == "month")
        budgetRules.push_back({{"label", str(b, "label")}, {"limit", num(b, "limit")}});
  ordered_json layers = ordered_json::array();
  layers.push_back({{"data", {{"values", stacked}}},
                    {"mark", {{"type", "bar"}, {"tooltip", true}}},
                    {"encoding",
                     {{"x", {{"field", "month"}, {"type", "ordinal"}, {"title", nullptr}, {"axis", {{"labelAngle", -60}, {"labelOverlap", true}}}}},
                      {"y", {{"field", "cost"}, {"type", "quantitative"}, {"stack", "zero"}, {"title", currency_ + " per month"}}},
                      {"color", {{"field", "category"}, {"type", "nominal"}, {"title", "cost by category"},
                                 {"scale", {{"domain", categoryDomain()}}}}}}}});
  layers.push_back({{"data", {{"values", lines}}},
                    {"transform", {{{"filter", "datum.series === 'revenue'"}}}},
                    {"mark", {{"type", "line"}, {"color", "#222"}, {"strokeWidth", 2}}},
                    {"encoding",
                     {{"x", {{"field", "month"}, {"type", "ordinal"}}},
                      {"y", {{"field", "amount"}, {"type", "quantitative"}}}}}});
  if (!budgetRules.empty())
    layers.push_back({{"data", {{"values", budgetRules}}},
                      {"mark", {{"type", "rule"}, {"color", "#e45756"}, {"strokeDash", {6, 4}}, {"strokeWidth", 2}}},
                      {"encoding", {{"y", {{"field", "limit"}, {"type", "quantitative"}}}}}});
  size_t count = f["months"].size();
  double barWidth = count > 60 ? 5 : count > 24 ? 9 : 18;
  chart("forecast-monthly", "Monthly cost by category (bars), revenue (line)" +
                                std::string(budgetRules.empty() ? "" : " and monthly budgets (dashed)"),
        {{"width", std::max(640.0, barWidth * double(count))}, {"height", 280}, {"layer", layers}});
  chart("forecast-cumulative", "Cumulative profit",
        {{"width", std::max(640.0, barWidth * double(count))},
         {"height", 160},
         {"data", {{"values", lines}}},
         {"transform", {{{"filter", "datum.series === 'cumulative profit'"}}}},
         {"mark", {{"type", "area"}, {"line", true}, {"opacity", 0.4}, {"color", "#54a24b"}}},
         {"encoding",
          {{"x", {{"field", "month"}, {"type", "ordinal"}, {"title", nullptr}, {"axis", {{"labelAngle", -60}, {"labelOverlap", true}}}}},
           {"y", {{"field", "amount"}, {"type", "quantitative"}, {"title", currency_}}}}}});
  forecastFan(f, barWidth);

  body_ += "<h3>When allowances, commitments and budgets run out</h3>\n";
  bool sampled = f.contains("uncertainty");
  if (f.contains("allowances") && !f["allowances"].empty()) {
    std::vector<std::string> heads = {"Rate card", "Price", "Allowance first exceeded"};
    if (sampled)
      heads.push_back("Run out by the end, sampled");
    body_ += "<table class=\"figures\">" + headRow(heads) + "<tbody>\n";
    for (const ordered_json &a : f["allowances"])
      body_ += "<tr>" + textCell(str(a, "ratecard")) + textCell(str(a, "price")) +
               textCell(str(a, "first_exceeded").empty() ? "never in the forecast" : str(a, "first_exceeded")) +
               (sampled ? finalShareCell(a) : std::string()) + "</tr>\n";
    body_ += "</tbody></table>\n";
  } else {
    body_ += note("No metered price with an included allowance in this forecast.");
  }
  if (!f.contains("commits")) {
    body_ += note("No commitment data yet: this version of Camp does not report commitments (`commits` in camp.forecast/1).");
  } else if (f["commits"].empty()) {
    body_ += note("No spend commitment in this forecast.");
  } else {
    std::vector<std::string> heads = {"Rate card", "From", "To", "Committed", "Used", "Exhausted", "Overage cost", "Unused"};
    if (sampled)
      heads.push_back("Run out by the end, sampled");
    body_ += "<table class=\"figures\">" + headRow(heads) + "<tbody>\n";
    for (const ordered_json &c : f["commits"])
      body_ += "<tr>" + textCell(str(c, "ratecard")) + textCell(str(c, "from")) + textCell(str(c, "to")) +
               cell(money(num(c, "amount")), num(c, "amount")) + cell(money(num(c, "used")), num(c, "used")) +
               textCell(str(c, "exhausted").empty() ? "not exhausted" : str(c, "exhausted")) +
               cell(money(num(c, "overage_cost")), num(c, "overage_cost")) + cell(money(num(c, "unused")), num(c, "unused")) +
               (sampled ? finalShareCell(c) : std::string()) + "</tr>\n";
    body_ += "</tbody></table>\n";
  }
  if (!f.contains("budgets")) {
    body_ += note("No budget data yet: this version of Camp does not report budgets (`budgets` in camp.forecast/1).");
  } else if (f["budgets"].empty()) {
    body_ += note("No budget in this forecast.");
  } else {
    std::vector<std::string> heads = {"Budget", "Limit", "Per", "Breaches"};
    if (sampled)
      heads.push_back("Periods at risk, sampled");
    body_ += "<table class=\"figures\">" + headRow(heads) + "<tbody>\n";
    for (const ordered_json &b : f["budgets"]) {
      std::string breaches;
      for (const ordered_json &x : b["breaches"])
        breaches += (breaches.empty() ? "" : "; ") + str(x, "period") + " over by " + money(num(x, "over")) +
                    (x.contains("probability") ? fmt::format(" (in {} of draws)", percent(num(x, "probability"))) : "");
      std::string risks;
      if (b.contains("at_risk"))
        for (const ordered_json &x : b["at_risk"])
          risks += (risks.empty() ? "" : "; ") + str(x, "period") + ": " + percent(num(x, "probability"));
      body_ += "<tr>" + textCell(str(b, "label")) + cell(money(num(b, "limit")), num(b, "limit")) +
               textCell(str(b, "period")) + textCell(breaches.empty() ? "none" : breaches) +
               (sampled ? textCell(risks.empty() ? "none" : risks) : std::string()) + "</tr>\n";
    }
    body_ += "</tbody></table>\n";
  }
  body_ += "<h3>Month by month</h3>\n<table class=\"figures\" id=\"forecast-table\">" + headRow(heads) + "<tbody>\n" +
           table + "</tbody></table>\n";
}

const char *kStyle = R"css(
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; --loss: #b42318; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 24px 32px 48px; max-width: 1100px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
nav { font-size: 13px; margin: 8px 0 0; }
nav a { margin-right: 14px; color: #2d5fa6; text-decoration: none; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 18px; margin: 0; }
dl.meta div { display: flex; gap: 6px; } dt { color: var(--muted); } dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
table.figures { border-collapse: collapse; margin: 6px 0 16px; font-size: 13px; }
table.figures caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.figures th, table.figures td { border-bottom: 1px solid var(--rule); padding: 3px 10px; text-align: left; vertical-align: top; }
table.figures th { background: #f3f5f8; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.loss, .loss { color: var(--loss); }
.note { color: var(--muted); font-style: italic; }
.headline { font-size: 15px; }
figure.chart-box { margin: 10px 0 6px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { overflow-x: auto; }
.pair { display: flex; flex-wrap: wrap; gap: 8px 28px; }
details.numbers { margin: 0 0 14px; font-size: 13px; } details.numbers summary { cursor: pointer; color: #2d5fa6; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  nav { display: none; }
  h2 { break-before: auto; break-after: avoid; }
  table.figures { break-inside: auto; } tr { break-inside: avoid; }
  .chart { overflow: visible; }
  details.numbers { display: none; }
}
)css";

// Embeds every chart with SVG (crisp in print); a chart that fails logs an error, which the
// browser test treats as a failure. `window.campReport` says when all are drawn.
const char *kScript = R"js(
(function () {
  var specs = JSON.parse(document.getElementById('camp-specs').textContent);
  var ids = Object.keys(specs);
  window.campReport = { charts: ids.length, drawn: 0, failed: 0 };
  window.campReportReady = Promise.all(ids.map(function (id) {
    return vegaEmbed('#' + id, specs[id], { renderer: 'svg', actions: false })
      .then(function () { window.campReport.drawn++; })
      .catch(function (e) { window.campReport.failed++; console.error('chart ' + id + ': ' + e); });
  }));
})();
)js";

std::string Page::build(const ChartLibrary &lib) {
  header();
  summary();
  values();
  pipelineCosts();
  assumptions();
  billing();
  scenarios();
  uncertainty();
  forecast();
  body_ += "</section>\n";
  std::string nav = "<nav>";
  for (auto &[id, title] : toc_)
    nav += fmt::format("<a href=\"#{}\">{}</a>", id, esc(title));
  nav += "</nav>\n";
  std::string title = str(d_.meta, "title").empty() ? "Camp report" : str(d_.meta, "title");
  std::string out;
  out.reserve(lib.vega.size() + lib.vegaLite.size() + lib.vegaEmbed.size() + body_.size() + 65536);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No request may leave the page, whatever a library tries.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' "
         "'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"camp " + esc(str(d_.meta, "version")) + "\">\n";
  out += "<title>" + esc(title) + " — Camp report</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  size_t headerEnd = body_.find("</header>\n");
  out += body_.substr(0, headerEnd) + nav + body_.substr(headerEnd);
  out += "<footer class=\"note\">Written by camp report. Charts: Vega-Lite, embedded in this file.</footer>\n";
  out += "<script id=\"camp-data\" type=\"application/json\">" + scriptJson({{"meta", d_.meta}, {"run", d_.run}}) + "</script>\n";
  out += "<script id=\"camp-specs\" type=\"application/json\">" + scriptJson(specs_) + "</script>\n";
  out += "<script>" + scriptSource(lib.vega) + "\n</script>\n";
  out += "<script>" + scriptSource(lib.vegaLite) + "\n</script>\n";
  out += "<script>" + scriptSource(lib.vegaEmbed) + "\n</script>\n";
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

} // namespace

std::string renderHtmlReport(const ReportData &data, const ChartLibrary &lib) { return Page(data).build(lib); }

} // namespace camp::driver
