// Small string utilities shared by the front end: edit distance for "did you mean", number formatting.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace camp {

/// Levenshtein distance, capped: returns limit + 1 once the distance exceeds limit.
size_t editDistance(const std::string &a, const std::string &b, size_t limit = 64);

/// The candidate closest to `name` if it is close enough to be a likely typo, else "".
std::string closestName(const std::string &name, const std::vector<std::string> &candidates);

/// 1234567.891 -> "1,234,567.89" (fixed decimals, thousands separators).
std::string groupThousands(double value, int decimals);

/// Shortest round-trip text of a double ("0.1", "1400000", "1e+300").
std::string shortestDouble(double value);
/// The value rounded to 12 significant digits: what JSON and CSV print, so that float noise
/// never shows (948, not 948.0000000000001; LANGUAGE.md, "Results that tools print").
double roundToSignificant(double value);
/// The shortest decimal that reads back as roundToSignificant(value).
std::string cleanNumber(double value);

/// `NAME=VALUE` as `--set` (and `--param NAME=LO..HI`) take it: the name without the spaces
/// around it and the text after the first `=`. nullopt without an `=` or without a name.
std::optional<std::pair<std::string, std::string>> splitAssignment(const std::string &text);

/// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a
/// line break; as it is otherwise. Every CSV renderer uses this one.
std::string csvField(const std::string &text);
/// A number in CSV: cleanNumber (12 significant digits, as JSON), empty when not finite.
std::string csvNumber(double value);

} // namespace camp
