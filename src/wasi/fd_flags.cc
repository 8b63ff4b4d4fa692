// fdflags as the guest sees them, and their emulation on shared descriptions (fd_flags.h).
#include "fd_flags.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace wasmgrind::wasi {
namespace {

constexpr uint16_t kSettableFlags = kFdflagAppend | kFdflagNonblock;

uint16_t FdflagsFromHost(int fl) {
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= kFdflagAppend;
  if (fl & O_NONBLOCK) flags |= kFdflagNonblock;
  // O_SYNC includes the O_DSYNC bit on Linux; report SYNC alone in that case.
  if ((fl & O_SYNC) == O_SYNC)
    flags |= kFdflagSync;
  else if (fl & O_DSYNC)
    flags |= kFdflagDsync;
  return flags;
}

// Waits up to `timeout_ms` (-1: forever) for `fd` to be ready: poll's result (> 0: ready,
// an error or hang-up included, which the transfer then reports; 0: not ready; < 0: poll
// failed).
int PollReady(int fd, TransferKind kind, int timeout_ms) {
  struct pollfd p {};
  p.fd = fd;
  p.events = kind == TransferKind::Read ? POLLIN : POLLOUT;
  int n;
  do {
    n = poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n;
}

}  // namespace

ErrnoOr<uint16_t> GuestFdflags(const FdEntry& entry) {
  int fl = fcntl(entry.fd.get(), F_GETFL);
  if (fl < 0) return LastHostErrno();
  uint16_t flags = FdflagsFromHost(fl);
  if (entry.shared_description) flags = (flags & ~kSettableFlags) | entry.emulated_flags;
  return flags;
}

Errno SetGuestFdflags(FdEntry& entry, uint32_t fdflags) {
  if (fdflags & ~uint32_t{kSettableFlags}) return Errno::NotSup;
  if (entry.shared_description) {
    entry.emulated_flags = static_cast<uint16_t>(fdflags);
    return Errno::Success;
  }
  int fl = fcntl(entry.fd.get(), F_GETFL);
  if (fl < 0) return LastHostErrno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (fdflags & kFdflagAppend) fl |= O_APPEND;
  if (fdflags & kFdflagNonblock) fl |= O_NONBLOCK;
  if (fcntl(entry.fd.get(), F_SETFL, fl) != 0) return LastHostErrno();
  return Errno::Success;
}

void InitEmulatedFdflags(FdEntry& entry) {
  int fl = fcntl(entry.fd.get(), F_GETFL);
  entry.emulated_flags = fl < 0 ? 0 : FdflagsFromHost(fl) & kSettableFlags;
}

Errno BeforeTransfer(const FdEntry& entry, TransferKind kind, bool at_position) {
  if (!entry.shared_description) return Errno::Success;
  if ((entry.emulated_flags & kFdflagNonblock) && PollReady(entry.fd.get(), kind, 0) == 0)
    return Errno::Again;
  // A pipe or terminal cannot seek (ESPIPE): appending is what writing to it does anyway.
  if (kind == TransferKind::Write && at_position && (entry.emulated_flags & kFdflagAppend))
    lseek(entry.fd.get(), 0, SEEK_END);
  return Errno::Success;
}

bool WaitAfterAgain(const FdEntry& entry, TransferKind kind) {
  if (!entry.shared_description || (entry.emulated_flags & kFdflagNonblock)) return false;
  return PollReady(entry.fd.get(), kind, -1) > 0;
}

}  // namespace wasmgrind::wasi
