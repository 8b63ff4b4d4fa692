// ResolveGuestPath: the first step of every path_* function: check the directory
// descriptor's rights, read the path out of guest memory, and resolve it beneath that
// directory with the sandbox resolver (sandbox_path.h).
#pragma once

#include "sandbox_path.h"
#include "wasi_context.h"

namespace wasmgrind::wasi {

ErrnoOr<ResolvedPath> ResolveGuestPath(WasiContext& ctx, uint32_t dir_fd, Rights needed,
                                       GuestPtr path, GuestSize path_len, bool follow_final);

// For paths that had a trailing '/': NotDir unless `r` names a directory.
Errno CheckMustBeDir(const ResolvedPath& r);

}  // namespace wasmgrind::wasi
