// Renders analysis results: JSON field names are the contract documented in docs/analyses.md.
#include "analyses/Render.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "base/Strings.h"
#include "camp/Report.h"

namespace camp::analyses {

using nlohmann::ordered_json;

double shownValue(double canonical, const ir::DisplayUnit &unit) {
  if (unit.isPercentLike)
    return canonical;
  return canonical / (unit.scale == 0 ? 1 : unit.scale);
}

namespace {

ordered_json number(double v) {
  if (!std::isfinite(v))
    return nullptr;
  return roundToSignificant(v);
}

std::string dumped(const ordered_json &j) { return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"; }

const ir::DisplayUnit &unitOf(const ir::Module &m, const MetricLabel &metric) {
  return m.slots[metric.slot].unit;
}

std::string shown(double canonical, const ir::DisplayUnit &unit) {
  if (!std::isfinite(canonical))
    return "n/a";
  return runtime::formatValue(canonical, unit);
}


struct Paint {
  bool on;
  std::string bold(const std::string &s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string dim(const std::string &s) const { return on ? "\033[2m" + s + "\033[0m" : s; }
  std::string red(const std::string &s) const { return on ? "\033[31m" + s + "\033[0m" : s; }
  std::string green(const std::string &s) const { return on ? "\033[32m" + s + "\033[0m" : s; }
};

/// Display width of a UTF-8 string (every code point counts one column).
size_t columns(const std::string &s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

std::string padRight(const std::string &s, size_t w) {
  size_t c = columns(s);
  return c >= w ? s : s + std::string(w - c, ' ');
}

std::string padLeft(const std::string &s, size_t w) {
  size_t c = columns(s);
  return c >= w ? s : std::string(w - c, ' ') + s;
}

std::string repeat(const std::string &unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += unit;
  return out;
}

int clampLevel(int level, int top) { return level < 0 ? 0 : level > top ? top : level; }

/// A histogram as one row of block characters, tallest bin full height.
std::string sparkline(const std::vector<uint64_t> &counts, bool unicode) {
  static const char *blocks[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  static const char *ascii[] = {" ", ".", ".", ":", ":", "+", "+", "#", "#"};
  uint64_t top = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
  std::string out;
  for (uint64_t c : counts) {
    int level = top == 0 ? 0 : int(std::ceil(8.0 * double(c) / double(top)));
    out += (unicode ? blocks : ascii)[clampLevel(level, 8)];
  }
  return out;
}

std::string paramName(const ir::Module &m, int32_t p) { return m.params[p].name; }

/// A fraction as a percentage with up to 3 significant digits: 0.005 -> "0.5 %".
std::string percentText(double fraction) { return fmt::format("{:.3g} %", 100 * fraction); }

} // namespace

// ---- Monte Carlo --------------------------------------------------------------------------------

std::string mcJson(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics) {
  ordered_json out;
  out["schema"] = "camp.mc/1";
  out["model"] = m.title;
  out["samples"] = r.requested;
  out["evaluated"] = r.evaluated;
  out["failed"] = r.failed;
  out["partial"] = r.partial;
  if (r.precision > 0) {
    out["precision"] = r.precision;
    out["converged"] = r.converged;
  }
  out["seed"] = r.seed;
  out["sampling"] = r.sampling == SamplingMethod::Random ? "random" : "lhs";
  bool exact = r.metrics.empty() || r.metrics[0].keepsValues();
  out["percentiles"] = exact ? "exact" : "sketch";
  ordered_json list = ordered_json::array();
  for (size_t k = 0; k < metrics.size(); ++k) {
    MetricStats s = r.statsOf(k);
    const ir::DisplayUnit &u = unitOf(m, metrics[k]);
    auto v = [&](double x) { return number(shownValue(x, u)); };
    ordered_json edges = ordered_json::array(), counts = ordered_json::array();
    for (double e : s.histogram.edges)
      edges.push_back(v(e));
    for (uint64_t c : s.histogram.counts)
      counts.push_back(c);
    list.push_back({{"name", metrics[k].name}, {"unit", u.text}, {"count", s.count},
                    {"undefined", s.undefined}, {"mean", v(s.mean)}, {"sd", v(s.sd)},
                    {"stderr", v(s.stderrMean)}, {"min", v(s.min)}, {"max", v(s.max)},
                    {"p5", v(s.p5)}, {"p10", v(s.p10)}, {"p50", v(s.p50)}, {"p90", v(s.p90)},
                    {"p95", v(s.p95)}, {"p_negative", number(s.pNegative)},
                    {"histogram", {{"edges", edges}, {"counts", counts}}}});
  }
  out["metrics"] = list;
  ordered_json asserts = ordered_json::array();
  uint64_t ok = r.evaluated - r.failed;
  for (size_t a = 0; a < m.asserts.size(); ++a)
    asserts.push_back({{"text", m.asserts[a].text}, {"message", m.asserts[a].message},
                       {"share_ok", ok ? number(double(r.assertsHeld[a]) / double(ok)) : nullptr}});
  out["asserts"] = asserts;
  return dumped(out);
}

std::string mcTable(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics,
                    const View &view) {
  Paint paint{view.colour};
  bool exact = r.metrics.empty() || r.metrics[0].keepsValues();
  std::string out = paint.bold(fmt::format("Monte Carlo of \"{}\"", m.title)) +
                    fmt::format(" ({}): {} samples, seed {}, {}{}\n",
                                r.conditions.empty() ? "base case" : r.conditions, r.evaluated,
                                r.seed, r.sampling == SamplingMethod::Random ? "random sampling" : "Latin hypercube",
                                exact ? "" : " (percentiles from a sketch, within 0.1 %)");
  if (r.precision > 0)
    out += r.converged ? fmt::format("Converged: every mean is known to ±{} (1 standard error).\n",
                                     percentText(r.precision))
                       : paint.red(fmt::format("Not converged: the means are not yet known to ±{} after {} "
                                               "samples; raise --max-samples.\n",
                                               percentText(r.precision), r.evaluated));
  if (r.partial)
    out += paint.red(fmt::format("Stopped early: {} of {} samples were run; figures are partial.\n",
                                 r.evaluated, r.requested));
  if (r.failed)
    out += paint.red(fmt::format("{} samples could not be evaluated and are left out.\n", r.failed));
  for (size_t k = 0; k < metrics.size(); ++k) {
    MetricStats s = r.statsOf(k);
    const ir::DisplayUnit &u = unitOf(m, metrics[k]);
    auto f = [&](double x) { return shown(x, u); };
    out += "\n" + paint.bold(metrics[k].name) + "\n";
    if (s.count == 0) { // no figure to show: say so instead of printing "nan %"
      out += paint.red(fmt::format("  no value in any of the {} samples: it could not be computed in any of them\n",
                                   r.evaluated));
      continue;
    }
    out += fmt::format("  mean {}   sd {}   (mean ± {} at 1 standard error)\n", f(s.mean), f(s.sd),
                       f(s.stderrMean));
    out += fmt::format("  P5 {}   P10 {}   P50 {}   P90 {}   P95 {}\n", f(s.p5), f(s.p10), f(s.p50),
                       f(s.p90), f(s.p95));
    std::string below = s.pNegative > 0 ? paint.red(fmt::format("{:.1f} %", 100 * s.pNegative))
                                        : fmt::format("{:.1f} %", 100 * s.pNegative);
    // A count or a duration below zero means nothing to a marketer; money and ratios can be.
    bool signedKind = u.isMoney || u.isPercentLike || u.text.empty();
    out += fmt::format("  min {}   max {}{}\n", f(s.min), f(s.max),
                       signedKind ? fmt::format("   below zero in {} of samples", below) : "");
    if (s.undefined)
      out += fmt::format("  not defined in {} samples (e.g. ROI with zero cost)\n", s.undefined);
    if (s.count)
      out += fmt::format("  {} {} {}\n", paint.dim(f(s.min)), sparkline(s.histogram.counts, view.unicode),
                         paint.dim(f(s.max)));
  }
  uint64_t ok = r.evaluated - r.failed;
  if (!m.asserts.empty() && ok) {
    out += "\n" + paint.bold("Assertions") + "\n";
    for (size_t a = 0; a < m.asserts.size(); ++a) {
      double share = double(r.assertsHeld[a]) / double(ok);
      std::string pct = fmt::format("{:5.1f} %", 100 * share);
      out += fmt::format("  {} of samples: {}{}\n", share < 1 ? paint.red(pct) : paint.green(pct),
                         m.asserts[a].text,
                         m.asserts[a].message.empty() ? "" : " (" + m.asserts[a].message + ")");
    }
  }
  return out;
}

std::string mcCsv(const ir::Module &m, const McResult &r, const std::vector<MetricLabel> &metrics) {
  std::string out = "metric,unit,count,mean,sd,stderr,min,max,p5,p10,p50,p90,p95,p_negative\n";
  for (size_t k = 0; k < metrics.size(); ++k) {
    MetricStats s = r.statsOf(k);
    const ir::DisplayUnit &u = unitOf(m, metrics[k]);
    auto v = [&](double x) { return csvNumber(shownValue(x, u)); };
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csvField(metrics[k].name),
                       csvField(u.text), s.count, v(s.mean), v(s.sd), v(s.stderrMean), v(s.min),
                       v(s.max), v(s.p5), v(s.p10), v(s.p50), v(s.p90), v(s.p95), csvNumber(s.pNegative));
  }
  return out;
}

// ---- Tornado ------------------------------------------------------------------------------------

namespace {
const char *sourceName(SwingSource s) {
  switch (s) {
  case SwingSource::Range: return "range";
  case SwingSource::Percentiles: return "p10-p90";
  case SwingSource::PlusMinus20: return "plus-minus-20%";
  }
  return "";
}
} // namespace

std::string tornadoJson(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric) {
  const ir::DisplayUnit &u = unitOf(m, metric);
  ordered_json params = ordered_json::array();
  for (const TornadoBar &b : r.bars) {
    const ir::DisplayUnit &pu = m.params[b.param].unit;
    params.push_back({{"name", paramName(m, b.param)}, {"unit", pu.text}, {"source", sourceName(b.source)},
                      {"low", number(shownValue(b.low, pu))}, {"high", number(shownValue(b.high, pu))},
                      {"metric_low", number(shownValue(b.metricLow, u))},
                      {"metric_high", number(shownValue(b.metricHigh, u))},
                      {"swing", number(shownValue(b.swing, u))}});
  }
  ordered_json out = {{"schema", "camp.tornado/1"}, {"metric", metric.name}, {"unit", u.text},
                      {"base", number(shownValue(r.base, u))}, {"params", params}};
  return dumped(out);
}

std::string tornadoTable(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric,
                         const View &view) {
  Paint paint{view.colour};
  const ir::DisplayUnit &u = unitOf(m, metric);
  std::string out = paint.bold(fmt::format("Tornado of {}", metric.name)) +
                    fmt::format(" (base {}): each param alone at its low and high\n\n", shown(r.base, u));
  double widest = 0;
  size_t nameW = 5, rangeW = 10;
  std::vector<std::string> ranges;
  for (const TornadoBar &b : r.bars) {
    if (std::isfinite(b.swing))
      widest = std::max({widest, std::fabs(b.metricLow - r.base), std::fabs(b.metricHigh - r.base)});
    nameW = std::max(nameW, columns(paramName(m, b.param)));
    const ir::DisplayUnit &pu = m.params[b.param].unit;
    ranges.push_back(shown(b.low, pu) + " .. " + shown(b.high, pu));
    rangeW = std::max(rangeW, columns(ranges.back()));
  }
  const int half = 20;
  std::string full = view.unicode ? "█" : "#", light = view.unicode ? "░" : "=";
  out += paint.dim(padRight("param", nameW) + "  " + padRight("low .. high", rangeW) + "  " +
                   padLeft("metric at low", 16) + "  " + padRight("", 2 * half + 1) + "  metric at high") +
         "\n";
  for (size_t i = 0; i < r.bars.size(); ++i) {
    const TornadoBar &b = r.bars[i];
    // The bar spans from the lower to the higher metric, around the base at the centre;
    // solid where the param is at its low, shaded at its high.
    auto len = [&](double v) {
      return widest > 0 && std::isfinite(v) ? int(std::lround(half * std::fabs(v - r.base) / widest)) : 0;
    };
    std::string left(size_t(half), ' '), right;
    int lLen = 0, rLen = 0;
    std::string lChar = full, rChar = full;
    for (auto [v, isLow] : {std::pair{b.metricLow, true}, {b.metricHigh, false}}) {
      if (!std::isfinite(v))
        continue;
      if (v < r.base)
        lLen = std::max(lLen, len(v)), lChar = isLow ? full : light;
      else
        rLen = std::max(rLen, len(v)), rChar = isLow ? full : light;
    }
    std::string bar = std::string(size_t(half - lLen), ' ') + repeat(lChar, size_t(lLen)) + "|" +
                      repeat(rChar, size_t(rLen)) + std::string(size_t(half - rLen), ' ');
    out += padRight(paramName(m, b.param), nameW) + "  " + padRight(ranges[i], rangeW) + "  " +
           padLeft(shown(b.metricLow, u), 16) + "  " + bar + "  " + shown(b.metricHigh, u) + "\n";
  }
  out += paint.dim(fmt::format("\n{} metric at the param's low, {} at its high; low/high from the range, "
                               "else P10/P90 of the distribution, else -20 %/+20 %.\n",
                               full, light));
  return out;
}

std::string tornadoCsv(const ir::Module &m, const TornadoResult &r, const MetricLabel &metric) {
  const ir::DisplayUnit &u = unitOf(m, metric);
  std::string out = "param,unit,source,low,high,metric_low,metric_high,swing\n";
  for (const TornadoBar &b : r.bars) {
    const ir::DisplayUnit &pu = m.params[b.param].unit;
    out += fmt::format("{},{},{},{},{},{},{},{}\n", csvField(paramName(m, b.param)), csvField(pu.text),
                       sourceName(b.source), csvNumber(shownValue(b.low, pu)),
                       csvNumber(shownValue(b.high, pu)), csvNumber(shownValue(b.metricLow, u)),
                       csvNumber(shownValue(b.metricHigh, u)), csvNumber(shownValue(b.swing, u)));
  }
  return out;
}

// ---- Sweep --------------------------------------------------------------------------------------

std::string sweepJson(const ir::Module &m, const SweepResult &r, const MetricLabel &metric) {
  const ir::DisplayUnit &u = unitOf(m, metric);
  ordered_json axes = ordered_json::array();
  for (const SweepAxis &a : r.axes) {
    const ir::DisplayUnit &pu = m.params[a.param].unit;
    ordered_json values = ordered_json::array();
    for (int k = 0; k < a.steps; ++k)
      values.push_back(number(shownValue(a.at(k), pu)));
    axes.push_back({{"name", paramName(m, a.param)}, {"unit", pu.text}, {"values", values}});
  }
  ordered_json values = ordered_json::array();
  size_t inner = size_t(r.axes.back().steps);
  for (size_t i = 0; i < r.values.size(); i += inner) {
    ordered_json row = ordered_json::array();
    for (size_t j = 0; j < inner; ++j)
      row.push_back(number(shownValue(r.values[i + j], u)));
    if (r.axes.size() == 1)
      values = row;
    else
      values.push_back(row);
  }
  ordered_json out = {{"schema", "camp.sweep/1"}, {"metric", metric.name}, {"unit", u.text},
                      {"params", axes}, {"values", values}};
  return dumped(out);
}

std::string sweepTable(const ir::Module &m, const SweepResult &r, const MetricLabel &metric,
                       const View &view) {
  Paint paint{view.colour};
  const ir::DisplayUnit &u = unitOf(m, metric);
  std::string out = paint.bold(fmt::format("Sweep of {}", metric.name)) + "\n\n";
  if (r.axes.size() == 1) {
    const SweepAxis &a = r.axes[0];
    const ir::DisplayUnit &pu = m.params[a.param].unit;
    out += paint.dim(padLeft(paramName(m, a.param), 20) + "  " + padLeft(metric.name, 20)) + "\n";
    for (int k = 0; k < a.steps; ++k) {
      double v = r.values[size_t(k)];
      std::string cell = padLeft(shown(v, u), 20);
      out += padLeft(shown(a.at(k), pu), 20) + "  " + (v < 0 ? paint.red(cell) : cell) + "\n";
    }
    return out;
  }
  // 2-D: a heat map, rows the first param, columns the second; darker is higher.
  const SweepAxis &rows = r.axes[0], &cols = r.axes[1];
  double lo = INFINITY, hi = -INFINITY;
  for (double v : r.values)
    if (std::isfinite(v))
      lo = std::min(lo, v), hi = std::max(hi, v);
  static const char *shades[] = {"··", "░░", "▒▒", "▓▓", "██"};
  static const char *asciiShades[] = {"  ", "..", "::", "==", "##"};
  const ir::DisplayUnit &ru = m.params[rows.param].unit, &cu = m.params[cols.param].unit;
  out += fmt::format("rows: {} from {} to {}; columns: {} from {} to {}\n", paramName(m, rows.param),
                     shown(rows.lo, ru), shown(rows.hi, ru), paramName(m, cols.param),
                     shown(cols.lo, cu), shown(cols.hi, cu));
  size_t labelW = 4;
  for (int i = 0; i < rows.steps; ++i)
    labelW = std::max(labelW, columns(shown(rows.at(i), ru)));
  for (int i = 0; i < rows.steps; ++i) {
    std::string line = padLeft(shown(rows.at(i), ru), labelW) + " ";
    for (int j = 0; j < cols.steps; ++j) {
      double v = r.values[size_t(i * cols.steps + j)];
      if (!std::isfinite(v)) {
        line += "??";
        continue;
      }
      int level = hi > lo ? int(std::lround(4 * (v - lo) / (hi - lo))) : 2;
      std::string cell = (view.unicode ? shades : asciiShades)[clampLevel(level, 4)];
      line += v < 0 ? paint.red(cell) : cell;
    }
    out += line + "\n";
  }
  out += fmt::format("\n{} lowest {}   {} highest {}{}\n", view.unicode ? "░░" : "..", shown(lo, u),
                     view.unicode ? "██" : "##", shown(hi, u),
                     view.colour ? "   (red: below zero)" : "");
  return out;
}

std::string sweepCsv(const ir::Module &m, const SweepResult &r, const MetricLabel &metric) {
  const ir::DisplayUnit &u = unitOf(m, metric);
  std::string out;
  for (const SweepAxis &a : r.axes)
    out += csvField(paramName(m, a.param)) + ",";
  out += csvField(metric.name) + "\n";
  size_t inner = size_t(r.axes.back().steps);
  for (size_t k = 0; k < r.values.size(); ++k) {
    if (r.axes.size() > 1)
      out += csvNumber(shownValue(r.axes[0].at(int(k / inner)), m.params[r.axes[0].param].unit)) + ",";
    const SweepAxis &last = r.axes.back();
    out += csvNumber(shownValue(last.at(int(k % inner)), m.params[last.param].unit)) + ",";
    out += csvNumber(shownValue(r.values[k], u)) + "\n";
  }
  return out;
}

// ---- Sobol --------------------------------------------------------------------------------------

std::string sobolJson(const ir::Module &m, const SobolResult &r, const MetricLabel &metric) {
  ordered_json params = ordered_json::array();
  auto index = [](const SobolIndex &i) {
    return ordered_json{{"value", number(i.value)}, {"ci_low", number(i.ciLow)}, {"ci_high", number(i.ciHigh)}};
  };
  for (const SobolParam &p : r.params)
    params.push_back({{"name", paramName(m, p.param)}, {"first", index(p.first)}, {"total", index(p.total)}});
  ordered_json out = {{"schema", "camp.sobol/1"}, {"metric", metric.name}, {"samples", r.samples},
                      {"evaluations", r.evaluations}, {"used", r.used}, {"partial", r.partial},
                      {"correlations_ignored", m.correlations.size()}, {"params", params}};
  return dumped(out);
}

std::string sobolTable(const ir::Module &m, const SobolResult &r, const MetricLabel &metric,
                       const View &view) {
  Paint paint{view.colour};
  std::string out = paint.bold(fmt::format("Sobol indices of {}", metric.name)) +
                    fmt::format(" ({} samples, {} model evaluations; 95 % bootstrap intervals)\n",
                                r.samples, r.evaluations);
  if (r.partial)
    out += paint.red("Stopped early: the indices are partial.\n");
  size_t nameW = 5;
  for (const SobolParam &p : r.params)
    nameW = std::max(nameW, columns(paramName(m, p.param)));
  out += "\n" + paint.dim(padRight("param", nameW) + "  " + padRight("first order", 24) + "  " +
                          padRight("total", 24) + "  share of variance") +
         "\n";
  std::string full = view.unicode ? "█" : "#";
  for (const SobolParam &p : r.params) {
    auto cell = [](const SobolIndex &i) {
      return fmt::format("{:.3f} [{:.3f}, {:.3f}]", i.value, i.ciLow, i.ciHigh);
    };
    int len = int(std::lround(30 * std::clamp(p.total.value, 0.0, 1.0)));
    out += padRight(paramName(m, p.param), nameW) + "  " + padRight(cell(p.first), 24) + "  " +
           padRight(cell(p.total), 24) + "  " + repeat(full, size_t(len)) + "\n";
  }
  out += paint.dim("\nfirst order: the share of the variance due to the param alone; total: including "
                   "its interactions.\n");
  return out;
}

std::string sobolCsv(const ir::Module &m, const SobolResult &r, const MetricLabel &metric) {
  std::string out = "param,first,first_ci_low,first_ci_high,total,total_ci_low,total_ci_high\n";
  for (const SobolParam &p : r.params)
    out += fmt::format("{},{},{},{},{},{},{}\n", csvField(paramName(m, p.param)), csvNumber(p.first.value),
                       csvNumber(p.first.ciLow), csvNumber(p.first.ciHigh), csvNumber(p.total.value),
                       csvNumber(p.total.ciLow), csvNumber(p.total.ciHigh));
  return out;
}

// ---- Break-even ---------------------------------------------------------------------------------

std::string breakevenJson(const ir::Module &m, const BreakevenResult &r, int32_t param,
                          const MetricLabel &metric, double target) {
  const ir::DisplayUnit &pu = m.params[param].unit, &u = unitOf(m, metric);
  ordered_json out = {{"schema", "camp.breakeven/1"},
                      {"param", paramName(m, param)},
                      {"metric", metric.name},
                      {"target", number(shownValue(target, u))},
                      {"found", r.found},
                      {"value", r.found ? number(shownValue(r.value, pu)) : ordered_json(nullptr)},
                      {"unit", pu.text},
                      {"searched", {number(shownValue(r.lo, pu)), number(shownValue(r.hi, pu))}},
                      {"crossings", r.crossings}};
  if (r.found)
    out["metric_at_value"] = number(shownValue(r.metricAtValue, u));
  out["discontinuity_at"] = std::isnan(r.discontinuityAt) ? ordered_json(nullptr)
                                                           : number(shownValue(r.discontinuityAt, pu));
  if (!std::isnan(r.discontinuityAt))
    out["jump"] = {{"from", number(shownValue(r.jumpFrom, u))}, {"to", number(shownValue(r.jumpTo, u))}};
  return dumped(out);
}

std::string breakevenTable(const ir::Module &m, const BreakevenResult &r, int32_t param,
                           const MetricLabel &metric, double target, const View &view) {
  Paint paint{view.colour};
  const ir::DisplayUnit &pu = m.params[param].unit, &u = unitOf(m, metric);
  std::string name = paramName(m, param);
  if (!r.found && !std::isnan(r.discontinuityAt))
    return fmt::format("{} never reaches {} for {} between {} and {}: it jumps from {} to {} at {} = {} "
                       "(a tier boundary or an `if`), without passing through {}.\n",
                       metric.name, shown(target, u), name, shown(r.lo, pu), shown(r.hi, pu),
                       shown(r.jumpFrom, u), shown(r.jumpTo, u), name, paint.bold(shown(r.discontinuityAt, pu)),
                       shown(target, u)) +
           paint.dim("help: no value of this param gives exactly the target; the jump is where the sign changes\n");
  if (!r.found)
    return fmt::format("{} never reaches {} for {} between {} and {}: it goes from {} to {}.\n",
                       metric.name, shown(target, u), name, shown(r.lo, pu), shown(r.hi, pu),
                       shown(r.metricAtLo, u), shown(r.metricAtHi, u)) +
           paint.dim("help: widen the search with --within LO..HI, or pick another param\n");
  std::string out = fmt::format("{} reaches {} when {} = {}\n", metric.name, shown(target, u), name,
                                paint.bold(shown(r.value, pu)));
  out += paint.dim(fmt::format("(searched {} .. {}, where {} goes from {} to {}", shown(r.lo, pu),
                               shown(r.hi, pu), metric.name, shown(r.metricAtLo, u),
                               shown(r.metricAtHi, u)));
  out += paint.dim(r.crossings > 1 ? fmt::format("; it crosses the target {} times: this is the lowest)\n",
                                                 r.crossings)
                                   : ")\n");
  return out;
}

std::string breakevenCsv(const ir::Module &m, const BreakevenResult &r, int32_t param,
                         const MetricLabel &metric, double target) {
  const ir::DisplayUnit &pu = m.params[param].unit, &u = unitOf(m, metric);
  return fmt::format("param,metric,target,found,value,unit,discontinuity_at\n{},{},{},{},{},{},{}\n",
                     csvField(paramName(m, param)), csvField(metric.name), csvNumber(shownValue(target, u)),
                     r.found ? "true" : "false", r.found ? csvNumber(shownValue(r.value, pu)) : "",
                     csvField(pu.text), csvNumber(shownValue(r.discontinuityAt, pu)));
}

// ---- Forecast -----------------------------------------------------------------------------------

namespace {

/// A per-run-line figure summed per pipeline name (a pipeline listed twice in a forecast adds up).
std::vector<std::pair<std::string, double>> perPipeline(const ir::Module &m, const ir::Forecast &f,
                                                        const std::vector<double> &perRun) {
  std::vector<std::pair<std::string, double>> out;
  for (size_t k = 0; k < f.runs.size(); ++k) {
    const std::string &name = m.pipelines[f.runs[k].pipeline].name;
    auto it = std::find_if(out.begin(), out.end(), [&](auto &p) { return p.first == name; });
    if (it == out.end())
      out.emplace_back(name, perRun[k]);
    else
      it->second += perRun[k];
  }
  return out;
}

std::vector<std::pair<std::string, double>> runsByPipeline(const ir::Module &m, const ir::Forecast &f,
                                                           const ForecastMonth &mo) {
  return perPipeline(m, f, mo.runs);
}

/// Cost per pipeline: each run line's share of the month's cost.
std::vector<std::pair<std::string, double>> costByPipeline(const ir::Module &m, const ir::Forecast &f,
                                                           const ForecastMonth &mo) {
  return perPipeline(m, f, mo.byRun);
}

/// cost_p10 ... cumulative_profit_p90 beside a month's base-case figures.
void addBandFields(ordered_json &month, const MonthBands &b) {
  auto add = [&](const char *name, const Band &band) {
    month[std::string(name) + "_p10"] = number(band.p10);
    month[std::string(name) + "_p50"] = number(band.p50);
    month[std::string(name) + "_p90"] = number(band.p90);
  };
  add("cost", b.cost);
  add("profit", b.profit);
  add("cumulative_profit", b.cumulativeProfit);
}

/// [{"month": "2027-01", "probability": 0.1}, ...]: a share per forecast month.
ordered_json monthlyShares(const ForecastResult &r, const std::vector<double> &shares) {
  ordered_json out = ordered_json::array();
  for (size_t i = 0; i < r.months.size() && i < shares.size(); ++i)
    out.push_back({{"month", monthText(r.months[i].year, r.months[i].month)}, {"probability", number(shares[i])}});
  return out;
}

std::optional<std::string> firstExceededText(const ForecastResult &r, const AllowanceReport &a) {
  if (!a.firstExceeded)
    return std::nullopt;
  const ForecastMonth &mo = r.months[*a.firstExceeded];
  return monthText(mo.year, mo.month);
}

} // namespace

std::string forecastJson(const ir::Module &m, const ForecastResult &r, const ForecastUncertainty *bands) {
  const ir::Forecast &f = m.forecasts[r.forecast];
  ordered_json months = ordered_json::array();
  for (size_t i = 0; i < r.months.size(); ++i) {
    const ForecastMonth &mo = r.months[i];
    ordered_json runs = ordered_json::object(), cats = ordered_json::object(), pipes = ordered_json::object();
    for (auto &[name, n] : runsByPipeline(m, f, mo))
      runs[name] = number(n);
    for (size_t c = 0; c < m.categories.size(); ++c)
      cats[m.categories[c]] = number(mo.byCategory[c]);
    for (auto &[name, cost] : costByPipeline(m, f, mo))
      pipes[name] = number(cost);
    months.push_back({{"month", monthText(mo.year, mo.month)}, {"runs", runs}, {"cost", number(mo.cost)},
                      {"revenue", number(mo.revenue)}, {"profit", number(mo.profit)},
                      {"by_category", cats}, {"by_pipeline", pipes}, {"shared", number(mo.shared)},
                      {"cumulative_profit", number(mo.cumulativeProfit)}});
    if (bands && i < bands->months.size())
      addBandFields(months.back(), bands->months[i]);
  }
  ordered_json allowances = ordered_json::array();
  for (size_t k = 0; k < r.allowances.size(); ++k) {
    const AllowanceReport &a = r.allowances[k];
    auto first = firstExceededText(r, a);
    allowances.push_back({{"ratecard", a.ratecard}, {"price", a.name}, {"included", number(a.included)},
                          {"period", a.yearly ? "year" : "month"},
                          {"first_exceeded", first ? ordered_json(*first) : ordered_json(nullptr)}});
    if (bands && k < bands->allowanceRunOut.size())
      allowances.back()["run_out_probability"] = monthlyShares(r, bands->allowanceRunOut[k]);
  }
  ordered_json commits = ordered_json::array();
  for (size_t k = 0; k < r.commits.size(); ++k) {
    const CommitReport &c = r.commits[k];
    ordered_json exhausted = nullptr;
    if (c.exhausted)
      exhausted = monthText(r.months[*c.exhausted].year, r.months[*c.exhausted].month);
    commits.push_back({{"ratecard", m.ratecards[size_t(c.ratecard)].name},
                       {"from", monthText(c.fromYear, c.fromMonth)}, {"to", monthText(c.toYear, c.toMonth)},
                       {"amount", number(c.amount)}, {"used", number(c.used)}, {"exhausted", exhausted},
                       {"overage_cost", number(c.overageCost)},
                       {"unused", c.unused ? number(*c.unused) : ordered_json(nullptr)}, {"whole_period", c.whole}});
    if (bands && k < bands->commitRunOut.size())
      commits.back()["run_out_probability"] = monthlyShares(r, bands->commitRunOut[k]);
  }
  ordered_json budgets = ordered_json::array();
  for (size_t k = 0; k < r.budgets.size(); ++k) {
    const BudgetReport &b = r.budgets[k];
    ordered_json breaches = ordered_json::array();
    for (const BudgetBreach &x : b.breaches) {
      breaches.push_back({{"period", x.period}, {"cost", number(x.cost)}, {"over", number(x.over)}});
      if (bands)
        breaches.back()["probability"] = number(bands->breachProbability(k, x.period));
    }
    budgets.push_back({{"label", b.label}, {"limit", number(b.limit)}, {"period", b.perYear ? "year" : "month"},
                       {"breaches", breaches}});
    if (bands && k < bands->budgets.size()) {
      ordered_json risks = ordered_json::array();
      for (const PeriodRisk &x : bands->budgets[k])
        risks.push_back({{"period", x.period}, {"probability", number(x.probability)}});
      budgets.back()["at_risk"] = risks;
    }
  }
  ordered_json out = {{"schema", "camp.forecast/1"}, {"name", f.name},          {"title", f.title},
                      {"currency", m.currency}};
  if (bands)
    out["uncertainty"] = {{"samples", bands->requested},  {"evaluated", bands->evaluated},
                          {"failed", bands->failed},      {"seed", bands->seed},
                          {"sampling", bands->sampling == SamplingMethod::Random ? "random" : "lhs"},
                          {"partial", bands->partial},    {"percentiles", "type 7 (as camp mc)"}};
  out["months"] = months;
  out["allowances"] = allowances;
  out["commits"] = commits;
  out["budgets"] = budgets;
  return dumped(out);
}

namespace {

/// Column widths fitted to the widest cell, so figures never run into each other whatever the
/// currency's magnitudes (a JPY model's 14,500,000.00 per month included).
struct Grid {
  std::vector<std::string> header;
  std::vector<bool> left;
  std::vector<std::vector<std::string>> rows; // an empty row is a rule
  std::vector<bool> bold, negative;

  std::string render(const Paint &paint) const {
    std::vector<size_t> w(header.size(), 0);
    for (size_t i = 0; i < header.size(); ++i)
      w[i] = columns(header[i]);
    for (const auto &row : rows)
      for (size_t i = 0; i < row.size(); ++i)
        w[i] = std::max(w[i], columns(row[i]));
    auto line = [&](const std::vector<std::string> &cells) {
      std::string out;
      for (size_t i = 0; i < cells.size(); ++i)
        out += (i ? "  " : "") + (left[i] ? padRight(cells[i], w[i]) : padLeft(cells[i], w[i]));
      return out;
    };
    std::string out = paint.dim(line(header)) + "\n";
    size_t total = 0;
    for (size_t x : w)
      total += x + 2;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (rows[k].empty()) {
        out += paint.dim(std::string(total > 2 ? total - 2 : 0, '-')) + "\n";
        continue;
      }
      std::string text = line(rows[k]);
      out += (bold[k] ? paint.bold(text) : text) + "\n";
    }
    return out;
  }
  void add(std::vector<std::string> row, bool isBold = false) {
    rows.push_back(std::move(row));
    bold.push_back(isBold);
  }
};

} // namespace

static std::string billingNotes(const ir::Module &m, const ForecastResult &r, const Paint &paint,
                                const ForecastUncertainty *bands);
static std::string bandsTable(const ForecastResult &r, const ForecastUncertainty &u, const Paint &paint);
static std::string fanChart(const ForecastResult &r, const ForecastUncertainty &u, const View &view);

std::string forecastTable(const ir::Module &m, const ForecastResult &r, const View &view, bool byPipeline,
                          const ForecastUncertainty *bands) {
  Paint paint{view.colour};
  const ir::Forecast &f = m.forecasts[r.forecast];
  std::string out = paint.bold(fmt::format("Forecast {}{}", f.name, f.title.empty() ? "" : " — " + f.title)) +
                    fmt::format(" ({} months, amounts in {})\n\n", r.months.size(), m.currency);
  // Only categories that ever cost something get a column.
  std::vector<size_t> cats;
  for (size_t c = 0; c < m.categories.size(); ++c)
    for (const ForecastMonth &mo : r.months)
      if (mo.byCategory[c] != 0) {
        cats.push_back(c);
        break;
      }
  std::vector<std::string> pipelines;
  if (!r.months.empty())
    for (auto &[name, n] : runsByPipeline(m, f, r.months[0]))
      pipelines.push_back(name);
  auto money = [](double v) { return std::isfinite(v) ? runtime::formatMoney(v) : std::string("n/a"); };
  Grid g;
  g.header.push_back("month");
  for (const std::string &p : pipelines)
    g.header.push_back(p + " runs");
  if (byPipeline) {
    for (const std::string &p : pipelines)
      g.header.push_back(p);
    g.header.push_back("shared");
  } else {
    for (size_t c : cats)
      g.header.push_back(m.categories[c]);
  }
  for (const char *h : {"cost", "revenue", "profit", "cumulative"})
    g.header.push_back(h);
  g.left.assign(g.header.size(), false);
  g.left[0] = true;
  std::vector<double> yearSums;
  auto addTotals = [&](const std::string &label, size_t from, size_t to) {
    std::vector<double> sums(g.header.size(), 0);
    std::vector<std::string> row{label};
    for (size_t k = 0; k < pipelines.size(); ++k) {
      double n = 0;
      for (size_t i = from; i < to; ++i)
        n += runsByPipeline(m, f, r.months[i])[k].second;
      row.push_back(fmt::format("{:.2f}", n));
    }
    auto sum = [&](auto get) {
      double s = 0;
      for (size_t i = from; i < to; ++i)
        s += get(r.months[i]);
      return money(s);
    };
    if (byPipeline) {
      for (size_t k = 0; k < pipelines.size(); ++k)
        row.push_back(sum([&](const ForecastMonth &mo) { return costByPipeline(m, f, mo)[k].second; }));
      row.push_back(sum([](const ForecastMonth &mo) { return mo.shared; }));
    } else {
      for (size_t c : cats)
        row.push_back(sum([&](const ForecastMonth &mo) { return mo.byCategory[c]; }));
    }
    row.push_back(sum([](const ForecastMonth &mo) { return mo.cost; }));
    row.push_back(sum([](const ForecastMonth &mo) { return mo.revenue; }));
    row.push_back(sum([](const ForecastMonth &mo) { return mo.profit; }));
    row.push_back(money(r.months[to - 1].cumulativeProfit));
    if (!g.rows.empty() && !g.rows.back().empty())
      g.add({});
    g.add(row, true);
    g.add({});
  };
  size_t yearStart = 0;
  for (size_t i = 0; i < r.months.size(); ++i) {
    const ForecastMonth &mo = r.months[i];
    std::vector<std::string> row{monthText(mo.year, mo.month)};
    auto runs = runsByPipeline(m, f, mo);
    for (size_t k = 0; k < pipelines.size(); ++k)
      row.push_back(fmt::format("{:.2f}", runs[k].second));
    if (byPipeline) {
      for (auto &[name, cost] : costByPipeline(m, f, mo))
        row.push_back(money(cost));
      row.push_back(money(mo.shared));
    } else {
      for (size_t c : cats)
        row.push_back(money(mo.byCategory[c]));
    }
    for (double v : {mo.cost, mo.revenue, mo.profit, mo.cumulativeProfit})
      row.push_back(money(v));
    g.add(row);
    // Yearly subtotals: calendar years, and the last (partial) year.
    bool yearEnds = mo.month == 12 || i + 1 == r.months.size();
    if (yearEnds && r.months.size() > 12) {
      addTotals(fmt::format("{} total", mo.year), yearStart, i + 1);
      yearStart = i + 1;
    }
  }
  if (r.months.size() > 1)
    addTotals("total", 0, r.months.size());
  out += g.render(paint);
  if (bands) {
    out += bandsTable(r, *bands, paint);
    out += fanChart(r, *bands, view);
  }
  out += billingNotes(m, r, paint, bands);
  return out;
}

/// When a share of the sampled forecasts has run out: "sampled: run out by 2026-12 in 10 %, by
/// 2028-11 in 50 %, by the end (2034-12) in 62 %".
static std::string runOutText(const ForecastResult &r, const std::vector<double> &shares) {
  if (shares.empty() || shares.back() <= 0)
    return "sampled: runs out in none of the sampled forecasts";
  // The first months where 10 %, 50 % and 90 % have run out, then the share at the end.
  std::vector<size_t> at;
  for (double level : {0.1, 0.5, 0.9}) {
    auto it = std::find_if(shares.begin(), shares.end(), [&](double x) { return x >= level; });
    size_t i = size_t(it - shares.begin());
    if (it != shares.end() && (at.empty() || at.back() != i))
      at.push_back(i);
  }
  if (at.empty() || shares[at.back()] < shares.back())
    at.push_back(shares.size() - 1);
  std::vector<std::string> marks;
  for (size_t i : at) {
    const ForecastMonth &mo = r.months[i];
    marks.push_back(fmt::format("by {}{} in {}", i + 1 == shares.size() ? "the end, " : "", monthText(mo.year, mo.month),
                                percentText(shares[i])));
  }
  return fmt::format("sampled: run out {}", fmt::join(marks, ", "));
}

static std::string bandsTable(const ForecastResult &r, const ForecastUncertainty &u, const Paint &paint) {
  std::string out = "\n" + paint.bold("Uncertainty") +
                    fmt::format(" — {} sampled forecasts ({} of {} param{}, seed {}{}): P10, P50 and P90 of each month\n",
                                groupThousands(double(u.evaluated - std::min(u.evaluated, u.failed)), 0),
                                u.sampling == SamplingMethod::Random ? "independent draws" : "Latin hypercube", u.drawn,
                                u.drawn == 1 ? "" : "s", u.seed, u.partial ? ", stopped early" : "");
  if (u.drawn == 0)
    out += "No param of this model has a range or a distribution (or every one is pinned by --scenario or --set):\n"
           "every sampled forecast is the base case.\n";
  out += "\n";
  Grid g;
  g.header = {"month", "cost P10", "P50", "P90", "profit P10", "P50", "P90", "cumulative P10", "P50", "P90"};
  g.left.assign(g.header.size(), false);
  g.left[0] = true;
  auto money = [](double v) { return std::isfinite(v) ? runtime::formatMoney(v) : std::string("n/a"); };
  for (size_t i = 0; i < r.months.size() && i < u.months.size(); ++i) {
    const MonthBands &b = u.months[i];
    std::vector<std::string> row{monthText(r.months[i].year, r.months[i].month)};
    for (const Band *band : {&b.cost, &b.profit, &b.cumulativeProfit})
      for (double v : {band->p10, band->p50, band->p90})
        row.push_back(money(v));
    g.add(row);
  }
  return out + g.render(paint);
}

/// Cumulative profit month by month: the P10–P90 range as a bar, P50 marked, zero as a rule.
static std::string fanChart(const ForecastResult &r, const ForecastUncertainty &u, const View &view) {
  const int width = 48;
  double lo = 0, hi = 0;
  for (const MonthBands &b : u.months)
    if (std::isfinite(b.cumulativeProfit.p10) && std::isfinite(b.cumulativeProfit.p90)) {
      lo = std::min(lo, b.cumulativeProfit.p10);
      hi = std::max(hi, b.cumulativeProfit.p90);
    }
  if (!(hi > lo))
    return "";
  auto column = [&](double v) { return std::clamp(int(std::lround((v - lo) / (hi - lo) * (width - 1))), 0, width - 1); };
  // At most about 36 rows: a long forecast shows every k-th month, and always its last.
  size_t rows = std::min(r.months.size(), u.months.size());
  size_t step = std::max<size_t>(1, (rows + 35) / 36);
  const char *band = view.unicode ? "━" : "=", *mid = view.unicode ? "●" : "o", *zero = view.unicode ? "│" : "|";
  const char *space = " ";
  std::string out = fmt::format("\nCumulative profit, P10 to P90 ({} P50, {} zero), from {} to {}{}:\n\n", mid, zero,
                                runtime::formatMoney(lo), runtime::formatMoney(hi),
                                step > 1 ? fmt::format(", every {} months", step) : "");
  int zeroAt = column(0);
  for (size_t i = 0; i < rows; ++i) {
    if (i % step != 0 && i + 1 != rows)
      continue;
    const Band &b = u.months[i].cumulativeProfit;
    std::string line = monthText(r.months[i].year, r.months[i].month) + "  ";
    if (!std::isfinite(b.p10) || !std::isfinite(b.p90)) {
      out += line + "n/a\n";
      continue;
    }
    int a = column(b.p10), c = column(b.p90), m50 = column(b.p50);
    int end = std::max(c, zeroAt);
    for (int x = 0; x <= end; ++x)
      line += x == m50 ? mid : (x >= a && x <= c) ? band : x == zeroAt ? zero : space;
    out += line + "\n";
  }
  return out;
}

static std::string billingNotes(const ir::Module &m, const ForecastResult &r, const Paint &paint,
                                const ForecastUncertainty *bands) {
  std::string out;
  auto monthOf = [&](std::optional<size_t> i) {
    return i ? monthText(r.months[*i].year, r.months[*i].month) : std::string();
  };
  if (!r.allowances.empty())
    out += "\n" + paint.bold("Allowances") + "\n";
  for (size_t k = 0; k < r.allowances.size(); ++k) {
    const AllowanceReport &a = r.allowances[k];
    const ir::Price &price = m.prices[size_t(a.price)];
    std::string included = runtime::formatValue(a.included, price.argUnit) + (a.yearly ? " per contract year" : " per month");
    out += fmt::format("  {}.{} ({} included): {}\n", a.ratecard, a.name, included,
                       a.firstExceeded ? "runs out in " + monthOf(a.firstExceeded) : std::string("never exceeded"));
    if (bands && k < bands->allowanceRunOut.size())
      out += "    " + runOutText(r, bands->allowanceRunOut[k]) + "\n";
  }
  if (!r.commits.empty())
    out += "\n" + paint.bold("Commitments") + "\n";
  for (size_t k = 0; k < r.commits.size(); ++k) {
    const CommitReport &c = r.commits[k];
    std::string line = fmt::format("  {} {}..{}: {} {} committed, {} used", m.ratecards[size_t(c.ratecard)].name,
                                   monthText(c.fromYear, c.fromMonth), monthText(c.toYear, c.toMonth),
                                   runtime::formatMoney(c.amount), m.currency, runtime::formatMoney(c.used));
    line += c.exhausted ? ", runs out in " + monthOf(c.exhausted) : std::string(", not exhausted");
    if (c.overageCost > 0)
      line += fmt::format(", overage paid {}", runtime::formatMoney(c.overageCost));
    if (c.unused)
      line += fmt::format(", unused {} charged at the end", runtime::formatMoney(*c.unused));
    else if (!c.whole)
      line += " (the period extends beyond the forecast)";
    out += line + "\n";
    if (bands && k < bands->commitRunOut.size())
      out += "    " + runOutText(r, bands->commitRunOut[k]) + "\n";
  }
  if (!r.budgets.empty())
    out += "\n" + paint.bold("Budgets") + "\n";
  for (size_t k = 0; k < r.budgets.size(); ++k) {
    const BudgetReport &b = r.budgets[k];
    std::string name = b.label.empty() ? "budget" : "\"" + b.label + "\"";
    std::string head = fmt::format("  {} {} {} per {}", name, runtime::formatMoney(b.limit), m.currency,
                                   b.perYear ? "year" : "month");
    if (b.breaches.empty())
      out += head + ": kept\n";
    else
      out += head + ": " + paint.red(fmt::format("exceeded in {} period{}", b.breaches.size(), b.breaches.size() == 1 ? "" : "s")) + "\n";
    for (const BudgetBreach &x : b.breaches)
      out += fmt::format("    {}: {} ({} over){}\n", x.period, runtime::formatMoney(x.cost), runtime::formatMoney(x.over),
                         bands ? ", breached in " + percentText(bands->breachProbability(k, x.period)) + " of sampled forecasts" : "");
    if (!bands || k >= bands->budgets.size())
      continue;
    std::vector<std::string> others;
    for (const PeriodRisk &p : bands->budgets[k])
      if (std::none_of(b.breaches.begin(), b.breaches.end(), [&](const BudgetBreach &x) { return x.period == p.period; }))
        others.push_back(fmt::format("{} ({})", p.period, percentText(p.probability)));
    if (others.size() > 6) {
      size_t more = others.size() - 6;
      others.resize(6);
      others.push_back(fmt::format("and {} more period{}", more, more == 1 ? "" : "s"));
    }
    if (!others.empty())
      out += fmt::format("    {}at risk in sampled forecasts: {}\n", b.breaches.empty() ? "" : "also ", fmt::join(others, ", "));
    else if (b.breaches.empty())
      out += "    kept in every sampled forecast\n";
  }
  return out;
}

std::string forecastCsv(const ir::Module &m, const ForecastResult &r, const ForecastUncertainty *bands) {
  const ir::Forecast &f = m.forecasts[r.forecast];
  std::string out = "month";
  std::vector<std::string> pipelines;
  if (!r.months.empty())
    for (auto &[name, n] : runsByPipeline(m, f, r.months[0]))
      pipelines.push_back(name);
  for (const std::string &p : pipelines)
    out += "," + csvField("runs_" + p);
  for (const std::string &c : m.categories)
    out += "," + csvField(c);
  for (const std::string &p : pipelines)
    out += "," + csvField("cost_" + p);
  out += ",shared,cost,revenue,profit,cumulative_profit";
  if (bands)
    for (const char *name : {"cost", "profit", "cumulative_profit"})
      out += fmt::format(",{0}_p10,{0}_p50,{0}_p90", name);
  out += "\n";
  for (size_t i = 0; i < r.months.size(); ++i) {
    const ForecastMonth &mo = r.months[i];
    out += monthText(mo.year, mo.month);
    for (auto &[name, n] : runsByPipeline(m, f, mo))
      out += "," + csvNumber(n);
    for (double c : mo.byCategory)
      out += "," + csvNumber(c);
    for (auto &[name, c] : costByPipeline(m, f, mo))
      out += "," + csvNumber(c);
    out += fmt::format(",{},{},{},{},{}", csvNumber(mo.shared), csvNumber(mo.cost), csvNumber(mo.revenue),
                       csvNumber(mo.profit), csvNumber(mo.cumulativeProfit));
    if (bands && i < bands->months.size()) {
      const MonthBands &b = bands->months[i];
      for (const Band *band : {&b.cost, &b.profit, &b.cumulativeProfit})
        out += fmt::format(",{},{},{}", csvNumber(band->p10), csvNumber(band->p50), csvNumber(band->p90));
    }
    out += "\n";
  }
  return out;
}

} // namespace camp::analyses
