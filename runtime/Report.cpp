// The three views of one run: JSON for tools (field names are the contract), a table a
// marketing-operations lead would show a CFO, and CSV with one row per cost line.
#include "camp/Report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/Strings.h"

namespace camp::runtime {

using nlohmann::ordered_json;

namespace {

ordered_json number(double v) {
  if (!std::isfinite(v))
    return nullptr;
  return roundToSignificant(v);
}

double shown(double canonical, const ir::DisplayUnit &u) { return canonical / (u.scale == 0 ? 1 : u.scale); }

ordered_json valueJson(const RunResult &r, int32_t slot) {
  const ir::Slot &s = r.module->slots[size_t(slot)];
  return {{"value", number(shown(r.slots[size_t(slot)], s.unit))}, {"unit", s.unit.text}};
}

// LANGUAGE.md, "Results that tools print": one entry per price billed in the pipeline's run.
ordered_json billingJson(const RunResult &r, const ir::Pipeline &p) {
  ordered_json out = ordered_json::array();
  for (const BillSummary &b : billing(r, p)) {
    const ir::Price &price = r.module->prices[size_t(b.price)];
    auto qty = [&](std::optional<double> v) { return v ? number(shown(*v, price.argUnit)) : ordered_json(nullptr); };
    ordered_json j = {{"price", price.name},  {"quantity", number(shown(b.quantity, price.argUnit))},
                      {"unit", price.argUnit.text}, {"cost", number(b.cost)}, {"lines", b.lines},
                      {"included", qty(b.included)}, {"overage_quantity", qty(b.overage)}};
    j["tier"] = b.tier > 0 ? ordered_json(b.tier) : ordered_json(nullptr);
    j["packages"] = b.packages ? number(*b.packages) : ordered_json(nullptr);
    out.push_back(j);
  }
  return out;
}

ordered_json pipelineJson(const RunResult &r, const ir::Pipeline &p) {
  const ir::Module &m = *r.module;
  auto at = [&](int32_t slot) { return number(r.slots[size_t(slot)]); };
  ordered_json byCategory = ordered_json::object();
  for (size_t c = 0; c < m.categories.size(); ++c)
    byCategory[m.categories[c]] = at(p.categorySlots[c]);
  ordered_json stages = ordered_json::array();
  for (const ir::Stage &s : p.stages) {
    ordered_json lines = ordered_json::array();
    for (const ir::CostLine &l : s.lines)
      lines.push_back({{"category", l.category}, {"label", l.label}, {"cost", at(l.slot)}});
    ordered_json stage = {{"name", s.name}, {"title", s.title}, {"cost", at(s.costSlot)}};
    if (s.outputSlot >= 0) {
      stage["output"] = valueJson(r, s.outputSlot);
      double out = r.slots[size_t(s.outputSlot)];
      stage["unit_cost"] = out != 0 ? number(r.slots[size_t(s.costSlot)] / shown(out, m.slots[size_t(s.outputSlot)].unit))
                                    : ordered_json(nullptr);
    } else {
      stage["output"] = nullptr;
    }
    stage["lines"] = lines;
    stages.push_back(stage);
  }
  ordered_json revenue = ordered_json::array();
  for (const ir::RevenueLine &l : p.revenue)
    revenue.push_back({{"label", l.label}, {"value", at(l.slot)}});
  ordered_json lets = ordered_json::object();
  for (auto &[name, slot] : p.lets)
    lets[name] = valueJson(r, slot);
  return {{"name", p.name}, {"title", p.title}, {"cost", at(p.costSlot)}, {"revenue", at(p.revenueSlot)},
          {"profit", at(p.profitSlot)}, {"roi", at(p.roiSlot)}, {"by_category", byCategory}, {"stages", stages},
          {"revenue_lines", revenue}, {"values", lets}, {"billing", billingJson(r, p)}};
}

// The grand total across pipelines (camp.run/1 "total").
ordered_json totalJson(const RunResult &r) {
  Figures t = totalFigures(r);
  return {{"cost", number(t.cost)}, {"revenue", number(t.revenue)}, {"profit", number(t.profit)}, {"roi", number(t.roi)}};
}

} // namespace

Figures pipelineFigures(const RunResult &r, const ir::Pipeline &p) {
  auto at = [&](int32_t slot) { return r.slots[size_t(slot)]; };
  return {at(p.costSlot), at(p.revenueSlot), at(p.profitSlot), at(p.roiSlot)};
}

Figures totalFigures(const RunResult &r) {
  Figures t;
  for (const ir::Pipeline &p : r.module->pipelines) {
    t.cost += r.slots[size_t(p.costSlot)];
    t.revenue += r.slots[size_t(p.revenueSlot)];
  }
  t.profit = t.revenue - t.cost;
  t.roi = t.cost != 0 ? t.profit / t.cost : std::nan("");
  return t;
}

std::string renderJson(const RunResult &r) {
  const ir::Module &m = *r.module;
  ordered_json root = {{"schema", "camp.run/1"}, {"model", m.title}, {"currency", m.currency}, {"scenario", r.scenario}};
  ordered_json params = ordered_json::object();
  for (size_t i = 0; i < m.params.size(); ++i)
    params[m.params[i].name] = {{"value", number(shown(r.params[i], m.params[i].unit))}, {"unit", m.params[i].unit.text}};
  root["params"] = params;
  if (r.error) {
    const ir::Loc *loc = r.error->loc >= 0 ? &m.locs[size_t(r.error->loc)] : nullptr;
    root["error"] = {{"message", describeError(m, *r.error, r.slots.data())},
                     {"file", loc ? loc->file : ""},
                     {"line", loc ? loc->line : 0},
                     {"column", loc ? loc->column : 0}};
    return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
  }
  ordered_json pipelines = ordered_json::array();
  for (const ir::Pipeline &p : m.pipelines)
    pipelines.push_back(pipelineJson(r, p));
  root["pipelines"] = pipelines;
  root["total"] = totalJson(r);
  ordered_json values = ordered_json::object();
  for (auto &[name, slot] : m.values)
    values[name] = valueJson(r, slot);
  root["values"] = values;
  ordered_json asserts = ordered_json::array();
  for (size_t i = 0; i < m.asserts.size() && i < r.asserts.size(); ++i) {
    const ir::Assert &a = m.asserts[i];
    const ir::Loc &loc = m.locs[size_t(a.loc)];
    ordered_json j = {{"text", a.text}, {"message", a.message}, {"ok", r.asserts[i].ok}, {"file", loc.file}, {"line", loc.line}};
    if (a.lhsSlot >= 0) {
      j["lhs"] = valueJson(r, a.lhsSlot);
      j["rhs"] = valueJson(r, a.rhsSlot);
    }
    asserts.push_back(j);
  }
  root["asserts"] = asserts;
  return root.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string formatMoney(double amount) {
  if (!std::isfinite(amount))
    return "n/a";
  return groupThousands(amount, 2);
}

static std::string formatNumber(double v) {
  if (!std::isfinite(v))
    return "n/a";
  double a = std::fabs(v);
  if (a >= 100 && std::fabs(v - std::round(v)) < 1e-9 * a)
    return groupThousands(v, 0);
  if (a >= 100)
    return groupThousands(v, 2);
  if (v == std::round(v))
    return fmt::format("{}", v);
  return fmt::format("{:.6g}", v);
}

std::string formatValue(double canonical, const ir::DisplayUnit &unit) {
  double v = shown(canonical, unit);
  if (unit.isMoney)
    return formatMoney(v) + " " + unit.text;
  if (unit.isPercentLike && unit.text.empty()) // never "nan%": an undefined share reads n/a
    return std::isfinite(v) ? fmt::format("{:.4g}%", v * 100) : "n/a";
  // Written as a percentage with a unit (`2% order/click`): shown the way it was written.
  if (unit.percent && std::isfinite(v))
    return fmt::format("{:.4g}%{}", v * 100, unit.text.empty() ? "" : " " + unit.text);
  std::string n = formatNumber(v);
  return unit.text.empty() ? n : n + " " + unit.text;
}

namespace {

struct Painter {
  bool on;
  std::string bold(const std::string &s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string dim(const std::string &s) const { return on ? "\033[2m" + s + "\033[0m" : s; }
  std::string red(const std::string &s) const { return on ? "\033[31m" + s + "\033[0m" : s; }
  std::string green(const std::string &s) const { return on ? "\033[32m" + s + "\033[0m" : s; }
};

size_t columns(const std::string &s);

std::string pad(const std::string &s, size_t width) {
  size_t cols = columns(s);
  return cols >= width ? s : s + std::string(width - cols, ' ');
}

std::string padLeft(const std::string &s, size_t width) {
  size_t cols = columns(s);
  return cols >= width ? s : std::string(width - cols, ' ') + s;
}

std::string percent(double part, double whole) {
  if (whole == 0 || !std::isfinite(part) || !std::isfinite(whole))
    return "";
  return fmt::format("{:.1f}%", 100 * part / whole);
}

size_t columns(const std::string &s) {
  size_t cols = 0;
  for (char c : s)
    if ((uint8_t(c) & 0xC0) != 0x80)
      ++cols;
  return cols;
}

// Cents for amounts of a unit or more; four significant digits below (0.0008 USD/email).
std::string formatUnitCost(double v) {
  if (!std::isfinite(v))
    return "n/a";
  if (std::fabs(v) >= 1 || v == 0)
    return formatMoney(v);
  return fmt::format("{:.4g}", v);
}

// Each price billed in the run: quantity, allowance used, overage and tier, so a reader sees an
// overage before the vendor's invoice does.
void renderBilling(std::string &out, const RunResult &r, const ir::Pipeline &p, const Painter &pt) {
  std::vector<BillSummary> bills = billing(r, p);
  if (bills.empty())
    return;
  const ir::Module &m = *r.module;
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"Price", "Quantity", "Lines", "Allowance used", "Overage", "Cost"});
  for (const BillSummary &b : bills) {
    const ir::Price &price = m.prices[size_t(b.price)];
    std::string allowance, overage;
    if (b.included) {
      allowance = fmt::format("{} of {}", formatValue(std::min(b.quantity, *b.included), price.argUnit),
                              formatValue(*b.included, price.argUnit));
      overage = *b.overage > 0 ? pt.red(formatValue(*b.overage, price.argUnit)) : "none";
    } else if (b.tier > 0) {
      allowance = fmt::format("tier {} of {}", b.tier, price.tiers.size());
    } else if (b.packages) {
      allowance = fmt::format("{} packages", formatNumber(*b.packages));
    }
    rows.push_back({price.name, formatValue(b.quantity, price.argUnit), std::to_string(b.lines), allowance, overage,
                    formatMoney(b.cost)});
  }
  std::array<size_t, 6> w{};
  for (const auto &row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      w[i] = std::max(w[i], columns(row[i]));
  out += "\n  " + pt.bold("Billing") + "\n";
  for (size_t k = 0; k < rows.size(); ++k) {
    const auto &row = rows[k];
    std::string line = "      " + pad(row[0], w[0]) + "  " + padLeft(row[1], w[1]) + "  " + padLeft(row[2], w[2]) + "  " +
                       pad(row[3], w[3]) + "  " + pad(row[4], w[4]) + "  " + padLeft(row[5], w[5]);
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += (k == 0 ? pt.dim(line) : line) + "\n";
  }
}

std::string stageName(const ir::Stage &s) { return s.title.empty() ? s.name : s.name + " · " + s.title; }

void renderPipeline(std::string &out, const RunResult &r, const ir::Pipeline &p, const Painter &pt) {
  const ir::Module &m = *r.module;
  auto at = [&](int32_t slot) { return r.slots[size_t(slot)]; };
  double total = at(p.costSlot);
  // The first column is as wide as the longest stage or line name, so amounts line up.
  size_t w = 24;
  for (const ir::Stage &s : p.stages) {
    w = std::max(w, columns(stageName(s)));
    for (const ir::CostLine &l : s.lines)
      w = std::max(w, columns(l.label) + 4);
  }
  for (const ir::RevenueLine &l : p.revenue)
    w = std::max(w, columns(l.label) + 4);
  w = std::min<size_t>(w, 60);
  const size_t cat = 11, money = 14;
  out += pt.bold(fmt::format("Pipeline {}{}", p.name, p.title.empty() ? "" : " — " + p.title)) + "\n";
  out += pt.dim(fmt::format("  {} {} {} {}  {}\n", pad("Stage / cost line", w), pad("Category", cat), padLeft("Cost", money),
                            padLeft("Share", 7), "Unit cost (per output)"));
  for (const ir::Stage &s : p.stages) {
    std::string unitCost;
    if (s.outputSlot >= 0) {
      const ir::DisplayUnit &u = m.slots[size_t(s.outputSlot)].unit;
      double out = shown(at(s.outputSlot), u);
      if (out != 0)
        unitCost = fmt::format("{} {}/{} for {}", formatUnitCost(at(s.costSlot) / out), m.currency,
                               u.text.empty() ? "unit" : u.text, formatValue(at(s.outputSlot), u));
    }
    out += fmt::format("  {} {} {} {}  {}\n", pt.bold(pad(stageName(s), w)), pad("", cat),
                       pt.bold(padLeft(formatMoney(at(s.costSlot)), money)), padLeft(percent(at(s.costSlot), total), 7),
                       unitCost);
    for (const ir::CostLine &l : s.lines)
      out += fmt::format("      {} {} {}\n", pad(l.label, w - 4), pad(l.category, cat), padLeft(formatMoney(at(l.slot)), money));
  }
  std::string rule(w + cat + money + 10, '-');
  out += "  " + pt.dim(rule) + "\n";
  out += fmt::format("  {} {} {} {}\n", pt.bold(pad("Total cost", w)), pad("", cat), pt.bold(padLeft(formatMoney(total), money)),
                     padLeft(percent(total, total), 7));
  out += "\n  " + pt.bold("By category") + "\n";
  for (size_t c = 0; c < m.categories.size(); ++c) {
    double v = at(p.categorySlots[c]);
    out += fmt::format("      {} {} {}\n", pad(m.categories[c], w + cat - 3), padLeft(formatMoney(v), money),
                       padLeft(percent(v, total), 7));
  }
  if (!p.revenue.empty()) {
    out += "\n  " + pt.bold("Revenue") + "\n";
    for (const ir::RevenueLine &l : p.revenue)
      out += fmt::format("      {} {}\n", pad(l.label, w + cat - 3), padLeft(formatMoney(at(l.slot)), money));
  }
  double profit = at(p.profitSlot), roi = at(p.roiSlot);
  out += fmt::format("\n  {} {}\n", pad("Total revenue", w + cat + 1), padLeft(formatMoney(at(p.revenueSlot)), money));
  std::string profitText = padLeft(formatMoney(profit), money);
  out += fmt::format("  {} {}\n", pad("Profit", w + cat + 1), profit < 0 ? pt.red(profitText) : pt.green(profitText));
  std::string roiText = padLeft(std::isfinite(roi) ? fmt::format("{:.1f}%", roi * 100) : "n/a", money);
  out += fmt::format("  {} {}\n", pad("ROI (profit / cost)", w + cat + 1),
                     std::isfinite(roi) && roi < 0 ? pt.red(roiText) : roiText);
  for (auto &[name, slot] : p.lets)
    out += fmt::format("  {} {}\n", pad(name, w + cat + 1), padLeft(formatValue(at(slot), m.slots[size_t(slot)].unit), money));
  renderBilling(out, r, p, pt);
  out += "\n";
}

// With several pipelines, the sum a CFO asks for first.
void renderGrandTotal(std::string &out, const RunResult &r, const Painter &pt) {
  if (r.module->pipelines.size() < 2)
    return;
  Figures t = totalFigures(r);
  const size_t w = 30, money = 14;
  out += pt.bold(fmt::format("Total of {} pipelines", r.module->pipelines.size())) + "\n";
  out += fmt::format("  {} {}\n", pad("Cost", w), padLeft(formatMoney(t.cost), money));
  out += fmt::format("  {} {}\n", pad("Revenue", w), padLeft(formatMoney(t.revenue), money));
  std::string profit = padLeft(formatMoney(t.profit), money);
  out += fmt::format("  {} {}\n", pad("Profit", w), t.profit < 0 ? pt.red(profit) : pt.green(profit));
  out += fmt::format("  {} {}\n\n", pad("ROI (profit / cost)", w),
                     padLeft(std::isfinite(t.roi) ? fmt::format("{:.1f}%", t.roi * 100) : "n/a", money));
}

// The assumptions behind the figures; a value a scenario or --set changed is marked.
void renderParamsUsed(std::string &out, const RunResult &r, const Painter &pt) {
  const ir::Module &m = *r.module;
  if (m.params.empty())
    return;
  out += pt.bold("Params used") + "\n";
  for (size_t i = 0; i < m.params.size() && i < r.params.size(); ++i) {
    const ir::Param &p = m.params[i];
    bool changed = r.params[i] != p.nominal;
    std::string note = changed ? pt.dim(fmt::format("  (model: {})", formatValue(p.nominal, p.unit))) : "";
    out += fmt::format("  {} {}{}\n", pad(p.name, 30), formatValue(r.params[i], p.unit), note);
  }
  out += "\n";
}

} // namespace

std::string renderTable(const RunResult &r, const TableOptions &opts) {
  const ir::Module &m = *r.module;
  Painter pt{opts.colour};
  std::string out = pt.bold(m.title.empty() ? "Model" : m.title) +
                    pt.dim(fmt::format("  (scenario: {}, amounts in {})", r.scenario, m.currency)) + "\n\n";
  if (r.error)
    return out + describeError(m, *r.error, r.slots.data()) + "\n";
  for (const ir::Pipeline &p : m.pipelines)
    renderPipeline(out, r, p, pt);
  renderGrandTotal(out, r, pt);
  renderParamsUsed(out, r, pt);
  if (!m.values.empty()) {
    out += pt.bold("Values") + "\n";
    for (auto &[name, slot] : m.values)
      out += fmt::format("  {} {}\n", pad(name, 30), formatValue(r.slots[size_t(slot)], m.slots[size_t(slot)].unit));
    out += "\n";
  }
  if (!m.asserts.empty()) {
    out += pt.bold("Assertions") + "\n";
    for (size_t i = 0; i < m.asserts.size() && i < r.asserts.size(); ++i) {
      const ir::Assert &a = m.asserts[i];
      bool ok = r.asserts[i].ok;
      std::string mark = ok ? pt.green(opts.unicode ? "✓ ok    " : "ok      ") : pt.red(opts.unicode ? "✗ FAILED" : "FAILED  ");
      std::string sides;
      if (a.lhsSlot >= 0)
        sides = fmt::format("  ({} {} {})", formatValue(r.asserts[i].lhs, m.slots[size_t(a.lhsSlot)].unit), a.op,
                            formatValue(r.asserts[i].rhs, m.slots[size_t(a.rhsSlot)].unit));
      std::string label = a.message.empty() ? a.text : a.message + ": " + a.text;
      out += fmt::format("  {} {}{}\n", mark, label, sides);
    }
  }
  return out;
}


std::string renderCsv(const RunResult &r) {
  const ir::Module &m = *r.module;
  std::string out = "scenario,pipeline,kind,stage,category,label,amount,currency\n";
  if (r.error)
    return out;
  for (const ir::Pipeline &p : m.pipelines) {
    for (const ir::Stage &s : p.stages)
      for (const ir::CostLine &l : s.lines)
        out += fmt::format("{},{},cost,{},{},{},{},{}\n", csvField(r.scenario), csvField(p.name), csvField(s.name),
                           csvField(l.category), csvField(l.label), csvNumber(r.slots[size_t(l.slot)]), m.currency);
    for (const ir::RevenueLine &l : p.revenue)
      out += fmt::format("{},{},revenue,,,{},{},{}\n", csvField(r.scenario), csvField(p.name), csvField(l.label),
                         csvNumber(r.slots[size_t(l.slot)]), m.currency);
  }
  return out;
}

} // namespace camp::runtime
