// TempDir (see temp_dir.h). Removal uses the error_code overloads: a destructor must not throw.
#include "temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace wasmgrind {

Result<TempDir> TempDir::Create(std::string_view prefix) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / fmt::format("{}XXXXXX", prefix)).string();
  if (::mkdtemp(templ.data()) == nullptr)
    return Error::Make(ErrorKind::Io, fmt::format("cannot create a temporary directory in {}: {}",
                                                  base.string(), std::strerror(errno)));
  return TempDir(std::filesystem::path(templ));
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() { Remove(); }

void TempDir::Remove() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

}  // namespace wasmgrind
