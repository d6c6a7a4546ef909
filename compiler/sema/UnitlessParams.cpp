// Finds unit errors whose cause is a param without a unit and reports the cause once instead.
#include "sema/UnitlessParams.h"

#include <cctype>
#include <fmt/format.h>
#include <map>

#include "diag/Messages.h"

namespace camp::sema {

namespace {

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Whether `text` reads the name `name` as a whole word (not `x.name`, not `names`).
bool mentions(std::string_view text, const std::string &name) {
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    bool startOk = at == 0 || (!identChar(text[at - 1]) && text[at - 1] != '.');
    size_t end = at + name.size();
    bool endOk = end >= text.size() || !identChar(text[end]);
    if (startOk && endOk)
      return true;
  }
  return false;
}

// The unit the param probably lacks, from what a cost line came out in without it: a line in
// `h` needs `USD/h`; a plain number needs `USD`. Empty when there is no simple answer.
std::string probableUnit(const diag::Diagnostic &d, const std::string &currency) {
  if (d.kind != diag::Kind::NotMoney || currency.empty())
    return "";
  const std::string &have = d.label;
  if (have.empty() || have == "a plain number")
    return currency;
  for (char c : have)
    if (!identChar(c))
      return "";
  return currency + "/" + have;
}

} // namespace

void explainUnitlessParams(const std::vector<ast::File> &files, const std::string &currency,
                           diag::DiagnosticEngine &diags) {
  std::map<std::string, const ast::ParamDecl *> unitless;
  for (const ast::File &f : files)
    for (const ast::ParamDecl &p : f.params)
      if (p.value && p.value->kind == ast::ExprKind::Number && !p.value->unit && !p.value->percent)
        unitless[p.name.name] = &p;
  if (unitless.empty())
    return;
  std::map<std::string, std::vector<const diag::Diagnostic *>> causedBy;
  for (const diag::Diagnostic &d : diags.diagnostics()) {
    if ((d.kind != diag::Kind::NotMoney && d.kind != diag::Kind::UnitMismatch) || !d.range.valid())
      continue;
    std::string_view text = std::string_view(diags.sources().file(d.range.file).text())
                                .substr(d.range.begin, d.range.end - d.range.begin);
    for (auto &[name, decl] : unitless)
      if (mentions(text, name)) {
        causedBy[name].push_back(&d);
        break;
      }
  }
  if (causedBy.empty())
    return;
  struct Replacement {
    std::string name;
    size_t uses;
    diag::Diagnostic r; // its range, label, help and notes; the message is the table's
  };
  std::vector<Replacement> replacements;
  for (auto &[name, uses] : causedBy) {
    const ast::ParamDecl &p = *unitless[name];
    diag::Diagnostic r;
    r.range = p.value->range;
    r.label = "a plain number";
    std::string unit = probableUnit(*uses[0], currency);
    std::string written(diags.sources().file(p.value->range.file).text().substr(
        p.value->range.begin, p.value->range.end - p.value->range.begin));
    r.help = unit.empty() ? fmt::format("write the unit after the number, e.g. `param {} = {} USD/h`", name, written)
                          : fmt::format("it probably lacks `{}`: write `param {} = {} {}`", unit, name, written, unit);
    for (size_t i = 0; i < uses.size() && i < 3; ++i)
      r.notes.push_back({uses[i]->range, "used here: " + uses[i]->message});
    if (uses.size() > 3)
      r.notes.push_back({SourceRange{}, fmt::format("and {} more places", uses.size() - 3)});
    replacements.push_back({name, uses.size(), std::move(r)});
  }
  diags.removeIf([&](const diag::Diagnostic &d) {
    for (auto &[name, uses] : causedBy)
      for (const diag::Diagnostic *u : uses)
        if (u == &d)
          return true;
    return false;
  });
  for (Replacement &rep : replacements) {
    diag::Diagnostic &r = rep.r;
    diag::Diagnostic &d =
        rep.uses == 1 ? diag::report<diag::msg::UnitlessParamOnePlace>(diags, r.range, diag::arg::Name{rep.name})
                      : diag::report<diag::msg::UnitlessParamPlaces>(diags, r.range, diag::arg::Name{rep.name},
                                                                     diag::arg::Count{int64_t(rep.uses)});
    d.label = r.label;
    d.help = r.help;
    d.notes = std::move(r.notes);
  }
}

} // namespace camp::sema
