// `correlate a, b = r`: two distinct uncertain params, each pair once, r a plain number in [-1, 1].
#include <fmt/format.h>
#include <map>

#include "base/Strings.h"
#include "diag/Messages.h"
#include "sema/Checker.h"
#include "sema/Constant.h"

namespace camp::sema {
namespace {

/// Whether a param is drawn in Monte Carlo runs: it has a range or a distribution.
bool isUncertain(const ParamInfo &p) { return p.range.has_value() || p.distKind != 0; }

/// The index of the param `name`, or -1 after reporting it.
int resolveParam(const ast::Ident &name, const Model &model, diag::DiagnosticEngine &diags) {
  std::vector<std::string> names;
  for (size_t p = 0; p < model.params.size(); ++p) {
    if (model.params[p].name == name.name)
      return int(p);
    names.push_back(model.params[p].name);
  }
  auto &d = diag::report<diag::msg::CorrelateNotAParam>(diags, name.range, diag::arg::Name{name.name});
  std::string near = closestName(name.name, names);
  d.help = near.empty() ? "only params (with a range or a distribution) can be correlated"
                        : fmt::format("did you mean `{}`?", near);
  return -1;
}

/// A correlated param must be drawn; a fixed one has nothing to correlate.
bool checkUncertain(int p, const ast::Ident &name, const Model &model, diag::DiagnosticEngine &diags) {
  const ParamInfo &info = model.params[size_t(p)];
  if (info.type.isError() || isUncertain(info))
    return true;
  auto &d = diag::report<diag::msg::CorrelatedButFixed>(diags, name.range, diag::arg::Name{name.name});
  d.help = fmt::format("give `{}` a distribution, e.g. `~ triangular(lo, mode, hi)`, or remove this line",
                       name.name);
  return false;
}

} // namespace

void checkCorrelations(std::vector<ast::File> &files, Model &model, const SourceManager &sm,
                       diag::DiagnosticEngine &diags) {
  std::map<std::pair<int, int>, SourceRange> seen;
  for (ast::File &f : files)
    for (ast::CorrelateDecl &c : f.correlations) {
      int a = resolveParam(c.a, model, diags), b = resolveParam(c.b, model, diags);
      if (a < 0 || b < 0)
        continue;
      if (a == b) {
        diag::report<diag::msg::CorrelatedWithItself>(diags, c.b.range, diag::arg::Name{c.a.name})
            .help = "name two different params: `correlate ctr, conversion = 0.5`";
        continue;
      }
      bool ok = checkUncertain(a, c.a, model, diags);
      ok = checkUncertain(b, c.b, model, diags) && ok;
      UnitTable units = model.units;
      auto value = evalConstant(*c.value, units, sm, diags, diag::arg::Phrase(diag::arg::Words{"a correlation"}),
                                [&](const std::string &n) {
                                  for (const ParamInfo &p : model.params)
                                    if (p.name == n)
                                      return std::string("param");
                                  return std::string();
                                });
      if (!value || !ok)
        continue;
      if (!value->type.isError() && !value->type.dim.none()) {
        diag::report<diag::msg::CorrelationNotPlain>(diags, c.value->range)
            .help = "write a number between -1 and 1, e.g. `= 0.6` (or `= 60%`)";
        continue;
      }
      if (!(value->value >= -1 && value->value <= 1)) {
        diag::report<diag::msg::CorrelationOutOfRange>(diags, c.value->range, diag::arg::Number{value->value})
            .help = "-1: opposite ranks, 0: unrelated, 1: the same ranks; e.g. `= 0.6`";
        continue;
      }
      std::pair<int, int> key = std::minmax(a, b);
      if (auto it = seen.find(key); it != seen.end()) {
        auto &d = diag::report<diag::msg::CorrelatedTwice>(diags, c.range, diag::arg::Name{c.a.name},
                                                           diag::arg::Name{c.b.name});
        d.notes.push_back({it->second, "first correlated here"});
        continue;
      }
      seen[key] = c.range;
      model.correlations.push_back({a, b, value->value, c.range});
    }
}

} // namespace camp::sema
