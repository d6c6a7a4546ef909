// Line tables for source files: offsets to line/column and back to the text of a line.
#include "base/Source.h"

#include <algorithm>

namespace camp {

SourceFile::SourceFile(std::string path, std::string text) : Path(std::move(path)), Text(std::move(text)) {
  LineStarts.push_back(0);
  for (uint32_t i = 0; i < Text.size(); ++i) {
    if (Text[i] == '\n')
      LineStarts.push_back(i + 1);
    else if (Text[i] == '\r' && (i + 1 >= Text.size() || Text[i + 1] != '\n'))
      LineStarts.push_back(i + 1);
  }
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, uint32_t(Text.size()));
  auto it = std::upper_bound(LineStarts.begin(), LineStarts.end(), offset);
  size_t line = size_t(it - LineStarts.begin()) - 1;
  int column = 1;
  for (uint32_t i = LineStarts[line]; i < offset; ++i)
    if ((uint8_t(Text[i]) & 0xC0) != 0x80) // count UTF-8 lead bytes only
      ++column;
  return {int(line) + 1, column};
}

std::string_view SourceFile::lineText(int line) const {
  if (line < 1 || line > int(LineStarts.size()))
    return {};
  uint32_t b = LineStarts[size_t(line) - 1];
  uint32_t e = line < int(LineStarts.size()) ? LineStarts[size_t(line)] : uint32_t(Text.size());
  while (e > b && (Text[e - 1] == '\n' || Text[e - 1] == '\r'))
    --e;
  return std::string_view(Text).substr(b, e - b);
}

uint32_t SourceFile::offsetOf(int line, int column) const {
  if (line < 1 || line > int(LineStarts.size()))
    return uint32_t(Text.size());
  uint32_t off = LineStarts[size_t(line) - 1];
  for (int c = 1; c < column && off < Text.size() && Text[off] != '\n'; ++off)
    if ((uint8_t(Text[off + 1]) & 0xC0) != 0x80)
      ++c;
  return off;
}

int32_t SourceManager::add(std::string path, std::string text) {
  Files.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return int32_t(Files.size() - 1);
}

} // namespace camp
