// TempDir: a private directory (mode 0700, from mkdtemp) removed with its contents when the
// object dies. Move-only.
#pragma once

#include <filesystem>

#include "vm/result.h"

namespace wasmgrind {

class TempDir {
 public:
  // Creates `$TMPDIR/<prefix>XXXXXX`.
  static Result<TempDir> Create(std::string_view prefix);
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  void Remove();
  std::filesystem::path path_;
};

}  // namespace wasmgrind
