// FdTable: the guest's file descriptor numbers and what each one holds.
//
// Invariants: every entry owns its host descriptor (UniqueFd); entries are reachable only by
// their guest number; a lookup checks the rights the operation needs against the entry's
// base rights (NotCapable otherwise), so a handler that got an entry may perform its
// operation. Rights only ever shrink: an entry's rights are fixed when it is created (a
// descriptor opened from a directory gets at most that directory's inheriting rights) and
// afterwards only DropRights changes them. New descriptors take the lowest free number.
// Directory entries opened as preopens carry their guest-visible name (fd_prestat_*).
// Every entry knows when it was made (its place in Valgrind's --track-fds list) and, if the
// guest opened it, the path it named and where it did (OpenedBy).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "unique_fd.h"
#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

struct FdEntry {
  UniqueFd fd;
  Filetype type = Filetype::Unknown;
  Rights rights_base = 0;
  Rights rights_inheriting = 0;
  std::optional<std::string> preopen_name;  // set for preopened directories
  // Inherited stdio: the open file description is the host's too, so its flags are never
  // changed; the guest's APPEND and NONBLOCK are kept and emulated here (fd_flags.h).
  bool shared_description = false;
  uint16_t emulated_flags = 0;
  // Set for a descriptor the guest opened (path_open) or renumbered onto this number
  // (fd_renumber, as Valgrind treats dup2): the path as the guest named it and the open
  // site, an id from WasiContext's OpenSiteHook (0: none). Unset for what the guest
  // inherited: stdio and preopens.
  struct OpenedBy {
    std::string path;
    uint64_t site = 0;
  };
  std::optional<OpenedBy> opened_by;
  // The table's count of entries made before this one (FdTable sets it): renumbering onto a
  // descriptor keeps its place, as dup2 onto an open descriptor keeps Valgrind's record.
  uint64_t creation = 0;
};

// The filetype and the rights a host descriptor supports (a terminal or pipe cannot seek).
struct HostFdInfo {
  Filetype type = Filetype::Unknown;
  Rights max_rights = 0;
};
ErrnoOr<HostFdInfo> InspectHostFd(int fd);

class FdTable {
 public:
  static constexpr uint32_t kMaxFds = 16384;

  // The entry for `fd` if it exists (Badf) and has every right in `required` (NotCapable).
  ErrnoOr<FdEntry*> Get(uint32_t fd, Rights required = 0);
  // fd_fdstat_set_rights: replaces `fd`'s rights with subsets of them (NotCapable if either
  // set would gain a right; Badf for no such descriptor).
  Errno DropRights(uint32_t fd, Rights base, Rights inheriting);
  ErrnoOr<uint32_t> Insert(FdEntry entry);
  // Places `entry` at exactly `fd` (used for stdio and preopens at startup).
  void InsertAt(uint32_t fd, FdEntry entry);
  Errno Close(uint32_t fd);
  // Moves `from` onto `to` (both must be open; `to`'s old descriptor is closed). The entry
  // at `to` keeps `to`'s creation.
  Errno Renumber(uint32_t from, uint32_t to);
  // The open descriptors and their entries, by number.
  std::vector<std::pair<uint32_t, const FdEntry*>> Entries() const;

 private:
  std::vector<std::unique_ptr<FdEntry>> slots_;
  uint64_t created_ = 0;  // entries made so far
};

}  // namespace wasmgrind::wasi
