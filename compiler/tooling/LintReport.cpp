// Lint findings as text for people, camp.lint/1 JSON for tools, and SARIF 2.1.0 for code scanning.
#include <fmt/format.h>

#include "base/Text.h"
#include "tooling/Lint.h"

namespace camp::tooling {

std::string jsonString(const std::string &raw) {
  std::string s = text::repaired(raw); // any bytes in, valid JSON out
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (uint8_t(c) < 0x20)
        out += fmt::format("\\u{:04x}", unsigned(uint8_t(c)));
      else
        out += c;
    }
  }
  return out + "\"";
}

std::string renderLintText(const std::vector<Finding> &findings) {
  std::string out;
  for (const Finding &f : findings) {
    std::string where = f.line > 0 ? fmt::format("{}:{}:{}", f.file, f.line, f.column) : f.file;
    out += fmt::format("{}: {}: {} [{}]\n", where, levelName(f.level), f.message, f.rule);
    if (!f.help.empty())
      out += fmt::format("  help: {}\n", f.help);
  }
  return out;
}

std::string renderLintJson(const std::vector<Finding> &findings) {
  std::string out = "{\n  \"schema\": \"camp.lint/1\",\n  \"findings\": [";
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding &f = findings[i];
    out += fmt::format("{}\n    {{\"rule\": {}, \"level\": \"{}\", \"message\": {}, \"help\": {}, \"file\": {}, "
                       "\"line\": {}, \"column\": {}, \"end_line\": {}, \"end_column\": {}}}",
                       i == 0 ? "" : ",", jsonString(f.rule), levelName(f.level), jsonString(f.message),
                       jsonString(f.help), jsonString(f.file), f.line, f.column, f.endLine, f.endColumn);
  }
  out += findings.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

namespace {

// SARIF wants URIs: relative paths stay relative (GitHub resolves them against the checkout),
// absolute ones become file:// URIs; either way, characters outside the URI set are escaped.
std::string toUri(const std::string &path) {
  std::string out;
  for (char c : path) {
    bool plain = std::isalnum(uint8_t(c)) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    out += plain ? std::string(1, c) : fmt::format("%{:02X}", unsigned(uint8_t(c)));
  }
  while (out.rfind("./", 0) == 0)
    out.erase(0, 2);
  return !path.empty() && path[0] == '/' ? "file://" + out : out;
}

int ruleIndex(const std::vector<LintRule> &rules, const std::string &id) {
  for (size_t i = 0; i < rules.size(); ++i)
    if (id == rules[i].id)
      return int(i);
  return -1;
}

// The compiler's diagnostic kinds as SARIF rules, read from the one diagnostics table.
const std::vector<LintRule> &compilerRules() {
  static const std::vector<LintRule> rules = [] {
    std::vector<LintRule> out;
    for (const diag::TableEntry &e : diag::diagnosticTable()) {
      if (std::string(e.channel) != "compiler")
        continue;
      std::string level = e.level;
      out.push_back({e.name, level == "error" ? LintLevel::Error : level == "warning" ? LintLevel::Warning : LintLevel::Note,
                     e.explanation, "Run `camp explain` with this code for more."});
    }
    return out;
  }();
  return rules;
}

} // namespace

std::vector<Finding> diagnosticsAsFindings(const diag::DiagnosticEngine &diags) {
  std::vector<Finding> out;
  for (const diag::Diagnostic &d : diags.diagnostics()) {
    Finding f;
    f.rule = diag::kindName(d.kind);
    f.level = d.level == diag::Level::Error ? LintLevel::Error : d.level == diag::Level::Warning ? LintLevel::Warning : LintLevel::Note;
    f.message = d.message;
    f.help = d.help;
    if (d.range.valid()) {
      const SourceFile &sf = diags.sources().file(d.range.file);
      LineCol b = sf.lineCol(d.range.begin), e = sf.lineCol(std::max(d.range.end, d.range.begin));
      f.file = sf.path();
      f.line = b.line;
      f.column = b.column;
      f.endLine = e.line;
      f.endColumn = std::max(e.column, e.line == b.line ? b.column + 1 : e.column);
    }
    out.push_back(std::move(f));
  }
  return out;
}

// The rules array of a SARIF run: the same text on every call, so it is rendered once per process.
static const std::string &sarifRules(bool lint) {
  auto render = [](const std::vector<LintRule> &all) {
    std::string rules;
    for (size_t i = 0; i < all.size(); ++i) {
      const LintRule &r = all[i];
      rules += fmt::format("{}\n            {{\"id\": {}, \"shortDescription\": {{\"text\": {}}}, "
                           "\"fullDescription\": {{\"text\": {}}}, \"help\": {{\"text\": {}}}, "
                           "\"defaultConfiguration\": {{\"level\": \"{}\"}}}}",
                           i == 0 ? "" : ",", jsonString(r.id), jsonString(r.summary),
                           jsonString(std::string(r.summary) + " " + r.help), jsonString(r.help), levelName(r.level));
    }
    return rules;
  };
  static const std::string lintRulesJson = render(lintRules()), compilerRulesJson = render(compilerRules());
  return lint ? lintRulesJson : compilerRulesJson;
}

std::string renderSarif(const std::vector<Finding> &findings, const std::string &toolVersion, const std::string &tool) {
  bool lint = tool == "lint";
  const auto &all = lint ? lintRules() : compilerRules();
  const std::string &rules = sarifRules(lint);
  std::string results;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding &f = findings[i];
    std::string region;
    if (f.line > 0)
      region = fmt::format(", \"region\": {{\"startLine\": {}, \"startColumn\": {}, \"endLine\": {}, \"endColumn\": {}}}",
                           f.line, std::max(1, f.column), std::max(f.line, f.endLine),
                           std::max(1, f.endLine > f.line ? f.endColumn : std::max(f.endColumn, f.column + 1)));
    std::string message = f.help.empty() ? f.message : f.message + ". " + f.help;
    results += fmt::format("{}\n        {{\"ruleId\": {}, \"ruleIndex\": {}, \"level\": \"{}\", \"message\": {{\"text\": {}}}, "
                           "\"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}{}}}}}]}}",
                           i == 0 ? "" : ",", jsonString(f.rule), ruleIndex(all, f.rule), levelName(f.level),
                           jsonString(message), jsonString(toUri(f.file)), region);
  }
  return fmt::format("{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
                     "  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {{\n"
                     "          \"name\": \"{}\",\n          \"fullName\": \"{}\",\n"
                     "          \"version\": {},\n          \"semanticVersion\": {},\n"
                     "          \"rules\": [{}\n          ]\n        }}\n      }},\n"
                     "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [{}{}]\n    }}\n  ]\n}}\n",
                     lint ? "camp-lint" : "camp-check",
                     lint ? "camp lint (Camp cost-model linter)" : "camp check (Camp cost-model compiler)",
                     jsonString(toolVersion), jsonString(toolVersion), rules, results, findings.empty() ? "" : "\n      ");
}

} // namespace camp::tooling
