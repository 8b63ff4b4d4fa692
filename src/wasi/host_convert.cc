// Host metadata to preview1 conversions (see host_convert.h).
#include "host_convert.h"

#include <dirent.h>

namespace wasmgrind::wasi {

Filetype FiletypeFromMode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return Filetype::RegularFile;
    case S_IFDIR: return Filetype::Directory;
    case S_IFLNK: return Filetype::SymbolicLink;
    case S_IFCHR: return Filetype::CharacterDevice;
    case S_IFBLK: return Filetype::BlockDevice;
    case S_IFSOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;  // FIFOs have no preview1 type
  }
}

Filetype FiletypeFromDirentType(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return Filetype::RegularFile;
    case DT_DIR: return Filetype::Directory;
    case DT_LNK: return Filetype::SymbolicLink;
    case DT_CHR: return Filetype::CharacterDevice;
    case DT_BLK: return Filetype::BlockDevice;
    case DT_SOCK: return Filetype::SocketStream;
    default: return Filetype::Unknown;
  }
}

Timestamp TimestampFromTimespec(const timespec& ts) {
  if (ts.tv_sec < 0) return 0;
  return static_cast<Timestamp>(ts.tv_sec) * 1000000000ull + static_cast<Timestamp>(ts.tv_nsec);
}

timespec TimespecFromTimestamp(Timestamp t) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(t / 1000000000ull);
  ts.tv_nsec = static_cast<long>(t % 1000000000ull);
  return ts;
}

WasiFilestat FilestatFromHost(const struct stat& st) {
  WasiFilestat out{};
  out.dev = static_cast<uint64_t>(st.st_dev);
  out.ino = static_cast<uint64_t>(st.st_ino);
  out.filetype = static_cast<uint8_t>(FiletypeFromMode(st.st_mode));
  out.nlink = static_cast<uint64_t>(st.st_nlink);
  out.size = static_cast<uint64_t>(st.st_size);
  out.atim = TimestampFromTimespec(st.st_atim);
  out.mtim = TimestampFromTimespec(st.st_mtim);
  out.ctim = TimestampFromTimespec(st.st_ctim);
  return out;
}

ErrnoOr<std::array<timespec, 2>> TimesFromFstflags(Timestamp atim, Timestamp mtim,
                                                   uint16_t fst_flags) {
  if (fst_flags & ~(kFstflagAtim | kFstflagAtimNow | kFstflagMtim | kFstflagMtimNow))
    return Errno::Inval;
  if ((fst_flags & kFstflagAtim) && (fst_flags & kFstflagAtimNow)) return Errno::Inval;
  if ((fst_flags & kFstflagMtim) && (fst_flags & kFstflagMtimNow)) return Errno::Inval;
  auto pick = [](Timestamp t, bool set, bool now) {
    timespec ts{0, UTIME_OMIT};
    if (now)
      ts.tv_nsec = UTIME_NOW;
    else if (set)
      ts = TimespecFromTimestamp(t);
    return ts;
  };
  return std::array<timespec, 2>{pick(atim, fst_flags & kFstflagAtim, fst_flags & kFstflagAtimNow),
                                 pick(mtim, fst_flags & kFstflagMtim, fst_flags & kFstflagMtimNow)};
}

}  // namespace wasmgrind::wasi
