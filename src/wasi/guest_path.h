// ResolveGuestPath: the first step of every path_* function: check the directory
// descriptor's rights, read the path out of guest memory, and resolve it beneath that
// directory with the sandbox resolver (sandbox_path.h).
#pragma once

#include "sandbox_path.h"
#include "wasi_context.h"

namespace wasmgrind::wasi {

// `param`: the path's witx name, for memcheck's reports. `text`, if given, gets a copy of
// the guest's path once it was read.
ErrnoOr<ResolvedPath> ResolveGuestPath(WasiContext& ctx, uint32_t dir_fd, Rights needed,
                                       GuestPtr path, GuestSize path_len, bool follow_final,
                                       std::string_view param = "path",
                                       std::string* text = nullptr);

// For paths that had a trailing '/': NotDir unless `r` names a directory.
Errno CheckMustBeDir(const ResolvedPath& r);

// For path_link and path_symlink, whose paths name non-directories: a path that ended in '/'
// is opened as the directory it claims to be, and the result names that directory's "."
// entry. The *at() call then fails as in Wasmtime (cap-std does the same) and the WASI test
// suite: NoEnt if nothing is there, NotDir if it is not a directory (Linux says EXIST for a
// new name `file/`), and the call's own error otherwise (EXIST for a name to create, PERM for
// linking a directory). A path without the '/' is returned unchanged.
ErrnoOr<ResolvedPath> TrailingSlashAsDirectory(ResolvedPath r);

}  // namespace wasmgrind::wasi
