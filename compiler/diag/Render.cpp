// The renderers every channel shares: records as text, camp.diagnostics/1 or camp.lint/1 JSON, and SARIF.
#include "diag/Render.h"

#include "base/Text.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace camp::diag {

Place placeOf(const SourceManager &sm, SourceRange range) {
  if (!range.valid())
    return {};
  const SourceFile &f = sm.file(range.file);
  LineCol b = f.lineCol(range.begin), e = f.lineCol(std::max(range.end, range.begin));
  return {f.path(), b.line, b.column, e.line, e.column};
}

const char *levelWord(Level l) {
  switch (l) {
  case Level::Error:
    return "error";
  case Level::Warning:
    return "warning";
  case Level::Note:
    return "note";
  }
  return "error";
}

namespace {

struct Style {
  bool on;
  std::string bold(const std::string &s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string level(Level l) const {
    std::string w = levelWord(l);
    if (!on)
      return w;
    const char *c = l == Level::Error ? "\033[1;31m" : l == Level::Warning ? "\033[1;35m" : "\033[1;36m";
    return c + w + "\033[0m";
  }
  std::string caret(const std::string &s) const { return on ? "\033[1;32m" + s + "\033[0m" : s; }
};

// Prints the source line of `range` with a caret under its first character and `~` under the rest.
void renderSnippet(std::string &out, const SourceManager &sm, SourceRange range, const std::string &label,
                   const Style &st) {
  if (!range.valid())
    return;
  const SourceFile &f = sm.file(range.file);
  LineCol b = f.lineCol(range.begin);
  std::string_view text = f.lineText(b.line);
  // A very long line (generated, minified): show a window of it around the column.
  constexpr int kWindow = 100;
  int skipped = 0;
  if (b.column > kWindow) {
    skipped = b.column - kWindow / 2;
    size_t byte = f.offsetOf(b.line, skipped + 1) - f.offsetOf(b.line, 1);
    text = text.substr(byte);
  }
  if (text.size() > size_t(2 * kWindow))
    text = text.substr(0, size_t(2 * kWindow));
  std::string lineNo = std::to_string(b.line);
  std::string gutter(lineNo.size(), ' ');
  std::string shown = skipped ? "…" : "";
  for (char c : text)
    shown += (c == '\t') ? ' ' : c;
  // The range's last character starts at its last lead byte (`é` is two bytes, one column).
  uint32_t last = std::max(range.end, range.begin + 1) - 1;
  std::string_view all = f.text();
  while (last > range.begin && last < all.size() && (uint8_t(all[last]) & 0xC0) == 0x80)
    --last;
  LineCol e0 = f.lineCol(last);
  int width0 = e0.line == b.line ? std::max(1, e0.column - b.column + 1) : 1 << 20;
  if (skipped)
    b.column = b.column - skipped + 1;
  out += fmt::format(" {} | {}\n", lineNo, shown);
  int width = width0;
  int textCols = 0;
  for (char c : shown)
    if ((uint8_t(c) & 0xC0) != 0x80)
      ++textCols;
  if (width > textCols - b.column + 1)
    width = std::max(1, textCols - b.column + 1);
  std::string marks = "^" + std::string(size_t(width - 1), '~');
  out += fmt::format(" {} | {}{}{}\n", gutter, std::string(size_t(b.column - 1), ' '), st.caret(marks),
                     label.empty() ? "" : " " + label);
}

std::string location(const Place &p) {
  if (!p.hasLine())
    return "";
  return fmt::format("{}:{}:{}: ", p.file, p.line, p.column);
}

std::string compilerText(const Record &r, const SourceManager *sm, const TextOptions &opts) {
  Style st{opts.colour};
  bool snippet = opts.snippet && sm;
  std::string out =
      st.bold(location(r.place)) + st.level(r.level) + ": " + st.bold(r.message) + " [" + r.code + "]\n";
  if (snippet)
    renderSnippet(out, *sm, r.range, r.label, st);
  for (const RecordNote &n : r.notes) {
    out += st.bold(location(n.place)) + st.level(Level::Note) + ": " + n.message + "\n";
    if (snippet)
      renderSnippet(out, *sm, n.range, "", st);
  }
  if (!r.help.empty())
    out += st.bold("help") + ": " + r.help + "\n";
  return text::repaired(out); // a cut long line or bytes from the command line: never print invalid UTF-8
}

// Lint's layout has never had colour, snippets or notes: a finding is a line and its help.
std::string lintText(const Record &r) {
  const Place &p = r.place;
  std::string where = p.hasLine() ? fmt::format("{}:{}:{}", p.file, p.line, p.column) : p.file;
  std::string out = fmt::format("{}: {}: {} [{}]\n", where, levelWord(r.level), r.message, r.code);
  if (!r.help.empty())
    out += fmt::format("  help: {}\n", r.help);
  return out;
}

// A command-line error has no place: the program's name stands where the file would.
std::string commandLineText(const Record &r, const TextOptions &opts) {
  Style st{opts.colour};
  std::string out = "camp: " + st.level(r.level) + ": " + r.message + " [" + r.code + "]\n";
  if (!r.help.empty())
    out += st.bold("help") + ": " + r.help + "\n";
  return out;
}

nlohmann::json placeJson(const Place &p) {
  if (!p.hasLine())
    return nullptr;
  return {{"file", p.file}, {"line", p.line}, {"column", p.column}, {"end_line", p.endLine}, {"end_column", p.endColumn}};
}

std::string diagnosticsJson(const std::vector<Record> &records, int errors, int warnings) {
  nlohmann::json list = nlohmann::json::array();
  for (const Record &r : records) {
    nlohmann::json notes = nlohmann::json::array();
    for (const RecordNote &n : r.notes)
      notes.push_back({{"message", n.message}, {"location", placeJson(n.place)}});
    list.push_back({{"severity", levelWord(r.level)},
                    {"code", r.code},
                    {"message", r.message},
                    {"location", placeJson(r.place)},
                    {"label", r.label},
                    {"notes", notes},
                    {"help", r.help}});
  }
  nlohmann::json root = {
      {"schema", "camp.diagnostics/1"}, {"errors", errors}, {"warnings", warnings}, {"diagnostics", list}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string lintJson(const std::vector<Record> &records) {
  std::string out = "{\n  \"schema\": \"camp.lint/1\",\n  \"findings\": [";
  for (size_t i = 0; i < records.size(); ++i) {
    const Record &r = records[i];
    const Place &p = r.place;
    out += fmt::format("{}\n    {{\"rule\": {}, \"level\": \"{}\", \"message\": {}, \"help\": {}, \"file\": {}, "
                       "\"line\": {}, \"column\": {}, \"end_line\": {}, \"end_column\": {}}}",
                       i == 0 ? "" : ",", jsonString(r.code), levelWord(r.level), jsonString(r.message),
                       jsonString(r.help), jsonString(p.file), p.line, p.column, p.endLine, p.endColumn);
  }
  out += records.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

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

struct SarifRule {
  std::string id, level, summary, help;
};

// A channel's rules, read from the one diagnostics table: lint rules, or the compiler's kinds.
const std::vector<SarifRule> &sarifRules(bool lint) {
  auto collect = [](bool lint) {
    std::vector<SarifRule> out;
    for (const TableEntry &e : diagnosticTable()) {
      if (std::string(e.channel) != (lint ? "lint" : "compiler"))
        continue;
      out.push_back({e.name, e.level, e.explanation, lint ? e.help : "Run `camp explain` with this code for more."});
    }
    return out;
  };
  static const std::vector<SarifRule> lintRules = collect(true), compilerRules = collect(false);
  return lint ? lintRules : compilerRules;
}

int ruleIndex(const std::vector<SarifRule> &rules, const std::string &id) {
  for (size_t i = 0; i < rules.size(); ++i)
    if (id == rules[i].id)
      return int(i);
  return -1;
}

// The rules array of a SARIF run: the same text on every call, so it is rendered once per process.
const std::string &sarifRulesJson(bool lint) {
  auto render = [](const std::vector<SarifRule> &all) {
    std::string rules;
    for (size_t i = 0; i < all.size(); ++i) {
      const SarifRule &r = all[i];
      rules += fmt::format("{}\n            {{\"id\": {}, \"shortDescription\": {{\"text\": {}}}, "
                           "\"fullDescription\": {{\"text\": {}}}, \"help\": {{\"text\": {}}}, "
                           "\"defaultConfiguration\": {{\"level\": \"{}\"}}}}",
                           i == 0 ? "" : ",", jsonString(r.id), jsonString(r.summary),
                           jsonString(r.summary + " " + r.help), jsonString(r.help), r.level);
    }
    return rules;
  };
  static const std::string lintJson = render(sarifRules(true)), compilerJson = render(sarifRules(false));
  return lint ? lintJson : compilerJson;
}

std::string sarifResult(const Record &r, const std::vector<SarifRule> &rules) {
  const Place &p = r.place;
  std::string region;
  if (p.hasLine())
    region = fmt::format(", \"region\": {{\"startLine\": {}, \"startColumn\": {}, \"endLine\": {}, \"endColumn\": {}}}",
                         p.line, std::max(1, p.column), std::max(p.line, p.endLine),
                         std::max(1, p.endLine > p.line ? p.endColumn : std::max(p.endColumn, p.column + 1)));
  std::string message = r.help.empty() ? r.message : r.message + ". " + r.help;
  return fmt::format("{{\"ruleId\": {}, \"ruleIndex\": {}, \"level\": \"{}\", \"message\": {{\"text\": {}}}, "
                     "\"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}{}}}}}]}}",
                     jsonString(r.code), ruleIndex(rules, r.code), levelWord(r.level), jsonString(message),
                     jsonString(toUri(p.file)), region);
}

} // namespace

std::string renderText(const Record &r, const SourceManager *sm, const TextOptions &opts) {
  switch (opts.style) {
  case TextStyle::Compiler:
    return compilerText(r, sm, opts);
  case TextStyle::Lint:
    return lintText(r);
  case TextStyle::CommandLine:
    return commandLineText(r, opts);
  }
  return compilerText(r, sm, opts);
}

std::string renderJson(const std::vector<Record> &records, JsonStyle style, int errors, int warnings) {
  return style == JsonStyle::Lint ? lintJson(records) : diagnosticsJson(records, errors, warnings);
}

std::string renderSarif(const std::vector<Record> &records, const std::string &toolVersion, const std::string &tool) {
  bool lint = tool == "lint";
  const std::vector<SarifRule> &rules = sarifRules(lint);
  std::string results;
  for (size_t i = 0; i < records.size(); ++i)
    results += std::string(i == 0 ? "" : ",") + "\n        " + sarifResult(records[i], rules);
  return fmt::format("{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
                     "  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {{\n"
                     "          \"name\": \"{}\",\n          \"fullName\": \"{}\",\n"
                     "          \"version\": {},\n          \"semanticVersion\": {},\n"
                     "          \"rules\": [{}\n          ]\n        }}\n      }},\n"
                     "      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [{}{}]\n    }}\n  ]\n}}\n",
                     lint ? "camp-lint" : "camp-check",
                     lint ? "camp lint (Camp cost-model linter)" : "camp check (Camp cost-model compiler)",
                     jsonString(toolVersion), jsonString(toolVersion), sarifRulesJson(lint), results, records.empty() ? "" : "\n      ");
}

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

} // namespace camp::diag
