// The lint rules: each looks at the checked model (and its syntax tree) of one entry file.
#include "tooling/Lint.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "camp/Engine.h"
#include "camp/Report.h"
#include "camp/Results.h"
#include "syntax/Tokens.h"

namespace camp::tooling {

const std::vector<LintRule> &lintRules() {
  // The rules are declared with every other diagnostic, in diag/DiagnosticKinds.def.
  static const std::vector<LintRule> rules = {
#define CAMP_LINT(Name, Id, Level, Summary, Help) {Id, LintLevel::Level, Summary, Help},
#include "diag/DiagnosticKinds.def"
  };
  return rules;
}

const LintRule *findRule(const std::string &id) {
  for (const LintRule &r : lintRules())
    if (id == r.id)
      return &r;
  return nullptr;
}

namespace {

using ExprFn = std::function<void(ast::Expr &)>;

void walk(ast::Expr *e, const ExprFn &f) {
  if (!e)
    return;
  f(*e);
  for (auto &a : e->args)
    walk(a.get(), f);
}

/// Every expression of a file, in no particular order.
void forEachExpr(ast::File &file, const ExprFn &f) {
  for (ast::ParamDecl &p : file.params) {
    walk(p.value.get(), f);
    walk(p.lo.get(), f);
    walk(p.hi.get(), f);
    if (p.dist) {
      for (auto &a : p.dist->args)
        walk(a.get(), f);
      for (auto &w : p.dist->weights)
        walk(w.get(), f);
    }
  }
  for (ast::LetDecl &l : file.lets)
    walk(l.value.get(), f);
  for (ast::RatecardDecl &rc : file.ratecards) {
    for (ast::FeeDecl &fee : rc.fees)
      walk(fee.value.get(), f);
    for (ast::PriceDecl &pr : rc.prices) {
      for (ast::Expr *e : {pr.rate.get(), pr.packageSize.get(), pr.allowance.get(), pr.discount.get(),
                           pr.minimum.get(), pr.maximum.get()})
        walk(e, f);
      for (ast::Tier &t : pr.tiers) {
        walk(t.bound.get(), f);
        walk(t.rate.get(), f);
        walk(t.fee.get(), f);
      }
    }
    for (auto &d : rc.discounts)
      walk(d.get(), f);
    for (ast::CommitDecl &c : rc.commits) {
      walk(c.amount.get(), f);
      walk(c.overage.get(), f);
    }
  }
  for (ast::PipelineDecl &p : file.pipelines) {
    for (ast::StageDecl &s : p.stages) {
      for (auto &o : s.outputs)
        walk(o.get(), f);
      for (ast::CostLineDecl &l : s.lines)
        walk(l.value.get(), f);
    }
    for (ast::LetDecl &l : p.lets)
      walk(l.value.get(), f);
    for (ast::RevenueDecl &r : p.revenues)
      walk(r.value.get(), f);
  }
  for (ast::ScenarioDecl &s : file.scenarios)
    for (ast::Override &o : s.overrides)
      walk(o.value.get(), f);
  for (ast::AssertDecl &a : file.asserts)
    walk(a.cond.get(), f);
  for (ast::ForecastDecl &fc : file.forecasts) {
    for (ast::RunDecl &r : fc.runs) {
      walk(r.rate.get(), f);
      walk(r.growth.get(), f);
      for (ast::SeasonEntry &s : r.season)
        walk(s.factor.get(), f);
    }
    for (ast::BudgetDecl &b : fc.budgets)
      walk(b.amount.get(), f);
  }
}

std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(uint8_t(c)));
  return s;
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

std::string canonicalPath(const std::string &p) {
  std::error_code ec;
  std::filesystem::path c = std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
  return c.string();
}

std::string useKey(const std::string &file, const char *kind, const std::string &name) {
  return file + '\t' + kind + '\t' + name;
}

class Linter {
public:
  /// `external`: for a library entry (a file without `model`), what the models that import it
  /// use; nullptr when no linted model imports it, and then its declarations are not judged.
  Linter(Compilation &c, diag::DiagnosticEngine &diags, const std::string &path, const LibraryUses *external = nullptr)
      : C(c), Diags(diags), Path(path), M(*c.model), Entry(c.files[0]), External(external) {}

  /// What this model uses of the files it imports, and which files those are (canonical paths).
  void recordLibraryUses(LibraryUses &uses, std::set<std::string> &imported) {
    collectUses();
    std::map<int32_t, std::string> canon;
    for (size_t f = 1; f < C.files.size(); ++f) {
      int32_t id = C.files[f].fileId;
      canon[id] = canonicalPath(Diags.sources().file(id).path());
      imported.insert(canon[id]);
      for (const ast::Ident &u : C.files[f].units)
        if (UsedUnits.count(u.name))
          uses.insert(useKey(canon[id], "unit", u.name));
    }
    auto fileOf = [&](SourceRange r) { return r.valid() && canon.count(r.file) ? canon[r.file] : std::string(); };
    for (size_t i = 0; i < M.params.size(); ++i)
      if (M.params[i].decl && UsedParams.count(int(i)))
        if (std::string f = fileOf(M.params[i].decl->name.range); !f.empty())
          uses.insert(useKey(f, "param", M.params[i].name));
    for (size_t i = 0; i < M.values.size(); ++i)
      if (UsedValues.count(int(i)))
        if (std::string f = fileOf(M.values[i].range); !f.empty())
          uses.insert(useKey(f, "value", M.values[i].name));
    for (size_t i = 0; i < M.prices.size(); ++i)
      if (M.prices[i].decl && UsedPrices.count(int(i)))
        if (std::string f = fileOf(M.prices[i].decl->name.range); !f.empty())
          uses.insert(useKey(f, "price", M.prices[i].name));
  }

  std::vector<Finding> run() {
    collectUses();
    unusedParams();
    unusedLets();
    unusedRatecardEntries();
    unusedUnits();
    stageFlow();
    missingSteps();
    uncertainParams();
    inlineMoney();
    volumeCliffs();
    commitsBelowFees();
    yearlyWithoutContract();
    nominalOutsideSupport();
    scenarios();
    negativeProfit();
    return std::move(Out);
  }

private:
  Compilation &C;
  diag::DiagnosticEngine &Diags;
  std::string Path;
  sema::Model &M;
  ast::File &Entry;
  std::unique_ptr<runtime::Engine> Engine;
  std::optional<runtime::RunResult> Base;
  const LibraryUses *External;
  std::vector<Finding> Out;
  std::set<int> UsedParams, UsedValues, UsedPrices;
  std::set<std::string> UsedUnits;

  bool inEntry(SourceRange r) const { return r.valid() && r.file == Entry.fileId; }

  // Whether an entry-file declaration is reported as unused. A library is used by the models
  // that import it, not by itself: judged across them, or (none linted) not at all.
  bool unused(bool usedHere, const char *kind, const std::string &name) const {
    if (usedHere)
      return false;
    if (!Entry.models.empty())
      return true;
    return External && !External->count(useKey(canonicalPath(Diags.sources().file(Entry.fileId).path()), kind, name));
  }

  void add(const char *rule, SourceRange at, std::string message) {
    const LintRule *r = findRule(rule);
    Finding f;
    f.code = rule;
    f.level = r->level;
    f.message = std::move(message);
    f.help = r->help;
    f.range = at;
    f.place = diag::placeOf(Diags.sources(), at);
    widenSpan(f.place);
    f.place.file = Path; // the path as the user gave it, also for a finding without a place
    Out.push_back(std::move(f));
  }

  void collectUses() {
    for (ast::File &file : C.files) {
      forEachExpr(file, [&](ast::Expr &e) {
        if (e.unit)
          for (const ast::UnitFactor &uf : e.unit->factors)
            for (const ast::UnitTerm &t : uf.terms)
              UsedUnits.insert(t.name.name);
        if (e.kind == ast::ExprKind::Name && !e.parts.empty())
          UsedUnits.insert(e.parts[0].name); // a unit used as a value: `x * 1 email/customer`, `4 / month`
        auto it = M.exprs.find(&e);
        if (it == M.exprs.end())
          return;
        const sema::ExprInfo &info = it->second;
        if (e.kind == ast::ExprKind::PriceCall && info.index >= 0)
          UsedPrices.insert(info.index);
        else if (info.ref == ast::RefKind::Param)
          UsedParams.insert(info.index);
        else if (info.ref != ast::RefKind::Unresolved && info.ref != ast::RefKind::Unit)
          UsedValues.insert(info.index);
      });
      for (ast::RatecardDecl &rc : file.ratecards)
        for (ast::PriceDecl &pr : rc.prices)
          for (const ast::UnitFactor &uf : pr.argUnit.factors)
            for (const ast::UnitTerm &t : uf.terms)
              UsedUnits.insert(t.name.name);
    }
    for (const sema::Value &v : M.values)
      for (int d : v.deps)
        UsedValues.insert(d);
  }

  void unusedParams() {
    for (size_t i = 0; i < M.params.size(); ++i) {
      const sema::ParamInfo &p = M.params[i];
      if (p.decl && inEntry(p.decl->name.range) && unused(UsedParams.count(int(i)), "param", p.name))
        add("unused-param", p.decl->name.range, fmt::format("param `{}` is never used", p.name));
    }
  }

  void unusedLets() {
    for (size_t i = 0; i < M.values.size(); ++i) {
      const sema::Value &v = M.values[i];
      if (v.kind == sema::ValueKind::PipelineLet && inEntry(v.range) && unused(UsedValues.count(int(i)), "value", v.name))
        add("unused-let", v.range, fmt::format("`{}` is computed but never used", v.name));
    }
  }

  void unusedRatecardEntries() {
    for (size_t i = 0; i < M.values.size(); ++i) {
      const sema::Value &v = M.values[i];
      if (v.kind == sema::ValueKind::Fee && inEntry(v.range) && unused(UsedValues.count(int(i)), "value", v.name))
        add("unused-ratecard-entry", v.range, fmt::format("fee `{}` is never used", v.name));
    }
    for (size_t i = 0; i < M.prices.size(); ++i) {
      const sema::PriceInfo &p = M.prices[i];
      if (p.decl && inEntry(p.decl->name.range) && unused(UsedPrices.count(int(i)), "price", p.name))
        add("unused-ratecard-entry", p.decl->name.range, fmt::format("price `{}` is never used", p.name));
    }
  }

  void unusedUnits() {
    for (const ast::Ident &u : Entry.units)
      if (unused(UsedUnits.count(u.name), "unit", u.name))
        add("unused-unit", u.range, fmt::format("unit `{}` is declared but no quantity is written in it", u.name));
  }

  void stageFlow() {
    for (ast::PipelineDecl &p : Entry.pipelines) {
      std::set<std::string> consumed;
      for (ast::StageDecl &s : p.stages)
        for (ast::Ident &in : s.inputs)
          consumed.insert(in.name);
      for (size_t i = 0; i < p.stages.size(); ++i) {
        ast::StageDecl &s = p.stages[i];
        if (i + 1 < p.stages.size() && !consumed.count(s.name.name))
          add("dangling-output", s.name.range,
              fmt::format("no stage of pipeline `{}` takes the output of stage `{}` as input", p.name.name, s.name.name));
        if (i > 0 && s.inputs.empty())
          add("missing-input", s.name.range,
              fmt::format("stage `{}` has no input, but it is not the first stage of `{}`", s.name.name, p.name.name));
      }
    }
  }

  void missingSteps() {
    struct Step {
      const char *name;
      std::vector<const char *> words;
    };
    static const Step kSteps[] = {
        {"strategy", {"strateg", "brief", "plan"}},
        {"segments", {"segment", "audience", "target"}},
        {"journeys", {"journey", "channel", "orchestrat", "configur"}},
        {"content", {"content", "creative", "copy", "asset"}},
        {"review", {"review", "approv", "qa", "proof"}},
        {"execution", {"execut", "launch", "send", "deliver", "activat"}},
        {"reporting", {"report", "analytic", "measure", "dashboard"}},
    };
    for (ast::PipelineDecl &p : Entry.pipelines) {
      std::vector<std::string> missing;
      for (const Step &step : kSteps) {
        bool found = false;
        for (ast::StageDecl &s : p.stages) {
          std::string text = lower(s.name.name + " " + s.title);
          for (const char *w : step.words)
            found = found || text.find(w) != std::string::npos;
        }
        if (!found)
          missing.push_back(step.name);
      }
      if (missing.empty())
        continue;
      std::string list;
      for (size_t i = 0; i < missing.size(); ++i)
        list += (i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + missing[i];
      add("missing-step", p.name.range,
          fmt::format("pipeline `{}` has no stage for {} (of the seven steps of a campaign)", p.name.name, list));
    }
  }

  static bool rateLikeName(const std::string &name) {
    static const char *const kWords[] = {"rate", "ctr", "conversion", "convert", "price", "cpm", "cpc", "cpa",
                                         "aov", "order_value", "churn", "margin", "uplift", "response"};
    std::string n = lower(name);
    for (const char *w : kWords)
      if (n.find(w) != std::string::npos)
        return true;
    return false;
  }

  void uncertainParams() {
    for (const sema::ParamInfo &p : M.params) {
      if (!p.decl || !inEntry(p.decl->name.range) || p.range || p.distKind != 0)
        continue;
      if (rateLikeName(p.name) || p.written.percent || p.decl->value->percent)
        add("uncertain-param", p.decl->name.range,
            fmt::format("`{}` looks like an uncertain rate or price but has no range or distribution", p.name));
    }
  }

  bool isMoneyLiteral(const ast::Expr &e) const {
    if (e.kind != ast::ExprKind::Number || !e.unit || M.units.currency().empty())
      return false;
    for (const ast::UnitFactor &f : e.unit->factors)
      for (const ast::UnitTerm &t : f.terms)
        if (!f.denominator && t.power > 0 && t.name.name == M.units.currency())
          return true;
    return false;
  }

  void inlineMoney() {
    for (ast::PipelineDecl &p : Entry.pipelines)
      for (ast::StageDecl &s : p.stages)
        for (ast::CostLineDecl &l : s.lines)
          walk(l.value.get(), [&](ast::Expr &e) {
            if (isMoneyLiteral(e))
              add("inline-money", e.range,
                  fmt::format("cost line \"{}\" of stage `{}` has a money amount written inline", l.label, s.name.name));
          });
  }

  /// The base case, evaluated once for the rules that need figures.
  const runtime::RunResult *baseCase() {
    if (!C.module)
      return nullptr;
    if (!Base) {
      Engine = runtime::makeInterpreter(*C.module);
      Base = runtime::evaluate(*C.module, *Engine, runtime::scenarioParams(*C.module, -1), "base");
    }
    return Base->error ? nullptr : &*Base;
  }

  SourceRange priceRange(const std::string &name) const {
    for (const sema::PriceInfo &p : M.prices)
      if (p.name == name && p.decl && inEntry(p.decl->name.range))
        return p.decl->name.range;
    return {};
  }

  void volumeCliffs() {
    const runtime::RunResult *r = baseCase();
    if (!r)
      return;
    const ir::Module &m = *C.module;
    for (size_t p = 0; p < m.prices.size(); ++p) {
      const ir::Price &price = m.prices[p];
      SourceRange at = priceRange(price.name);
      if (price.kind != ir::PriceKind::Volume || !at.valid())
        continue;
      for (const ir::PriceTier &t : price.tiers) {
        if (t.bound < 0)
          continue;
        double b = r->slots[size_t(t.bound)];
        double atBound = Engine->evalPrice(int32_t(p), b, r->params.data(), r->slots.data());
        double past = Engine->evalPrice(int32_t(p), std::nextafter(b, INFINITY), r->params.data(), r->slots.data());
        if (past < atBound)
          add("volume-cliff", at,
              fmt::format("`{}` costs {} {} at {} but {} just past it: a larger quantity costs less", price.name,
                          runtime::formatMoney(atBound), m.currency, runtime::formatValue(b, price.argUnit),
                          runtime::formatMoney(past)));
      }
    }
  }

  void commitsBelowFees() {
    const runtime::RunResult *r = baseCase();
    if (!r)
      return;
    const ir::Module &m = *C.module;
    for (const ir::Ratecard &card : m.ratecards) {
      if (!card.commit)
        continue;
      double fees = 0;
      for (int32_t fee : card.fees)
        if (!m.slots[size_t(fee)].unit.isMoney) // per time: over the commitment's period
          fees += r->slots[size_t(fee)] * 730 * card.commit->months;
      double amount = r->slots[size_t(card.commit->amount)];
      SourceRange at;
      for (ast::RatecardDecl &d : Entry.ratecards)
        if (d.name.name == card.name && !d.commits.empty())
          at = d.commits[0].range;
      if (!at.valid() || !(amount < fees))
        continue;
      const char *period = card.commit->months == 12 ? "year" : "month";
      add("commit-below-fees", at,
          fmt::format("`{}` commits {} {} per {}, less than its fees of {} {} per {}", card.name,
                      runtime::formatMoney(amount), m.currency, period, runtime::formatMoney(fees), m.currency, period));
    }
  }

  void yearlyWithoutContract() {
    if (!C.module)
      return;
    const ir::Module &m = *C.module;
    bool midYear = std::any_of(m.forecasts.begin(), m.forecasts.end(), [](const ir::Forecast &f) { return f.startMonth != 1; });
    if (!midYear)
      return;
    for (const ir::Price &price : m.prices) {
      if (price.period != ir::BillingPeriod::Yearly || price.ratecard < 0 ||
          m.ratecards[size_t(price.ratecard)].contractMonth != 0)
        continue;
      SourceRange at = priceRange(price.name);
      if (at.valid())
        add("yearly-without-contract", at,
            fmt::format("`{}` is billed yearly, but rate card `{}` has no `contract from`: its contract years will "
                        "start with the forecast, mid-year",
                        price.name, m.ratecards[size_t(price.ratecard)].name));
    }
  }

  void nominalOutsideSupport() {
    for (const sema::ParamInfo &p : M.params) {
      if (!p.decl || !inEntry(p.decl->name.range))
        continue;
      double x = p.nominal;
      if (p.range && (x < p.range->first || x > p.range->second)) {
        SourceRange at = p.decl->lo ? SourceRange{p.decl->lo->range.file, p.decl->lo->range.begin, p.decl->hi->range.end}
                                    : p.decl->name.range;
        add("nominal-outside-support", at, fmt::format("the nominal value of `{}` lies outside its range", p.name));
      }
      if (!p.decl->dist)
        continue;
      bool outside = false;
      const std::vector<double> &a = p.distArgs;
      switch (ir::DistKind(p.distKind)) {
      case ir::DistKind::Uniform:
      case ir::DistKind::Triangular:
      case ir::DistKind::Pert:
        outside = a.size() >= 2 && (x < a.front() || x > a.back());
        break;
      case ir::DistKind::Lognormal:
        outside = x <= 0;
        break;
      case ir::DistKind::Beta:
        outside = x < 0 || x > 1;
        break;
      case ir::DistKind::Discrete:
        outside = std::none_of(a.begin(), a.end(), [&](double v) { return near(v, x); });
        break;
      default:
        break;
      }
      if (outside)
        add("nominal-outside-support", p.decl->dist->range,
            fmt::format("the nominal value of `{}` is not a value its distribution can take", p.name));
    }
  }

  void scenarios() {
    for (ast::ScenarioDecl &s : Entry.scenarios) {
      if (s.overrides.empty()) {
        add("empty-scenario", s.name.range, fmt::format("scenario `{}` overrides nothing", s.name.name));
        continue;
      }
      const sema::ScenarioInfo *info = nullptr;
      for (const sema::ScenarioInfo &si : M.scenarios)
        if (si.name == s.name.name)
          info = &si;
      if (!info)
        continue;
      for (auto [param, value] : info->overrides) {
        const sema::ParamInfo &p = M.params[size_t(param)];
        if (!near(value, p.nominal))
          continue;
        SourceRange at = s.name.range;
        for (ast::Override &o : s.overrides)
          if (o.param.name == p.name)
            at = o.range;
        add("scenario-no-change", at,
            fmt::format("scenario `{}` sets `{}` to the value it already has", s.name.name, p.name));
      }
    }
  }

  void negativeProfit() {
    const runtime::RunResult *base = baseCase();
    if (!base)
      return;
    const ir::Module &m = *C.module;
    const runtime::RunResult &r = *base;
    for (const ir::Pipeline &p : m.pipelines) {
      if (p.revenue.empty() || p.profitSlot < 0)
        continue;
      double profit = r.slots[size_t(p.profitSlot)];
      if (!(profit < 0))
        continue;
      for (ast::PipelineDecl &d : Entry.pipelines)
        if (d.name.name == p.name)
          add("negative-profit", d.name.range,
              fmt::format("pipeline `{}` loses {} {} in the base case (revenue {} {}, cost {} {})", p.name,
                          runtime::formatMoney(-profit), m.currency, runtime::formatMoney(r.slots[size_t(p.revenueSlot)]),
                          m.currency, runtime::formatMoney(r.slots[size_t(p.costSlot)]), m.currency));
    }
  }
};

/// Lines holding `// camp-lint: allow RULE[, RULE…]`, with their rules.
std::map<int, std::set<std::string>> allowComments(const std::string &text) {
  std::map<int, std::set<std::string>> allow;
  for (const syntax::Token &t : syntax::tokenize(text)) {
    if (t.kind != syntax::TokenKind::LineComment && t.kind != syntax::TokenKind::BlockComment)
      continue;
    size_t at = t.text.find("camp-lint:");
    if (at == std::string::npos)
      continue;
    std::string rest = t.text.substr(at + 10);
    size_t a = rest.find("allow");
    if (a == std::string::npos)
      continue;
    rest = rest.substr(a + 5);
    std::string word;
    auto flush = [&] {
      if (!word.empty())
        allow[t.line].insert(word);
      word.clear();
    };
    for (char c : rest) {
      if (std::isalnum(uint8_t(c)) || c == '-' || c == '_')
        word += c;
      else
        flush();
    }
    flush();
  }
  return allow;
}

std::vector<Finding> compileErrors(const diag::DiagnosticEngine &diags, const std::string &path) {
  // The compiler's errors as findings (diagnosticsAsFindings, the same mapping SARIF uses),
  // under the one rule id lint gives them.
  std::vector<Finding> out;
  for (Finding &f : diagnosticsAsFindings(diags)) {
    if (f.level != LintLevel::Error)
      continue;
    f.code = "compile-error";
    if (f.place.file.empty())
      f.place.file = path;
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> lintCompiled(Compilation &c, diag::DiagnosticEngine &diags, const std::string &path,
                                  const LintOptions &opts, const LibraryUses *external = nullptr) {
  if (!c.model || c.files.empty())
    return compileErrors(diags, path);
  std::vector<Finding> all = Linter(c, diags, path, external).run();
  auto allow = allowComments(diags.sources().file(c.files[0].fileId).text());
  std::vector<Finding> kept;
  for (Finding &f : all) {
    bool disabled = std::find(opts.disabled.begin(), opts.disabled.end(), f.code) != opts.disabled.end();
    auto allowed = [&](int line) {
      auto it = allow.find(line);
      return it != allow.end() && (it->second.count(f.code) || it->second.count("all"));
    };
    if (disabled || allowed(f.place.line) || allowed(f.place.line - 1))
      continue;
    kept.push_back(std::move(f));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Finding &a, const Finding &b) {
    return std::tie(a.place.line, a.place.column) < std::tie(b.place.line, b.place.column);
  });
  return kept;
}

} // namespace

std::vector<Finding> lintFile(const std::string &path, const LintOptions &opts) {
  diag::DiagnosticEngine diags;
  CompileOptions co;
  co.stdlibPaths = opts.stdlibPaths;
  auto c = compile(path, diags, co);
  return lintCompiled(*c, diags, path, opts);
}

std::vector<Finding> lintCompilation(Compilation &c, diag::DiagnosticEngine &diags, const std::string &path,
                                     const LintOptions &opts) {
  return lintCompiled(c, diags, path, opts, nullptr);
}

std::vector<Finding> lintFiles(const std::vector<std::string> &paths, const LintOptions &opts) {
  struct One {
    diag::DiagnosticEngine diags;
    std::unique_ptr<Compilation> c;
  };
  CompileOptions co;
  co.stdlibPaths = opts.stdlibPaths;
  std::vector<std::unique_ptr<One>> all;
  LibraryUses uses;
  std::set<std::string> imported; // files some linted model imports
  for (const std::string &path : paths) {
    auto one = std::make_unique<One>();
    one->c = compile(path, one->diags, co);
    if (one->c->model && !one->c->files.empty() && !one->c->files[0].models.empty())
      Linter(*one->c, one->diags, path).recordLibraryUses(uses, imported);
    all.push_back(std::move(one));
  }
  std::vector<Finding> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    bool judged = imported.count(canonicalPath(paths[i])) > 0;
    std::vector<Finding> found = lintCompiled(*all[i]->c, all[i]->diags, paths[i], opts, judged ? &uses : nullptr);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

std::vector<Finding> lintText(const std::string &fileName, const std::string &text, const LintOptions &opts) {
  diag::DiagnosticEngine diags;
  CompileOptions co;
  co.stdlibPaths = opts.stdlibPaths;
  auto c = compileText(fileName, text, diags, co);
  return lintCompiled(*c, diags, fileName, opts);
}

} // namespace camp::tooling
