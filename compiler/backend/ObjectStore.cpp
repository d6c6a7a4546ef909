// The on-disk store of JIT object code: framed files, atomic writes, eviction by last use.
#include "ObjectStore.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <link.h>
#include <random>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace camp::backend {

namespace fs = std::filesystem;

namespace {

// Version 2: the checksum takes eight bytes a step (files of version 1 read as damaged: a miss).
constexpr char kMagic[8] = {'C', 'A', 'M', 'P', 'O', 'B', 'J', '2'};
constexpr size_t kHeader = sizeof kMagic + 2 * sizeof(uint64_t);

/// FNV-1a over little-endian 64-bit words (then the last bytes one by one): a checksum that is
/// the same in every build, for telling a damaged file; one multiply per eight bytes, since a
/// warm start reads every stored module and table through it.
uint64_t checksum(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  for (; i < bytes.size(); ++i)
    h = (h ^ uint8_t(bytes[i])) * 0x100000001b3ull;
  return h;
}

void putWord(std::string &out, uint64_t v) { out.append(reinterpret_cast<const char *>(&v), sizeof v); }
uint64_t getWord(const char *at) {
  uint64_t v;
  std::memcpy(&v, at, sizeof v);
  return v;
}

bool isHexKey(const std::string &key) {
  return !key.empty() && key.size() <= 128 &&
         std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string hex(const unsigned char *bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s.push_back(digits[bytes[i] >> 4]);
    s.push_back(digits[bytes[i] & 15]);
  }
  return s;
}

/// The GNU build id of one loaded object, from its PT_NOTE segments; "" if it has none.
std::string buildId(const dl_phdr_info *info) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE)
      continue;
    const char *at = reinterpret_cast<const char *>(info->dlpi_addr + ph.p_vaddr);
    const char *end = at + ph.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      const auto *note = reinterpret_cast<const ElfW(Nhdr) *>(at);
      const char *name = at + sizeof(ElfW(Nhdr));
      const char *desc = name + ((note->n_namesz + 3) & ~3u);
      const char *next = desc + ((note->n_descsz + 3) & ~3u);
      if (next > end)
        break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
        return hex(reinterpret_cast<const unsigned char *>(desc), note->n_descsz);
      at = next;
    }
  }
  return "";
}

/// A file's size and modification time: the identity of a file without a build id.
std::string fileStamp(const fs::path &path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec)
    return "?";
  auto time = fs::last_write_time(path, ec);
  return std::to_string(size) + "@" + std::to_string(ec ? 0 : time.time_since_epoch().count());
}

int collectIdentity(dl_phdr_info *info, size_t, void *data) {
  auto &out = *static_cast<std::string *>(data);
  std::string name = info->dlpi_name ? info->dlpi_name : "";
  bool program = out.empty(); // the first object reported is the executable itself
  if (!program && name.find("libLLVM") == std::string::npos)
    return 0;
  std::string id = buildId(info);
  if (id.empty())
    id = fileStamp(program ? fs::path("/proc/self/exe") : fs::path(name));
  out += (program ? "exe:" : "llvm:") + id + ";";
  return 0;
}

} // namespace

ObjectStore::ObjectStore(fs::path directory, size_t maxFiles, uintmax_t maxBytes)
    : dir(std::move(directory)), maxFiles(maxFiles), maxBytes(maxBytes) {}

fs::path ObjectStore::pathOf(const std::string &key) const { return dir / (key + ".o"); }

std::optional<std::string> ObjectStore::load(const std::string &key) const {
  if (!isHexKey(key))
    return std::nullopt;
  fs::path path = pathOf(key);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return std::nullopt;
  std::streamoff size = in.tellg();
  if (size < 0)
    return std::nullopt;
  std::string bytes(size_t(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size))
    bytes.clear(); // a short read is a damaged file
  bool whole = bytes.size() >= kHeader && std::memcmp(bytes.data(), kMagic, sizeof kMagic) == 0 &&
               getWord(bytes.data() + sizeof kMagic) == bytes.size() - kHeader &&
               getWord(bytes.data() + sizeof kMagic + 8) == checksum(std::string_view(bytes).substr(kHeader));
  std::error_code ec;
  if (!whole) {
    fs::remove(path, ec); // damaged: compile afresh and store a good copy
    return std::nullopt;
  }
  // Marks the file as used, so that eviction removes the least recently used ones.
  fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
  bytes.erase(0, kHeader);
  return bytes;
}

bool ObjectStore::store(const std::string &key, std::string_view object) const {
  if (!isHexKey(key))
    return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return false;
  std::string framed(kMagic, sizeof kMagic);
  putWord(framed, object.size());
  putWord(framed, checksum(object));
  framed.append(object);
  std::random_device entropy;
  fs::path temp = dir / (key + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(entropy()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
      return false;
    out.write(framed.data(), std::streamsize(framed.size()));
    out.close();
    if (!out) {
      fs::remove(temp, ec);
      return false;
    }
  }
  fs::rename(temp, pathOf(key), ec);
  if (ec) {
    fs::remove(temp, ec);
    return false;
  }
  evictBeyondLimit();
  return true;
}

void ObjectStore::evictBeyondLimit() const {
  struct Entry {
    fs::file_time_type time;
    uintmax_t size;
    fs::path path;
  };
  std::error_code ec;
  std::vector<Entry> files;
  uintmax_t bytes = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path &p = it->path();
    bool object = p.extension() == ".o";
    if (!object && p.filename().string().find(".tmp.") == std::string::npos)
      continue;
    std::error_code statError;
    auto time = fs::last_write_time(p, statError);
    uintmax_t size = statError ? 0 : fs::file_size(p, statError);
    if (statError)
      continue;
    // A temporary file an hour old belongs to a process that died while writing it.
    if (!object) {
      if (fs::file_time_type::clock::now() - time > std::chrono::hours(1))
        fs::remove(p, statError);
      continue;
    }
    files.push_back({time, size, p});
    bytes += size;
  }
  if (files.size() <= maxFiles && bytes <= maxBytes)
    return;
  std::sort(files.begin(), files.end(), [](const Entry &a, const Entry &b) { return a.time < b.time; });
  size_t count = files.size();
  for (const Entry &e : files) {
    if (count <= maxFiles && bytes <= maxBytes)
      break;
    fs::remove(e.path, ec);
    --count;
    bytes -= e.size;
  }
}

std::string ObjectStore::programIdentity() {
  static const std::string identity = [] {
    std::string out;
    dl_iterate_phdr(collectIdentity, &out);
    return out;
  }();
  return identity;
}

std::string ObjectStore::defaultDirectory() {
  if (const char *env = std::getenv("CAMP_CACHE_DIR")) {
    std::string v = env;
    return v == "off" ? std::string() : v;
  }
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
    return (fs::path(xdg) / "camp" / "jit").string();
  if (const char *home = std::getenv("HOME"); home && *home == '/')
    return (fs::path(home) / ".cache" / "camp" / "jit").string();
  return "";
}

} // namespace camp::backend
