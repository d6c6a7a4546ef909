// Matches pipelines, stages, cost lines and params of two evaluations by name and reports deltas.
#include "tooling/Diff.h"

#include "base/Strings.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "camp/Report.h"
#include "tooling/Lint.h"

namespace camp::tooling {

namespace {

bool same(double a, double b) {
  if (std::isnan(a) && std::isnan(b))
    return true;
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

bool same(const std::optional<double> &a, const std::optional<double> &b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

std::string statusOf(bool hasOld, bool hasNew, bool equal) {
  if (!hasOld)
    return "added";
  if (!hasNew)
    return "removed";
  return equal ? "same" : "changed";
}

double slot(const runtime::RunResult &r, int32_t s) { return s >= 0 ? r.slots[size_t(s)] : 0.0; }

Figures figuresOf(const runtime::RunResult &r, const ir::Pipeline &p) {
  return {slot(r, p.costSlot), slot(r, p.revenueSlot), slot(r, p.profitSlot), slot(r, p.roiSlot)};
}

/// Cost lines of a stage keyed by category and label; repeated keys get " #2", " #3"….
std::vector<std::pair<std::string, const ir::CostLine *>> keyedLines(const ir::Stage &s) {
  std::vector<std::pair<std::string, const ir::CostLine *>> out;
  std::map<std::string, int> seen;
  for (const ir::CostLine &l : s.lines) {
    std::string key = l.category + "\x1f" + l.label;
    int n = ++seen[key];
    out.push_back({n == 1 ? key : fmt::format("{} #{}", key, n), &l});
  }
  return out;
}

const ir::Pipeline *findPipeline(const runtime::RunResult *r, const std::string &name) {
  if (!r)
    return nullptr;
  for (const ir::Pipeline &p : r->module->pipelines)
    if (p.name == name)
      return &p;
  return nullptr;
}

const ir::Stage *findStage(const ir::Pipeline *p, const std::string &name) {
  if (!p)
    return nullptr;
  for (const ir::Stage &s : p->stages)
    if (s.name == name)
      return &s;
  return nullptr;
}

StageDelta diffStage(const std::string &name, const runtime::RunResult *o, const ir::Stage *os,
                     const runtime::RunResult *n, const ir::Stage *ns) {
  StageDelta d;
  d.name = name;
  if (os)
    d.oldCost = slot(*o, os->costSlot);
  if (ns)
    d.newCost = slot(*n, ns->costSlot);
  auto oldLines = os ? keyedLines(*os) : decltype(keyedLines(*os)){};
  auto newLines = ns ? keyedLines(*ns) : decltype(keyedLines(*ns)){};
  std::vector<std::string> keys;
  for (auto &[k, l] : newLines)
    keys.push_back(k);
  for (auto &[k, l] : oldLines)
    if (std::find(keys.begin(), keys.end(), k) == keys.end())
      keys.push_back(k);
  bool linesSame = true;
  for (const std::string &k : keys) {
    LineDelta ld;
    const ir::CostLine *ol = nullptr, *nl = nullptr;
    for (auto &[kk, l] : oldLines)
      if (kk == k)
        ol = l;
    for (auto &[kk, l] : newLines)
      if (kk == k)
        nl = l;
    const ir::CostLine *any = nl ? nl : ol;
    ld.category = any->category;
    ld.label = any->label;
    if (ol)
      ld.oldCost = slot(*o, ol->slot);
    if (nl)
      ld.newCost = slot(*n, nl->slot);
    ld.status = statusOf(ol, nl, same(ld.oldCost, ld.newCost));
    linesSame = linesSame && ld.status == "same";
    d.lines.push_back(std::move(ld));
  }
  d.status = statusOf(os, ns, linesSame && same(d.oldCost, d.newCost));
  return d;
}

PipelineDelta diffPipeline(const std::string &name, const runtime::RunResult *o, const runtime::RunResult *n) {
  const ir::Pipeline *op = findPipeline(o, name), *np = findPipeline(n, name);
  PipelineDelta d;
  d.name = name;
  d.title = np ? np->title : op->title;
  if (op)
    d.oldFigures = figuresOf(*o, *op);
  if (np)
    d.newFigures = figuresOf(*n, *np);
  std::vector<std::string> stages;
  if (np)
    for (const ir::Stage &s : np->stages)
      stages.push_back(s.name);
  if (op)
    for (const ir::Stage &s : op->stages)
      if (std::find(stages.begin(), stages.end(), s.name) == stages.end())
        stages.push_back(s.name);
  bool allSame = true;
  for (const std::string &s : stages) {
    d.stages.push_back(diffStage(s, o, findStage(op, s), n, findStage(np, s)));
    allSame = allSame && d.stages.back().status == "same";
  }
  bool figuresSame = op && np && same(d.oldFigures->cost, d.newFigures->cost) &&
                     same(d.oldFigures->revenue, d.newFigures->revenue) && same(d.oldFigures->roi, d.newFigures->roi);
  d.status = statusOf(op, np, allSame && figuresSame);
  return d;
}

std::vector<ParamDelta> diffParams(const runtime::RunResult *o, const runtime::RunResult *n) {
  std::vector<ParamDelta> out;
  auto find = [](const runtime::RunResult *r, const std::string &name) -> const ir::Param * {
    if (!r)
      return nullptr;
    int i = r->module->findParam(name);
    return i >= 0 ? &r->module->params[size_t(i)] : nullptr;
  };
  std::vector<std::string> names;
  if (n)
    for (const ir::Param &p : n->module->params)
      names.push_back(p.name);
  if (o)
    for (const ir::Param &p : o->module->params)
      if (std::find(names.begin(), names.end(), p.name) == names.end())
        names.push_back(p.name);
  for (const std::string &name : names) {
    const ir::Param *op = find(o, name), *np = find(n, name);
    const ir::DisplayUnit &u = np ? np->unit : op->unit;
    double scale = u.scale != 0 ? u.scale : 1;
    ParamDelta d;
    d.name = name;
    d.unit = u.text;
    if (op)
      d.oldValue = op->nominal / scale;
    if (np)
      d.newValue = np->nominal / scale;
    d.status = statusOf(op, np, same(d.oldValue, d.newValue));
    if (d.status != "same")
      out.push_back(std::move(d));
  }
  return out;
}

std::string num(const std::optional<double> &v) {
  if (!v || !std::isfinite(*v))
    return "null";
  return cleanNumber(*v); // 12 significant digits, as every JSON of camp
}

std::optional<double> minus(const std::optional<double> &a, const std::optional<double> &b) {
  double x = a.value_or(0), y = b.value_or(0);
  if (!a && !b)
    return std::nullopt;
  return x - y;
}

std::string money(const std::optional<double> &v) { return v ? runtime::formatMoney(*v) : "—"; }

std::string signedMoney(double v) {
  if (std::fabs(v) < 0.005)
    return "0.00";
  return (v > 0 ? "+" : "-") + runtime::formatMoney(std::fabs(v));
}

std::string percentChange(double oldV, double newV) {
  if (oldV == 0 || !std::isfinite(oldV) || !std::isfinite(newV))
    return "";
  double pct = (newV - oldV) / std::fabs(oldV) * 100;
  return fmt::format(" ({}{:.1f}%)", pct >= 0 ? "+" : "-", std::fabs(pct));
}

std::string roiText(double roi) { return std::isfinite(roi) ? fmt::format("{:.1f}%", roi * 100) : "n/a"; }

std::string roiDelta(double o, double n) {
  if (!std::isfinite(o) || !std::isfinite(n))
    return "n/a";
  double pts = (n - o) * 100;
  return fmt::format("{}{:.1f} pts", pts >= 0 ? "+" : "-", std::fabs(pts));
}

std::string paramValue(const std::optional<double> &v, const std::string &unit) {
  if (!v)
    return "—";
  return unit.empty() ? fmt::format("{:g}", *v) : fmt::format("{:g} {}", *v, unit);
}

} // namespace

/// Whether the paired samples moved (a distribution can change while the base case does not).
static bool movedUnderUncertainty(const PipelineDelta &p) {
  if (!p.uncertain)
    return false;
  const UncertainFigure &c = p.uncertain->cost, &r = p.uncertain->profit;
  return c.p10 != 0 || c.p90 != 0 || r.p10 != 0 || r.p90 != 0;
}

bool ModelDelta::changed() const {
  if (!params.empty())
    return true;
  for (const PipelineDelta &p : pipelines)
    if (p.status != "same" || movedUnderUncertainty(p))
      return true;
  return false;
}

ModelDelta diffResults(const runtime::RunResult *o, const runtime::RunResult *n) {
  ModelDelta d;
  const runtime::RunResult *any = n ? n : o;
  if (!any)
    return d;
  d.model = any->module->title;
  d.currency = any->module->currency;
  std::vector<std::string> names;
  if (n)
    for (const ir::Pipeline &p : n->module->pipelines)
      names.push_back(p.name);
  if (o)
    for (const ir::Pipeline &p : o->module->pipelines)
      if (std::find(names.begin(), names.end(), p.name) == names.end())
        names.push_back(p.name);
  for (const std::string &name : names)
    d.pipelines.push_back(diffPipeline(name, o, n));
  d.params = diffParams(o, n);
  return d;
}

std::vector<std::pair<std::string, double>> costRisesAbove(const ModelDelta &d, double pct) {
  std::vector<std::pair<std::string, double>> out;
  for (const PipelineDelta &p : d.pipelines) {
    if (!p.oldFigures || !p.newFigures || p.oldFigures->cost <= 0)
      continue;
    double rise = (p.newFigures->cost - p.oldFigures->cost) / p.oldFigures->cost * 100;
    if (rise > pct)
      out.push_back({p.name, rise});
  }
  return out;
}

namespace {

/// "P10 +1,200.00 · P50 +4,100.00 · P90 +7,900.00" of a change.
std::string changeInterval(const UncertainFigure &f) {
  return fmt::format("P10 {} · P50 {} · P90 {}", signedMoney(f.p10), signedMoney(f.p50), signedMoney(f.p90));
}

std::string uncertainText(const PipelineDelta &p) {
  if (!p.uncertain)
    return "";
  const UncertainDelta &u = *p.uncertain;
  std::string out = fmt::format("    over {} paired samples (seed {}):\n", u.used, u.seed);
  auto row = [&](const char *what, const UncertainFigure &f) {
    out += fmt::format("      {:<7} change {}; rises in {:.1f} % of samples\n", what, changeInterval(f),
                       100 * f.pIncrease);
  };
  row("cost", u.cost);
  row("profit", u.profit);
  return out;
}

std::string uncertainMarkdown(const PipelineDelta &p) {
  if (!p.uncertain)
    return "";
  const UncertainDelta &u = *p.uncertain;
  std::string out = fmt::format("Over {} paired samples (seed {}), P10 – P90:\n\n"
                                "| | before | after | change | P(rise) |\n|---|---:|---:|---:|---:|\n",
                                u.used, u.seed);
  auto row = [&](const char *what, const UncertainFigure &f) {
    out += fmt::format("| {} | {} – {} | {} – {} | **{} – {}** (median {}) | {:.1f} % |\n", what,
                       runtime::formatMoney(f.oldP10), runtime::formatMoney(f.oldP90), runtime::formatMoney(f.newP10),
                       runtime::formatMoney(f.newP90), signedMoney(f.p10), signedMoney(f.p90), signedMoney(f.p50),
                       100 * f.pIncrease);
  };
  row("Cost", u.cost);
  row("Profit", u.profit);
  return out + "\n";
}

std::string uncertainJson(const PipelineDelta &p) {
  if (!p.uncertain)
    return "";
  const UncertainDelta &u = *p.uncertain;
  auto figure = [](const UncertainFigure &f) {
    return fmt::format("{{\"p10\": {}, \"p50\": {}, \"p90\": {}, \"p_increase\": {}, "
                       "\"old\": {{\"p10\": {}, \"p50\": {}, \"p90\": {}}}, "
                       "\"new\": {{\"p10\": {}, \"p50\": {}, \"p90\": {}}}}}",
                       num(f.p10), num(f.p50), num(f.p90), num(f.pIncrease), num(f.oldP10), num(f.oldP50),
                       num(f.oldP90), num(f.newP10), num(f.newP50), num(f.newP90));
  };
  return fmt::format(",\n     \"uncertain\": {{\"samples\": {}, \"used\": {}, \"seed\": {},\n"
                     "       \"cost\": {},\n       \"profit\": {}}}",
                     u.samples, u.used, u.seed, figure(u.cost), figure(u.profit));
}

} // namespace

std::string renderDiffText(const ModelDelta &d) {
  std::string out = fmt::format("{}{}\n", d.file.empty() ? "" : d.file + ": ", d.model);
  if (!d.changed())
    return out + "  no change in cost, revenue, profit or ROI\n";
  for (const PipelineDelta &p : d.pipelines) {
    out += fmt::format("  pipeline {} ({})\n", p.name, p.status);
    if (p.status == "same") {
      out += uncertainText(p);
      continue;
    }
    Figures o = p.oldFigures.value_or(Figures{}), n = p.newFigures.value_or(Figures{});
    auto row = [&](const char *what, double ov, double nv, bool hasO, bool hasN) {
      out += fmt::format("    {:<8} {:>14} → {:>14}  {}{}\n", what, hasO ? runtime::formatMoney(ov) : "—",
                         hasN ? runtime::formatMoney(nv) : "—", signedMoney(nv - ov), hasO && hasN ? percentChange(ov, nv) : "");
    };
    row("cost", o.cost, n.cost, bool(p.oldFigures), bool(p.newFigures));
    row("revenue", o.revenue, n.revenue, bool(p.oldFigures), bool(p.newFigures));
    row("profit", o.profit, n.profit, bool(p.oldFigures), bool(p.newFigures));
    out += fmt::format("    {:<8} {:>14} → {:>14}  {}\n", "ROI", p.oldFigures ? roiText(o.roi) : "—",
                       p.newFigures ? roiText(n.roi) : "—", p.oldFigures && p.newFigures ? roiDelta(o.roi, n.roi) : "");
    out += uncertainText(p);
    for (const StageDelta &s : p.stages) {
      if (s.status == "same")
        continue;
      out += fmt::format("    stage {} ({}): {} → {}  {}\n", s.name, s.status, money(s.oldCost), money(s.newCost),
                         signedMoney(s.newCost.value_or(0) - s.oldCost.value_or(0)));
      for (const LineDelta &l : s.lines) {
        if (l.status == "same")
          continue;
        out += fmt::format("      {} \"{}\" ({}): {} → {}  {}\n", l.category, l.label, l.status, money(l.oldCost),
                           money(l.newCost), signedMoney(l.newCost.value_or(0) - l.oldCost.value_or(0)));
      }
    }
  }
  if (!d.params.empty()) {
    out += "  params\n";
    for (const ParamDelta &p : d.params)
      out += fmt::format("    {} ({}): {} → {}\n", p.name, p.status, paramValue(p.oldValue, p.unit),
                         paramValue(p.newValue, p.unit));
  }
  return out;
}

std::string renderDiffMarkdown(const ModelDelta &d) {
  std::string out = fmt::format("### Cost impact: {}{}\n\n", d.model, d.file.empty() ? "" : fmt::format(" (`{}`)", d.file));
  if (!d.changed())
    return out + "No change in cost, revenue, profit or ROI.\n";
  for (const PipelineDelta &p : d.pipelines) {
    if (p.status == "same" && !movedUnderUncertainty(p))
      continue;
    Figures o = p.oldFigures.value_or(Figures{}), n = p.newFigures.value_or(Figures{});
    out += fmt::format("**Pipeline `{}`** ({})\n\n| | before | after | change |\n|---|---:|---:|---:|\n", p.name, p.status);
    auto row = [&](const char *what, double ov, double nv) {
      out += fmt::format("| {} | {} | {} | {}{} |\n", what, p.oldFigures ? runtime::formatMoney(ov) : "—",
                         p.newFigures ? runtime::formatMoney(nv) : "—", signedMoney(nv - ov),
                         p.oldFigures && p.newFigures ? percentChange(ov, nv) : "");
    };
    row("Cost", o.cost, n.cost);
    row("Revenue", o.revenue, n.revenue);
    row("Profit", o.profit, n.profit);
    out += fmt::format("| ROI | {} | {} | {} |\n\n", p.oldFigures ? roiText(o.roi) : "—",
                       p.newFigures ? roiText(n.roi) : "—", p.oldFigures && p.newFigures ? roiDelta(o.roi, n.roi) : "");
    out += uncertainMarkdown(p);
    std::string rows;
    for (const StageDelta &s : p.stages)
      for (const LineDelta &l : s.lines)
        if (l.status != "same")
          rows += fmt::format("| {} | {} \"{}\" | {} | {} | {} | {} |\n", s.name, l.category, l.label, l.status,
                              money(l.oldCost), money(l.newCost),
                              signedMoney(l.newCost.value_or(0) - l.oldCost.value_or(0)));
    if (!rows.empty())
      out += "| Stage | Cost line | Status | Before | After | Change |\n|---|---|---|---:|---:|---:|\n" + rows + "\n";
  }
  if (!d.params.empty()) {
    out += "| Param | Status | Before | After |\n|---|---|---:|---:|\n";
    for (const ParamDelta &p : d.params)
      out += fmt::format("| `{}` | {} | {} | {} |\n", p.name, p.status, paramValue(p.oldValue, p.unit),
                         paramValue(p.newValue, p.unit));
    out += "\n";
  }
  return out;
}

std::string renderDiffJson(const ModelDelta &d) {
  auto figures = [](const std::optional<Figures> &f) {
    if (!f)
      return std::string("null");
    return fmt::format("{{\"cost\": {}, \"revenue\": {}, \"profit\": {}, \"roi\": {}}}", num(f->cost), num(f->revenue),
                       num(f->profit), num(f->roi));
  };
  auto deltaFigures = [](const std::optional<Figures> &o, const std::optional<Figures> &n) {
    Figures a = o.value_or(Figures{}), b = n.value_or(Figures{});
    std::optional<double> roi;
    if (o && n)
      roi = b.roi - a.roi;
    return fmt::format("{{\"cost\": {}, \"revenue\": {}, \"profit\": {}, \"roi\": {}}}", num(b.cost - a.cost),
                       num(b.revenue - a.revenue), num(b.profit - a.profit), num(roi));
  };
  std::string out = fmt::format("{{\n  \"schema\": \"camp.diff/1\",\n  \"file\": {},\n  \"model\": {},\n  \"currency\": {},\n"
                                "  \"pipelines\": [",
                                jsonString(d.file), jsonString(d.model), jsonString(d.currency));
  for (size_t i = 0; i < d.pipelines.size(); ++i) {
    const PipelineDelta &p = d.pipelines[i];
    out += fmt::format("{}\n    {{\"name\": {}, \"title\": {}, \"status\": \"{}\",\n     \"old\": {},\n     \"new\": {},\n"
                       "     \"delta\": {}{},\n     \"stages\": [",
                       i ? "," : "", jsonString(p.name), jsonString(p.title), p.status, figures(p.oldFigures),
                       figures(p.newFigures), deltaFigures(p.oldFigures, p.newFigures), uncertainJson(p));
    for (size_t s = 0; s < p.stages.size(); ++s) {
      const StageDelta &st = p.stages[s];
      out += fmt::format("{}\n       {{\"name\": {}, \"status\": \"{}\", \"old_cost\": {}, \"new_cost\": {}, \"delta\": {}, "
                         "\"lines\": [",
                         s ? "," : "", jsonString(st.name), st.status, num(st.oldCost), num(st.newCost),
                         num(minus(st.newCost, st.oldCost)));
      for (size_t l = 0; l < st.lines.size(); ++l) {
        const LineDelta &ld = st.lines[l];
        out += fmt::format("{}\n         {{\"category\": {}, \"label\": {}, \"status\": \"{}\", \"old_cost\": {}, "
                           "\"new_cost\": {}, \"delta\": {}}}",
                           l ? "," : "", jsonString(ld.category), jsonString(ld.label), ld.status, num(ld.oldCost),
                           num(ld.newCost), num(minus(ld.newCost, ld.oldCost)));
      }
      out += st.lines.empty() ? "]}" : "\n       ]}";
    }
    out += p.stages.empty() ? "]}" : "\n     ]}";
  }
  out += d.pipelines.empty() ? "],\n" : "\n  ],\n";
  out += "  \"params\": [";
  for (size_t i = 0; i < d.params.size(); ++i) {
    const ParamDelta &p = d.params[i];
    out += fmt::format("{}\n    {{\"name\": {}, \"status\": \"{}\", \"old\": {}, \"new\": {}, \"unit\": {}}}", i ? "," : "",
                       jsonString(p.name), p.status, num(p.oldValue), num(p.newValue), jsonString(p.unit));
  }
  out += d.params.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

} // namespace camp::tooling
