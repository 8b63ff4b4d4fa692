// Helpers for the WASI tests: TempDir, a fresh directory under $TMPDIR for one test, removed
// (without following symlinks) when the test ends, with helpers to create files, directories
// and symlinks in it; and gtest printing of Errno by name.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include "wasi_errno.h"

namespace wasmgrind::wasi {
inline void PrintTo(Errno e, std::ostream* os) { *os << ErrnoName(e); }
}  // namespace wasmgrind::wasi

namespace wasmgrind::wasi::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/wasi_test.XXXXXX";
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Join(const std::string& rel) const { return path_ + "/" + rel; }

  void MakeDir(const std::string& rel) const { std::filesystem::create_directories(Join(rel)); }
  void WriteFile(const std::string& rel, const std::string& content) const {
    std::ofstream(Join(rel), std::ios::binary) << content;
  }
  std::string ReadFile(const std::string& rel) const {
    std::ifstream in(Join(rel), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Symlink(const std::string& target, const std::string& rel) const {
    ASSERT_EQ(symlink(target.c_str(), Join(rel).c_str()), 0) << rel;
  }
  bool Exists(const std::string& rel) const {
    std::error_code ec;
    return std::filesystem::exists(std::filesystem::symlink_status(Join(rel), ec));
  }

 private:
  std::string path_;
};

}  // namespace wasmgrind::wasi::testing
