// Whole-file reads (see file_io.h). Uses stdio rather than iostreams so that a failure has an
// errno to report.
#include "file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>

namespace wasmgrind {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Error ReadError(const std::filesystem::path& path, std::string_view why) {
  return Error::Make(ErrorKind::Io, fmt::format("cannot read {}: {}", path.string(), why));
}

std::string SizeLimitText(uint64_t max_bytes) {
  if (max_bytes % (uint64_t{1} << 30) == 0) return fmt::format("{} GiB", max_bytes >> 30);
  if (max_bytes % (uint64_t{1} << 20) == 0) return fmt::format("{} MiB", max_bytes >> 20);
  return fmt::format("{} bytes", max_bytes);
}

template <typename Container>
Result<Container> ReadAll(const std::filesystem::path& path, uint64_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return Error::Make(ErrorKind::Io,
                       fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  struct stat st;
  if (fstat(fileno(file.get()), &st) != 0) return ReadError(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return ReadError(path, "is a directory");
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
    return ReadError(path, "not a regular file or a pipe");
  const std::string too_big = fmt::format("larger than the limit of {}", SizeLimitText(max_bytes));
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return ReadError(path, too_big);
  Container out;
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<size_t>(st.st_size));
  // On the heap: the main thread's stack may be as small as `ulimit -s` makes it.
  constexpr size_t kChunk = 1 << 16;
  auto buf = std::make_unique<char[]>(kChunk);
  size_t n;
  while ((n = std::fread(buf.get(), 1, kChunk, file.get())) > 0) {
    // A pipe, or a file that grew while we read it.
    if (n > max_bytes - out.size()) return ReadError(path, too_big);
    out.insert(out.end(), buf.get(), buf.get() + n);
  }
  if (std::ferror(file.get())) return ReadError(path, std::strerror(errno));
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> ReadBinaryFile(const std::filesystem::path& path, uint64_t max_bytes) {
  return ReadAll<std::vector<uint8_t>>(path, max_bytes);
}

Result<std::string> ReadTextFile(const std::filesystem::path& path, uint64_t max_bytes) {
  return ReadAll<std::string>(path, max_bytes);
}

}  // namespace wasmgrind
