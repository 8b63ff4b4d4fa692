// The wasi_snapshot_preview1 ABI: the enumerations, flag bits and the structs the guest reads
// and writes, laid out exactly as witx specifies for wasm32 (pointers and sizes are u32). The
// structs here are the in-guest-memory images; every offset is checked below against the
// spec, and guest memory is little-endian like the host, so they are copied with memcpy.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace wasmgrind::wasi {

static_assert(std::endian::native == std::endian::little, "guest memory is little-endian");

using Rights = uint64_t;
using Timestamp = uint64_t;  // nanoseconds
using GuestPtr = uint32_t;
using GuestSize = uint32_t;

enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

enum class ClockId : uint32_t {
  Realtime = 0,
  Monotonic = 1,
  ProcessCputime = 2,
  ThreadCputime = 3
};
enum class Whence : uint8_t { Set = 0, Cur = 1, End = 2 };
enum class Advice : uint8_t {
  Normal = 0,
  Sequential = 1,
  Random = 2,
  WillNeed = 3,
  DontNeed = 4,
  NoReuse = 5
};
enum class EventType : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };
enum class PreopenType : uint8_t { Dir = 0 };

// fdflags (u16)
inline constexpr uint16_t kFdflagAppend = 1 << 0;
inline constexpr uint16_t kFdflagDsync = 1 << 1;
inline constexpr uint16_t kFdflagNonblock = 1 << 2;
inline constexpr uint16_t kFdflagRsync = 1 << 3;
inline constexpr uint16_t kFdflagSync = 1 << 4;
inline constexpr uint16_t kFdflagsAll = (1 << 5) - 1;  // any other bit is Inval
// oflags (u16)
inline constexpr uint16_t kOflagCreat = 1 << 0;
inline constexpr uint16_t kOflagDirectory = 1 << 1;
inline constexpr uint16_t kOflagExcl = 1 << 2;
inline constexpr uint16_t kOflagTrunc = 1 << 3;
// lookupflags (u32)
inline constexpr uint32_t kLookupSymlinkFollow = 1 << 0;
inline constexpr uint32_t kLookupflagsAll = kLookupSymlinkFollow;  // any other bit is Inval
// fstflags (u16)
inline constexpr uint16_t kFstflagAtim = 1 << 0;
inline constexpr uint16_t kFstflagAtimNow = 1 << 1;
inline constexpr uint16_t kFstflagMtim = 1 << 2;
inline constexpr uint16_t kFstflagMtimNow = 1 << 3;
// subclockflags (u16)
inline constexpr uint16_t kSubclockAbstime = 1 << 0;
// riflags (u16)
inline constexpr uint32_t kRiflagsAll = (1 << 2) - 1;  // RECV_PEEK, RECV_WAITALL
// sdflags (u8)
inline constexpr uint8_t kSdflagRd = 1 << 0;
inline constexpr uint8_t kSdflagWr = 1 << 1;
// eventrwflags (u16)
inline constexpr uint16_t kEventFdReadwriteHangup = 1 << 0;

// rights (u64)
namespace right {
inline constexpr Rights kFdDatasync = 1ull << 0;
inline constexpr Rights kFdRead = 1ull << 1;
inline constexpr Rights kFdSeek = 1ull << 2;
inline constexpr Rights kFdFdstatSetFlags = 1ull << 3;
inline constexpr Rights kFdSync = 1ull << 4;
inline constexpr Rights kFdTell = 1ull << 5;
inline constexpr Rights kFdWrite = 1ull << 6;
inline constexpr Rights kFdAdvise = 1ull << 7;
inline constexpr Rights kFdAllocate = 1ull << 8;
inline constexpr Rights kPathCreateDirectory = 1ull << 9;
inline constexpr Rights kPathCreateFile = 1ull << 10;
inline constexpr Rights kPathLinkSource = 1ull << 11;
inline constexpr Rights kPathLinkTarget = 1ull << 12;
inline constexpr Rights kPathOpen = 1ull << 13;
inline constexpr Rights kFdReaddir = 1ull << 14;
inline constexpr Rights kPathReadlink = 1ull << 15;
inline constexpr Rights kPathRenameSource = 1ull << 16;
inline constexpr Rights kPathRenameTarget = 1ull << 17;
inline constexpr Rights kPathFilestatGet = 1ull << 18;
inline constexpr Rights kPathFilestatSetSize = 1ull << 19;
inline constexpr Rights kPathFilestatSetTimes = 1ull << 20;
inline constexpr Rights kFdFilestatGet = 1ull << 21;
inline constexpr Rights kFdFilestatSetSize = 1ull << 22;
inline constexpr Rights kFdFilestatSetTimes = 1ull << 23;
inline constexpr Rights kPathSymlink = 1ull << 24;
inline constexpr Rights kPathRemoveDirectory = 1ull << 25;
inline constexpr Rights kPathUnlinkFile = 1ull << 26;
inline constexpr Rights kPollFdReadwrite = 1ull << 27;
inline constexpr Rights kSockShutdown = 1ull << 28;
inline constexpr Rights kSockAccept = 1ull << 29;
inline constexpr Rights kAll = (1ull << 30) - 1;
}  // namespace right

// The rights that make sense on each kind of descriptor (what fd_fdstat_get reports at most).
inline constexpr Rights kRegularFileRights =
    right::kFdDatasync | right::kFdRead | right::kFdSeek | right::kFdFdstatSetFlags |
    right::kFdSync | right::kFdTell | right::kFdWrite | right::kFdAdvise | right::kFdAllocate |
    right::kFdFilestatGet | right::kFdFilestatSetSize | right::kFdFilestatSetTimes |
    right::kPollFdReadwrite;
// Terminals, pipes, sockets: no seeking (wasi-libc's isatty() relies on SEEK/TELL absent).
inline constexpr Rights kStreamRights =
    right::kFdDatasync | right::kFdRead | right::kFdFdstatSetFlags | right::kFdSync |
    right::kFdWrite | right::kFdFilestatGet | right::kPollFdReadwrite;
// Sockets (only inherited as stdio: preview1 cannot create one) can also be shut down.
inline constexpr Rights kSocketRights = kStreamRights | right::kSockShutdown;
inline constexpr Rights kDirectoryRights =
    right::kFdDatasync | right::kFdFdstatSetFlags | right::kFdSync | right::kFdAdvise |
    right::kPathCreateDirectory | right::kPathCreateFile | right::kPathLinkSource |
    right::kPathLinkTarget | right::kPathOpen | right::kFdReaddir | right::kPathReadlink |
    right::kPathRenameSource | right::kPathRenameTarget | right::kPathFilestatGet |
    right::kPathFilestatSetSize | right::kPathFilestatSetTimes | right::kFdFilestatGet |
    right::kFdFilestatSetTimes | right::kPathSymlink | right::kPathRemoveDirectory |
    right::kPathUnlinkFile | right::kPollFdReadwrite;

// ---- In-memory images of the witx structs ----

struct WasiIovec {  // iovec and ciovec
  GuestPtr buf;
  GuestSize buf_len;
};
static_assert(sizeof(WasiIovec) == 8 && offsetof(WasiIovec, buf_len) == 4);

struct WasiFdstat {
  uint8_t fs_filetype;
  uint8_t pad0;
  uint16_t fs_flags;
  uint32_t pad1;
  uint64_t fs_rights_base;
  uint64_t fs_rights_inheriting;
};
static_assert(sizeof(WasiFdstat) == 24 && offsetof(WasiFdstat, fs_flags) == 2 &&
              offsetof(WasiFdstat, fs_rights_base) == 8 &&
              offsetof(WasiFdstat, fs_rights_inheriting) == 16);

struct WasiFilestat {
  uint64_t dev;
  uint64_t ino;
  uint8_t filetype;
  uint8_t pad[7];
  uint64_t nlink;
  uint64_t size;
  uint64_t atim;
  uint64_t mtim;
  uint64_t ctim;
};
static_assert(sizeof(WasiFilestat) == 64 && offsetof(WasiFilestat, filetype) == 16 &&
              offsetof(WasiFilestat, nlink) == 24 && offsetof(WasiFilestat, size) == 32 &&
              offsetof(WasiFilestat, atim) == 40 && offsetof(WasiFilestat, mtim) == 48 &&
              offsetof(WasiFilestat, ctim) == 56);

struct WasiPrestat {
  uint8_t tag;  // PreopenType
  uint8_t pad[3];
  uint32_t pr_name_len;
};
static_assert(sizeof(WasiPrestat) == 8 && offsetof(WasiPrestat, pr_name_len) == 4);

struct WasiDirent {  // followed by d_namlen bytes of name (not NUL-terminated)
  uint64_t d_next;
  uint64_t d_ino;
  uint32_t d_namlen;
  uint8_t d_type;
  uint8_t pad[3];
};
static_assert(sizeof(WasiDirent) == 24 && offsetof(WasiDirent, d_ino) == 8 &&
              offsetof(WasiDirent, d_namlen) == 16 && offsetof(WasiDirent, d_type) == 20);

struct WasiSubscription {
  uint64_t userdata;
  uint8_t tag;  // EventType
  uint8_t pad0[7];
  // u.clock: id @16, timeout @24, precision @32, flags @40; u.fd_readwrite: fd @16.
  uint32_t clock_id_or_fd;
  uint32_t pad1;
  uint64_t timeout;
  uint64_t precision;
  uint16_t flags;
  uint8_t pad2[6];
};
static_assert(sizeof(WasiSubscription) == 48 && offsetof(WasiSubscription, tag) == 8 &&
              offsetof(WasiSubscription, clock_id_or_fd) == 16 &&
              offsetof(WasiSubscription, timeout) == 24 &&
              offsetof(WasiSubscription, precision) == 32 &&
              offsetof(WasiSubscription, flags) == 40);

struct WasiEvent {
  uint64_t userdata;
  uint16_t error;  // Errno
  uint8_t type;    // EventType
  uint8_t pad0[5];
  uint64_t fd_readwrite_nbytes;
  uint16_t fd_readwrite_flags;
  uint8_t pad1[6];
};
static_assert(sizeof(WasiEvent) == 32 && offsetof(WasiEvent, error) == 8 &&
              offsetof(WasiEvent, type) == 10 && offsetof(WasiEvent, fd_readwrite_nbytes) == 16 &&
              offsetof(WasiEvent, fd_readwrite_flags) == 24);

}  // namespace wasmgrind::wasi
