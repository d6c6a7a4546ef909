// JSON-RPC framing and LSP positions: UTF-16 columns, because that is what every client counts.
#include "lsp/Protocol.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace camp::lsp {

namespace {

bool readLine(FILE *in, std::string &line) {
  line.clear();
  int c;
  while ((c = std::fgetc(in)) != EOF) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      return true;
    }
    if (line.size() < 8192) // a header line longer than this is garbage; keep reading to its end
      line.push_back(char(c));
  }
  return !line.empty();
}

bool startsWithNoCase(const std::string &s, const char *prefix) {
  size_t n = std::strlen(prefix);
  if (s.size() < n)
    return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(uint8_t(s[i])) != std::tolower(uint8_t(prefix[i])))
      return false;
  return true;
}

} // namespace

std::optional<std::string> readMessage(FILE *in, bool &tooLarge, size_t maxBytes) {
  tooLarge = false;
  for (;;) {
    std::string line;
    long long length = -1;
    bool sawHeader = false;
    for (;;) {
      if (!readLine(in, line))
        return std::nullopt;
      if (line.empty()) {
        if (sawHeader)
          break;
        continue; // stray blank lines between messages
      }
      sawHeader = true;
      if (startsWithNoCase(line, "content-length:")) {
        const char *p = line.c_str() + 15;
        char *end = nullptr;
        long long v = std::strtoll(p, &end, 10);
        length = (end != p && v >= 0) ? v : -1;
      }
    }
    if (length < 0)
      continue; // no usable length: skip this header block
    if (size_t(length) > maxBytes) {
      for (long long i = 0; i < length; ++i)
        if (std::fgetc(in) == EOF)
          return std::nullopt;
      tooLarge = true;
      return std::string();
    }
    std::string body(size_t(length), '\0');
    size_t got = length ? std::fread(body.data(), 1, size_t(length), in) : 0;
    if (got < size_t(length))
      return std::nullopt;
    return body;
  }
}

void writeMessage(FILE *out, const std::string &body) {
  std::fprintf(out, "Content-Length: %zu\r\n\r\n", body.size());
  std::fwrite(body.data(), 1, body.size(), out);
  std::fflush(out);
}

LineMap::LineMap(const std::string &text) : Text(text) {
  Starts.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n')
      Starts.push_back(i + 1);
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      Starts.push_back(i + 1);
  }
}

int LineMap::lineOf(uint32_t offset) const {
  auto it = std::upper_bound(Starts.begin(), Starts.end(), offset);
  return int(it - Starts.begin()) - 1;
}

uint32_t LineMap::lineStart(int line) const {
  if (line < 0)
    return 0;
  if (size_t(line) >= Starts.size())
    return uint32_t(Text.size());
  return Starts[size_t(line)];
}

uint32_t LineMap::lineEnd(int line) const {
  uint32_t end = size_t(line + 1) < Starts.size() ? Starts[size_t(line + 1)] : uint32_t(Text.size());
  uint32_t begin = lineStart(line);
  while (end > begin && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
    --end;
  return end;
}

json LineMap::position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, uint32_t(Text.size()));
  int line = lineOf(offset);
  int units = 0;
  for (uint32_t i = Starts[size_t(line)]; i < offset;) {
    uint8_t c = uint8_t(Text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    units += n == 4 ? 2 : 1;
    i += uint32_t(n);
  }
  return {{"line", line}, {"character", units}};
}

json LineMap::range(uint32_t begin, uint32_t end) const {
  return {{"start", position(begin)}, {"end", position(std::max(begin, end))}};
}

uint32_t LineMap::offset(int line, int character) const {
  if (line < 0)
    return 0;
  if (size_t(line) >= Starts.size())
    return uint32_t(Text.size());
  uint32_t i = Starts[size_t(line)], end = lineEnd(line);
  int units = 0;
  while (i < end && units < character) {
    uint8_t c = uint8_t(Text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    units += n == 4 ? 2 : 1;
    i += uint32_t(n);
  }
  return std::min(i, end);
}

uint32_t LineMap::offset(const json &position) const {
  if (!position.is_object())
    return 0;
  auto num = [&](const char *key) {
    auto it = position.find(key);
    return it != position.end() && it->is_number_integer()
               ? int(std::clamp<long long>(it->get<long long>(), -1, 1 << 30))
               : 0;
  };
  return offset(num("line"), num("character"));
}

std::string uriToPath(const std::string &uri) {
  std::string s = uri;
  if (s.rfind("file://", 0) == 0)
    s = s.substr(7);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(uint8_t(s[i + 1])) && std::isxdigit(uint8_t(s[i + 2]))) {
      out.push_back(char(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string pathToUri(const std::string &path) {
  std::error_code ec;
  std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
  if (ec)
    abs = path;
  static const char *hex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : abs) {
    if (std::isalnum(c) || std::strchr("/-_.~", c))
      out.push_back(char(c));
    else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

} // namespace camp::lsp
