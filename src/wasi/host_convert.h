// Conversions between host (Linux) file metadata and the preview1 representations:
// file types, filestat, timestamps, and the fst_flags of the set_times calls.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <array>

#include "wasi_errno.h"
#include "wasi_types.h"

namespace wasmgrind::wasi {

Filetype FiletypeFromMode(mode_t mode);
Filetype FiletypeFromDirentType(unsigned char d_type);  // Unknown for DT_UNKNOWN
WasiFilestat FilestatFromHost(const struct stat& st);
Timestamp TimestampFromTimespec(const timespec& ts);  // negative times clamp to 0
timespec TimespecFromTimestamp(Timestamp t);
// The {atime, mtime} argument of futimens/utimensat for preview1 fst_flags (Inval if a time
// is both given and "now").
ErrnoOr<std::array<timespec, 2>> TimesFromFstflags(Timestamp atim, Timestamp mtim,
                                                   uint16_t fst_flags);

}  // namespace wasmgrind::wasi
