// Edit distance, name suggestions and number formatting for messages and reports.
#include "base/Strings.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace camp {

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each count one (so `chaep` is one step from `cheap`). Case is ignored.
size_t editDistance(const std::string &a, const std::string &b, size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit)
    return limit + 1;
  auto same = [](char x, char y) { return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y)); };
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t rowMin = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      rowMin = std::min(rowMin, cur[j]);
    }
    if (rowMin > limit)
      return limit + 1;
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

std::string closestName(const std::string &name, const std::vector<std::string> &candidates) {
  size_t limit = std::max<size_t>(1, name.size() / 3);
  std::string best;
  size_t bestDist = limit + 1;
  for (const std::string &c : candidates) {
    if (c == name)
      continue;
    size_t d = editDistance(name, c, limit);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

std::string groupThousands(double value, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(value), decimals);
  size_t dot = digits.find('.');
  std::string intPart = digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
  std::string out;
  for (size_t i = 0; i < intPart.size(); ++i) {
    if (i && (intPart.size() - i) % 3 == 0)
      out += ',';
    out += intPart[i];
  }
  bool negative = value < 0 && digits.find_first_not_of("0.,") != std::string::npos;
  return (negative ? "-" : "") + out + frac;
}

std::string shortestDouble(double value) { return fmt::format("{}", value); }

double roundToSignificant(double value) {
  if (!std::isfinite(value) || value == 0)
    return value == 0 ? 0.0 : value; // no negative zero
  double r = std::strtod(fmt::format("{:.12g}", value).c_str(), nullptr);
  return r == 0 ? 0.0 : r;
}

std::string cleanNumber(double value) { return shortestDouble(roundToSignificant(value)); }

std::string csvField(const std::string &text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csvNumber(double value) { return std::isfinite(value) ? cleanNumber(value) : ""; }

std::optional<std::pair<std::string, std::string>> splitAssignment(const std::string &text) {
  size_t eq = text.find('=');
  if (eq == std::string::npos)
    return std::nullopt;
  size_t begin = text.find_first_not_of(' '), end = text.find_last_not_of(' ', eq - 1);
  if (eq == 0 || begin >= eq || end == std::string::npos)
    return std::nullopt;
  return std::make_pair(text.substr(begin, end + 1 - begin), text.substr(eq + 1));
}

} // namespace camp
