// path_filestat_get and path_filestat_set_times: metadata by path, through the sandbox.
// A final symlink is followed only with lookupflags.symlink_follow, and then by the resolver
// (which keeps it beneath the directory); the host calls themselves never follow.
#include <fcntl.h>
#include <sys/stat.h>

#include "guest_path.h"
#include "host_convert.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {

Errno PathFilestatGet(WasiContext& ctx, Fd fd, uint32_t flags, GuestPtr path, GuestSize path_len,
                      GuestPtr filestat_out) {
  if (flags & ~kLookupflagsAll) return Errno::Inval;
  WASI_TRY_ASSIGN(ResolvedPath r, ResolveGuestPath(ctx, fd, right::kPathFilestatGet, path, path_len,
                                                   flags & kLookupSymlinkFollow));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  struct stat st;
  if (fstatat(r.dir_fd(), r.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return LastHostErrno();
  if (r.must_be_dir() && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return mem.Write(filestat_out, FilestatFromHost(st), "filestat");
}

Errno PathFilestatSetTimes(WasiContext& ctx, Fd fd, uint32_t flags, GuestPtr path,
                           GuestSize path_len, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  if (fst_flags > 0xffff || (flags & ~kLookupflagsAll)) return Errno::Inval;
  WASI_TRY_ASSIGN(auto times, TimesFromFstflags(atim, mtim, static_cast<uint16_t>(fst_flags)));
  WASI_TRY_ASSIGN(ResolvedPath r, ResolveGuestPath(ctx, fd, right::kPathFilestatSetTimes, path,
                                                   path_len, flags & kLookupSymlinkFollow));
  WASI_TRY(CheckMustBeDir(r));
  if (utimensat(r.dir_fd(), r.name().c_str(), times.data(), AT_SYMLINK_NOFOLLOW) != 0)
    return LastHostErrno();
  return Errno::Success;
}

}  // namespace wasmgrind::wasi
