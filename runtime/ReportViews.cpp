// Views of runs for people beyond the terminal table: Markdown, and scenarios side by side.
#include "camp/Report.h"

#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/Strings.h"

namespace camp::runtime {

using nlohmann::ordered_json;

namespace {

// A Markdown table cell: pipes escaped, line breaks flattened.
std::string md(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string roiText(double roi) { return std::isfinite(roi) ? fmt::format("{:.1f}%", roi * 100) : "n/a"; }

std::string share(double part, double whole) {
  if (whole == 0 || !std::isfinite(part) || !std::isfinite(whole))
    return "";
  return fmt::format("{:.1f}%", 100 * part / whole);
}

std::string unitCostText(const RunResult &r, const ir::Stage &s) {
  const ir::Module &m = *r.module;
  if (s.outputSlot < 0)
    return "";
  const ir::DisplayUnit &u = m.slots[size_t(s.outputSlot)].unit;
  double out = r.slots[size_t(s.outputSlot)] / (u.scale == 0 ? 1 : u.scale);
  if (out == 0)
    return "";
  double v = r.slots[size_t(s.costSlot)] / out;
  std::string amount = std::fabs(v) >= 1 || v == 0 ? formatMoney(v) : fmt::format("{:.4g}", v);
  return fmt::format("{} {}/{} for {}", amount, m.currency, u.text.empty() ? "unit" : u.text,
                     formatValue(r.slots[size_t(s.outputSlot)], u));
}

void markdownPipeline(std::string &out, const RunResult &r, const ir::Pipeline &p) {
  const ir::Module &m = *r.module;
  auto at = [&](int32_t slot) { return r.slots[size_t(slot)]; };
  double total = at(p.costSlot);
  out += fmt::format("## Pipeline {}{}\n\n", md(p.name), p.title.empty() ? "" : " — " + md(p.title));
  out += "| Stage / cost line | Category | Cost | Share | Unit cost (per output) |\n|---|---|--:|--:|---|\n";
  for (const ir::Stage &s : p.stages) {
    std::string name = s.title.empty() ? s.name : s.name + " · " + s.title;
    out += fmt::format("| **{}** | | **{}** | {} | {} |\n", md(name), formatMoney(at(s.costSlot)), share(at(s.costSlot), total),
                       md(unitCostText(r, s)));
    for (const ir::CostLine &l : s.lines)
      out += fmt::format("| &nbsp;&nbsp;{} | {} | {} | | |\n", md(l.label), md(l.category), formatMoney(at(l.slot)));
  }
  out += fmt::format("| **Total cost** | | **{}** | {} | |\n\n", formatMoney(total), share(total, total));
  out += "| Category | Cost | Share |\n|---|--:|--:|\n";
  for (size_t c = 0; c < m.categories.size(); ++c)
    out += fmt::format("| {} | {} | {} |\n", md(m.categories[c]), formatMoney(at(p.categorySlots[c])),
                       share(at(p.categorySlots[c]), total));
  out += "\n";
  if (!p.revenue.empty()) {
    out += "| Revenue line | Amount |\n|---|--:|\n";
    for (const ir::RevenueLine &l : p.revenue)
      out += fmt::format("| {} | {} |\n", md(l.label), formatMoney(at(l.slot)));
    out += "\n";
  }
  Figures f = pipelineFigures(r, p);
  out += "| Result | |\n|---|--:|\n";
  out += fmt::format("| Total revenue | {} |\n| Profit | {} |\n| ROI (profit / cost) | {} |\n", formatMoney(f.revenue),
                     formatMoney(f.profit), roiText(f.roi));
  for (auto &[name, slot] : p.lets)
    out += fmt::format("| {} | {} |\n", md(name), md(formatValue(at(slot), m.slots[size_t(slot)].unit)));
  out += "\n";
}

} // namespace

std::string renderMarkdown(const RunResult &r) {
  const ir::Module &m = *r.module;
  std::string out = fmt::format("# {}\n\nScenario: **{}** · amounts in {}\n\n", md(m.title.empty() ? "Model" : m.title),
                                md(r.scenario), m.currency);
  if (r.error)
    return out + "**Could not be evaluated:** " + md(describeError(m, *r.error, r.slots.data())) + "\n";
  for (const ir::Pipeline &p : m.pipelines)
    markdownPipeline(out, r, p);
  if (m.pipelines.size() > 1) {
    Figures t = totalFigures(r);
    out += fmt::format("## Total of {} pipelines\n\n| | |\n|---|--:|\n| Cost | {} |\n| Revenue | {} |\n| Profit | {} |\n"
                       "| ROI (profit / cost) | {} |\n\n",
                       m.pipelines.size(), formatMoney(t.cost), formatMoney(t.revenue), formatMoney(t.profit), roiText(t.roi));
  }
  if (!m.params.empty()) {
    out += "## Params used\n\n| Param | Value | Model's value |\n|---|--:|--:|\n";
    for (size_t i = 0; i < m.params.size() && i < r.params.size(); ++i) {
      const ir::Param &p = m.params[i];
      bool changed = r.params[i] != p.nominal;
      out += fmt::format("| {} | {} |{}|\n", md(p.name), md(formatValue(r.params[i], p.unit)),
                         changed ? " " + md(formatValue(p.nominal, p.unit)) + " " : " ");
    }
    out += "\n";
  }
  if (!m.values.empty()) {
    out += "## Values\n\n| Value | |\n|---|--:|\n";
    for (auto &[name, slot] : m.values)
      out += fmt::format("| {} | {} |\n", md(name), md(formatValue(r.slots[size_t(slot)], m.slots[size_t(slot)].unit)));
    out += "\n";
  }
  if (!m.asserts.empty()) {
    out += "## Assertions\n\n| | Assertion | Sides |\n|---|---|---|\n";
    for (size_t i = 0; i < m.asserts.size() && i < r.asserts.size(); ++i) {
      const ir::Assert &a = m.asserts[i];
      std::string sides;
      if (a.lhsSlot >= 0)
        sides = fmt::format("{} {} {}", formatValue(r.asserts[i].lhs, m.slots[size_t(a.lhsSlot)].unit), a.op,
                            formatValue(r.asserts[i].rhs, m.slots[size_t(a.rhsSlot)].unit));
      std::string label = a.message.empty() ? a.text : a.message + ": `" + a.text + "`";
      out += fmt::format("| {} | {} | {} |\n", r.asserts[i].ok ? "✓ ok" : "✗ **FAILED**", md(label), md(sides));
    }
  }
  return out;
}

// ---- Scenarios side by side -------------------------------------------------------------------

namespace {

struct Change {
  std::string param, text;
  double value = 0;
  std::string unit;
};

// The params whose value in this run differs from the model's own value.
std::vector<Change> changesOf(const RunResult &r) {
  std::vector<Change> out;
  const ir::Module &m = *r.module;
  for (size_t i = 0; i < m.params.size() && i < r.params.size(); ++i) {
    const ir::Param &p = m.params[i];
    if (r.params[i] == p.nominal)
      continue;
    double scale = p.unit.scale == 0 ? 1 : p.unit.scale;
    out.push_back({p.name, formatValue(r.params[i], p.unit), r.params[i] / scale, p.unit.text});
  }
  return out;
}

std::string changesText(const RunResult &r) {
  std::string out;
  for (const Change &c : changesOf(r))
    out += (out.empty() ? "" : ", ") + c.param + " = " + c.text;
  return out.empty() ? "—" : out;
}

ordered_json jsonNumber(double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); }

ordered_json figuresJson(const Figures &f) {
  return {{"cost", jsonNumber(f.cost)}, {"revenue", jsonNumber(f.revenue)}, {"profit", jsonNumber(f.profit)},
          {"roi", jsonNumber(f.roi)}};
}

std::string compareJson(const std::vector<RunResult> &runs) {
  const ir::Module &m = *runs.front().module;
  ordered_json list = ordered_json::array();
  for (const RunResult &r : runs) {
    ordered_json changes = ordered_json::array();
    for (const Change &c : changesOf(r))
      changes.push_back({{"param", c.param}, {"value", jsonNumber(c.value)}, {"unit", c.unit}});
    ordered_json entry = {{"name", r.scenario}, {"changes", changes}};
    if (r.error) {
      entry["error"] = describeError(m, *r.error, r.slots.data());
    } else {
      ordered_json pipelines = ordered_json::array();
      for (const ir::Pipeline &p : m.pipelines) {
        ordered_json j = {{"name", p.name}};
        j.update(figuresJson(pipelineFigures(r, p)));
        pipelines.push_back(j);
      }
      entry["pipelines"] = pipelines;
      entry["total"] = figuresJson(totalFigures(r));
    }
    list.push_back(entry);
  }
  ordered_json root = {{"schema", "camp.compare/1"}, {"model", m.title}, {"currency", m.currency}, {"scenarios", list}};
  return root.dump(2) + "\n";
}

// One row per scenario, pipeline (or "total") and figure.
std::string compareCsv(const std::vector<RunResult> &runs) {
  const ir::Module &m = *runs.front().module;
  std::string out = "scenario,pipeline,figure,value,unit\n";
  for (const RunResult &r : runs) {
    if (r.error)
      continue;
    auto rows = [&](const std::string &pipeline, const Figures &f) {
      out += fmt::format("{},{},cost,{},{}\n", csvField(r.scenario), csvField(pipeline), csvNumber(f.cost), m.currency);
      out += fmt::format("{},{},revenue,{},{}\n", csvField(r.scenario), csvField(pipeline), csvNumber(f.revenue), m.currency);
      out += fmt::format("{},{},profit,{},{}\n", csvField(r.scenario), csvField(pipeline), csvNumber(f.profit), m.currency);
      out += fmt::format("{},{},roi,{},\n", csvField(r.scenario), csvField(pipeline), csvNumber(f.roi));
    };
    for (const ir::Pipeline &p : m.pipelines)
      rows(p.name, pipelineFigures(r, p));
    rows("total", totalFigures(r));
  }
  return out;
}

size_t columns(const std::string &s) {
  size_t cols = 0;
  for (char c : s)
    if ((uint8_t(c) & 0xC0) != 0x80)
      ++cols;
  return cols;
}

// The rows of the comparison grid: a label and one cell per run.
std::vector<std::pair<std::string, std::vector<std::string>>> compareGrid(const std::vector<RunResult> &runs) {
  const ir::Module &m = *runs.front().module;
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;
  auto add = [&](const std::string &label, auto cellOf) {
    std::vector<std::string> cells;
    for (const RunResult &r : runs)
      cells.push_back(r.error ? "error" : cellOf(r));
    rows.emplace_back(label, cells);
  };
  auto figureRows = [&](const std::string &prefix, auto figuresOf) {
    add(prefix + "cost", [&](const RunResult &r) { return formatMoney(figuresOf(r).cost); });
    add(prefix + "revenue", [&](const RunResult &r) { return formatMoney(figuresOf(r).revenue); });
    add(prefix + "profit", [&](const RunResult &r) { return formatMoney(figuresOf(r).profit); });
    add(prefix + "ROI", [&](const RunResult &r) { return roiText(figuresOf(r).roi); });
  };
  for (const ir::Pipeline &p : m.pipelines)
    figureRows(p.name + " ", [&](const RunResult &r) { return pipelineFigures(r, p); });
  if (m.pipelines.size() > 1)
    figureRows("Total ", [](const RunResult &r) { return totalFigures(r); });
  // Every param some case changes, with its value in each case.
  for (size_t i = 0; i < m.params.size(); ++i) {
    bool changed = false;
    for (const RunResult &r : runs)
      changed = changed || (i < r.params.size() && r.params[i] != m.params[i].nominal);
    if (changed)
      add("param " + m.params[i].name, [&](const RunResult &r) { return formatValue(r.params[i], m.params[i].unit); });
  }
  return rows;
}

} // namespace

std::string renderCompare(const std::vector<RunResult> &runs, const std::string &format, const TableOptions &opts) {
  if (runs.empty())
    return "";
  if (format == "json")
    return compareJson(runs);
  if (format == "csv")
    return compareCsv(runs);
  const ir::Module &m = *runs.front().module;
  auto rows = compareGrid(runs);
  if (format == "markdown") {
    std::string out = fmt::format("# {}\n\nScenarios side by side · amounts in {}\n\n| |", md(m.title), m.currency);
    for (const RunResult &r : runs)
      out += " " + md(r.scenario) + " |";
    out += "\n|---|";
    for (size_t k = 0; k < runs.size(); ++k)
      out += "--:|";
    out += "\n";
    for (auto &[label, cells] : rows) {
      out += "| " + md(label) + " |";
      for (const std::string &c : cells)
        out += " " + md(c) + " |";
      out += "\n";
    }
    out += "\nChanges from the model's values:\n\n";
    for (const RunResult &r : runs)
      out += "- **" + md(r.scenario) + "**: " + md(changesText(r)) + "\n";
    return out;
  }
  size_t first = 12;
  for (auto &[label, cells] : rows)
    first = std::max(first, columns(label));
  std::vector<size_t> widths;
  for (size_t k = 0; k < runs.size(); ++k) {
    size_t w = std::max<size_t>(12, columns(runs[k].scenario));
    for (auto &[label, cells] : rows)
      w = std::max(w, columns(cells[k]));
    widths.push_back(w);
  }
  auto bold = [&](const std::string &s) { return opts.colour ? "\033[1m" + s + "\033[0m" : s; };
  auto padLeft = [](const std::string &s, size_t w) { return std::string(w > columns(s) ? w - columns(s) : 0, ' ') + s; };
  auto padRight = [](const std::string &s, size_t w) { return s + std::string(w > columns(s) ? w - columns(s) : 0, ' '); };
  std::string out = bold(m.title.empty() ? "Model" : m.title) + fmt::format("  (scenarios side by side, amounts in {})\n\n", m.currency);
  std::string head = "  " + padRight("", first);
  for (size_t k = 0; k < runs.size(); ++k)
    head += "  " + padLeft(runs[k].scenario, widths[k]);
  out += bold(head) + "\n";
  for (auto &[label, cells] : rows) {
    std::string line = "  " + padRight(label, first);
    for (size_t k = 0; k < cells.size(); ++k)
      line += "  " + padLeft(cells[k], widths[k]);
    out += line + "\n";
  }
  out += "\n" + bold("Changes from the model's values") + "\n";
  for (const RunResult &r : runs)
    out += "  " + padRight(r.scenario, first) + "  " + changesText(r) + "\n";
  return out;
}

} // namespace camp::runtime
