// The LSP answers computed from a Snapshot: hover, navigation, rename, symbols, completion,
// formatting, semantic tokens, inlay hints, code actions and code lenses.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "base/Strings.h"
#include "camp/Report.h"
#include "lsp/Analysis.h"
#include "syntax/Tokens.h"
#include "tooling/Format.h"

namespace camp::lsp {

namespace {

const char *const kKeywords[] = {"model",    "currency", "import",   "unit",      "category", "param",   "let",
                                 "ratecard", "fee",      "price",    "graduated", "volume",   "up",      "to",
                                 "above",    "after",    "included", "minimum",   "pipeline", "stage",   "input",
                                 "output",   "revenue",  "scenario", "assert",    "forecast", "monthly", "run",
                                 "per",      "growth",   "seasonal", "if",        "then",     "else",    "and",
                                 "or",       "not",      "in"};
const char *const kFunctions[] = {"min", "max", "ceil", "floor", "round", "sqrt",
                                  "exp", "ln",  "pow",  "abs",   "sin",   "cos"};
const char *const kDistributions[] = {"uniform", "triangular", "pert", "normal", "lognormal", "beta", "discrete"};
const char *const kCategories[] = {"labor", "technology", "data", "content", "media"};
const char *const kTimeUnits[] = {"minute", "h", "day", "week", "month", "quarter", "year"};
const char *const kResults[] = {"cost", "revenue", "profit", "roi"};

template <size_t N> bool oneOf(const std::string &s, const char *const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char *k) { return s == k; });
}

bool isIdentChar(char c) { return std::isalnum(uint8_t(c)) || c == '_' || (uint8_t(c) & 0x80); }

json markdown(const std::string &text) { return {{"kind", "markdown"}, {"value", text}}; }

std::string codeBlock(const std::string &code) { return "```camp\n" + code + "\n```\n"; }

std::string firstLine(const std::string &s) {
  size_t nl = s.find('\n');
  std::string line = nl == std::string::npos ? s : s.substr(0, nl);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '{'))
    line.pop_back();
  return line;
}

std::string currencyOf(const Snapshot &s) {
  if (s.checked())
    return s.module().currency;
  if (!s.comp)
    return "";
  for (const ast::File &f : s.comp->files)
    if (!f.currencies.empty())
      return f.currencies[0].name;
  return "";
}

// Pipeline and stage positions (sema/IR order) of an AST stage; -1 when the model did not check.
std::pair<int, int> stageIndex(const Snapshot &s, const ast::StageDecl *decl) {
  if (!s.checked())
    return {-1, -1};
  const auto &pipes = s.comp->model->pipelines;
  for (size_t p = 0; p < pipes.size(); ++p)
    for (size_t st = 0; st < pipes[p].stages.size(); ++st)
      if (pipes[p].stages[st].decl == decl)
        return {int(p), int(st)};
  return {-1, -1};
}

int pipelineIndex(const Snapshot &s, const ast::PipelineDecl *decl) {
  if (!s.checked())
    return -1;
  const auto &pipes = s.comp->model->pipelines;
  for (size_t p = 0; p < pipes.size(); ++p)
    if (pipes[p].decl == decl)
      return int(p);
  return -1;
}

struct LineAt {
  int pipeline = -1, stage = -1, line = -1;
  const ast::CostLineDecl *decl = nullptr;
};

// The cost line whose text covers `offset` in the document.
LineAt lineAt(const Snapshot &s, uint32_t offset) {
  LineAt out;
  if (!s.checked())
    return out;
  const auto &pipes = s.comp->model->pipelines;
  for (size_t p = 0; p < pipes.size(); ++p)
    for (size_t st = 0; st < pipes[p].stages.size(); ++st) {
      const ast::StageDecl *sd = pipes[p].stages[st].decl;
      if (sd->range.file != s.entryFile || offset < sd->range.begin || offset > sd->range.end)
        continue;
      for (size_t l = 0; l < sd->lines.size(); ++l) {
        const SourceRange &r = sd->lines[l].range;
        if (offset >= r.begin && offset <= r.end)
          return {int(p), int(st), int(l), &sd->lines[l]};
      }
    }
  return out;
}

std::string stageSummary(const Snapshot &s, int p, int st) {
  if (!s.evaluated || p < 0)
    return "";
  const ir::Stage &stage = s.module().pipelines[size_t(p)].stages[size_t(st)];
  std::string out = fmt::format("**Stage cost:** {}\n", s.valueText(stage.costSlot));
  if (stage.outputSlot >= 0) {
    const ir::DisplayUnit &u = s.module().slots[size_t(stage.outputSlot)].unit;
    double shown = s.slots[size_t(stage.outputSlot)] / (u.scale == 0 ? 1 : u.scale);
    out += fmt::format("\n**Output:** {}\n", s.valueText(stage.outputSlot));
    double unitCost = s.slots[size_t(stage.costSlot)] / shown;
    // Cents for a cost per brief; significant digits for a cost per email (0.0009071).
    std::string amount = std::fabs(unitCost) >= 1 ? runtime::formatMoney(unitCost) : fmt::format("{:.4g}", unitCost);
    if (shown != 0)
      out += fmt::format("\n**Unit cost:** {} {} per {}\n", amount, s.module().currency,
                         u.text.empty() ? "output" : u.text);
  }
  return out;
}

std::string pipelineSummary(const Snapshot &s, int p) {
  if (!s.evaluated || p < 0)
    return "";
  const ir::Pipeline &pl = s.module().pipelines[size_t(p)];
  double roi = s.slots[size_t(pl.roiSlot)];
  return fmt::format("**Cost:** {}  \n**Revenue:** {}  \n**Profit:** {}  \n**ROI:** {}\n", s.valueText(pl.costSlot),
                     s.valueText(pl.revenueSlot), s.valueText(pl.profitSlot),
                     std::isfinite(roi) ? fmt::format("{:.1f}%", roi * 100) : "n/a");
}

std::string billText(const Snapshot &s, const LineAt &at, const std::string &priceName) {
  auto b = s.bill(at.pipeline, at.stage, at.line);
  if (!b)
    return "";
  const ir::CostLine &l = s.module().pipelines[size_t(at.pipeline)].stages[size_t(at.stage)].lines[size_t(at.line)];
  const ir::DisplayUnit &argUnit = s.module().prices[size_t(l.meteredPrice)].argUnit;
  std::string out = fmt::format("**Bill at the base case** ({})  \nquantity {}  \n", priceName,
                                runtime::formatValue(b->quantity, argUnit));
  if (!b->tier.empty())
    out += b->tier + "  \n";
  if (!b->allowance.empty())
    out += "allowance: " + b->allowance + "  \n";
  if (b->minimumApplies)
    out += "the minimum applies  \n";
  out += fmt::format("**= {} {}**\n", runtime::formatMoney(b->amount), s.module().currency);
  if (b->lines > 1)
    out += fmt::format("shared by {} lines of this pipeline; this line's share: {} {}\n", b->lines,
                       runtime::formatMoney(b->share), s.module().currency);
  return out;
}

std::string paramHover(const Snapshot &s, const Symbol &sym) {
  const auto *decl = static_cast<const ast::ParamDecl *>(sym.decl);
  std::string out = codeBlock(firstLine(s.sourceText(decl->range)));
  if (s.checked()) {
    int32_t p = s.module().findParam(sym.name);
    if (p >= 0) {
      const ir::Param &param = s.module().params[size_t(p)];
      out += fmt::format("**Base case:** {}", runtime::formatValue(param.nominal, param.unit));
      out += param.unit.text.empty() ? "\n" : fmt::format(" · unit `{}`\n", param.unit.text);
      if (param.range)
        out += fmt::format("\n**Range:** {} … {}\n", runtime::formatValue(param.range->first, param.unit),
                           runtime::formatValue(param.range->second, param.unit));
    }
  }
  if (decl->dist)
    out += fmt::format("\n**Distribution:** `{}`\n", s.sourceText(decl->dist->range));
  return out;
}

std::string symbolHover(const Snapshot &s, int id) {
  const Symbol &sym = s.index.symbols()[size_t(id)];
  std::string out;
  switch (sym.kind) {
  case SymbolKind::Param: out = paramHover(s, sym); break;
  case SymbolKind::Let:
  case SymbolKind::PipelineLet:
  case SymbolKind::Fee: {
    out = codeBlock(firstLine(s.sourceText(sym.declRange)));
    int32_t slot = s.checked() ? s.slotNamed(sym.qualified) : -1;
    if (slot >= 0 && s.evaluated) {
      const ir::DisplayUnit &u = s.module().slots[size_t(slot)].unit;
      out += fmt::format("**Base case:** {}", s.valueText(slot));
      out += u.text.empty() ? "\n" : fmt::format(" · unit `{}`\n", u.text);
    }
    break;
  }
  case SymbolKind::Price: {
    out = codeBlock(s.sourceText(sym.declRange));
    break;
  }
  case SymbolKind::RateCard:
  case SymbolKind::Scenario:
  case SymbolKind::Forecast: out = codeBlock(firstLine(s.sourceText(sym.declRange))); break;
  case SymbolKind::Pipeline: {
    out = codeBlock(firstLine(s.sourceText(sym.declRange)));
    out += pipelineSummary(s, pipelineIndex(s, static_cast<const ast::PipelineDecl *>(sym.decl)));
    break;
  }
  case SymbolKind::Stage: {
    out = codeBlock(firstLine(s.sourceText(sym.declRange)));
    auto [p, st] = stageIndex(s, static_cast<const ast::StageDecl *>(sym.decl));
    out += stageSummary(s, p, st);
    break;
  }
  case SymbolKind::Unit: out = codeBlock("unit " + sym.name); break;
  case SymbolKind::Category: out = codeBlock("category " + sym.name); break;
  }
  if (!sym.doc.empty())
    out += "\n---\n" + sym.doc + "\n";
  return out;
}

const Occurrence *occurrenceAt(const Snapshot &s, uint32_t offset) {
  if (!s.parsed())
    return nullptr;
  return s.index.at(s.entryFile, offset);
}

} // namespace

// Built-in names have no declaration to show: a time unit, the currency, a category, a function.
static std::optional<std::pair<std::string, std::pair<uint32_t, uint32_t>>> builtinHover(const Snapshot &s,
                                                                                         uint32_t offset) {
  const LineMap &lm = s.map(s.entryFile);
  int line = lm.lineOf(offset);
  uint32_t start = lm.lineStart(line);
  for (const syntax::Token &t : syntax::tokenize(s.text.substr(start, lm.lineEnd(line) - start))) {
    if (t.kind != syntax::TokenKind::Identifier || offset < start + t.begin || offset > start + t.end)
      continue;
    static const std::map<std::string, std::string> kTime = {
        {"minute", "1/60 h"}, {"h", "the hour: durations are kept in hours"}, {"day", "24 h"},
        {"week", "168 h"},    {"month", "730 h (8,760 h a year / 12)"},       {"quarter", "2,190 h"},
        {"year", "8,760 h"}};
    std::string text;
    if (auto it = kTime.find(t.text); it != kTime.end())
      text = fmt::format("`{}`: a built-in time unit, {}", t.text, it->second);
    else if (t.text == currencyOf(s))
      text = fmt::format("`{}`: the model's currency; every cost line and revenue line comes out in it", t.text);
    else if (oneOf(t.text, kCategories))
      text = fmt::format("`{}`: a built-in cost category; each pipeline reports its total as `PIPELINE.{}`", t.text,
                         t.text);
    else if (oneOf(t.text, kFunctions))
      text = fmt::format("`{}`: a built-in function", t.text);
    else if (oneOf(t.text, kDistributions))
      text = fmt::format("`{}`: a distribution for a param's uncertainty (`~ {}(…)`)", t.text, t.text);
    if (text.empty())
      return std::nullopt;
    return std::make_pair(text, std::make_pair(start + t.begin, start + t.end));
  }
  return std::nullopt;
}

// A pipeline or stage result written in an expression (`spring.cost`, `p.s.output`, `p.labor`):
// its value, found by the slot the chain names.
static std::optional<std::pair<std::string, std::pair<uint32_t, uint32_t>>> resultHover(const Snapshot &s,
                                                                                        uint32_t offset) {
  if (!s.evaluated)
    return std::nullopt;
  const LineMap &lm = s.map(s.entryFile);
  int line = lm.lineOf(offset);
  uint32_t start = lm.lineStart(line);
  std::vector<syntax::Token> toks = syntax::tokenize(s.text.substr(start, lm.lineEnd(line) - start));
  for (size_t i = 0; i < toks.size(); ++i) {
    const syntax::Token &t = toks[i];
    if (t.kind != syntax::TokenKind::Identifier || offset < start + t.begin || offset > start + t.end)
      continue;
    std::string chain = t.text;
    size_t first = i;
    while (first >= 2 && toks[first - 1].isPunct(".") && toks[first - 2].kind == syntax::TokenKind::Identifier &&
           toks[first - 1].begin == toks[first - 2].end && toks[first].begin == toks[first - 1].end) {
      first -= 2;
      chain = toks[first].text + "." + chain;
    }
    if (first == i)
      return std::nullopt;
    int32_t slot = s.slotNamed(chain);
    if (slot < 0)
      return std::nullopt;
    std::string text = fmt::format("`{}` = **{}** (base case)", chain, s.valueText(slot));
    return std::make_pair(text, std::make_pair(start + toks[first].begin, start + t.end));
  }
  return std::nullopt;
}

json hover(const Snapshot &s, uint32_t offset) {
  if (!s.parsed())
    return nullptr;
  const LineMap &lm = s.map(s.entryFile);
  const Occurrence *o = occurrenceAt(s, offset);
  LineAt at = lineAt(s, offset);
  if (!o) {
    if (auto r = resultHover(s, offset))
      return {{"contents", markdown(r->first)}, {"range", lm.range(r->second.first, r->second.second)}};
    if (auto b = builtinHover(s, offset))
      return {{"contents", markdown(b->first)}, {"range", lm.range(b->second.first, b->second.second)}};
  }
  // A price call's card or price name: the bill of its line.
  if (o && at.decl && at.decl->value && at.decl->value->kind == ast::ExprKind::PriceCall) {
    const ast::Expr &call = *at.decl->value;
    bool onCallee = call.parts.size() >= 2 && offset >= call.parts[0].range.begin && offset <= call.parts[1].range.end;
    if (onCallee) {
      std::string priceName = call.parts[0].name + "." + call.parts[1].name;
      std::string text = billText(s, at, priceName);
      int price = s.index.find(priceName);
      if (price >= 0)
        text += "\n" + symbolHover(s, price);
      return {{"contents", markdown(text)}, {"range", lm.range(call.parts[0].range.begin, call.parts[1].range.end)}};
    }
  }
  if (o)
    return {{"contents", markdown(symbolHover(s, o->symbol))}, {"range", lm.range(o->range.begin, o->range.end)}};
  if (at.decl) {
    // Elsewhere on a cost line: its amount (and the bill, for a metered line).
    int32_t slot = s.module().pipelines[size_t(at.pipeline)].stages[size_t(at.stage)].lines[size_t(at.line)].slot;
    std::string label = at.decl->label.empty() ? at.decl->category.name : at.decl->label;
    std::string text = codeBlock(firstLine(s.sourceText(at.decl->range)));
    text += fmt::format("**{}** ({}): {}\n", label, at.decl->category.name, s.valueText(slot));
    if (at.decl->value && at.decl->value->kind == ast::ExprKind::PriceCall && at.decl->value->parts.size() >= 2)
      text += "\n" + billText(s, at, at.decl->value->parts[0].name + "." + at.decl->value->parts[1].name);
    return {{"contents", markdown(text)}, {"range", lm.range(at.decl->range.begin, at.decl->range.end)}};
  }
  return nullptr;
}

json definition(const Snapshot &s, uint32_t offset) {
  const Occurrence *o = occurrenceAt(s, offset);
  if (!o)
    return nullptr;
  return s.location(s.index.symbols()[size_t(o->symbol)].nameRange);
}

json references(const Snapshot &s, uint32_t offset, bool includeDeclaration) {
  const Occurrence *o = occurrenceAt(s, offset);
  if (!o)
    return nullptr;
  json out = json::array();
  for (const Occurrence *r : s.index.referencesTo(o->symbol))
    if (includeDeclaration || !r->declaration)
      out.push_back(s.location(r->range));
  return out;
}

json prepareRename(const Snapshot &s, uint32_t offset) {
  const Occurrence *o = occurrenceAt(s, offset);
  if (!o)
    return nullptr;
  return {{"range", s.map(s.entryFile).range(o->range.begin, o->range.end)},
          {"placeholder", s.index.symbols()[size_t(o->symbol)].name}};
}

std::optional<json> rename(const Snapshot &s, uint32_t offset, const std::string &newName, std::string &error) {
  const Occurrence *o = occurrenceAt(s, offset);
  if (!o) {
    error = "there is no name here to rename";
    return std::nullopt;
  }
  const Symbol &sym = s.index.symbols()[size_t(o->symbol)];
  std::vector<syntax::Token> toks = syntax::tokenize(newName);
  if (toks.size() != 1 || toks[0].text != newName ||
      (toks[0].kind != syntax::TokenKind::Identifier && toks[0].kind != syntax::TokenKind::Keyword)) {
    error = fmt::format("`{}` is not a name: use letters, digits and `_`, starting with a letter", newName);
    return std::nullopt;
  }
  if (toks[0].kind == syntax::TokenKind::Keyword) {
    error = fmt::format("`{}` is a keyword of the language and cannot be a name", newName);
    return std::nullopt;
  }
  if (newName == sym.name) {
    error = "the new name is the same as the old one";
    return std::nullopt;
  }
  // What the new name would clash with depends on where the symbol lives.
  std::string clash;
  auto taken = [&](const std::string &q) { return s.index.find(q) >= 0; };
  switch (sym.kind) {
  case SymbolKind::Fee:
  case SymbolKind::Price:
    if (taken(s.index.symbols()[size_t(sym.parent)].qualified + "." + newName))
      clash = "another fee or price of this rate card";
    break;
  case SymbolKind::Stage:
  case SymbolKind::PipelineLet:
    if (taken(s.index.symbols()[size_t(sym.parent)].qualified + "." + newName))
      clash = "another stage or let of this pipeline";
    else if (oneOf(newName, kResults) || newName == "output" || oneOf(newName, kCategories) ||
             taken("category " + newName))
      clash = "a pipeline result or cost category";
    else if (sym.kind == SymbolKind::PipelineLet && taken(newName))
      clash = "a model-wide name";
    break;
  case SymbolKind::Category:
    if (taken("category " + newName) || oneOf(newName, kCategories))
      clash = "another cost category";
    break;
  case SymbolKind::Scenario:
    if (taken("scenario " + newName))
      clash = "another scenario";
    break;
  case SymbolKind::Forecast:
    if (taken("forecast " + newName))
      clash = "another forecast";
    break;
  default:
    if (taken(newName))
      clash =
          fmt::format("the {} `{}`", symbolKindName(s.index.symbols()[size_t(s.index.find(newName))].kind), newName);
    else if (oneOf(newName, kTimeUnits) || newName == currencyOf(s) || oneOf(newName, kFunctions) ||
             oneOf(newName, kDistributions))
      clash = "a built-in unit or function";
    break;
  }
  if (!clash.empty()) {
    error = fmt::format("cannot rename `{}` to `{}`: the name is taken by {}", sym.name, newName, clash);
    return std::nullopt;
  }
  std::map<std::string, json> edits;
  for (const Occurrence *r : s.index.referencesTo(o->symbol)) {
    const std::string &path = s.diags.sources().file(r->range.file).path();
    if (r->declaration && path.find("/std/") != std::string::npos && r->range.file != s.entryFile) {
      error = fmt::format("`{}` is declared in the standard library, which cannot be edited", sym.name);
      return std::nullopt;
    }
    edits[s.uris[size_t(r->range.file)]].push_back(
        {{"range", s.map(r->range.file).range(r->range.begin, r->range.end)}, {"newText", newName}});
  }
  json changes = json::object();
  for (auto &[uri, list] : edits)
    changes[uri] = list;
  return json{{"changes", changes}};
}

json documentSymbols(const Snapshot &s) {
  json out = json::array();
  if (!s.parsed())
    return out;
  const LineMap &lm = s.map(s.entryFile);
  const ast::File &f = s.comp->files[0];
  auto sym = [&](const std::string &name, const std::string &detail, int kind, SourceRange whole, SourceRange sel) {
    json j = {{"name", name.empty() ? "(unnamed)" : name},
              {"kind", kind},
              {"range", lm.range(whole.begin, whole.end)},
              {"selectionRange", lm.range(sel.begin, sel.end)}};
    if (!detail.empty())
      j["detail"] = detail;
    return j;
  };
  // LSP SymbolKind numbers: Namespace 3, Class 5, Method 6, Property 7, Field 8, Function 12,
  // Variable 13, Constant 14, Event 24, Struct 23, Enum 10, EnumMember 22.
  for (const ast::ParamDecl &p : f.params)
    out.push_back(sym(p.name.name, "param", 14, p.range, p.name.range));
  for (const ast::LetDecl &l : f.lets)
    out.push_back(sym(l.name.name, "let", 13, l.range, l.name.range));
  for (const ast::RatecardDecl &r : f.ratecards) {
    json card = sym(r.name.name, r.title, 3, r.range, r.name.range);
    card["children"] = json::array();
    for (const ast::FeeDecl &fee : r.fees)
      card["children"].push_back(sym(fee.name.name, "fee", 7, fee.range, fee.name.range));
    for (const ast::PriceDecl &p : r.prices)
      card["children"].push_back(sym(p.name.name, "price", 12, p.range, p.name.range));
    out.push_back(card);
  }
  for (const ast::PipelineDecl &p : f.pipelines) {
    json pipe = sym(p.name.name, p.title, 5, p.range, p.name.range);
    pipe["children"] = json::array();
    for (const ast::StageDecl &st : p.stages) {
      json stage = sym(st.name.name, st.title, 23, st.range, st.name.range);
      stage["children"] = json::array();
      for (const ast::CostLineDecl &l : st.lines)
        stage["children"].push_back(
            sym(l.label.empty() ? l.category.name : l.label, l.category.name, 8, l.range, l.category.range));
      pipe["children"].push_back(stage);
    }
    for (const ast::LetDecl &l : p.lets)
      pipe["children"].push_back(sym(l.name.name, "let", 13, l.range, l.name.range));
    for (const ast::RevenueDecl &r : p.revenues)
      pipe["children"].push_back(sym(r.label.empty() ? "revenue" : r.label, "revenue", 8, r.range, r.range));
    out.push_back(pipe);
  }
  for (const ast::ScenarioDecl &sc : f.scenarios)
    out.push_back(sym(sc.name.name, sc.title, 24, sc.range, sc.name.range));
  for (const ast::ForecastDecl &fc : f.forecasts)
    out.push_back(sym(fc.name.name, fc.title, 24, fc.range, fc.name.range));
  return out;
}

json completion(const Snapshot *s, const std::string &text, uint32_t offset) {
  offset = std::min<uint32_t>(offset, uint32_t(text.size()));
  uint32_t start = offset;
  while (start > 0 && (isIdentChar(text[start - 1]) || text[start - 1] == '.'))
    --start;
  std::string chain = text.substr(start, offset - start);
  size_t dot = chain.rfind('.');
  std::string qualifier = dot == std::string::npos ? "" : chain.substr(0, dot);
  json items = json::array();
  std::set<std::string> seen;
  auto item = [&](const std::string &label, int kind, const std::string &detail) {
    if (label.empty() || !seen.insert(label).second)
      return;
    json j = {{"label", label}, {"kind", kind}};
    if (!detail.empty())
      j["detail"] = detail;
    items.push_back(j);
  };
  // CompletionItemKind: Function 3, Variable 6, Class 7, Module 9, Property 10, Unit 11,
  // Value 12, Keyword 14, EnumMember 20, Constant 21, Struct 22, Event 23.
  auto kindOf = [](SymbolKind k) {
    switch (k) {
    case SymbolKind::Param: return 21;
    case SymbolKind::Let:
    case SymbolKind::PipelineLet: return 6;
    case SymbolKind::RateCard: return 9;
    case SymbolKind::Fee: return 10;
    case SymbolKind::Price: return 3;
    case SymbolKind::Pipeline: return 7;
    case SymbolKind::Stage: return 22;
    case SymbolKind::Unit: return 11;
    case SymbolKind::Category: return 20;
    default: return 23;
    }
  };
  const Index *ix = s && s->comp ? &s->index : nullptr;
  if (!qualifier.empty()) {
    if (!ix)
      return json{{"isIncomplete", false}, {"items", items}};
    int head = ix->find(qualifier);
    if (head >= 0) {
      const Symbol &h = ix->symbols()[size_t(head)];
      for (int m : ix->membersOf(head)) {
        const Symbol &ms = ix->symbols()[size_t(m)];
        item(ms.name, kindOf(ms.kind), symbolKindName(ms.kind));
      }
      if (h.kind == SymbolKind::Pipeline) {
        for (const char *r : kResults)
          item(r, 12, "pipeline result");
        for (const char *c : kCategories)
          item(c, 20, "cost of the category");
        for (const Symbol &c : ix->symbols())
          if (c.kind == SymbolKind::Category)
            item(c.name, 20, "cost of the category");
      }
      if (h.kind == SymbolKind::Stage) {
        item("cost", 12, "stage result");
        item("output", 12, "stage result");
      }
    }
    return json{{"isIncomplete", false}, {"items", items}};
  }
  if (ix) {
    // The pipeline around the cursor contributes its lets and stages.
    for (const Symbol &sym : ix->symbols()) {
      bool local = sym.parent >= 0;
      if (local) {
        const Symbol &parent = ix->symbols()[size_t(sym.parent)];
        bool inside = parent.kind == SymbolKind::Pipeline && parent.declRange.file == s->entryFile &&
                      offset >= parent.declRange.begin && offset <= parent.declRange.end;
        if (!inside)
          continue;
      }
      if (sym.kind == SymbolKind::Scenario || sym.kind == SymbolKind::Forecast)
        continue;
      item(sym.name, kindOf(sym.kind), symbolKindName(sym.kind));
    }
    if (s) {
      std::string cur = currencyOf(*s);
      if (!cur.empty())
        item(cur, 11, "currency");
    }
  }
  for (const char *u : kTimeUnits)
    item(u, 11, "time unit");
  for (const char *c : kCategories)
    item(c, 20, "cost category");
  for (const char *k : kKeywords)
    item(k, 14, "keyword");
  for (const char *fn : kFunctions)
    item(fn, 3, "built-in function");
  for (const char *d : kDistributions)
    item(d, 3, "distribution");
  return json{{"isIncomplete", false}, {"items", items}};
}

json formatting(const std::string &path, const std::string &text) {
  diag::DiagnosticEngine diags;
  auto formatted = tooling::formatSource(path, text, diags);
  if (!formatted)
    return nullptr; // does not parse: the error is already published
  if (*formatted == text)
    return json::array();
  LineMap lm(text);
  return json::array({{{"range", lm.range(0, uint32_t(text.size()))}, {"newText", *formatted}}});
}

json semanticTokensLegend() {
  return {{"tokenTypes",
           {"keyword", "number", "string", "comment", "variable", "parameter", "function", "namespace", "class",
            "struct", "property", "type", "enumMember", "event", "operator"}},
          {"tokenModifiers", {"declaration", "readonly", "documentation", "defaultLibrary"}}};
}

json semanticTokens(const Snapshot &s) {
  enum Type {
    Keyword,
    Number,
    String,
    Comment,
    Variable,
    Parameter,
    Function,
    Namespace,
    Class,
    Struct,
    Property,
    TypeT,
    EnumMember,
    Event,
    Operator
  };
  enum Mod { Declaration = 1, Readonly = 2, Documentation = 4, DefaultLibrary = 8 };
  std::unordered_map<uint32_t, const Occurrence *> byBegin;
  if (s.parsed())
    for (const Occurrence &o : s.index.occurrences())
      if (o.range.file == s.entryFile)
        byBegin.emplace(o.range.begin, &o);
  std::vector<int> data;
  LineMap lm(s.text);
  int lastLine = 0, lastChar = 0;
  auto emit = [&](uint32_t begin, uint32_t end, int type, int mods) {
    // One token per line: clients need not support multi-line tokens.
    while (begin < end) {
      int line = lm.lineOf(begin);
      uint32_t stop = std::min(end, lm.lineEnd(line));
      if (stop > begin) {
        int ch = lm.position(begin)["character"];
        int len = int(lm.position(stop)["character"]) - ch;
        data.insert(data.end(), {line - lastLine, line == lastLine ? ch - lastChar : ch, len, type, mods});
        lastLine = line;
        lastChar = ch;
      }
      if (size_t(line + 1) >= size_t(lm.lineCount()))
        break;
      begin = lm.lineStart(line + 1);
    }
  };
  auto symbolType = [](SymbolKind k, int &mods) {
    switch (k) {
    case SymbolKind::Param: mods |= Readonly; return Parameter;
    case SymbolKind::Let:
    case SymbolKind::PipelineLet: return Variable;
    case SymbolKind::RateCard: return Namespace;
    case SymbolKind::Fee: return Property;
    case SymbolKind::Price: return Function;
    case SymbolKind::Pipeline: return Class;
    case SymbolKind::Stage: return Struct;
    case SymbolKind::Unit: return TypeT;
    case SymbolKind::Category: return EnumMember;
    default: return Event;
    }
  };
  std::string cur = currencyOf(s);
  for (const syntax::Token &t : syntax::tokenize(s.text)) {
    switch (t.kind) {
    case syntax::TokenKind::Keyword: emit(t.begin, t.end, Keyword, 0); break;
    case syntax::TokenKind::Number:
    case syntax::TokenKind::Date: emit(t.begin, t.end, Number, 0); break;
    case syntax::TokenKind::String: emit(t.begin, t.end, String, 0); break;
    case syntax::TokenKind::LineComment:
    case syntax::TokenKind::BlockComment: emit(t.begin, t.end, Comment, 0); break;
    case syntax::TokenKind::DocComment: emit(t.begin, t.end, Comment, Documentation); break;
    case syntax::TokenKind::Identifier: {
      int mods = 0;
      auto it = byBegin.find(t.begin);
      if (it != byBegin.end()) {
        int type = symbolType(s.index.symbols()[size_t(it->second->symbol)].kind, mods);
        emit(t.begin, t.end, type, mods | (it->second->declaration ? Declaration : 0));
      } else if (oneOf(t.text, kTimeUnits) || t.text == cur) {
        emit(t.begin, t.end, TypeT, DefaultLibrary);
      } else if (oneOf(t.text, kCategories)) {
        emit(t.begin, t.end, EnumMember, DefaultLibrary);
      } else if (oneOf(t.text, kFunctions) || oneOf(t.text, kDistributions)) {
        emit(t.begin, t.end, Function, DefaultLibrary);
      } else {
        emit(t.begin, t.end, Variable, 0);
      }
      break;
    }
    default: break;
    }
  }
  return {{"data", data}};
}

json inlayHints(const Snapshot &s, uint32_t begin, uint32_t end) {
  json out = json::array();
  if (!s.parsed() || !s.checked() || !s.evaluated)
    return out;
  const LineMap &lm = s.map(s.entryFile);
  auto hint = [&](uint32_t at, int32_t slot) {
    if (at < begin || at > end || slot < 0)
      return;
    std::string v = s.valueText(slot);
    if (!v.empty())
      out.push_back({{"position", lm.position(at)}, {"label", "= " + v}, {"kind", 1}, {"paddingLeft", true}});
  };
  const sema::Model &m = *s.comp->model;
  for (size_t p = 0; p < m.pipelines.size(); ++p) {
    const sema::PipelineInfo &pi = m.pipelines[p];
    if (pi.decl->range.file != s.entryFile)
      continue;
    const ir::Pipeline &ip = s.module().pipelines[p];
    for (size_t st = 0; st < pi.stages.size(); ++st) {
      const ast::StageDecl *sd = pi.stages[st].decl;
      hint(lm.lineEnd(lm.lineOf(sd->openBrace.begin)), ip.stages[st].costSlot);
      for (size_t l = 0; l < sd->lines.size() && l < ip.stages[st].lines.size(); ++l)
        hint(lm.lineEnd(lm.lineOf(sd->lines[l].range.end)), ip.stages[st].lines[l].slot);
    }
    for (const ast::LetDecl &l : pi.decl->lets)
      hint(lm.lineEnd(lm.lineOf(l.range.end)), s.slotNamed(pi.decl->name.name + "." + l.name.name));
  }
  for (const ast::LetDecl &l : s.comp->files[0].lets)
    hint(lm.lineEnd(lm.lineOf(l.range.end)), s.slotNamed(l.name.name));
  std::stable_sort(out.begin(), out.end(), [](const json &a, const json &b) {
    return std::make_pair(int(a["position"]["line"]), int(a["position"]["character"])) <
           std::make_pair(int(b["position"]["line"]), int(b["position"]["character"]));
  });
  return out;
}

json codeLenses(const Snapshot &s) {
  json out = json::array();
  if (!s.parsed() || !s.checked() || !s.evaluated)
    return out;
  const LineMap &lm = s.map(s.entryFile);
  const sema::Model &m = *s.comp->model;
  for (size_t p = 0; p < m.pipelines.size(); ++p) {
    const ast::PipelineDecl *d = m.pipelines[p].decl;
    if (d->range.file != s.entryFile)
      continue;
    const ir::Pipeline &ip = s.module().pipelines[p];
    double roi = s.slots[size_t(ip.roiSlot)];
    std::string title =
        fmt::format("cost {} · revenue {} · ROI {}", s.valueText(ip.costSlot), s.valueText(ip.revenueSlot),
                    std::isfinite(roi) ? fmt::format("{:.1f}%", roi * 100) : "n/a");
    out.push_back({{"range", lm.range(d->name.range.begin, d->name.range.end)},
                   {"command", {{"title", title}, {"command", ""}}}});
  }
  return out;
}

json codeActions(const Snapshot &s, const std::string &uri, uint32_t begin, uint32_t end) {
  json out = json::array();
  if (s.uris.empty())
    return out;
  const LineMap &lm = s.map(0);
  json published = publishable(s, false)[s.uri];
  size_t k = 0;
  for (const diag::Diagnostic &d : s.diags.diagnostics()) {
    if (d.range.file != 0 || d.range.end < begin || d.range.begin > end)
      continue;
    json diagJson;
    for (; k < published.size(); ++k) // the same diagnostic as published, so clients can link them
      if (published[k]["message"].get<std::string>().rfind(d.message, 0) == 0) {
        diagJson = published[k];
        break;
      }
    auto action = [&](const std::string &title, uint32_t b, uint32_t e, const std::string &newText) {
      json a = {{"title", title},
                {"kind", "quickfix"},
                {"isPreferred", true},
                {"edit", {{"changes", {{uri, json::array({{{"range", lm.range(b, e)}, {"newText", newText}}})}}}}}};
      if (!diagJson.is_null())
        a["diagnostics"] = json::array({diagJson});
      out.push_back(a);
    };
    std::string written = s.sourceText(d.range);
    const std::string marker = "did you mean `";
    if (size_t at = d.help.find(marker); at != std::string::npos) {
      size_t close = d.help.find('`', at + marker.size());
      std::string want = d.help.substr(at + marker.size(), close - at - marker.size());
      uint32_t b = d.range.begin, e = d.range.end;
      if (written.find('.') != std::string::npos && want.find('.') == std::string::npos) {
        // `card.sned` with the suggestion `send`: replace the closest part only.
        size_t bestDist = SIZE_MAX;
        for (size_t i = 0; i <= written.size();) {
          size_t j = written.find('.', i);
          if (j == std::string::npos)
            j = written.size();
          size_t dist = editDistance(written.substr(i, j - i), want);
          if (dist < bestDist) {
            bestDist = dist;
            b = d.range.begin + uint32_t(i);
            e = d.range.begin + uint32_t(j);
          }
          i = j + 1;
        }
      }
      if (!want.empty() && written.find('\n') == std::string::npos)
        action(fmt::format("Change to `{}`", want), b, e, want);
      continue;
    }
    // A bare number where an amount is needed: add the unit.
    auto bareNumberEnd = [&](SourceRange r) -> std::optional<uint32_t> {
      std::vector<syntax::Token> toks = syntax::tokenize(s.sourceText(r));
      if (toks.empty() || toks.back().kind != syntax::TokenKind::Number)
        return std::nullopt;
      return r.begin + toks.back().end;
    };
    if (d.kind == diag::Kind::NotMoney && d.message.find("a plain number") != std::string::npos) {
      std::string cur = currencyOf(s);
      if (auto at = bareNumberEnd(d.range); at && !cur.empty())
        action(fmt::format("Add the unit `{}`", cur), *at, *at, " " + cur);
      continue;
    }
    if (d.kind == diag::Kind::UnitMismatch && d.notes.size() == 2) {
      for (int side = 0; side < 2; ++side) {
        const diag::Note &bare = d.notes[size_t(side)], &other = d.notes[size_t(1 - side)];
        const std::string prefix = "this is in ";
        if (bare.message != prefix + "a plain number" || other.message.rfind(prefix, 0) != 0)
          continue;
        std::string unit = other.message.substr(prefix.size());
        if (unit.find(' ') != std::string::npos)
          continue;
        if (auto at = bareNumberEnd(bare.range))
          action(fmt::format("Add the unit `{}`", unit), *at, *at, " " + unit);
      }
    }
  }
  return out;
}

} // namespace camp::lsp
