// The socket functions: sock_accept, sock_recv, sock_send, sock_shutdown. Preview1 cannot
// create a socket, so a guest only ever holds one it inherited as stdio. As in Wasmtime, each
// call rejects undefined flag bits (Inval), then says what the descriptor is: Badf for no
// descriptor, NotSock for one that is not a socket (Linux's errnos too). On a socket,
// sock_shutdown is shutdown(2); accept, recv and send are not implemented (NoSys).
#include <sys/socket.h>

#include "wasi_functions.h"

namespace wasmgrind::wasi {
namespace {

bool IsSocket(const FdEntry& entry) {
  return entry.type == Filetype::SocketStream || entry.type == Filetype::SocketDgram;
}

// The socket at `fd`, with `required` rights.
ErrnoOr<FdEntry*> GetSocket(WasiContext& ctx, Fd fd, Rights required) {
  WASI_TRY_ASSIGN(FdEntry * entry, ctx.fds().Get(fd));
  if (!IsSocket(*entry)) return Errno::NotSock;
  return ctx.fds().Get(fd, required);
}

}  // namespace

Errno SockAccept(WasiContext& ctx, Fd fd, uint32_t fdflags, GuestPtr) {
  if (fdflags & ~uint32_t{kFdflagsAll}) return Errno::Inval;
  WASI_TRY(GetSocket(ctx, fd, right::kSockAccept).error());
  return Errno::NoSys;
}

Errno SockRecv(WasiContext& ctx, Fd fd, GuestPtr, uint32_t, uint32_t ri_flags, GuestPtr,
               GuestPtr) {
  if (ri_flags & ~kRiflagsAll) return Errno::Inval;
  WASI_TRY(GetSocket(ctx, fd, right::kFdRead).error());
  return Errno::NoSys;
}

Errno SockSend(WasiContext& ctx, Fd fd, GuestPtr, uint32_t, uint32_t si_flags, GuestPtr) {
  if (si_flags != 0) return Errno::Inval;  // siflags defines no bits
  WASI_TRY(GetSocket(ctx, fd, right::kFdWrite).error());
  return Errno::NoSys;
}

Errno SockShutdown(WasiContext& ctx, Fd fd, uint32_t how) {
  if (how & ~uint32_t{kSdflagRd | kSdflagWr}) return Errno::Inval;
  WASI_TRY_ASSIGN(FdEntry * entry, GetSocket(ctx, fd, right::kSockShutdown));
  int host_how;
  switch (how) {
    case kSdflagRd: host_how = SHUT_RD; break;
    case kSdflagWr: host_how = SHUT_WR; break;
    case kSdflagRd | kSdflagWr: host_how = SHUT_RDWR; break;
    default: return Errno::Inval;  // no direction: shutdown(2) has no such `how`
  }
  if (shutdown(entry->fd.get(), host_how) != 0) return LastHostErrno();
  return Errno::Success;
}

}  // namespace wasmgrind::wasi
