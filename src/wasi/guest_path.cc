// ResolveGuestPath: rights check, guest string read, sandboxed resolution.
#include "guest_path.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace wasmgrind::wasi {

ErrnoOr<ResolvedPath> ResolveGuestPath(WasiContext& ctx, uint32_t dir_fd, Rights needed,
                                       GuestPtr path, GuestSize path_len, bool follow_final,
                                       std::string_view param, std::string* text) {
  WASI_TRY_ASSIGN(FdEntry * dir, ctx.fds().Get(dir_fd, needed));
  if (dir->type != Filetype::Directory) return Errno::NotDir;
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::string_view guest_path, mem.String(path, path_len, param));
  if (text != nullptr) *text = guest_path;
  return ResolveBeneath(dir->fd.get(), guest_path, follow_final);
}

Errno CheckMustBeDir(const ResolvedPath& r) {
  if (!r.must_be_dir()) return Errno::Success;
  struct stat st;
  if (fstatat(r.dir_fd(), r.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return LastHostErrno();
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
}

ErrnoOr<ResolvedPath> TrailingSlashAsDirectory(ResolvedPath r) {
  if (!r.must_be_dir()) return r;
  // A trailing '/' made the resolver expand a final symlink already (beneath the base), so
  // the name is not followed here: a symlink swapped in since is refused (Loop).
  UniqueFd dir(openat(r.dir_fd(), r.name().c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir.valid()) return LastHostErrno();
  return ResolvedPath(std::move(dir), -1, ".", false, r.depth() + 1);
}

}  // namespace wasmgrind::wasi
