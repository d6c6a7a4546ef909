// Source files held in memory, and the ranges diagnostics and the AST point into.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace camp {

/// A half-open byte range [begin, end) in one source file.
struct SourceRange {
  int32_t file = -1;
  uint32_t begin = 0, end = 0;
  bool valid() const { return file >= 0; }
};

struct LineCol {
  int line = 0, column = 0; // 1-based; column counts characters, not bytes
};

class SourceFile {
public:
  SourceFile(std::string path, std::string text);
  const std::string &path() const { return Path; }
  const std::string &text() const { return Text; }
  LineCol lineCol(uint32_t offset) const;
  std::string_view lineText(int line) const; // without the line break
  int lineCount() const { return int(LineStarts.size()); }
  /// The byte offset of a 1-based line and character column (clamped to the line).
  uint32_t offsetOf(int line, int column) const;

private:
  std::string Path, Text;
  std::vector<uint32_t> LineStarts;
};

/// Owns every file read during one compilation; ids are stable indices.
class SourceManager {
public:
  int32_t add(std::string path, std::string text);
  const SourceFile &file(int32_t id) const { return *Files[size_t(id)]; }
  size_t size() const { return Files.size(); }

private:
  std::vector<std::unique_ptr<SourceFile>> Files;
};

} // namespace camp
