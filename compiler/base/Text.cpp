// Strict UTF-8: one validator, one decoder, one repair for output; files read once, BOM and CRLF
// remembered. Nothing here throws on any input.
#include "base/Text.h"

#include <filesystem>
#include <fstream>

namespace camp::text {

namespace {

// Length of the valid sequence starting at s[i], or 0 when it is not valid UTF-8.
size_t sequenceLength(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? uint8_t(s[i + k]) : uint8_t(0); };
  auto cont = [&](size_t k, uint8_t lo = 0x80, uint8_t hi = 0xBF) {
    uint8_t c = at(k);
    return i + k < s.size() && c >= lo && c <= hi;
  };
  uint8_t c = at(0);
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return cont(1) ? 2 : 0;
  if (c == 0xE0)
    return cont(1, 0xA0) && cont(2) ? 3 : 0; // no overlong forms
  if (c == 0xED)
    return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0; // no surrogates
  if (c >= 0xE1 && c <= 0xEF)
    return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xF0)
    return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3)
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4)
    return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0; // nothing above U+10FFFF
  return 0;
}

} // namespace

size_t findInvalid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\0')
      return i;
    size_t n = sequenceLength(s, i);
    if (n == 0)
      return i;
    i += n;
  }
  return npos;
}

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = sequenceLength(s, i);
    if (n == 0) { // not expected for validated text; never fail
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    uint32_t c = uint8_t(s[i]);
    if (n == 2)
      c &= 0x1F;
    else if (n == 3)
      c &= 0x0F;
    else if (n == 4)
      c &= 0x07;
    for (size_t k = 1; k < n; ++k)
      c = (c << 6) | (uint8_t(s[i + k]) & 0x3F);
    out.push_back(char32_t(c));
    i += n;
  }
  return out;
}

void appendUtf8(std::string &out, char32_t cp) {
  uint32_t c = uint32_t(cp);
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
    c = 0xFFFD;
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6));
    out += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += char(0xE0 | (c >> 12));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xF0 | (c >> 18));
    out += char(0x80 | ((c >> 12) & 0x3F));
    out += char(0x80 | ((c >> 6) & 0x3F));
    out += char(0x80 | (c & 0x3F));
  }
}

std::string encode(std::u32string_view cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps)
    appendUtf8(out, c);
  return out;
}

std::string repaired(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = sequenceLength(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

Decoded fromFileBytes(std::string bytes) {
  Decoded d;
  d.badByte = findInvalid(bytes);
  if (!d.ok())
    return d;
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    d.layout.bom = true;
    bytes.erase(0, 3);
  }
  if (bytes.find("\r\n") == std::string::npos) {
    d.text = std::move(bytes);
    return d;
  }
  d.layout.crlf = true;
  d.text.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i)
    if (!(bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n'))
      d.text += bytes[i];
  return d;
}

std::string toFileBytes(std::string_view text, Layout layout) {
  std::string out;
  out.reserve(text.size() + 3);
  if (layout.bom)
    out += "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n' && layout.crlf)
      out += '\r';
    out += c;
  }
  return out;
}

ReadResult readFile(const std::string &path) {
  namespace fs = std::filesystem;
  ReadResult r;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    r.status = ReadStatus::Directory;
    return r;
  }
  if (!fs::exists(path, ec)) {
    r.status = ReadStatus::Missing;
    return r;
  }
  r.size = fs::file_size(path, ec);
  if (!ec && r.size > kMaxFileBytes) {
    r.status = ReadStatus::TooLarge;
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.status = ReadStatus::Unreadable;
    return r;
  }
  // Read at most one byte past the limit: a device such as /dev/zero never ends.
  std::string bytes;
  char chunk[1 << 16];
  while (in && bytes.size() <= kMaxFileBytes) {
    in.read(chunk, sizeof chunk);
    bytes.append(chunk, size_t(in.gcount()));
  }
  if (bytes.size() > kMaxFileBytes) {
    r.status = ReadStatus::TooLarge;
    r.size = bytes.size();
    return r;
  }
  return readBytes(std::move(bytes));
}

ReadResult readBytes(std::string bytes) {
  ReadResult r;
  r.size = bytes.size();
  r.decoded = fromFileBytes(bytes);
  if (!r.decoded.ok()) {
    r.status = ReadStatus::NotText;
    r.validPrefix = bytes.substr(0, r.decoded.badByte);
  }
  return r;
}

} // namespace camp::text
