// path_open and the path functions that create, remove or rename directory entries:
// path_create_directory, path_remove_directory, path_unlink_file, path_rename, path_symlink,
// path_readlink, path_link. Every path goes through ResolveGuestPath (the sandbox), and
// every final operation is an *at() call on the resolved (directory, name) pair that does
// not follow a symlink in the final component.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_path.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

// The rights that need a descriptor open for writing. Not FD_DATASYNC: fdatasync works on a
// read-only descriptor, and a directory's own rights include it (a preopen's rights must
// reopen its directory). A directory asked for with any of these fails with ISDIR, as open(2)
// with O_DIRECTORY|O_RDWR does (and Wasmtime and node).
constexpr Rights kWriteRights = right::kFdWrite | right::kFdAllocate | right::kFdFilestatSetSize;
constexpr Rights kReadRights = right::kFdRead | right::kFdReaddir;

int HostOpenFlags(uint32_t oflags, uint32_t fdflags, Rights rights, bool must_be_dir) {
  int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  bool read = rights & kReadRights;
  bool write = rights & kWriteRights;
  flags |= write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if ((oflags & kOflagDirectory) || must_be_dir) flags |= O_DIRECTORY;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & kFdflagRsync) flags |= O_RSYNC;
  if (fdflags & kFdflagSync) flags |= O_SYNC;
  return flags;
}

// The path path_open was given relative to `dir`, as the guest's program named it:
// wasi-libc turns open("/sandbox/a.txt") into path_open(<the preopen /sandbox>, "a.txt"), so
// a preopen's name goes back in front ("." adds nothing); relative to a directory the program
// opened, the path is the one it gave openat.
std::string PathAsNamed(const FdEntry& dir, std::string_view path) {
  if (!dir.preopen_name || *dir.preopen_name == "." || dir.preopen_name->empty()) {
    return std::string(path);
  }
  const std::string& base = *dir.preopen_name;
  return base + (base.back() == '/' ? "" : "/") + std::string(path);
}

}  // namespace

Errno PathOpen(WasiContext& ctx, Fd fd, uint32_t dirflags, GuestPtr path, GuestSize path_len,
               uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting, uint32_t fdflags,
               GuestPtr fd_out) {
  // Undefined flag or rights bits are Inval before anything else (as Wasmtime decodes them).
  if ((oflags & ~uint32_t{kOflagCreat | kOflagDirectory | kOflagExcl | kOflagTrunc}) ||
      (fdflags & ~uint32_t{kFdflagsAll}) || (dirflags & ~kLookupflagsAll) ||
      ((rights_base | rights_inheriting) & ~right::kAll))
    return Errno::Inval;
  Rights needed = right::kPathOpen;
  if (oflags & kOflagCreat) needed |= right::kPathCreateFile;
  if (oflags & kOflagTrunc) needed |= right::kPathFilestatSetSize;
  std::string path_text;
  WASI_TRY_ASSIGN(ResolvedPath r,
                  ResolveGuestPath(ctx, fd, needed, path, path_len, dirflags & kLookupSymlinkFollow,
                                   "path", &path_text));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  if (!mem.InBounds(fd_out, 4)) return Errno::Fault;
  // The directory's entry is looked up again: resolution cannot change the table.
  WASI_TRY_ASSIGN(FdEntry * dir, ctx.fds().Get(fd));
  Rights base = rights_base & dir->rights_inheriting;
  Rights inheriting = rights_inheriting & dir->rights_inheriting;

  int flags = HostOpenFlags(oflags, fdflags, base, r.must_be_dir());
  UniqueFd host(openat(r.dir_fd(), r.name().c_str(), flags, 0666));
  if (!host.valid()) return LastHostErrno();
  WASI_TRY_ASSIGN(HostFdInfo info, InspectHostFd(host.get()));

  FdEntry entry;
  entry.fd = std::move(host);
  entry.type = info.type;
  entry.rights_base = base & info.max_rights;
  entry.rights_inheriting = inheriting;
  FdEntry::OpenedBy opened;
  opened.path = PathAsNamed(*dir, path_text);
  opened.site = ctx.OpenSite();
  entry.opened_by = std::move(opened);
  WASI_TRY_ASSIGN(uint32_t new_fd, ctx.fds().Insert(std::move(entry)));
  return mem.Write<uint32_t>(fd_out, new_fd, "fd");
}

Errno PathCreateDirectory(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len) {
  WASI_TRY_ASSIGN(ResolvedPath r,
                  ResolveGuestPath(ctx, fd, right::kPathCreateDirectory, path, path_len, false));
  if (mkdirat(r.dir_fd(), r.name().c_str(), 0777) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno PathRemoveDirectory(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len) {
  WASI_TRY_ASSIGN(ResolvedPath r,
                  ResolveGuestPath(ctx, fd, right::kPathRemoveDirectory, path, path_len, false));
  if (unlinkat(r.dir_fd(), r.name().c_str(), AT_REMOVEDIR) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno PathUnlinkFile(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len) {
  WASI_TRY_ASSIGN(ResolvedPath r,
                  ResolveGuestPath(ctx, fd, right::kPathUnlinkFile, path, path_len, false));
  WASI_TRY(CheckMustBeDir(r));
  if (unlinkat(r.dir_fd(), r.name().c_str(), 0) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno PathRename(WasiContext& ctx, Fd fd, GuestPtr old_path, GuestSize old_path_len, Fd new_fd,
                 GuestPtr new_path, GuestSize new_path_len) {
  WASI_TRY_ASSIGN(ResolvedPath from, ResolveGuestPath(ctx, fd, right::kPathRenameSource, old_path,
                                                      old_path_len, false, "old_path"));
  WASI_TRY_ASSIGN(ResolvedPath to, ResolveGuestPath(ctx, new_fd, right::kPathRenameTarget, new_path,
                                                    new_path_len, false, "new_path"));
  WASI_TRY(CheckMustBeDir(from));
  if (renameat(from.dir_fd(), from.name().c_str(), to.dir_fd(), to.name().c_str()) != 0)
    return LastHostErrno();
  return Errno::Success;
}

Errno PathSymlink(WasiContext& ctx, GuestPtr old_path, GuestSize old_path_len, Fd fd,
                  GuestPtr new_path, GuestSize new_path_len) {
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::string_view target_view, mem.String(old_path, old_path_len, "old_path"));
  std::string target(target_view);
  if (target.empty()) return Errno::NoEnt;
  if (target.find('\0') != std::string::npos) return Errno::Inval;
  // A target that leaves the directory would be refused by our resolver, but host programs
  // would follow it: refuse to plant it, with node's errnos (PERM for an absolute target,
  // NOTCAPABLE for `..` climbing out). Node judges the target from the descriptor's directory;
  // we judge it from the link's own, so a link in a subdirectory may point at `../x`.
  if (target.front() == '/') return Errno::Perm;
  WASI_TRY_ASSIGN(ResolvedPath resolved, ResolveGuestPath(ctx, fd, right::kPathSymlink, new_path,
                                                          new_path_len, false, "new_path"));
  WASI_TRY_ASSIGN(ResolvedPath r, TrailingSlashAsDirectory(std::move(resolved)));
  if (!RelativeTargetStaysBeneath(target, r.depth())) return Errno::NotCapable;
  if (symlinkat(target.c_str(), r.dir_fd(), r.name().c_str()) != 0) return LastHostErrno();
  return Errno::Success;
}

Errno PathReadlink(WasiContext& ctx, Fd fd, GuestPtr path, GuestSize path_len, GuestPtr buf,
                   GuestSize buf_len, GuestPtr bufused_out) {
  WASI_TRY_ASSIGN(ResolvedPath r,
                  ResolveGuestPath(ctx, fd, right::kPathReadlink, path, path_len, false));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::span<uint8_t> out, mem.Bytes(buf, buf_len, "buf"));
  if (!mem.InBounds(bufused_out, 4)) return Errno::Fault;
  // The contents are truncated to the buffer, as readlink(2) does.
  ssize_t n =
      readlinkat(r.dir_fd(), r.name().c_str(), reinterpret_cast<char*>(out.data()), out.size());
  if (n < 0) return LastHostErrno();
  mem.Wrote(buf, static_cast<uint64_t>(n));
  return mem.Write<uint32_t>(bufused_out, static_cast<uint32_t>(n), "bufused");
}

Errno PathLink(WasiContext& ctx, Fd old_fd, uint32_t old_flags, GuestPtr old_path,
               GuestSize old_path_len, Fd new_fd, GuestPtr new_path, GuestSize new_path_len) {
  if (old_flags & ~kLookupflagsAll) return Errno::Inval;
  WASI_TRY_ASSIGN(ResolvedPath from_path,
                  ResolveGuestPath(ctx, old_fd, right::kPathLinkSource, old_path, old_path_len,
                                   old_flags & kLookupSymlinkFollow, "old_path"));
  WASI_TRY_ASSIGN(ResolvedPath to_path,
                  ResolveGuestPath(ctx, new_fd, right::kPathLinkTarget, new_path, new_path_len,
                                   false, "new_path"));
  WASI_TRY_ASSIGN(ResolvedPath from, TrailingSlashAsDirectory(std::move(from_path)));
  WASI_TRY_ASSIGN(ResolvedPath to, TrailingSlashAsDirectory(std::move(to_path)));
  if (linkat(from.dir_fd(), from.name().c_str(), to.dir_fd(), to.name().c_str(), 0) != 0)
    return LastHostErrno();
  return Errno::Success;
}

}  // namespace wasmgrind::wasi
