// A directory of the JIT's object code, so that a model compiled once starts at once next time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace camp::backend {

/// Files `<key>.o` in one directory, each framed with a magic word, its length and a checksum,
/// so that a truncated or damaged file reads as a miss and is removed, never as code. Writes go
/// to a temporary file renamed into place: concurrent processes see a whole file or none. The
/// least recently used files are removed beyond `maxFiles` files or `maxBytes` bytes. Every failure to read or write is
/// a miss: the cache can make Camp faster, never make it fail.
///
/// The directory is trusted like the rest of the user's cache folder (as ccache's is): the
/// checksum catches damage, not tampering.
class ObjectStore {
public:
  explicit ObjectStore(std::filesystem::path directory, size_t maxFiles = 512,
                       uintmax_t maxBytes = uintmax_t(256) << 20);

  /// The object stored under `key` (hex digits), or nullopt.
  std::optional<std::string> load(const std::string &key) const;
  /// Stores `object` under `key`; false when it could not be written (nothing else happens).
  bool store(const std::string &key, std::string_view object) const;

  const std::filesystem::path &directory() const { return dir; }

  /// Identifies the program that produces the code: the GNU build ids of the executable and of
  /// every loaded libLLVM (an upgrade or rebuild of either gives new keys), or their sizes and
  /// modification times where a file has no build id.
  static std::string programIdentity();

  /// Where `camp` keeps the cache: $CAMP_CACHE_DIR if set ("off" or empty: none), else
  /// $XDG_CACHE_HOME/camp/jit, else $HOME/.cache/camp/jit; "" when none applies.
  static std::string defaultDirectory();

private:
  std::filesystem::path pathOf(const std::string &key) const;
  void evictBeyondLimit() const;

  std::filesystem::path dir;
  size_t maxFiles;
  uintmax_t maxBytes;
};

} // namespace camp::backend
