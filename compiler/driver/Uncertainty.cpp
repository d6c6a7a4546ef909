// Helpers of the sampling commands: --precision parsing, sample export rows, correlation warnings.
#include "Uncertainty.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "Output.h"
#include "Console.h"
#include "analyses/Metrics.h"
#include "analyses/PairedDiff.h"

namespace camp::driver {

std::optional<double> parsePrecision(const std::string &text) {
  double v = 0;
  if (!analyses::parsePlainNumber(text, v) || !(v > 0 && v < 1)) {
    commandLineError(fmt::format("--precision {} is not a share of the mean", text),
                     "write the standard error you accept relative to the mean, e.g. --precision 0.5%");
    return std::nullopt;
  }
  return v;
}

std::string conditionsText(const EvalOptions &eval) {
  std::string out;
  if (!eval.scenario.empty() && eval.scenario != "base")
    out = fmt::format("scenario `{}`", eval.scenario);
  for (const std::string &s : eval.sets)
    out += (out.empty() ? "" : ", ") + std::string("--set ") + s;
  return out;
}

namespace {

/// The source range of an IR location, for a diagnostic.
SourceRange rangeOf(LoadedModel &model, int32_t locIndex) {
  const ir::Module &m = model.module();
  if (locIndex < 0 || size_t(locIndex) >= m.locs.size())
    return {};
  const ir::Loc &loc = m.locs[size_t(locIndex)];
  const SourceManager &sm = model.diags.sources();
  for (size_t f = 0; f < sm.size(); ++f) {
    if (sm.file(int32_t(f)).path() != loc.file)
      continue;
    uint32_t begin = sm.file(int32_t(f)).offsetOf(loc.line, loc.column);
    uint32_t end = sm.file(int32_t(f)).offsetOf(loc.line, loc.endColumn);
    return {int32_t(f), begin, std::max(end, begin + 1)};
  }
  return {};
}

std::string csvNumber(double v) { return std::isfinite(v) ? fmt::format("{}", v) : ""; }

bool isDrawn(const ir::Param &p) { return p.range.has_value() || p.dist.kind != ir::DistKind::None; }

} // namespace

void warnChangedCorrelations(LoadedModel &model, const std::vector<analyses::ChangedPair> &changed) {
  if (changed.empty())
    return;
  const ir::Module &m = model.module();
  int32_t at = -1;
  std::string pairs;
  for (const analyses::ChangedPair &c : changed) {
    for (const ir::Correlation &k : m.correlations)
      if (at < 0 && ((k.a == c.a && k.b == c.b) || (k.a == c.b && k.b == c.a)))
        at = k.loc;
    pairs += fmt::format("{}{}, {}: {:.2f} -> {:.2f}{}", pairs.empty() ? "" : "; ", m.params[c.a].name,
                         m.params[c.b].name, c.asked, c.used, c.written ? "" : " (not written)");
  }
  if (at < 0 && !m.correlations.empty())
    at = m.correlations.front().loc;
  auto &d = diag::report<diag::msg::CorrelationsAdjusted>(model.diags, rangeOf(model, at), diag::arg::Words{pairs});
  d.help = "make the correlations agree with each other (e.g. if a~b and b~c are strong, a~c cannot "
           "be strongly negative), or write the values above";
  printDiagnostics(model.diags, "text");
}

std::string sampleCsvHeader(const ir::Module &m, const std::vector<bool> &pinned,
                            const std::vector<analyses::MetricLabel> &metrics) {
  std::string out = "sample";
  for (size_t p = 0; p < m.params.size(); ++p)
    if (isDrawn(m.params[p]) && !(p < pinned.size() && pinned[p]))
      out += "," + m.params[p].name;
  for (const analyses::MetricLabel &l : metrics)
    out += "," + (l.name.find_first_of(",\"") == std::string::npos ? l.name : fmt::format("\"{}\"", l.name));
  return out + "\n";
}

std::string sampleCsvRows(const ir::Module &m, const std::vector<analyses::MetricLabel> &metrics,
                          uint64_t first, size_t n, const std::vector<const double *> &params,
                          const std::vector<const double *> &values, const uint8_t *skip) {
  std::string out;
  out.reserve(n * 16 * (1 + params.size() + values.size()));
  for (size_t i = 0; i < n; ++i) {
    out += fmt::format("{}", first + i);
    for (size_t p = 0; p < params.size(); ++p)
      if (params[p])
        out += "," + csvNumber(analyses::shownValue(params[p][i], m.params[p].unit));
    for (size_t k = 0; k < values.size(); ++k)
      out += "," + (skip[i] ? std::string() : csvNumber(analyses::shownValue(values[k][i], m.slots[metrics[k].slot].unit)));
    out += "\n";
  }
  return out;
}

#ifdef CAMP_HAVE_TOOLING
bool addUncertainty(tooling::ModelDelta &delta, const std::string &oldPath, const std::string &newPath,
                    const PairedCliOptions &options, std::vector<std::pair<std::string, double>> &exceeded) {
  std::unique_ptr<LoadedModel> models[2] = {loadModel(oldPath), loadModel(newPath)};
  if (!models[0] || !models[1])
    return false;
  std::unique_ptr<runtime::Engine> engines[2];
  analyses::PairedSide sides[2];
  std::vector<std::string> names; // pipelines on both sides, in the delta's order
  for (const tooling::PipelineDelta &p : delta.pipelines)
    if (models[0]->module().findSlot(p.name + ".cost") >= 0 && models[1]->module().findSlot(p.name + ".cost") >= 0)
      names.push_back(p.name);
  if (names.empty())
    return true;
  for (int v = 0; v < 2; ++v) {
    const ir::Module &m = models[v]->module();
    engines[v] = makeEngine(m, options.engine);
    if (!engines[v])
      return false;
    sides[v].module = &m;
    sides[v].engine = engines[v].get();
    sides[v].baseParams = m.nominalParams();
    for (const std::string &name : names) {
      sides[v].slots.push_back(m.findSlot(name + ".cost"));
      sides[v].slots.push_back(m.findSlot(name + ".profit"));
    }
  }
  analyses::PairedOptions po;
  po.samples = options.samples;
  po.seed = options.seed;
  po.threads = options.threads;
  std::string problem;
  auto r = analyses::runPaired(sides[0], sides[1], po, problem);
  if (!r) {
    commandLineError(problem, "fix the distribution's arguments in the model");
    return false;
  }
  auto figure = [](const analyses::PairedMetric &m) {
    tooling::UncertainFigure f;
    f.oldP10 = m.before.p10, f.oldP50 = m.before.p50, f.oldP90 = m.before.p90;
    f.newP10 = m.after.p10, f.newP50 = m.after.p50, f.newP90 = m.after.p90;
    f.p10 = m.change.p10, f.p50 = m.change.p50, f.p90 = m.change.p90;
    f.pIncrease = m.pIncrease;
    return f;
  };
  for (tooling::PipelineDelta &p : delta.pipelines) {
    auto it = std::find(names.begin(), names.end(), p.name);
    if (it == names.end())
      continue;
    size_t k = size_t(it - names.begin());
    tooling::UncertainDelta u;
    u.samples = r->samples, u.used = r->used, u.seed = options.seed;
    u.cost = figure(r->metrics[2 * k]);
    u.profit = figure(r->metrics[2 * k + 1]);
    p.uncertain = u;
    if (options.failAbove && options.probability >= 0) {
      double share = r->metrics[2 * k].shareAbove(*options.failAbove);
      if (share > options.probability)
        exceeded.push_back({p.name, share});
    }
  }
  return true;
}
#endif

} // namespace camp::driver
