// Whole-file reads (see file_io.h). Uses stdio rather than iostreams so that a failure has an
// errno to report.
#include "file_io.h"

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

template <typename Container>
Result<Container> ReadAll(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Error::Make(ErrorKind::Io, fmt::format("cannot read {}: is a directory", path.string()));
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return Error::Make(ErrorKind::Io, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  Container out;
  // On the heap: the main thread's stack may be as small as `ulimit -s` makes it.
  constexpr size_t kChunk = 1 << 16;
  auto buf = std::make_unique<char[]>(kChunk);
  size_t n;
  while ((n = std::fread(buf.get(), 1, kChunk, file.get())) > 0) out.insert(out.end(), buf.get(), buf.get() + n);
  if (std::ferror(file.get()))
    return Error::Make(ErrorKind::Io, fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> ReadBinaryFile(const std::filesystem::path& path) {
  return ReadAll<std::vector<uint8_t>>(path);
}

Result<std::string> ReadTextFile(const std::filesystem::path& path) { return ReadAll<std::string>(path); }

}  // namespace wasmgrind
