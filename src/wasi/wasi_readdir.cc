// fd_readdir: directory listings as a stream of (dirent header, name) records.
//
// Nothing is kept between calls, so memory stays bounded whatever the guest does (a listing
// cached per descriptor would cost the size of every directory times every descriptor open
// on one). Each call opens its own stream on the directory, moves to the cookie and reads
// until the buffer is full. Cookies are the host's directory positions, as telldir/seekdir
// use them: 0 is the start, and each record's d_next is the position just after it (the
// dirent's d_off), so reading on from any record's d_next continues after that record, as
// uvwasi and wasmtime do. The last record may be cut off at the end of the buffer; the guest
// detects a full buffer and asks again with a bigger one or from that record's cookie
// (wasi-libc does).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "host_convert.h"
#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

// A fresh stream on `dir_fd`'s directory, positioned at `cookie`: fdopendir takes ownership
// of its descriptor, and a fresh one keeps the guest's descriptor's own position untouched.
ErrnoOr<UniqueDir> OpenDirectoryAt(int dir_fd, uint64_t cookie) {
  UniqueFd fd(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return LastHostErrno();
  UniqueDir dir(fdopendir(fd.get()));
  if (!dir) return LastHostErrno();
  fd.Release();  // now owned by `dir`
  if (cookie != 0) seekdir(dir.get(), static_cast<long>(cookie));
  return dir;
}

Filetype EntryType(DIR* dir, const struct dirent& d) {
  if (d.d_type != DT_UNKNOWN) return FiletypeFromDirentType(d.d_type);
  struct stat st;
  if (fstatat(dirfd(dir), d.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return Filetype::Unknown;
  return FiletypeFromMode(st.st_mode);
}

// Appends as much of `bytes` as fits; returns false once `out` is full.
bool Append(std::span<uint8_t> out, size_t& used, const void* bytes, size_t size) {
  size_t n = std::min(size, out.size() - used);
  std::memcpy(out.data() + used, bytes, n);
  used += n;
  return used < out.size();
}

}  // namespace

Errno FdReaddir(WasiContext& ctx, Fd fd, GuestPtr buf, GuestSize buf_len, uint64_t cookie,
                GuestPtr bufused_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdReaddir));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::span<uint8_t> out, mem.Bytes(buf, buf_len, "buf"));
  if (!mem.InBounds(bufused_out, 4)) return Errno::Fault;
  WASI_TRY_ASSIGN(UniqueDir dir, OpenDirectoryAt(entry->fd.get(), cookie));

  size_t used = 0;
  while (used < out.size()) {
    errno = 0;
    struct dirent* d = readdir(dir.get());
    if (d == nullptr) {
      if (errno != 0) return LastHostErrno();
      break;
    }
    WasiDirent header{};
    header.d_next = static_cast<uint64_t>(d->d_off);
    header.d_ino = d->d_ino;
    header.d_namlen = static_cast<uint32_t>(std::strlen(d->d_name));
    header.d_type = static_cast<uint8_t>(EntryType(dir.get(), *d));
    if (!Append(out, used, &header, sizeof header)) break;
    Append(out, used, d->d_name, header.d_namlen);
  }
  mem.Wrote(buf, used);
  return mem.Write<uint32_t>(bufused_out, static_cast<uint32_t>(used), "bufused");
}

}  // namespace wasmgrind::wasi
