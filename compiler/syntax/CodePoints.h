// The one bridge between ANTLR's code-point input and Camp's byte offsets (Parser and Tokens).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"
#include "base/Text.h"

namespace camp::syntax {

// ANTLR's own ANTLRInputStream silently drops a leading U+FEFF and throws on UTF-8 it dislikes
// (std::wstring_convert). Camp decodes and encodes text itself (base/Text.h) and removes the
// file's BOM once, when it reads the file; a second U+FEFF is whitespace (LANGUAGE.md, "Lexical")
// and must stay in the stream, or every code-point index after it is off by one.
class CodePointStream : public antlr4::ANTLRInputStream {
public:
  explicit CodePointStream(std::string_view validText) {
    _data = text::decode(validText);
    p = 0;
  }
  std::string getText(const antlr4::misc::Interval &interval) override {
    if (interval.a < 0 || interval.b < 0 || size_t(interval.a) >= _data.size())
      return "";
    size_t start = size_t(interval.a), stop = std::min(size_t(interval.b), _data.size() - 1);
    if (stop < start)
      return "";
    return text::encode(std::u32string_view(_data).substr(start, stop - start + 1));
  }
  std::string toString() const override { return text::encode(_data); }
};

// ANTLR's char indices are code points; the rest of Camp counts bytes. Convert once, here.
class OffsetMap {
public:
  explicit OffsetMap(const std::string &text) {
    for (uint32_t i = 0; i < text.size(); ++i)
      if ((uint8_t(text[i]) & 0xC0) != 0x80)
        Starts.push_back(i);
    Starts.push_back(uint32_t(text.size()));
  }
  uint32_t byteOf(size_t codePoint) const { return Starts[std::min(codePoint, Starts.size() - 1)]; }
  bool identity() const { return Starts.size() == Starts.back() + 1; }

private:
  std::vector<uint32_t> Starts;
};

} // namespace camp::syntax
