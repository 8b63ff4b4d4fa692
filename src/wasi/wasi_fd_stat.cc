// Descriptor metadata: fd_fdstat_get/set_flags, fd_filestat_get/set_size/set_times, and the
// preopen queries fd_prestat_get/fd_prestat_dir_name (how wasi-libc learns its preopens).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_convert.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {

Errno FdFdstatGet(WasiContext& ctx, Fd fd, GuestPtr fdstat_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  int fl = fcntl(entry->fd.get(), F_GETFL);
  if (fl < 0) return LastHostErrno();
  WasiFdstat out{};
  out.fs_filetype = static_cast<uint8_t>(entry->type);
  if (fl & O_APPEND) out.fs_flags |= kFdflagAppend;
  if (fl & O_NONBLOCK) out.fs_flags |= kFdflagNonblock;
  // O_SYNC includes the O_DSYNC bit on Linux; report SYNC alone in that case.
  if ((fl & O_SYNC) == O_SYNC)
    out.fs_flags |= kFdflagSync;
  else if (fl & O_DSYNC)
    out.fs_flags |= kFdflagDsync;
  out.fs_rights_base = entry->rights_base;
  out.fs_rights_inheriting = entry->rights_inheriting;
  return mem.Write(fdstat_out, out);
}

Errno FdFdstatSetFlags(WasiContext& ctx, Fd fd, uint32_t fdflags) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFdstatSetFlags));
  // Linux can change only O_APPEND and O_NONBLOCK on an open descriptor.
  if (fdflags & ~uint32_t{kFdflagAppend | kFdflagNonblock}) return Errno::NotSup;
  int fl = fcntl(entry->fd.get(), F_GETFL);
  if (fl < 0) return LastHostErrno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (fdflags & kFdflagAppend) fl |= O_APPEND;
  if (fdflags & kFdflagNonblock) fl |= O_NONBLOCK;
  if (fcntl(entry->fd.get(), F_SETFL, fl) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno FdFilestatGet(WasiContext& ctx, Fd fd, GuestPtr filestat_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFilestatGet));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  struct stat st;
  if (fstat(entry->fd.get(), &st) != 0) return LastHostErrno();
  return mem.Write(filestat_out, FilestatFromHost(st));
}

Errno FdFilestatSetSize(WasiContext& ctx, Fd fd, uint64_t size) {
  if (size > INT64_MAX) return Errno::Inval;
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFilestatSetSize));
  if (ftruncate(entry->fd.get(), static_cast<off_t>(size)) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno FdFilestatSetTimes(WasiContext& ctx, Fd fd, uint64_t atim, uint64_t mtim,
                         uint32_t fst_flags) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFilestatSetTimes));
  if (fst_flags > 0xffff) return Errno::Inval;
  WASI_TRY_ASSIGN(auto times, TimesFromFstflags(atim, mtim, static_cast<uint16_t>(fst_flags)));
  if (futimens(entry->fd.get(), times.data()) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno FdPrestatGet(WasiContext& ctx, Fd fd, GuestPtr prestat_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  if (!entry->preopen_name) return Errno::Badf;
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WasiPrestat out{};
  out.tag = static_cast<uint8_t>(PreopenType::Dir);
  out.pr_name_len = static_cast<uint32_t>(entry->preopen_name->size());
  return mem.Write(prestat_out, out);
}

Errno FdPrestatDirName(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  if (!entry->preopen_name) return Errno::Badf;
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  const std::string& name = *entry->preopen_name;
  if (path_len < name.size()) return Errno::NameTooLong;
  return mem.WriteString(path, name);
}

}  // namespace wasmgrind::wasi
