// Text handling in one place: strict UTF-8 validation, decoding, a BOM and CRLF remembered when
// a file is read (so `fmt` can write them back), and repair of arbitrary bytes for JSON output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace camp::text {

constexpr size_t npos = std::string_view::npos;

/// The offset of the first byte that is not strict UTF-8 text (RFC 3629: no overlong forms, no
/// surrogates, nothing above U+10FFFF, no truncated sequence), or of the first NUL; npos if none.
size_t findInvalid(std::string_view bytes);

/// Decodes text that findInvalid accepted into code points.
std::u32string decode(std::string_view valid);

/// Appends the UTF-8 form of `cp` (a surrogate or an out-of-range value becomes U+FFFD).
void appendUtf8(std::string &out, char32_t cp);
std::string encode(std::u32string_view codePoints);

/// `bytes` with every byte that is not part of valid UTF-8 replaced by U+FFFD, so that any string
/// can be written as JSON or to a terminal. Valid text is returned unchanged.
std::string repaired(std::string_view bytes);

/// How a file's text was stored on disk, beyond its characters.
struct Layout {
  bool bom = false;  // started with the UTF-8 byte-order mark EF BB BF
  bool crlf = false; // its lines ended with CR LF
};

/// A file's bytes turned into the text every stage works on: validated, the byte-order mark
/// removed and CR LF line ends turned into LF (both remembered in `layout`). On invalid input,
/// `badByte` is the offset of the first bad byte in the original bytes and `text` is empty.
struct Decoded {
  std::string text;
  Layout layout;
  size_t badByte = npos;
  bool ok() const { return badByte == npos; }
};
Decoded fromFileBytes(std::string bytes);

/// The bytes to write for `text` so that the file keeps its byte-order mark and line ends.
std::string toFileBytes(std::string_view text, Layout layout);

/// Reading a file from disk, with the reason when it cannot be used as a model.
enum class ReadStatus { Ok, Missing, Directory, TooLarge, Unreadable, NotText };
struct ReadResult {
  ReadStatus status = ReadStatus::Ok;
  Decoded decoded;
  std::string validPrefix; // NotText: the bytes before the bad one (valid text)
  uintmax_t size = 0;
};
constexpr uintmax_t kMaxFileBytes = uintmax_t(64) << 20;
ReadResult readFile(const std::string &path);
/// The same for bytes already in memory (an editor buffer, a fuzzer's input).
ReadResult readBytes(std::string bytes);

} // namespace camp::text
