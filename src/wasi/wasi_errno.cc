// Conversion of Linux errno values to preview1 errno values, from the table in wasi_errno.def.
#include "wasi_errno.h"

#include <array>
#include <cerrno>

namespace wasmgrind::wasi {
namespace {

struct ErrnoRow {
  Errno wasi;
  int host;  // 0: no Linux errno maps here (Success, NotCapable)
  std::string_view name;
};

constexpr std::array kErrnoTable = {
#define WASI_ERRNO(name, value, host) ErrnoRow{Errno::name, host, #name},
#include "wasi_errno.def"
#undef WASI_ERRNO
};

}  // namespace

Errno ErrnoFromHost(int host_errno) {
  if (host_errno == 0) return Errno::Io;  // a failure without an errno: report something
  for (const ErrnoRow& row : kErrnoTable) {
    if (row.host == host_errno) return row.wasi;
  }
  return Errno::Io;
}

Errno LastHostErrno() { return ErrnoFromHost(errno); }

std::string_view ErrnoName(Errno e) {
  for (const ErrnoRow& row : kErrnoTable) {
    if (row.wasi == e) return row.name;
  }
  return "?";
}

}  // namespace wasmgrind::wasi
