// Descriptor I/O: fd_read/write/pread/pwrite, fd_seek/tell, fd_close/renumber,
// fd_sync/datasync, fd_advise/allocate. Guest buffers are translated into host iovecs by
// GuestMemory (every buffer bounds-checked first) and handed to the vectored syscalls, so
// data moves between the file and guest memory without an intermediate copy.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "fd_flags.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

constexpr uint64_t kMaxOffset = INT64_MAX;

// Runs a syscall returning -1/errno, restarting it when a signal interrupted it.
template <typename F>
ssize_t RetryOnEintr(F&& f) {
  ssize_t n;
  do {
    n = f();
  } while (n < 0 && errno == EINTR);
  return n;
}

// Shared by the four transfer calls. `offset` < 0: use (and advance) the file position.
Errno Transfer(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, int64_t offset,
               GuestPtr count_out, TransferKind dir) {
  Rights needed = dir == TransferKind::Read ? right::kFdRead : right::kFdWrite;
  if (offset >= 0) needed |= right::kFdSeek;
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, needed));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::vector<iovec> vecs,
                  mem.IoVecs(iovs, iovs_len,
                             dir == TransferKind::Read ? GuestMemory::Access::Write
                                                       : GuestMemory::Access::Read));
  // The count is checked before the transfer so that a bad pointer cannot lose data.
  if (!mem.InBounds(count_out, 4)) return Errno::Fault;
  WASI_TRY(BeforeTransfer(*entry, dir, offset < 0));
  int host_fd = entry->fd.get();
  int n_vecs = static_cast<int>(vecs.size());
  auto transfer = [&] {
    if (dir == TransferKind::Read) {
      return offset < 0 ? readv(host_fd, vecs.data(), n_vecs)
                        : preadv(host_fd, vecs.data(), n_vecs, offset);
    }
    return offset < 0 ? writev(host_fd, vecs.data(), n_vecs)
                      : pwritev(host_fd, vecs.data(), n_vecs, offset);
  };
  ssize_t n = RetryOnEintr(transfer);
  while (n < 0 && errno == EAGAIN && WaitAfterAgain(*entry, dir)) n = RetryOnEintr(transfer);
  if (n < 0) return LastHostErrno();
  if (dir == TransferKind::Read) mem.WroteIoVecs(vecs, static_cast<uint64_t>(n));
  // A wasm32 guest cannot name more than 4 GiB of buffers, so n fits in u32.
  return mem.Write<uint32_t>(count_out, static_cast<uint32_t>(n),
                             dir == TransferKind::Read ? "nread" : "nwritten");
}

}  // namespace

Errno FdRead(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr nread_out) {
  return Transfer(ctx, fd, iovs, iovs_len, -1, nread_out, TransferKind::Read);
}

Errno FdWrite(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, GuestPtr nwritten_out) {
  return Transfer(ctx, fd, iovs, iovs_len, -1, nwritten_out, TransferKind::Write);
}

Errno FdPread(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
              GuestPtr nread_out) {
  if (offset > kMaxOffset) return Errno::Inval;
  return Transfer(ctx, fd, iovs, iovs_len, static_cast<int64_t>(offset), nread_out,
                  TransferKind::Read);
}

Errno FdPwrite(WasiContext& ctx, Fd fd, GuestPtr iovs, uint32_t iovs_len, uint64_t offset,
               GuestPtr nwritten_out) {
  if (offset > kMaxOffset) return Errno::Inval;
  return Transfer(ctx, fd, iovs, iovs_len, static_cast<int64_t>(offset), nwritten_out,
                  TransferKind::Write);
}

Errno FdSeek(WasiContext& ctx, Fd fd, uint64_t offset, uint32_t whence, GuestPtr newoffset_out) {
  if (whence > 2) return Errno::Inval;  // before the cast: Whence is a u8
  int host_whence;
  switch (static_cast<Whence>(whence)) {
    case Whence::Set: host_whence = SEEK_SET; break;
    case Whence::Cur: host_whence = SEEK_CUR; break;
    case Whence::End: host_whence = SEEK_END; break;
    default: return Errno::Inval;
  }
  int64_t delta = static_cast<int64_t>(offset);  // filedelta is signed
  // Asking for the position only needs fd_tell.
  Rights needed = (host_whence == SEEK_CUR && delta == 0) ? right::kFdTell : right::kFdSeek;
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, needed));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  if (!mem.InBounds(newoffset_out, 8)) return Errno::Fault;
  off_t pos = lseek(entry->fd.get(), delta, host_whence);
  if (pos < 0) return LastHostErrno();
  return mem.Write<uint64_t>(newoffset_out, static_cast<uint64_t>(pos), "newoffset");
}

Errno FdTell(WasiContext& ctx, Fd fd, GuestPtr offset_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdTell));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  if (!mem.InBounds(offset_out, 8)) return Errno::Fault;
  off_t pos = lseek(entry->fd.get(), 0, SEEK_CUR);
  if (pos < 0) return LastHostErrno();
  return mem.Write<uint64_t>(offset_out, static_cast<uint64_t>(pos), "offset");
}

Errno FdClose(WasiContext& ctx, Fd fd) { return ctx.fds().Close(fd); }

Errno FdRenumber(WasiContext& ctx, Fd from, Fd to) {
  WASI_TRY(ctx.fds().Renumber(from, to));
  if (from == to) return Errno::Success;
  // As Valgrind records dup2: `to` now names what `from` did, made where the renumbering was
  // asked for (a preopen renumbered is the guest's own from then on).
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(to));
  FdEntry::OpenedBy opened;
  opened.path = entry->opened_by ? entry->opened_by->path : entry->preopen_name.value_or("");
  opened.site = ctx.OpenSite();
  entry->opened_by = std::move(opened);
  return Errno::Success;
}

Errno FdSync(WasiContext& ctx, Fd fd) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdSync));
  if (fsync(entry->fd.get()) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno FdDatasync(WasiContext& ctx, Fd fd) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdDatasync));
  if (fdatasync(entry->fd.get()) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno FdAdvise(WasiContext& ctx, Fd fd, uint64_t offset, uint64_t len, uint32_t advice) {
  if (advice > 5 || offset > kMaxOffset || len > kMaxOffset) return Errno::Inval;
  int host_advice;
  switch (static_cast<Advice>(advice)) {
    case Advice::Normal: host_advice = POSIX_FADV_NORMAL; break;
    case Advice::Sequential: host_advice = POSIX_FADV_SEQUENTIAL; break;
    case Advice::Random: host_advice = POSIX_FADV_RANDOM; break;
    case Advice::WillNeed: host_advice = POSIX_FADV_WILLNEED; break;
    case Advice::DontNeed: host_advice = POSIX_FADV_DONTNEED; break;
    case Advice::NoReuse: host_advice = POSIX_FADV_NOREUSE; break;
    default: return Errno::Inval;
  }
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdAdvise));
  int err = posix_fadvise(entry->fd.get(), static_cast<off_t>(offset), static_cast<off_t>(len),
                          host_advice);
  return err == 0 ? Errno::Success : ErrnoFromHost(err);
}

Errno FdAllocate(WasiContext& ctx, Fd fd, uint64_t offset, uint64_t len) {
  if (offset > kMaxOffset || len > kMaxOffset || offset + len > kMaxOffset) return Errno::Inval;
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdAllocate));
  int err = posix_fallocate(entry->fd.get(), static_cast<off_t>(offset), static_cast<off_t>(len));
  return err == 0 ? Errno::Success : ErrnoFromHost(err);
}

}  // namespace wasmgrind::wasi
