// The socket functions: sock_accept, sock_recv, sock_send, sock_shutdown. Preview1 cannot
// create a socket, so a guest only ever holds one it inherited as stdio. Each call first
// says what the descriptor is, as Linux and Wasmtime do: Badf for no descriptor, NotSock for
// one that is not a socket. On a socket, sock_shutdown is shutdown(2); accept, recv and send
// are not implemented (NoSys).
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

Errno SockAccept(WasiContext& ctx, Fd fd, uint32_t, GuestPtr) {
  WASI_TRY(GetSocket(ctx, fd, right::kSockAccept).error());
  return Errno::NoSys;
}

Errno SockRecv(WasiContext& ctx, Fd fd, GuestPtr, uint32_t, uint32_t, GuestPtr, GuestPtr) {
  WASI_TRY(GetSocket(ctx, fd, right::kFdRead).error());
  return Errno::NoSys;
}

Errno SockSend(WasiContext& ctx, Fd fd, GuestPtr, uint32_t, uint32_t, GuestPtr) {
  WASI_TRY(GetSocket(ctx, fd, right::kFdWrite).error());
  return Errno::NoSys;
}

Errno SockShutdown(WasiContext& ctx, Fd fd, uint32_t how) {
  WASI_TRY_ASSIGN(FdEntry * entry, GetSocket(ctx, fd, right::kSockShutdown));
  int host_how;
  switch (how) {
    case kSdflagRd: host_how = SHUT_RD; break;
    case kSdflagWr: host_how = SHUT_WR; break;
    case kSdflagRd | kSdflagWr: host_how = SHUT_RDWR; break;
    default: return Errno::Inval;  // no direction, or bits sdflags does not define
  }
  if (shutdown(entry->fd.get(), host_how) != 0) return LastHostErrno();
  return Errno::Success;
}

}  // namespace wasmgrind::wasi
