// JSON-RPC framing (`Content-Length` headers over a byte stream) and LSP position arithmetic.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace camp::lsp {

using json = nlohmann::json;

/// Reads one framed message body. nullopt at end of input; a frame with a bad or missing
/// Content-Length is skipped (its header lines are consumed) and reading goes on.
/// Bodies larger than `maxBytes` are read and dropped, and `tooLarge` is set.
std::optional<std::string> readMessage(FILE *in, bool &tooLarge, size_t maxBytes = size_t(256) << 20);

/// Writes one framed message and flushes.
void writeMessage(FILE *out, const std::string &body);

/// Byte offsets <-> LSP positions (0-based line, UTF-16 code units) over one text.
class LineMap {
public:
  explicit LineMap(const std::string &text);
  json position(uint32_t offset) const;           // {"line":…, "character":…}
  json range(uint32_t begin, uint32_t end) const; // {"start":…, "end":…}
  uint32_t offset(int line, int character) const; // clamped into the text
  uint32_t offset(const json &position) const;
  int lineOf(uint32_t offset) const; // 0-based
  uint32_t lineEnd(int line) const;  // offset of the line break (or text end)
  uint32_t lineStart(int line) const;
  int lineCount() const { return int(Starts.size()); }

private:
  const std::string &Text;
  std::vector<uint32_t> Starts;
};

/// file:///a/b.camp <-> /a/b.camp (percent-decoding and -encoding).
std::string uriToPath(const std::string &uri);
std::string pathToUri(const std::string &path);

} // namespace camp::lsp
