// UniqueFd: closing. close() is not retried on EINTR: on Linux the descriptor is gone anyway.
#include "unique_fd.h"

#include <unistd.h>

namespace wasmgrind::wasi {

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

}  // namespace wasmgrind::wasi
