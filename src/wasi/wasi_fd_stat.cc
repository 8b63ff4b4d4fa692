// Descriptor metadata: fd_fdstat_get/set_flags/set_rights, fd_filestat_get/set_size/set_times,
// and the preopen queries fd_prestat_get/fd_prestat_dir_name (how wasi-libc learns its
// preopens). Flag and rights arguments with bits the witx does not define are Inval, checked
// before the descriptor (as Wasmtime does: its bindings reject them on decoding).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd_flags.h"
#include "host_convert.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {

Errno FdFdstatGet(WasiContext& ctx, Fd fd, GuestPtr fdstat_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WasiFdstat out{};
  out.fs_filetype = static_cast<uint8_t>(entry->type);
  WASI_TRY_ASSIGN(out.fs_flags, GuestFdflags(*entry));
  out.fs_rights_base = entry->rights_base;
  out.fs_rights_inheriting = entry->rights_inheriting;
  return mem.Write(fdstat_out, out, "fdstat");
}

Errno FdFdstatSetFlags(WasiContext& ctx, Fd fd, uint32_t fdflags) {
  if (fdflags & ~uint32_t{kFdflagsAll}) return Errno::Inval;
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFdstatSetFlags));
  return SetGuestFdflags(*entry, fdflags);
}

Errno FdFdstatSetRights(WasiContext& ctx, Fd fd, uint64_t rights_base, uint64_t rights_inheriting) {
  if ((rights_base | rights_inheriting) & ~right::kAll) return Errno::Inval;
  return ctx.fds().DropRights(fd, rights_base, rights_inheriting);
}

Errno FdFilestatGet(WasiContext& ctx, Fd fd, GuestPtr filestat_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdFilestatGet));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  struct stat st;
  if (fstat(entry->fd.get(), &st) != 0) return LastHostErrno();
  return mem.Write(filestat_out, FilestatFromHost(st), "filestat");
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
  return mem.Write(prestat_out, out, "prestat");
}

Errno FdPrestatDirName(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  if (!entry->preopen_name) return Errno::Badf;
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  const std::string& name = *entry->preopen_name;
  if (path_len < name.size()) return Errno::NameTooLong;
  // The guest says the buffer is path_len bytes: all of it must be its memory, not only the
  // bytes the name fills.
  if (!mem.InBounds(path, path_len)) return Errno::Fault;
  return mem.WriteString(path, name, "path");
}

}  // namespace wasmgrind::wasi
