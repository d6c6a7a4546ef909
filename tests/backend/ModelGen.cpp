// Random well-typed .camp models: typed expression generation over a small fixed world of units.
// Rate cards use every pricing construct and contract term of the language (tiers with flat fees,
// packages, allowances, discounts, minimums, maximums, billing periods, contract years, commits),
// and pipelines hold several metered lines of one price, so the engines' pooled billing is compared.
#include "ModelGen.h"

#include <algorithm>
#include <random>
#include <vector>

#include <fmt/format.h>

namespace camp::test {

namespace {

/// The dimensions expressions are generated in. Counts are declared units of the model.
enum Dim { Money, Time, Email, Customer, Click, Order, Seat, Prompt, Plain, DimCount };

const char *const kUnitName[DimCount] = {"USD", "h", "email", "customer", "click",
                                         "order", "seat", "prompt", ""};

struct Named {
  std::string name;
  Dim dim;
};

class Generator {
public:
  explicit Generator(uint64_t seed) : rng(seed) {}

  std::string run() {
    out += fmt::format("model \"Generated model {}\"\ncurrency USD\n", rng() % 100000);
    out += "unit email, customer, click, order, seat, prompt, brief\n\n";
    makeParams();
    makeRateCards();
    makeLets();
    makePipelines();
    makeScenarios();
    makeAsserts();
    return out;
  }

private:
  std::mt19937_64 rng;
  std::string out;
  std::vector<Named> params, lets, values; // values: everything an expression may read
  struct PriceInfo {
    std::string name;
    Dim unit;
  };
  std::vector<PriceInfo> prices;
  std::vector<std::string> fees;
  std::vector<const PriceInfo *> metered; // prices metered by the pipeline being generated
  std::vector<std::string> pipelineNames;
  std::vector<std::pair<std::string, int>> pipelineStages;
  int counter = 0;

  size_t pick(size_t n) { return size_t(rng() % n); }
  bool chance(int percent) { return int(pick(100)) < percent; }
  double real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
  /// A literal with a few significant digits, written like a person would.
  std::string number(double lo, double hi) {
    double v = real(lo, hi);
    if (v >= 100)
      return fmt::format("{}", int64_t(v));
    return fmt::format("{:.3g}", v);
  }
  std::string fresh(const char *stem) { return fmt::format("{}_{}", stem, counter++); }

  std::string unitOf(Dim d) { return kUnitName[d]; }
  std::string literal(Dim d) {
    switch (d) {
    case Money: return number(1, 5000) + " USD";
    case Time: return chance(70) ? number(1, 80) + " h" : number(1, 10) + " day";
    case Plain: return chance(50) ? number(0.1, 3) : number(1, 90) + "%";
    default: return number(1, 200000) + " " + unitOf(d);
    }
  }

  // ---- declarations ----

  void param(const std::string &name, Dim dim, const std::string &value, const std::string &extra) {
    out += fmt::format("param {} = {}{}\n", name, value, extra);
    params.push_back({name, dim});
    values.push_back({name, dim});
  }

  void makeParams() {
    param("hourly", Money, number(40, 150) + " USD/h", chance(50) ? " in [30, 160]" : "");
    // hourly is money per hour: mark it apart so only `time * hourly` uses it
    params.back().dim = DimCount;
    values.pop_back();
    param("audience", Customer, number(10000, 3000000) + " customer",
          chance(50) ? " ~ triangular(5000, 100000, 4000000)" : "");
    param("ctr", DimCount, number(0.5, 4) + "% click/email", chance(50) ? " in [0.1%, 5%]" : "");
    param("conversion", DimCount, number(0.5, 5) + "% order/click", "");
    param("aov", DimCount, number(20, 200) + " USD/order", chance(50) ? " ~ normal(80, 10)" : "");
    param("seats", Seat, number(1, 40) + " seat", "");
    param("share", Plain, number(5, 95) + "%", chance(50) ? " in [1%, 99%]" : "");
    param("weeks", Time, number(1, 12) + " week", "");
    values.erase(std::remove_if(values.begin(), values.end(), [](const Named &n) { return n.dim == DimCount; }),
                 values.end());
    out += "\n";
  }

  void makeRateCards() {
    int cards = 1 + int(pick(3));
    static const Dim priced[] = {Email, Customer, Seat, Prompt, Click};
    for (int c = 0; c < cards; ++c) {
      std::string card = fmt::format("card{}", c);
      out += fmt::format("ratecard {} \"Vendor {}\" {{\n", card, c);
      cardTerms();
      if (chance(70)) {
        std::string fee = fmt::format("fee{}", c);
        out += fmt::format("  fee {} = {} USD/month\n", fee, number(50, 3000));
        fees.push_back(card + "." + fee);
      }
      int count = 1 + int(pick(4));
      for (int k = 0; k < count; ++k) {
        Dim unit = priced[pick(5)];
        std::string name = fmt::format("price{}", k);
        out += fmt::format("  price {}({}) = {}\n", name, unitOf(unit), priceBody(unit));
        prices.push_back({card + "." + name, unit});
      }
      out += "}\n";
    }
    out += "\n";
  }

  /// Card-level contract terms, each valid per the spec: a discount in [0 %, 100 %), a contract
  /// start month, a commitment in the model's currency with an optional overage premium.
  void cardTerms() {
    if (chance(30))
      out += fmt::format("  discount {}%\n", number(1, 60));
    if (chance(25))
      out += fmt::format("  contract from 2026-{:02d}\n", 1 + int(pick(12)));
    if (chance(25))
      out += fmt::format("  commit {} USD per {}{}\n", number(1000, 90000), chance(70) ? "year" : "month",
                         chance(50) ? fmt::format(" overage {}%", number(1, 40)) : std::string());
  }

  /// A tier's optional flat fee, `plus F` (money, non-negative).
  std::string tierFee() { return chance(30) ? fmt::format(" plus {} USD", number(1, 900)) : std::string(); }

  std::string rate(Dim unit) {
    if (chance(50))
      return fmt::format("{} USD/(1000 {})", number(0.1, 5), unitOf(unit));
    return fmt::format("{} USD/{}", number(0.0001, 0.05), unitOf(unit));
  }

  std::string priceBody(Dim unit) {
    std::string body;
    switch (pick(5)) {
    case 0:
    case 1: {
      body = chance(50) ? "graduated {\n" : "volume {\n";
      int tiers = 1 + int(pick(3));
      double bound = 0;
      for (int t = 0; t < tiers; ++t) {
        bound += real(1000, 2000000);
        body += fmt::format("    up to {} {}: {}{}\n", int64_t(bound), unitOf(unit), rate(unit), tierFee());
      }
      body += fmt::format("    above: {}{}\n  }}", rate(unit), tierFee());
      break;
    }
    case 4: // "P per started N units", sometimes after an allowance
      body = fmt::format("package {} {} at {} USD", 1 + int64_t(real(0, 5000)), unitOf(unit), number(1, 400));
      if (chance(40))
        body += fmt::format(" after {} {} included", int64_t(real(0, 50000)), unitOf(unit));
      break;
    case 2:
      body = fmt::format("{} after {} {} included", rate(unit), int64_t(real(0, 50000)), unitOf(unit));
      break;
    default:
      body = rate(unit);
      break;
    }
    // The terms, in the spec's order: discount, minimum, maximum (never below the minimum), billed.
    if (chance(20))
      body += fmt::format(" discount {}%", number(1, 60));
    double minimum = 0;
    if (chance(30)) {
      minimum = real(10, 2000);
      body += fmt::format(" minimum {} USD", int64_t(minimum));
    }
    if (chance(20))
      body += fmt::format(" maximum {} USD", int64_t(minimum) + int64_t(real(0, 50000)));
    if (chance(15))
      body += chance(50) ? " billed yearly" : " billed monthly";
    return body;
  }

  /// Lets are generated in dependency order and written shuffled: declarations are
  /// order-independent, so the front end must sort them.
  void makeLets() {
    std::vector<std::string> decls;
    auto let = [&](Dim d, const std::string &expr) {
      std::string name = fresh("v");
      decls.push_back(fmt::format("let {} = {}\n", name, expr));
      lets.push_back({name, d});
      values.push_back({name, d});
    };
    let(Email, "audience * " + number(1, 3) + " email/customer");
    let(Click, lets.back().name + " * ctr");
    let(Order, lets.back().name + " * conversion");
    int extra = 2 + int(pick(6));
    static const Dim dims[] = {Money, Time, Email, Customer, Click, Order, Seat, Prompt, Plain};
    for (int i = 0; i < extra; ++i) {
      Dim d = dims[pick(9)];
      let(d, expr(d, 3));
    }
    std::shuffle(decls.begin(), decls.end(), rng);
    for (const std::string &d : decls)
      out += d;
    out += "\n";
  }

  // ---- typed expressions ----

  const Named *valueOf(Dim d) {
    std::vector<const Named *> found;
    for (const Named &v : values)
      if (v.dim == d)
        found.push_back(&v);
    return found.empty() ? nullptr : found[pick(found.size())];
  }

  std::string leaf(Dim d) {
    const Named *v = valueOf(d);
    if (v && chance(65))
      return v->name;
    return literal(d);
  }

  std::string condition(int depth) {
    static const char *const ops[] = {"<", "<=", ">", ">=", "==", "!="};
    static const Dim dims[] = {Money, Email, Customer, Plain, Time};
    Dim d = dims[pick(5)];
    std::string c = fmt::format("{} {} {}", expr(d, depth - 1), ops[pick(6)], expr(d, depth - 1));
    if (chance(20))
      c = fmt::format("{} and {} {} {}", c, expr(Plain, depth - 1), ops[pick(6)], expr(Plain, 0));
    else if (chance(15))
      c = fmt::format("not ({})", c);
    return c;
  }

  std::string expr(Dim d, int depth) {
    if (depth <= 0 || chance(25))
      return leaf(d);
    switch (pick(10)) {
    case 0:
      return fmt::format("({} + {})", expr(d, depth - 1), expr(d, depth - 1));
    case 1:
      return fmt::format("({} - {})", expr(d, depth - 1), leaf(d));
    case 2:
      if (chance(20)) // share may be zeroed by a test vector: a division by zero to report
        return fmt::format("{} / share", expr(d, depth - 1));
      return fmt::format("{} * {}", expr(d, depth - 1), expr(Plain, depth - 1));
    case 3:
      return fmt::format("{}({}, {})", chance(50) ? "min" : "max", expr(d, depth - 1), expr(d, depth - 1));
    case 4:
      return fmt::format("(if {} then {} else {})", condition(depth), expr(d, depth - 1), expr(d, depth - 1));
    case 5:
      return special(d, depth);
    case 6:
      if (d == Plain)
        return fmt::format("{}({})", chance(50) ? "ceil" : (chance(50) ? "floor" : "round"), expr(Plain, depth - 1));
      return fmt::format("ceil({}, {})", expr(d, depth - 1), literal(d));
    case 7:
      // a ratio of two same-dimension values divided back into d: (x / y) * z
      return fmt::format("{} / {} * {}", expr(d, depth - 1), literal(d), leaf(d));
    default:
      return special(d, depth);
    }
  }

  /// The conversions that change dimension, which make models look like real ones.
  std::string special(Dim d, int depth) {
    switch (d) {
    case Money:
      switch (pick(6)) {
      case 0:
        return fmt::format("{} * hourly", expr(Time, depth - 1));
      case 1:
        if (!fees.empty())
          return fmt::format("{} * {} / {}", fees[pick(fees.size())], chance(50) ? "1 month" : "weeks", number(1, 8));
        return literal(Money);
      case 2:
        return fmt::format("{} * aov", expr(Order, depth - 1));
      case 3: {
        const Dim counts[] = {Email, Customer, Seat, Prompt, Click};
        Dim c = counts[pick(5)];
        return fmt::format("{} * {}", expr(c, depth - 1), rate(c));
      }
      default:
        return priceCall(depth);
      }
    case Time:
      return fmt::format("{} * {}", leaf(Time), number(0.5, 3));
    case Email:
      return fmt::format("{} * {} email/customer", expr(Customer, depth - 1), number(0.5, 3));
    case Click:
      return fmt::format("{} * ctr", expr(Email, depth - 1));
    case Order:
      return fmt::format("{} * conversion", expr(Click, depth - 1));
    case Plain:
      switch (pick(7)) {
      case 4:
        return fmt::format("sqrt({})", expr(Plain, depth - 1)); // NaN when negative
      case 5:
        return fmt::format("ln(1 + {})", expr(Plain, depth - 1));
      case 6:
        return fmt::format("exp({} / 10)", leaf(Plain));
      case 0:
        return fmt::format("{} / {}", expr(Money, depth - 1), literal(Money));
      case 1:
        return fmt::format("{} ^ {}", leaf(Plain), 2);
      case 2:
        return fmt::format("{} / {}", expr(Email, depth - 1), literal(Email));
      default:
        return "share";
      }
    default:
      return leaf(d);
    }
  }

  std::string priceCall(int depth) {
    if (prices.empty())
      return literal(Money);
    const PriceInfo &p = prices[pick(prices.size())];
    return fmt::format("{}({})", p.name, expr(p.unit, depth - 1));
  }

  // ---- pipelines ----

  void makePipelines() {
    static const char *const categories[] = {"labor", "technology", "data", "content", "media"};
    int pipelines = 1 + int(pick(3));
    for (int pi = 0; pi < pipelines; ++pi) {
      std::string name = fmt::format("pipe{}", pi);
      out += fmt::format("pipeline {} \"Pipeline {}\" {{\n", name, pi);
      int stages = 1 + int(pick(5));
      for (int s = 0; s < stages; ++s) {
        out += fmt::format("  stage s{} \"Stage {}\" {{\n", s, s);
        if (s > 0)
          out += fmt::format("    input s{}\n", pick(size_t(s)));
        if (chance(60))
          out += fmt::format("    output {}\n", chance(50) ? std::string("1 brief") : leaf(Email));
        int lines = 1 + int(pick(4));
        for (int l = 0; l < lines; ++l)
          out += fmt::format("    {} \"Line {}\" = {}\n", categories[pick(5)], l, costLine());
        // Another metered line of a price this pipeline already meters: pooled billing.
        if (!metered.empty() && chance(50)) {
          const PriceInfo &p = *metered[pick(metered.size())];
          out += fmt::format("    {} \"Pooled {}\" = {}({})\n", categories[pick(5)], s, p.name, expr(p.unit, 1));
        }
        out += "  }\n";
      }
      if (chance(80))
        out += fmt::format("  revenue \"Sales\" = {}\n", chance(70) ? expr(Order, 1) + " * aov" : expr(Money, 2));
      out += "}\n\n";
      metered.clear();
      pipelineNames.push_back(name);
      pipelineStages.push_back({name, stages});
    }
  }

  std::string costLine() {
    if (chance(35) && !prices.empty()) { // a metered line: exactly one price call
      const PriceInfo &p = prices[pick(prices.size())];
      metered.push_back(&p);
      return fmt::format("{}({})", p.name, expr(p.unit, 1));
    }
    return expr(Money, 3);
  }

  void makeScenarios() {
    int count = int(pick(3));
    for (int s = 0; s < count; ++s) {
      out += fmt::format("scenario sc{} \"Scenario {}\" {{ ", s, s);
      std::vector<std::string> sets;
      if (chance(60))
        sets.push_back(fmt::format("share = {}%", number(1, 99)));
      if (chance(60))
        sets.push_back(fmt::format("audience = {} customer", int64_t(real(1000, 5000000))));
      if (chance(60) || sets.empty())
        sets.push_back(fmt::format("hourly = {} USD/h", number(30, 160)));
      for (size_t k = 0; k < sets.size(); ++k)
        out += (k ? "; " : "") + sets[k];
      out += " }\n";
    }
  }

  void makeAsserts() {
    for (const std::string &p : pipelineNames)
      if (chance(50))
        out += fmt::format("assert {}.cost <= {} USD \"budget\"\n", p, int64_t(real(1000, 1e6)));
  }
};

} // namespace

std::string generateModel(uint64_t seed) { return Generator(seed).run(); }

} // namespace camp::test
