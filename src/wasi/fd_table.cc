// FdTable: slot management, rights checks, and classification of host descriptors.
#include "fd_table.h"

#include <sys/stat.h>
#include <unistd.h>

#include "host_convert.h"

namespace wasmgrind::wasi {

ErrnoOr<HostFdInfo> InspectHostFd(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return LastHostErrno();
  HostFdInfo info;
  info.type = FiletypeFromMode(st.st_mode);
  switch (info.type) {
    case Filetype::Directory: info.max_rights = kDirectoryRights; break;
    case Filetype::RegularFile:
    case Filetype::BlockDevice: info.max_rights = kRegularFileRights; break;
    case Filetype::CharacterDevice:
      info.max_rights = isatty(fd) ? kStreamRights : kRegularFileRights;
      break;
    case Filetype::SocketStream:
    case Filetype::SocketDgram: info.max_rights = kSocketRights; break;
    default:  // pipes
      info.max_rights = kStreamRights;
      break;
  }
  return info;
}

ErrnoOr<FdEntry*> FdTable::Get(uint32_t fd, Rights required) {
  if (fd >= slots_.size() || !slots_[fd]) return Errno::Badf;
  FdEntry* entry = slots_[fd].get();
  if ((entry->rights_base & required) != required) return Errno::NotCapable;
  return entry;
}

Errno FdTable::DropRights(uint32_t fd, Rights base, Rights inheriting) {
  WASI_TRY_ASSIGN(FdEntry * entry, Get(fd));
  if ((base & ~entry->rights_base) != 0 || (inheriting & ~entry->rights_inheriting) != 0)
    return Errno::NotCapable;
  entry->rights_base = base;
  entry->rights_inheriting = inheriting;
  return Errno::Success;
}

ErrnoOr<uint32_t> FdTable::Insert(FdEntry entry) {
  uint32_t fd = 0;
  while (fd < slots_.size() && slots_[fd]) ++fd;
  if (fd >= kMaxFds) return Errno::Mfile;
  InsertAt(fd, std::move(entry));
  return fd;
}

void FdTable::InsertAt(uint32_t fd, FdEntry entry) {
  if (fd >= slots_.size()) slots_.resize(fd + 1);
  entry.creation = created_++;
  slots_[fd] = std::make_unique<FdEntry>(std::move(entry));
}

Errno FdTable::Close(uint32_t fd) {
  if (fd >= slots_.size() || !slots_[fd]) return Errno::Badf;
  slots_[fd].reset();
  return Errno::Success;
}

Errno FdTable::Renumber(uint32_t from, uint32_t to) {
  if (from >= slots_.size() || !slots_[from]) return Errno::Badf;
  if (to >= slots_.size() || !slots_[to]) return Errno::Badf;
  if (from == to) return Errno::Success;
  const uint64_t creation = slots_[to]->creation;
  slots_[to] = std::move(slots_[from]);
  slots_[to]->creation = creation;
  return Errno::Success;
}

std::vector<std::pair<uint32_t, const FdEntry*>> FdTable::Entries() const {
  std::vector<std::pair<uint32_t, const FdEntry*>> entries;
  for (uint32_t fd = 0; fd < slots_.size(); ++fd) {
    if (slots_[fd]) entries.emplace_back(fd, slots_[fd].get());
  }
  return entries;
}

}  // namespace wasmgrind::wasi
