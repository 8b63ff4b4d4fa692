// The preview1 functions wasmgrind does not implement: rights reduction after open, signals,
// and sockets (preview1 has no way to create a socket, only to use a preopened one, and we
// never preopen sockets). Each returns NoSys so that guests can tell "not here" from failure.
#include "wasi_functions.h"

namespace wasmgrind::wasi {

Errno FdFdstatSetRights(WasiContext&, Fd, uint64_t, uint64_t) { return Errno::NoSys; }
Errno ProcRaise(WasiContext&, uint32_t) { return Errno::NoSys; }
Errno SockAccept(WasiContext&, Fd, uint32_t, GuestPtr) { return Errno::NoSys; }
Errno SockRecv(WasiContext&, Fd, GuestPtr, uint32_t, uint32_t, GuestPtr, GuestPtr) {
  return Errno::NoSys;
}
Errno SockSend(WasiContext&, Fd, GuestPtr, uint32_t, uint32_t, GuestPtr) { return Errno::NoSys; }
Errno SockShutdown(WasiContext&, Fd, uint32_t) { return Errno::NoSys; }

}  // namespace wasmgrind::wasi
