// Building a Snapshot (compile, index, evaluate, lint) and the diagnostics it publishes.
#include "lsp/Analysis.h"

#include <algorithm>

#include <cmath>
#include <filesystem>
#include <fmt/format.h>

#include "camp/Report.h"
#include "camp/Results.h"

namespace camp::lsp {

namespace {

int severityOf(diag::Level l) {
  switch (l) {
  case diag::Level::Error: return 1;
  case diag::Level::Warning: return 2;
  case diag::Level::Note: return 3;
  }
  return 1;
}

std::string sameFile(const std::string &a) {
  std::error_code ec;
  auto c = std::filesystem::weakly_canonical(std::filesystem::absolute(a, ec), ec);
  return ec ? a : c.string();
}

} // namespace

std::shared_ptr<Snapshot> Snapshot::analyse(const std::string &uri, const std::string &path, const std::string &text,
                                            int version, const AnalysisOptions &opts,
                                            const std::function<bool()> &cancelled) {
  auto s = std::make_shared<Snapshot>();
  s->uri = uri;
  s->path = path;
  s->text = text;
  s->version = version;
  s->Opts = opts;
  s->diags.setMaxErrors(200);
  CompileOptions co;
  co.stdlibPaths = opts.stdlibPaths;
  s->comp = compileText(path, text, s->diags, co);
  const SourceManager &sm = s->diags.sources();
  for (size_t i = 0; i < sm.size(); ++i) {
    s->maps.push_back(std::make_unique<LineMap>(sm.file(int32_t(i)).text()));
    s->uris.push_back(i == 0 ? uri : pathToUri(sm.file(int32_t(i)).path()));
  }
  if (s->comp && !s->comp->files.empty() && s->comp->files[0].fileId == 0)
    s->entryFile = 0;
  if (s->comp)
    s->index.build(s->comp->files);
  if (cancelled && cancelled())
    return s;
  if (s->checked())
    s->evaluate(path);
  return s;
}

void Snapshot::evaluate(const std::string &path) {
  const ir::Module &m = module();
  for (size_t i = 0; i < m.slots.size(); ++i)
    SlotByName.emplace(m.slots[i].name, int32_t(i));
  engine = runtime::makeInterpreter(m);
  params = m.nominalParams();
  slots.assign(m.slots.size(), 0.0);
  runtime::EvalError err;
  evaluated = engine->evalOne(params.data(), slots.data(), err);
  if (evaluated || err.loc < 0 || size_t(err.loc) >= m.locs.size())
    return;
  // A base-case division by zero is what `camp check` reports too: show it where it happens.
  const ir::Loc &loc = m.locs[size_t(err.loc)];
  const SourceManager &sm = diags.sources();
  std::string want = sameFile(loc.file);
  for (size_t f = 0; f < sm.size(); ++f) {
    if (sm.file(int32_t(f)).path() != loc.file && sameFile(sm.file(int32_t(f)).path()) != want)
      continue;
    const SourceFile &sf = sm.file(int32_t(f));
    diag::Diagnostic d;
    d.kind = err.kind == runtime::EvalErrorKind::DivisionByZero ? diag::Kind::DivisionByZero : diag::Kind::NotFinite;
    d.level = diag::Level::Error;
    uint32_t b = sf.offsetOf(loc.line, loc.column);
    uint32_t e = sf.offsetOf(loc.line, std::max(loc.endColumn, loc.column + 1));
    d.range = {int32_t(f), b, std::max(b, e)};
    d.message = runtime::describeError(m, err, slots.data()) + " (base case)";
    EvalDiags.push_back(std::move(d));
    break;
  }
}

void Snapshot::lint() {
  if (!checked() || !parsed())
    return;
  tooling::LintOptions lo;
  lo.stdlibPaths = Opts.stdlibPaths;
  lintFindings = tooling::lintCompilation(*comp, diags, path, lo);
}

json Snapshot::location(SourceRange r) const {
  if (!r.valid() || size_t(r.file) >= maps.size())
    return nullptr;
  return {{"uri", uris[size_t(r.file)]}, {"range", map(r.file).range(r.begin, r.end)}};
}

std::string Snapshot::sourceText(SourceRange r) const {
  if (!r.valid() || size_t(r.file) >= diags.sources().size())
    return "";
  const std::string &t = diags.sources().file(r.file).text();
  if (r.begin > t.size() || r.end > t.size() || r.end < r.begin)
    return "";
  return t.substr(r.begin, r.end - r.begin);
}

int32_t Snapshot::slotNamed(const std::string &name) const {
  auto it = SlotByName.find(name);
  return it == SlotByName.end() ? -1 : it->second;
}

std::string Snapshot::valueText(int32_t slot) const {
  if (!evaluated || slot < 0 || size_t(slot) >= slots.size())
    return "";
  return runtime::formatValue(slots[size_t(slot)], module().slots[size_t(slot)].unit);
}

json publishable(const Snapshot &s, bool withLint) {
  json byUri = json::object();
  for (const std::string &u : s.uris)
    byUri[u] = json::array();
  if (s.uris.empty())
    byUri[s.uri] = json::array();
  auto convert = [&](const diag::Diagnostic &d) {
    SourceRange r = d.range.valid() && size_t(d.range.file) < s.maps.size() ? d.range : SourceRange{0, 0, 0};
    std::string uri = size_t(r.file) < s.uris.size() ? s.uris[size_t(r.file)] : s.uri;
    json range = size_t(r.file) < s.maps.size()
                     ? s.map(r.file).range(r.begin, r.end)
                     : json{{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}};
    std::string message = d.message;
    json related = json::array();
    for (const diag::Note &n : d.notes) {
      if (n.range.valid() && size_t(n.range.file) < s.maps.size())
        related.push_back({{"location", s.location(n.range)}, {"message", n.message}});
      else
        message += "\nnote: " + n.message;
    }
    if (!d.help.empty())
      message += "\nhelp: " + d.help;
    json out = {{"range", range},
                {"severity", severityOf(d.level)},
                {"code", diag::kindName(d.kind)},
                {"source", "camp"},
                {"message", message}};
    if (!related.empty())
      out["relatedInformation"] = related;
    if (!d.help.empty())
      out["data"] = {{"help", d.help}};
    byUri[uri].push_back(out);
  };
  for (const diag::Diagnostic &d : s.diags.diagnostics())
    convert(d);
  for (const diag::Diagnostic &d : s.EvalDiags)
    convert(d);
  if (withLint && s.parsed()) {
    const LineMap &lm = s.map(s.entryFile);
    for (const tooling::Finding &f : s.lintFindings) {
      if (f.code == "compile-error")
        continue;
      // Lint columns count characters; walk the line to find the bytes.
      auto offsetOf = [&](int line, int column) {
        return line <= 0 ? 0u : s.diags.sources().file(s.entryFile).offsetOf(line, std::max(column, 1));
      };
      const diag::Place &p = f.place;
      uint32_t b = offsetOf(p.line, p.column), e = offsetOf(p.endLine ? p.endLine : p.line, p.endColumn);
      json d = {{"range", lm.range(b, std::max(b, e))},
                {"severity", f.level == tooling::LintLevel::Note ? 3 : 2},
                {"code", f.code},
                {"source", "camp lint"},
                {"message", f.help.empty() ? f.message : f.message + "\nhelp: " + f.help}};
      byUri[s.uri].push_back(d);
    }
  }
  return byUri;
}

// The bill of a metered line: the price applied to the line's own quantity at the base case.
// When bills are pooled per pipeline (issue 9), this is the one place to read the line's share
// of the pooled bill instead; the tier and allowance wording below stays the same.
// The line's pooled bill (LANGUAGE.md, "Billing"), described from the price's structure in the IR.
std::optional<Bill> Snapshot::bill(int pipeline, int stage, int line) const {
  if (!evaluated || pipeline < 0 || size_t(pipeline) >= module().pipelines.size())
    return std::nullopt;
  const ir::Pipeline &p = module().pipelines[size_t(pipeline)];
  if (stage < 0 || size_t(stage) >= p.stages.size() || line < 0 || size_t(line) >= p.stages[size_t(stage)].lines.size())
    return std::nullopt;
  const ir::CostLine &l = p.stages[size_t(stage)].lines[size_t(line)];
  if (l.meteredPrice < 0 || l.quantitySlot < 0)
    return std::nullopt;
  auto pooled = std::find_if(p.bills.begin(), p.bills.end(), [&](const ir::Bill &b) { return b.price == l.meteredPrice; });
  if (pooled == p.bills.end())
    return std::nullopt;
  const ir::Price &price = module().prices[size_t(l.meteredPrice)];
  auto at = [&](int32_t slot) { return slots[size_t(slot)]; };
  Bill b;
  b.quantity = at(pooled->quantitySlot);
  b.amount = at(pooled->costSlot);
  b.lines = pooled->lines;
  b.share = at(l.slot);
  if (!price.tiers.empty()) {
    size_t reached = price.tiers.size() - 1;
    for (size_t i = 0; i < price.tiers.size(); ++i)
      if (price.tiers[i].bound < 0 || b.quantity <= at(price.tiers[i].bound)) {
        reached = i;
        break;
      }
    std::string how = price.kind == ir::PriceKind::Volume ? "the whole quantity at" : "the last slice in";
    b.tier = fmt::format("{} tier {} of {}", how, reached + 1, price.tiers.size());
    if (price.tiers[reached].bound >= 0)
      b.tier += fmt::format(" (up to {})", runtime::formatValue(at(price.tiers[reached].bound), price.argUnit));
  }
  if (price.included >= 0) {
    double inc = at(price.included);
    b.allowance = fmt::format("{} included; {} billed", runtime::formatValue(inc, price.argUnit),
                              runtime::formatValue(std::max(0.0, b.quantity - inc), price.argUnit));
  }
  if (price.minimum >= 0) {
    double min = at(price.minimum);
    b.minimumApplies = std::fabs(b.amount - min) <= 1e-9 * std::max(1.0, std::fabs(min));
  }
  return b;
}

} // namespace camp::lsp
