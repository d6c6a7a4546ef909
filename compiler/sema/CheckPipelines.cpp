// Checker phase "pipelines": the values of every pipeline and stage, their totals and stage cycles.
#include "sema/CheckerImpl.h"

namespace camp::sema::detail {

void Checker::createValues() {
  for (ast::LetDecl *l : TopLets) {
    int id = addValue({ValueKind::Let, l->name.name, l->value.get(), l->name.range});
    LetValue[l->name.name] = id;
    M.shownValues.push_back({l->name.name, id});
  }
  for (ast::RatecardDecl *r : Ratecards) {
    int card = int(M.ratecards.size());
    RatecardInfo ri;
    ri.decl = r;
    ri.name = r->name.name;
    for (ast::FeeDecl &fee : r->fees) {
      std::string name = r->name.name + "." + fee.name.name;
      if (FeeValue.count(name) || PriceIndex.count(name)) {
        diag::report<diag::msg::DeclaredTwice>(Diags, fee.name.range, diag::arg::Name{name});
        continue;
      }
      Value v{ValueKind::Fee, name, fee.value.get(), fee.name.range};
      v.card = card;
      FeeValue[name] = addValue(std::move(v));
      ri.fees.push_back(FeeValue[name]);
    }
    for (ast::PriceDecl &p : r->prices) {
      std::string name = r->name.name + "." + p.name.name;
      if (FeeValue.count(name) || PriceIndex.count(name)) {
        diag::report<diag::msg::DeclaredTwice>(Diags, p.name.range, diag::arg::Name{name});
        continue;
      }
      PriceIndex[name] = int(M.prices.size());
      ri.prices.push_back(int(M.prices.size()));
      PriceInfo info;
      info.decl = &p;
      info.card = card;
      info.name = name;
      M.prices.push_back(std::move(info));
    }
    M.ratecards.push_back(std::move(ri));
  }
  for (size_t p = 0; p < M.pipelines.size(); ++p)
    createPipelineValues(int(p));
}

void Checker::createPipelineValues(int p) {
  PipelineInfo &pi = M.pipelines[size_t(p)];
  ast::PipelineDecl &pd = *pi.decl;
  const std::string &pn = pd.name.name;
  std::map<std::string, SourceRange> local;
  auto declareLocal = [&](const ast::Ident &id, const char *what) {
    if (auto it = Symbols.find(id.name); it != Symbols.end()) {
      auto &d = diag::report<diag::msg::ReusesName>(Diags, id.range, diag::arg::Words{what}, diag::arg::Name{id.name},
                                                    diag::arg::Words{symbolWord(it->second.kind)});
      d.notes.push_back({it->second.range, "declared here"});
      d.help = "a name inside a pipeline shadows nothing: rename it";
      return false;
    }
    if (auto it = local.find(id.name); it != local.end()) {
      auto &d = diag::report<diag::msg::DeclaredTwiceInPipeline>(Diags, id.range, diag::arg::Name{id.name},
                                                                 diag::arg::Name{pn});
      d.notes.push_back({it->second, "first declared here"});
      return false;
    }
    local[id.name] = id.range;
    return true;
  };
  for (ast::LetDecl &l : pd.lets) {
    if (!declareLocal(l.name, "let"))
      continue;
    int id = addValue({ValueKind::PipelineLet, pn + "." + l.name.name, l.value.get(), l.name.range, p});
    pi.lets.push_back({l.name.name, id});
  }
  for (size_t s = 0; s < pd.stages.size(); ++s) {
    ast::StageDecl &sd = pd.stages[s];
    bool reserved = std::find(M.categories.begin(), M.categories.end(), sd.name.name) != M.categories.end() ||
                    std::find(std::begin(kResultNames), std::end(kResultNames), sd.name.name) != std::end(kResultNames);
    if (reserved) {
      bool isCategory = std::find(M.categories.begin(), M.categories.end(), sd.name.name) != M.categories.end();
      auto &d = isCategory ? diag::report<diag::msg::StageNamedLikeCategory>(Diags, sd.name.range, diag::arg::Name{sd.name.name},
                                                                            diag::arg::Name{pn})
                          : diag::report<diag::msg::StageNamedLikeResult>(Diags, sd.name.range, diag::arg::Name{sd.name.name},
                                                                          diag::arg::Name{pn});
      d.help = fmt::format("rename the stage, e.g. `{}_stage` or `create_{}`", sd.name.name, sd.name.name);
    } else {
      declareLocal(sd.name, "stage");
    }
    StageInfo si;
    si.decl = &sd;
    std::string sn = pn + "." + sd.name.name;
    for (size_t l = 0; l < sd.lines.size(); ++l) {
      ast::CostLineDecl &line = sd.lines[l];
      std::string label = line.label.empty() ? line.category.name : line.label;
      Value v{ValueKind::CostLine, fmt::format("{} line \"{}\"", sn, label), line.value.get(), line.range, p, int(s), int(l)};
      auto cat = std::find(M.categories.begin(), M.categories.end(), line.category.name);
      if (cat == M.categories.end()) {
        auto &d = diag::report<diag::msg::UnknownCostCategory>(Diags, line.category.range, diag::arg::Name{line.category.name});
        std::string near = closestName(line.category.name, M.categories);
        d.help = near.empty() ? fmt::format("the categories are {}; declare others with `category {}`",
                                            joinCategories(), line.category.name)
                              : fmt::format("did you mean `{}`?", near);
      } else {
        v.category = int(cat - M.categories.begin());
      }
      int lineId = addValue(std::move(v));
      si.lines.push_back(lineId);
      ast::Expr *e = line.value.get();
      int qty = -1, price = -1;
      if (e && e->kind == ast::ExprKind::PriceCall && !e->args.empty()) {
        qty = addValue({ValueKind::MeteredQuantity, M.values[size_t(lineId)].name + " quantity", e->args[0].get(),
                        e->args[0]->range, p, int(s), int(l)});
        M.values[size_t(lineId)].deps.push_back(qty);
        auto it = PriceIndex.find(e->parts[0].name + "." + e->parts[1].name);
        price = it == PriceIndex.end() ? -1 : it->second;
      }
      si.meteredQuantity.push_back(qty);
      si.meteredPrice.push_back(price);
    }
    for (size_t o = 0; o < sd.outputs.size(); ++o) {
      if (o > 0) {
        auto &d = diag::report<diag::msg::SecondOutput>(Diags, sd.outputs[o]->range, diag::arg::Name{sd.name.name});
        d.notes.push_back({sd.outputs[0]->range, "its output is given here"});
        continue;
      }
      si.output = addValue({ValueKind::StageOutput, sn + ".output", sd.outputs[o].get(), sd.outputs[o]->range, p, int(s)});
    }
    Value cost{ValueKind::StageCost, sn + ".cost", nullptr, sd.name.range, p, int(s)};
    cost.deps = si.lines;
    si.cost = addValue(std::move(cost));
    pi.stages.push_back(std::move(si));
  }
  createBills(p);
  for (size_t r = 0; r < pd.revenues.size(); ++r) {
    ast::RevenueDecl &rd = pd.revenues[r];
    pi.revenues.push_back(addValue({ValueKind::Revenue,
                                    fmt::format("{} revenue \"{}\"", pn, rd.label), rd.value.get(), rd.range, p, -1, int(r)}));
  }
  createPipelineTotals(p);
}

void Checker::createPipelineTotals(int p) {
  PipelineInfo &pi = M.pipelines[size_t(p)];
  const std::string &pn = pi.decl->name.name;
  SourceRange at = pi.decl->name.range;
  for (size_t c = 0; c < M.categories.size(); ++c) {
    Value v{ValueKind::PipelineCategory, pn + "." + M.categories[c], nullptr, at, p};
    v.category = int(c);
    for (StageInfo &s : pi.stages)
      for (int line : s.lines)
        if (M.values[size_t(line)].category == int(c))
          v.deps.push_back(line);
    pi.categoryTotals.push_back(addValue(std::move(v)));
  }
  Value cost{ValueKind::PipelineCost, pn + ".cost", nullptr, at, p};
  for (StageInfo &s : pi.stages)
    cost.deps.push_back(s.cost);
  pi.cost = addValue(std::move(cost));
  Value revenue{ValueKind::PipelineRevenue, pn + ".revenue", nullptr, at, p};
  revenue.deps = pi.revenues;
  pi.revenue = addValue(std::move(revenue));
  Value profit{ValueKind::PipelineProfit, pn + ".profit", nullptr, at, p};
  profit.deps = {pi.revenue, pi.cost};
  pi.profit = addValue(std::move(profit));
  Value roi{ValueKind::PipelineRoi, pn + ".roi", nullptr, at, p};
  roi.deps = {pi.profit, pi.cost};
  pi.roi = addValue(std::move(roi));
}

Type Checker::checkPipelineMember(ast::Expr &e, Scope &s, int p) {
  PipelineInfo &pi = M.pipelines[size_t(p)];
  const std::string &pn = pi.decl->name.name;
  std::vector<std::string> members(std::begin(kResultNames), std::end(kResultNames));
  for (const std::string &c : M.categories)
    members.push_back(c);
  for (StageInfo &st : pi.stages)
    members.push_back(st.decl->name.name);
  for (auto &[name, id] : pi.lets)
    members.push_back(name);
  if (e.parts.size() < 2) {
    diag::report<diag::msg::PipelineNeedsResult>(Diags, e.range, diag::arg::Name{pn});
    return record(e, Type::error());
  }
  const std::string &m = e.parts[1].name;
  int result = m == "cost" ? pi.cost : m == "revenue" ? pi.revenue : m == "profit" ? pi.profit : m == "roi" ? pi.roi : -1;
  auto more = [&](size_t allowed) {
    if (e.parts.size() <= allowed)
      return false;
    unknownMember(e.parts[allowed], fmt::format("`{}`", joinParts(e, allowed)), {});
    return true;
  };
  if (result >= 0)
    return more(2) ? record(e, Type::error()) : useValue(e, s, ast::RefKind::PipelineResult, result);
  auto cat = std::find(M.categories.begin(), M.categories.end(), m);
  if (cat != M.categories.end())
    return more(2) ? record(e, Type::error())
                   : useValue(e, s, ast::RefKind::PipelineResult, pi.categoryTotals[size_t(cat - M.categories.begin())]);
  for (auto &[name, id] : pi.lets)
    if (name == m)
      return more(2) ? record(e, Type::error()) : useValue(e, s, ast::RefKind::PipelineLet, id);
  for (StageInfo &st : pi.stages) {
    if (st.decl->name.name != m)
      continue;
    std::string sn = pn + "." + m;
    if (e.parts.size() < 3) {
      diag::report<diag::msg::StageNeedsResult>(Diags, e.range, diag::arg::Name{sn});
      return record(e, Type::error());
    }
    if (more(3))
      return record(e, Type::error());
    const std::string &r = e.parts[2].name;
    if (r == "cost")
      return useValue(e, s, ast::RefKind::StageResult, st.cost);
    if (r == "output") {
      if (st.output < 0) {
        diag::report<diag::msg::StageWithoutOutput>(Diags, e.parts[2].range, diag::arg::Name{sn})
            .help = "give the stage an `output` line";
        return record(e, Type::error());
      }
      return useValue(e, s, ast::RefKind::StageResult, st.output);
    }
    return record(e, unknownMember(e.parts[2], fmt::format("stage `{}`", sn), {"cost", "output"}));
  }
  return record(e, unknownMember(e.parts[1], fmt::format("pipeline `{}`", pn), members));
}

void Checker::checkStages() {
  for (PipelineInfo &pi : M.pipelines) {
    std::vector<std::string> names;
    for (StageInfo &s : pi.stages)
      names.push_back(s.decl->name.name);
    for (StageInfo &s : pi.stages) {
      for (ast::Ident &in : s.decl->inputs) {
        auto it = std::find(names.begin(), names.end(), in.name);
        if (it != names.end()) {
          s.inputs.push_back(int(it - names.begin()));
          continue;
        }
        auto &d = diag::report<diag::msg::NoSuchStage>(Diags, in.range, diag::arg::Name{pi.decl->name.name}, diag::arg::Name{in.name});
        std::string near = closestName(in.name, names);
        d.help = near.empty() ? "`input` names a stage of the same pipeline" : fmt::format("did you mean `{}`?", near);
      }
    }
    findStageCycles(pi);
  }
}

void Checker::findStageCycles(PipelineInfo &pi) {
  std::vector<int> state(pi.stages.size(), 0), stack;
  std::function<bool(int)> visit = [&](int s) {
    if (state[size_t(s)] == 2)
      return false;
    if (state[size_t(s)] == 1) {
      auto start = std::find(stack.begin(), stack.end(), s);
      std::string names;
      for (auto it = start; it != stack.end(); ++it)
        names += fmt::format("`{}` → ", pi.stages[size_t(*it)].decl->name.name);
      names += fmt::format("`{}`", pi.stages[size_t(s)].decl->name.name);
      auto &d = diag::report<diag::msg::StagesFormCycle>(Diags, pi.stages[size_t(s)].decl->name.range, diag::arg::Words{names});
      for (auto it = start + 1; it != stack.end(); ++it)
        d.notes.push_back({pi.stages[size_t(*it)].decl->name.range,
                           fmt::format("stage `{}` is part of the cycle", pi.stages[size_t(*it)].decl->name.name)});
      d.help = "a stage consumes the output of earlier stages; remove one `input` to break the circle";
      return true;
    }
    state[size_t(s)] = 1;
    stack.push_back(s);
    for (int in : pi.stages[size_t(s)].inputs)
      if (visit(in))
        return true;
    stack.pop_back();
    state[size_t(s)] = 2;
    return false;
  };
  for (size_t s = 0; s < pi.stages.size(); ++s) {
    stack.clear();
    if (visit(int(s)))
      return; // one cycle per pipeline: the rest would repeat it
  }
}

} // namespace camp::sema::detail
