// fd_readdir: directory listings as a stream of (dirent header, name) records.
//
// Cookies: the listing is read in full when a read starts at cookie 0 and kept on the
// descriptor; cookie N means "from the N-th entry", and each record's d_next is its index
// plus one. The last record may be cut off at the end of the buffer; the guest detects a
// full buffer and asks again with a bigger one or from that record's cookie (wasi-libc does).
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

ErrnoOr<std::vector<CachedDirent>> ListDirectory(int dir_fd) {
  // A fresh descriptor: fdopendir takes ownership and the stream has its own position.
  UniqueFd fd(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return LastHostErrno();
  UniqueDir dir(fdopendir(fd.get()));
  if (!dir) return LastHostErrno();
  fd.Release();  // now owned by `dir`
  std::vector<CachedDirent> entries;
  for (;;) {
    errno = 0;
    struct dirent* d = readdir(dir.get());
    if (d == nullptr) {
      if (errno != 0) return LastHostErrno();
      break;
    }
    CachedDirent entry;
    entry.ino = d->d_ino;
    entry.name = d->d_name;
    entry.type = FiletypeFromDirentType(d->d_type);
    if (d->d_type == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(dirfd(dir.get()), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        entry.type = FiletypeFromMode(st.st_mode);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

Errno FdReaddir(WasiContext& ctx, Fd fd, GuestPtr buf, GuestSize buf_len, uint64_t cookie,
                GuestPtr bufused_out) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd, right::kFdReaddir));
  WASI_TRY_ASSIGN(GuestMemory mem, ctx.Memory());
  WASI_TRY_ASSIGN(std::span<uint8_t> out, mem.Bytes(buf, buf_len));
  if (!mem.InBounds(bufused_out, 4)) return Errno::Fault;
  if (cookie == 0 || !entry->dir_listing) {
    WASI_TRY_ASSIGN(entry->dir_listing, ListDirectory(entry->fd.get()));
  }
  const std::vector<CachedDirent>& listing = *entry->dir_listing;

  size_t used = 0;
  for (uint64_t i = cookie; i < listing.size() && used < out.size(); ++i) {
    const CachedDirent& d = listing[i];
    WasiDirent header{};
    header.d_next = i + 1;
    header.d_ino = d.ino;
    header.d_namlen = static_cast<uint32_t>(d.name.size());
    header.d_type = static_cast<uint8_t>(d.type);
    size_t n = std::min(sizeof header, out.size() - used);
    std::memcpy(out.data() + used, &header, n);
    used += n;
    n = std::min(d.name.size(), out.size() - used);
    std::memcpy(out.data() + used, d.name.data(), n);
    used += n;
  }
  return mem.Write<uint32_t>(bufused_out, static_cast<uint32_t>(used));
}

}  // namespace wasmgrind::wasi
